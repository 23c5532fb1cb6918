// DCQL claims path pointers over array claims (OpenID4VP 1.0 §7.1): a string step selects a key,
// `null` every element of the selected array(s), an integer one index; a step onto the wrong type or
// an empty selection is no match. Only what the pointers select is returned, every other disclosed
// value is dropped and named by path, and hostile paths or claim names never crash the match.
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '@trieste/adapters';
import {
  issueSdJwtVc,
  type JsonObject,
  presentSdJwtVc,
  toPublicJwk,
  type VerifiedSdJwtVc,
  verifySdJwtVc,
} from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { matchDcqlQuery } from './match-dcql-query.js';
import { parseDcqlQuery } from './parse-dcql-query.js';

const VCT = 'urn:eudi:pid:xa:1';
const ISSUER = 'https://id.example.test';

const CLAIMS = {
  given_name: 'Amina',
  nationalities: ['XA', 'XB'],
  addresses: [
    { street: '1 Harbour Road', locality: 'Port Azul' },
    { street: '9 Hill Lane', locality: 'Monte Verde' },
  ],
} satisfies JsonObject;

function credential(claims: JsonObject = CLAIMS): VerifiedSdJwtVc {
  return { issuer: ISSUER, vct: VCT, claims: structuredClone(claims), keyBound: true };
}

/** A query as the verifier stores it: through the same parser as a relying party's request. */
function query(claims: unknown[], extra: Record<string, unknown> = {}): JsonObject {
  return parseDcqlQuery(
    { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims, ...extra }] },
    'test',
  );
}

const paths = (match: ReturnType<typeof matchDcqlQuery>) => match.dropped.map((d) => d.path);

