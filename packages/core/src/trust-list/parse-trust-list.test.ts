import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../encoding/json.js';
import { isTriesteError } from '../errors.js';
import { encodeTrustList } from './encode-trust-list.js';
import { parseTrustList } from './parse-trust-list.js';
import type { TrustList } from './trust-list.js';
import {
  certificateFor,
  DAY,
  issuer,
  list,
  newKey,
  recognition,
  T0,
  type TestKey,
} from './trust-list.test-util.js';

let operator: TestKey;
let issuerKey: TestKey;
let certKey: TestKey;
let otherKey: TestKey;
let certificate: string;
let valid: TrustList;
let wire: JsonObject;

beforeAll(async () => {
  [operator, issuerKey, certKey, otherKey] = await Promise.all([
    newKey(),
    newKey(),
    newKey('EdDSA'),
    newKey(),
  ]);
  certificate = await certificateFor(certKey, { notBefore: T0 - DAY, notAfter: T0 + 365 * DAY });
  valid = list('XA', operator, {
    sequenceNumber: 7,
    issuers: [
      issuer('https://id.xa.example', issuerKey, {
        credentialTypes: ['urn:trieste:id:1', 'dcc', 'claim169'],
        validUntil: T0 + 365 * DAY,
      }),
      issuer('https://old.xa.example', otherKey, {
        keys: [
          {
            kid: 'dsc-1',
            jwk: certKey.publicJwk,
            x5c: [certificate],
            notBefore: T0 - DAY,
            notAfter: T0 + 365 * DAY,
          },
        ],
        status: 'withdrawn',
        statusStartingTime: T0 - DAY,
        history: [
          { status: 'granted', statusStartingTime: T0 - 10 * DAY },
          { status: 'withdrawn', statusStartingTime: T0 - 20 * DAY },
          { status: 'granted', statusStartingTime: T0 - 30 * DAY },
        ],
      }),
    ],
    recognitions: [recognition('XB', otherKey, { purposes: ['identity_verification', 'age_verification'] })],
  });
  wire = encodeTrustList(valid);
});

const DELETE = Symbol('delete');
type Path = Array<string | number>;

/** A deep copy of `value` with the member at `path` replaced (or deleted). */
function mutate(value: JsonValue, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === DELETE) delete node[last];
  else node[last] = replacement;
  return copy;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isTriesteError(error)) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

