import { describe, expect, it } from 'vitest';
import { type DcqlQuery, planConsent, pointerOf, selectionAcceptable, selectPaths } from './plan-consent';
import type { StoredCredential } from './wallet-db';

const VCT = 'urn:trieste:xa:national-identity:1';

function credential(
  id: string,
  claims: StoredCredential['claims'],
  extra: Partial<StoredCredential> = {},
): StoredCredential {
  return {
    id,
    sdJwt: 'x',
    holderKey: { privateKey: {} as CryptoKey, publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
    issuer: 'https://id.example.test',
    vct: VCT,
    claims,
    receivedAt: 1,
    display: { issuer: [], credential: [], claims: [] },
    ...extra,
  };
}

const person = credential('a', {
  given_name: 'Amina',
  family_name: 'Diallo',
  age_equal_or_over: { '13': true, '18': true, '21': false },
  nationalities: ['XA', 'XB'],
  address: { locality: 'Trieste', country: 'XA' },
});

const over18: DcqlQuery = {
  credentials: [
    {
      id: 'id',
      format: 'dc+sd-jwt',
      meta: { vct_values: [VCT] },
      claims: [{ path: ['age_equal_or_over', '18'] }],
    },
  ],
  credential_sets: [{ options: [['id']], required: true, purpose: 'Check that you are over 18' }],
};

describe('selectPaths (OpenID4VP 1.0 §7.1)', () => {
  it('follows keys, indices and null over arrays', () => {
    expect(selectPaths(person.claims, ['nationalities', null]).map((s) => s.path)).toEqual([
      ['nationalities', 0],
      ['nationalities', 1],
    ]);
    expect(selectPaths(person.claims, ['nationalities', 1])).toEqual([
      { path: ['nationalities', 1], value: 'XB' },
    ]);
    expect(selectPaths(person.claims, ['nationalities', 5])).toEqual([]);
    expect(selectPaths(person.claims, ['given_name', 'x'])).toEqual([]);
    expect(selectPaths(person.claims, ['__proto__'])).toEqual([]);
  });

  it('escapes pointers (RFC 6901)', () => {
    expect(pointerOf(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
  });
});

describe('planConsent', () => {
  it('offers exactly the asked claim, required, with the stated purpose', () => {
    const plan = planConsent(over18, [person], 10);
    expect(plan.unanswered).toEqual([]);
    expect(plan.purposes).toEqual(['Check that you are over 18']);
    expect(plan.credentials).toHaveLength(1);
    expect(plan.credentials[0]!.claims).toEqual([
      {
        pointer: '/age_equal_or_over/18',
        path: ['age_equal_or_over', '18'],
        value: true,
        required: true,
        claimIds: [],
      },
    ]);
  });

  it('reports a request no credential answers', () => {
    const other = credential('b', person.claims, { vct: 'urn:other' });
    expect(planConsent(over18, [other], 10).unanswered).toEqual(['id']);
    const expired = credential('c', person.claims, { expiresAt: 5 });
    expect(planConsent(over18, [expired], 10).unanswered).toEqual(['id']);
  });

  it('refuses a credential whose value does not match `values`', () => {
    const query: DcqlQuery = {
      credentials: [
        { id: 'id', format: 'dc+sd-jwt', claims: [{ path: ['age_equal_or_over', '21'], values: [true] }] },
      ],
    };
    expect(planConsent(query, [person], 10).unanswered).toEqual(['id']);
  });

  it('makes claims outside some claim set optional, and checks a selection covers a set', () => {
    const query: DcqlQuery = {
      credentials: [
        {
          id: 'id',
          format: 'dc+sd-jwt',
          claims: [
            { id: 'given', path: ['given_name'] },
            { id: 'family', path: ['family_name'] },
            { id: 'town', path: ['address', 'locality'] },
          ],
          claim_sets: [
            ['given', 'family', 'town'],
            ['given', 'family'],
          ],
        },
      ],
    };
    const [choice] = planConsent(query, [person], 10).credentials;
    expect(choice!.claims.map((c) => [c.pointer, c.required])).toEqual([
      ['/given_name', true],
      ['/family_name', true],
      ['/address/locality', false],
    ]);
    expect(selectionAcceptable(choice!, new Set(['/given_name', '/family_name']))).toBe(true);
    expect(selectionAcceptable(choice!, new Set(['/given_name', '/address/locality']))).toBe(false);
  });

  it('marks credentials of optional credential sets optional', () => {
    const query: DcqlQuery = {
      credentials: [
        { id: 'age', format: 'dc+sd-jwt', claims: [{ path: ['age_equal_or_over', '18'] }] },
        { id: 'town', format: 'dc+sd-jwt', claims: [{ path: ['address', 'locality'] }] },
      ],
      credential_sets: [{ options: [['age']] }, { options: [['town']], required: false }],
    };
    const plan = planConsent(query, [person], 10);
    expect(plan.credentials.map((c) => [c.queryId, c.optional])).toEqual([
      ['age', false],
      ['town', true],
    ]);
  });
});