describe('claims path pointers into arrays (OpenID4VP 1.0 §7.1)', () => {
  it('null selects every element of an array of strings; the other claims are dropped by path', () => {
    const match = matchDcqlQuery(query([{ path: ['nationalities', null] }]), { pid: [credential()] });
    expect(match.satisfied).toBe(true);
    expect(match.credentials['pid']![0]!.claims).toEqual({ nationalities: ['XA', 'XB'] });
    expect(paths(match)).toEqual([
      ['given_name'],
      ['addresses', 0, 'street'],
      ['addresses', 0, 'locality'],
      ['addresses', 1, 'street'],
      ['addresses', 1, 'locality'],
    ]);
  });

  it('an integer selects one element only: the other stands as null in its place and is dropped', () => {
    const second = matchDcqlQuery(query([{ path: ['nationalities', 1] }]), { pid: [credential()] });
    expect(second.satisfied).toBe(true);
    expect(second.credentials['pid']![0]!.claims).toEqual({ nationalities: [null, 'XB'] });
    expect(paths(second)).toContainEqual(['nationalities', 0]);
    expect(JSON.stringify(second.credentials)).not.toContain('"XA"');

    const first = matchDcqlQuery(query([{ path: ['nationalities', 0] }]), { pid: [credential()] });
    expect(first.credentials['pid']![0]!.claims).toEqual({ nationalities: ['XA'] });
    expect(paths(first)).toContainEqual(['nationalities', 1]);
  });

  it('a key under a wildcard selects that key of every element of an array of objects', () => {
    const match = matchDcqlQuery(query([{ path: ['addresses', null, 'locality'] }]), { pid: [credential()] });
    expect(match.satisfied).toBe(true);
    expect(match.credentials['pid']![0]!.claims).toEqual({
      addresses: [{ locality: 'Port Azul' }, { locality: 'Monte Verde' }],
    });
    expect(paths(match)).toEqual(
      expect.arrayContaining([
        ['addresses', 0, 'street'],
        ['addresses', 1, 'street'],
        ['nationalities', 0],
        ['nationalities', 1],
        ['given_name'],
      ]),
    );
    expect(JSON.stringify(match.credentials)).not.toContain('Harbour');
  });

  it('an index then a key selects one member of one element', () => {
    const match = matchDcqlQuery(query([{ path: ['addresses', 1, 'street'] }]), { pid: [credential()] });
    expect(match.credentials['pid']![0]!.claims).toEqual({ addresses: [null, { street: '9 Hill Lane' }] });
    expect(paths(match)).toEqual(
      expect.arrayContaining([
        ['addresses', 0, 'street'],
        ['addresses', 0, 'locality'],
        ['addresses', 1, 'locality'],
      ]),
    );
  });

  it('a path ending at an array or object keeps all of it', () => {
    const match = matchDcqlQuery(query([{ path: ['addresses'] }, { path: ['given_name'] }]), {
      pid: [credential()],
    });
    expect(match.credentials['pid']![0]!.claims).toEqual({
      given_name: 'Amina',
      addresses: CLAIMS.addresses,
    });
    expect(paths(match)).toEqual([
      ['nationalities', 0],
      ['nationalities', 1],
    ]);
  });

  it('values with a wildcard keep only the elements that have one of the values', () => {
    const match = matchDcqlQuery(query([{ path: ['nationalities', null], values: ['XB'] }]), {
      pid: [credential()],
    });
    expect(match.satisfied).toBe(true);
    expect(match.credentials['pid']![0]!.claims).toEqual({ nationalities: [null, 'XB'] });
    expect(paths(match)).toContainEqual(['nationalities', 0]);
    const none = matchDcqlQuery(query([{ path: ['nationalities', null], values: ['XC'] }]), {
      pid: [credential()],
    });
    expect(none.satisfied).toBe(false);
  });

  it.each([
    ['an index past the end of the array', ['nationalities', 5]],
    ['a wildcard over a string', ['given_name', null]],
    ['an index into an object', ['addresses', 0, 0]],
    ['a key of an array', ['nationalities', 'length']],
    ['a key of a string', ['given_name', 'length']],
    ['a key that is not disclosed', ['family_name']],
    ['a key under a wildcard that no element has', ['addresses', null, 'postal_code']],
  ])('%s is no match (QUERY_UNSATISFIED upstream), and nothing is returned', (_what, path) => {
    const match = matchDcqlQuery(query([{ path }]), { pid: [credential()] });
    expect(match.satisfied).toBe(false);
    expect(match.credentials).toEqual({});
  });

  it('an empty array under a wildcard selects nothing, so the claim is not matched', () => {
    const match = matchDcqlQuery(query([{ path: ['nationalities', null] }]), {
      pid: [credential({ nationalities: [] })],
    });
    expect(match.satisfied).toBe(false);
  });

  it('with claim_sets the first set whose pointers all select something is kept', () => {
    const match = matchDcqlQuery(
      query(
        [
          { id: 'far', path: ['nationalities', 7] },
          { id: 'name', path: ['given_name'] },
          { id: 'first', path: ['nationalities', 0] },
        ],
        { claim_sets: [['far', 'name'], ['first']] },
      ),
      { pid: [credential()] },
    );
    expect(match.satisfied).toBe(true);
    expect(match.credentials['pid']![0]!.claims).toEqual({ nationalities: ['XA'] });
    expect(paths(match)).toContainEqual(['given_name']);
  });
});