describe('parseTrustList', () => {
  it('reads back what encodeTrustList wrote, certificate validity included', () => {
    expect(parseTrustList(wire)).toEqual(valid);
    const key = parseTrustList(wire).issuers[1]!.keys[0]!;
    expect(key).toMatchObject({ kid: 'dsc-1', jwk: certKey.publicJwk, notBefore: T0 - DAY });
  });

  it('derives the key of a certificate-only entry (x5c without JWK members)', () => {
    const payload = mutate(wire, ['issuers', 1, 'keys', 0], { kid: 'dsc-1', x5c: [certificate] });
    expect(parseTrustList(payload).issuers[1]!.keys[0]).toEqual({
      kid: 'dsc-1',
      jwk: certKey.publicJwk,
      x5c: [certificate],
      notBefore: T0 - DAY,
      notAfter: T0 + 365 * DAY,
    });
  });

  // Every field, each way it can be wrong. The expected code is MALFORMED for structure and
  // KEY_INVALID for a key or certificate.
  const cases: Array<[string, Path, unknown, string]> = [
    ['an unknown top-level member', ['extensions'], {}, 'MALFORMED'],
    ['no version', ['version'], DELETE, 'MALFORMED'],
    ['version 2', ['version'], 2, 'MALFORMED'],
    ['version as text', ['version'], '1', 'MALFORMED'],
    ['no sequence number', ['sequence_number'], DELETE, 'MALFORMED'],
    ['sequence number 0', ['sequence_number'], 0, 'MALFORMED'],
    ['a negative sequence number', ['sequence_number'], -3, 'MALFORMED'],
    ['a fractional sequence number', ['sequence_number'], 1.5, 'MALFORMED'],
    ['an unsafe sequence number', ['sequence_number'], 2 ** 53, 'MALFORMED'],
    ['a sequence number as text', ['sequence_number'], '7', 'MALFORMED'],
    ['no operator', ['operator'], DELETE, 'MALFORMED'],
    ['an operator that is an array', ['operator'], [], 'MALFORMED'],
    ['an unknown operator member', ['operator', 'address'], 'x', 'MALFORMED'],
    ['no operator name', ['operator', 'name'], DELETE, 'MALFORMED'],
    ['an empty operator name', ['operator', 'name'], '', 'MALFORMED'],
    ['an operator name too long', ['operator', 'name'], 'n'.repeat(501), 'MALFORMED'],
    ['an operator name with a control character', ['operator', 'name'], 'a\u0000b', 'MALFORMED'],
    ['a lower-case jurisdiction', ['operator', 'jurisdiction'], 'xa', 'MALFORMED'],
    ['a three-letter jurisdiction', ['operator', 'jurisdiction'], 'XAA', 'MALFORMED'],
    ['no jurisdiction', ['operator', 'jurisdiction'], DELETE, 'MALFORMED'],
    ['an operator uri that is no URL', ['operator', 'uri'], 'xa.example', 'MALFORMED'],
    ['an operator uri with credentials', ['operator', 'uri'], 'https://u:p@xa.example', 'MALFORMED'],
    ['an operator uri that is not http(s)', ['operator', 'uri'], 'ftp://xa.example', 'MALFORMED'],
    ['no operator keys', ['operator', 'keys'], DELETE, 'MALFORMED'],
    ['an empty operator key list', ['operator', 'keys'], [], 'MALFORMED'],
    ['an operator key without kid', ['operator', 'keys', 0, 'kid'], DELETE, 'MALFORMED'],
    ['an operator key with x5c', ['operator', 'keys', 0, 'x5c'], ['AA=='], 'MALFORMED'],
    ['an operator key with d', ['operator', 'keys', 0, 'd'], 'AAAA', 'KEY_INVALID'],
    ['an operator key of another type', ['operator', 'keys', 0, 'kty'], 'RSA', 'KEY_INVALID'],
    ['an operator key with a short x', ['operator', 'keys', 0, 'x'], 'AAAA', 'KEY_INVALID'],
    ['an operator key with another alg', ['operator', 'keys', 0, 'alg'], 'EdDSA', 'KEY_INVALID'],
    ['an operator key for encryption', ['operator', 'keys', 0, 'use'], 'enc', 'KEY_INVALID'],
    ['no list_uri', ['list_uri'], DELETE, 'MALFORMED'],
    ['a list_uri that is no URL', ['list_uri'], '/trust/list', 'MALFORMED'],
    ['no issued_at', ['issued_at'], DELETE, 'MALFORMED'],
    ['issued_at as a number', ['issued_at'], T0, 'MALFORMED'],
    ['issued_at with an offset', ['issued_at'], '2026-05-28T20:26:40+02:00', 'MALFORMED'],
    ['no next_update', ['next_update'], DELETE, 'MALFORMED'],
    ['next_update at issued_at', ['next_update'], 'ISSUED_AT', 'MALFORMED'],
    ['no issuers', ['issuers'], DELETE, 'MALFORMED'],
    ['issuers as an object', ['issuers'], {}, 'MALFORMED'],
    ['an issuer that is a string', ['issuers', 0], 'https://id.xa.example', 'MALFORMED'],
    ['an unknown issuer member', ['issuers', 0, 'address'], 'x', 'MALFORMED'],
    ['no issuer id', ['issuers', 0, 'id'], DELETE, 'MALFORMED'],
    ['an empty issuer id', ['issuers', 0, 'id'], '', 'MALFORMED'],
    ['an issuer id too long', ['issuers', 0, 'id'], `https://${'x'.repeat(2048)}`, 'MALFORMED'],
    ['a duplicate issuer id', ['issuers', 1, 'id'], 'https://id.xa.example', 'MALFORMED'],
    ['no issuer name', ['issuers', 0, 'name'], DELETE, 'MALFORMED'],
    ['an issuer name with a line break', ['issuers', 0, 'name'], 'a\nb', 'MALFORMED'],
    ['no issuer keys', ['issuers', 0, 'keys'], DELETE, 'MALFORMED'],
    ['an empty issuer key list', ['issuers', 0, 'keys'], [], 'MALFORMED'],
    ['an issuer key without kid', ['issuers', 0, 'keys', 0, 'kid'], DELETE, 'MALFORMED'],
    ['an issuer key with an empty kid', ['issuers', 0, 'keys', 0, 'kid'], '', 'MALFORMED'],
    ['an issuer key with d', ['issuers', 0, 'keys', 0, 'd'], 'AAAA', 'KEY_INVALID'],
    ['an issuer key with neither JWK nor x5c', ['issuers', 0, 'keys', 0], { kid: 'k' }, 'KEY_INVALID'],
    ['an issuer key with a y on Ed25519', ['issuers', 1, 'keys', 0, 'y'], 'AAAA', 'KEY_INVALID'],
    ['an unknown issuer key member', ['issuers', 0, 'keys', 0, 'x5u'], 'https://x', 'MALFORMED'],
    ['x5c that is not an array', ['issuers', 1, 'keys', 0, 'x5c'], 'MIIB', 'MALFORMED'],
    ['an empty x5c', ['issuers', 1, 'keys', 0, 'x5c'], [], 'MALFORMED'],
    ['x5c with five certificates', ['issuers', 1, 'keys', 0, 'x5c'], ['A', 'A', 'A', 'A', 'A'], 'MALFORMED'],
    ['x5c that is not base64', ['issuers', 1, 'keys', 0, 'x5c'], ['!!!!'], 'KEY_INVALID'],
    ['x5c that is not a certificate', ['issuers', 1, 'keys', 0, 'x5c'], ['AAECAwQF'], 'KEY_INVALID'],
    ['x5c that is not a string', ['issuers', 1, 'keys', 0, 'x5c'], [42], 'KEY_INVALID'],
    ['a certificate too long', ['issuers', 1, 'keys', 0, 'x5c'], ['A'.repeat(16 * 1024 + 4)], 'KEY_INVALID'],
    ['a JWK that is not its certificate key', ['issuers', 1, 'keys', 0, 'x'], 'OTHER_KEY', 'KEY_INVALID'],
    ['no credential types', ['issuers', 0, 'credential_types'], DELETE, 'MALFORMED'],
    ['an empty credential type list', ['issuers', 0, 'credential_types'], [], 'MALFORMED'],
    ['a duplicate credential type', ['issuers', 0, 'credential_types'], ['dcc', 'dcc'], 'MALFORMED'],
    ['an empty credential type', ['issuers', 0, 'credential_types'], [''], 'MALFORMED'],
    ['a credential type that is a number', ['issuers', 0, 'credential_types'], [1], 'MALFORMED'],
    ['65 credential types', ['issuers', 0, 'credential_types'], 'MANY_TYPES', 'MALFORMED'],
    ['no valid_from', ['issuers', 0, 'valid_from'], DELETE, 'MALFORMED'],
    ['a valid_from that is no time', ['issuers', 0, 'valid_from'], 'yesterday', 'MALFORMED'],
    ['valid_until before valid_from', ['issuers', 0, 'valid_until'], '2000-01-01T00:00:00Z', 'MALFORMED'],
    ['a status other than granted or withdrawn', ['issuers', 0, 'status'], 'suspended', 'MALFORMED'],
    ['no status', ['issuers', 0, 'status'], DELETE, 'MALFORMED'],
    ['no status_starting_time', ['issuers', 0, 'status_starting_time'], DELETE, 'MALFORMED'],
    ['no history', ['issuers', 0, 'history'], DELETE, 'MALFORMED'],
    ['a history that is no array', ['issuers', 0, 'history'], {}, 'MALFORMED'],
    [
      'a history entry newer than the status',
      ['issuers', 1, 'history', 0, 'status_starting_time'],
      '2100-01-01T00:00:00Z',
      'MALFORMED',
    ],
    [
      'a history out of order',
      ['issuers', 1, 'history', 2, 'status_starting_time'],
      'HISTORY_SWAP',
      'MALFORMED',
    ],
    ['a history entry with a bad status', ['issuers', 1, 'history', 0, 'status'], 'revoked', 'MALFORMED'],
    ['an unknown history member', ['issuers', 1, 'history', 0, 'reason'], 'x', 'MALFORMED'],
    ['no recognitions', ['recognitions'], DELETE, 'MALFORMED'],
    ['a recognition of its own jurisdiction', ['recognitions', 0, 'jurisdiction'], 'XA', 'MALFORMED'],
    ['a recognition twice', ['recognitions', 1], 'DUPLICATE_RECOGNITION', 'MALFORMED'],
    ['a recognition with a bad jurisdiction', ['recognitions', 0, 'jurisdiction'], 'Xb', 'MALFORMED'],
    ['an unknown recognition member', ['recognitions', 0, 'trust_level'], 'high', 'MALFORMED'],
    ['a recognition without operator name', ['recognitions', 0, 'operator_name'], DELETE, 'MALFORMED'],
    ['a recognition list_uri that is no URL', ['recognitions', 0, 'list_uri'], 'xb', 'MALFORMED'],
    ['a recognition without operator keys', ['recognitions', 0, 'operator_keys'], [], 'MALFORMED'],
    [
      'a recognition operator key with d',
      ['recognitions', 0, 'operator_keys', 0, 'd'],
      'AAAA',
      'KEY_INVALID',
    ],
    ['a recognition without credential types', ['recognitions', 0, 'credential_types'], [], 'MALFORMED'],
    ['a recognition without purposes', ['recognitions', 0, 'purposes'], [], 'MALFORMED'],
    ['a duplicate purpose', ['recognitions', 0, 'purposes'], ['a', 'a'], 'MALFORMED'],
    ['a purpose too long', ['recognitions', 0, 'purposes'], ['p'.repeat(201)], 'MALFORMED'],
  ];

  it.each(cases)('refuses %s', (_name, path, replacement, code) => {
    let value: unknown = replacement;
    if (replacement === 'ISSUED_AT') value = wire['issued_at'];
    if (replacement === 'MANY_TYPES') value = Array.from({ length: 65 }, (_, i) => `type-${i}`);
    if (replacement === 'OTHER_KEY') value = otherKey.publicJwk.x;
    if (replacement === 'DUPLICATE_RECOGNITION') value = (wire['recognitions'] as JsonValue[])[0];
    if (replacement === 'HISTORY_SWAP') value = '2026-05-28T00:00:00Z';
    expect(codeOf(() => parseTrustList(mutate(wire, path, value)))).toBe(code);
  });

  it('refuses anything that is not a JSON object', () => {
    for (const value of [null, [], 'list', 7, true, undefined]) {
      expect(codeOf(() => parseTrustList(value))).toBe('MALFORMED');
    }
  });
});

describe('parseTrustList properties', () => {
  it('throws nothing but coded errors on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(['MALFORMED', 'KEY_INVALID']).toContain(codeOf(() => parseTrustList(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but coded errors when any one member of a valid list is replaced', () => {
    const paths = allPaths(wire);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, replacement) => {
        const payload = mutate(wire, path, replacement);
        const code = codeOf(() => parseTrustList(payload));
        expect(['ACCEPTED', 'MALFORMED', 'KEY_INVALID']).toContain(code);
        // Whatever it accepts, it reads the same way twice: encode(parse(x)) parses to the same list.
        if (code === 'ACCEPTED') {
          const parsed = parseTrustList(payload);
          expect(parseTrustList(encodeTrustList(parsed))).toEqual(parsed);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips generated lists: parse(encode(list)) is the list', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f));
    const time = fc.integer({ min: 0, max: 4_000_000_000 });
    const status = fc.constantFrom('granted' as const, 'withdrawn' as const);
    const issuerArb = fc
      .record({
        id: text,
        name: text,
        types: fc.uniqueArray(text, { minLength: 1, maxLength: 5 }),
        validFrom: time,
        span: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
        status,
        start: time,
        history: fc.array(fc.tuple(status, fc.integer({ min: 1, max: 1000 })), { maxLength: 4 }),
      })
      .map((r) => {
        let at = r.start + 5000;
        return {
          ...issuer(r.id, issuerKey, {
            name: r.name,
            credentialTypes: r.types,
            validFrom: r.validFrom,
            status: r.status,
            statusStartingTime: at,
            history: r.history.map(([s, gap]) => {
              at -= gap;
              return { status: s, statusStartingTime: at };
            }),
          }),
          ...(r.span === undefined ? {} : { validUntil: r.validFrom + r.span }),
        };
      });
    fc.assert(
      fc.property(
        fc.uniqueArray(issuerArb, { selector: (i) => i.id, maxLength: 5 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        time,
        (issuers, sequenceNumber, issuedAt) => {
          const value = list('XA', operator, {
            sequenceNumber,
            issuedAt,
            nextUpdate: issuedAt + DAY,
            issuers,
            recognitions: [recognition('XB', otherKey)],
          });
          expect(parseTrustList(JSON.parse(JSON.stringify(encodeTrustList(value))))).toEqual(value);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function allPaths(value: JsonValue, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[string | number, JsonValue]> = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => allPaths(item, [...prefix, key]))].filter(
    (path) => path.length > 0,
  );
}