describe('hostile input', () => {
  const HOSTILE = JSON.parse(
    '{"given_name":"Amina","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},' +
      '"list":[{"__proto__":{"y":2},"a":1}]}',
  ) as JsonObject;

  it('claim names like __proto__ and constructor are dropped and flagged as data, never merged', () => {
    const match = matchDcqlQuery(query([{ path: ['list', null, 'a'] }]), { pid: [credential(HOSTILE)] });
    expect(match.satisfied).toBe(true);
    const kept = match.credentials['pid']![0]!.claims;
    expect(kept).toEqual({ list: [{ a: 1 }] });
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(paths(match)).toEqual([
      ['given_name'],
      ['__proto__', 'polluted'],
      ['constructor', 'prototype', 'x'],
      ['list', 0, '__proto__', 'y'],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['__proto__', ['__proto__']],
    ['constructor', ['constructor']],
    ['an element holding __proto__', ['list', null]],
    ['an inherited name', ['toString']],
  ])('a query naming %s matches nothing and does not throw', (_what, path) => {
    // dcql 3.0.0 cannot merge such keys and throws; that is no match, not a server failure.
    const match = matchDcqlQuery(query([{ path }]), { pid: [credential(HOSTILE)] });
    expect(match).toMatchObject({ satisfied: false, credentials: {} });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a credential query named __proto__ is an ordinary id', () => {
    const stored = parseDcqlQuery(
      {
        credentials: [
          {
            id: '__proto__',
            format: 'dc+sd-jwt',
            meta: { vct_values: [VCT] },
            claims: [{ path: ['given_name'] }],
          },
        ],
      },
      'test',
    );
    const match = matchDcqlQuery(stored, JSON.parse('{"__proto__":[]}'));
    expect(match.satisfied).toBe(false);
    const answered = matchDcqlQuery(stored, Object.fromEntries([['__proto__', [credential()]]]));
    expect(Object.getPrototypeOf(answered.credentials)).toBe(Object.prototype);
    expect(answered.satisfied).toBe(true);
    expect(Object.hasOwn(answered.credentials, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(answered.credentials, '__proto__')!.value[0].claims).toEqual({
      given_name: 'Amina',
    });
  });

  it('malformed paths in a stored query match nothing and do not throw', () => {
    const stored = query([{ path: ['given_name'] }]);
    const credentials = stored['credentials'] as Array<{ claims: Array<{ path: unknown }> }>;
    for (const path of [
      [-1],
      [1.5],
      [{}],
      [true],
      [],
      'given_name',
      [Number.MAX_SAFE_INTEGER + 2],
      Array(40).fill(null),
    ]) {
      credentials[0]!.claims[0]!.path = path;
      const match = matchDcqlQuery(stored, { pid: [credential()] });
      expect(match.satisfied).toBe(false);
      expect(match.credentials).toEqual({});
    }
  });

  it('a deeply nested disclosure is walked without exhausting the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const match = matchDcqlQuery(query([{ path: ['given_name'] }]), {
      pid: [{ ...credential(), claims: { given_name: 'Amina', deep } as JsonObject }],
    });
    expect(match.credentials['pid']![0]!.claims).toEqual({ given_name: 'Amina' });
    expect(match.dropped).toHaveLength(1);
    expect(match.dropped[0]!.path).toHaveLength(20_001);
  });
});

describe('through core: issued, selectively presented and verified', () => {
  it('an over-disclosed array element is dropped and flagged, the asked one returned', async () => {
    const crypto = nodeCrypto();
    const clock = { now: () => 1_800_000_000 };
    const privateJwk = generatePrivateJwk('ES256');
    const signer = nodeSigner(privateJwk);
    const issued = await issueSdJwtVc(
      { vct: VCT, iss: ISSUER, claims: CLAIMS, disclosable: 'all' },
      { signer, crypto, clock },
    );
    // The wallet discloses both nationalities and one street, though only the second nationality
    // and the localities are asked for.
    const presentation = await presentSdJwtVc(
      issued,
      { disclose: ['/nationalities/0', '/nationalities/1', '/addresses/0/street', '/addresses/1/locality'] },
      { crypto, clock },
    );
    const verified = await verifySdJwtVc(
      presentation,
      { requireKeyBinding: false, checkStatus: false },
      {
        crypto,
        clock,
        issuerKeys: { resolve: async ({ iss }) => (iss === ISSUER ? toPublicJwk(privateJwk) : undefined) },
      },
    );
    const match = matchDcqlQuery(
      // No KB-JWT here: the presentation is not key-bound.
      query([{ path: ['nationalities', 1] }, { path: ['addresses', null, 'locality'] }], {
        require_cryptographic_holder_binding: false,
      }),
      { pid: [verified] },
    );
    expect(match.satisfied).toBe(true);
    const kept = match.credentials['pid']![0]!.claims;
    expect(kept['nationalities']).toEqual([null, 'XB']);
    expect(JSON.stringify(kept)).not.toContain('XA');
    expect(JSON.stringify(kept)).not.toContain('Harbour');
    expect(kept['addresses']).toEqual([null, { locality: 'Monte Verde' }]);
    // The verifier rebuilds the claims from the disclosures: their order is not the issuer's.
    expect(paths(match)).toHaveLength(2);
    expect(paths(match)).toEqual(
      expect.arrayContaining([
        ['addresses', 0, 'street'],
        ['nationalities', 0],
      ]),
    );
  });
});
