import { describe, expect, it } from 'vitest';
import { CborTag, decodeCwtClaims, encodeCbor, TriesteError } from '../index.js';

const claims = (entries: Array<[number | string, unknown]>) => encodeCbor(new Map(entries as never));
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};

describe('decodeCwtClaims (RFC 8392 §3.1)', () => {
  it('reads the registered claims with their types and keeps every claim', () => {
    const cwt = decodeCwtClaims(
      claims([
        [1, 'https://registry.xa.example'],
        [2, 'subject-1'],
        [3, 'verifier'],
        [4, 1_800_000_000],
        [5, 1_700_000_000.5],
        [6, 1_700_000_000],
        [7, new Uint8Array([1, 2])],
        [169, new Map([[1, 'x']])],
        ['private', true],
      ]),
    );
    expect(cwt).toMatchObject({
      iss: 'https://registry.xa.example',
      sub: 'subject-1',
      aud: 'verifier',
      exp: 1_800_000_000,
      nbf: 1_700_000_000.5,
      iat: 1_700_000_000,
      cti: new Uint8Array([1, 2]),
    });
    expect(cwt.claims.get(169)).toEqual(new Map([[1, 'x']]));
    expect(cwt.claims.get('private')).toBe(true);
    expect(decodeCwtClaims(claims([]))).toEqual({ claims: new Map() });
  });

  it('refuses a payload that is not a map, and registered claims of the wrong type (MALFORMED)', () => {
    for (const [why, bytes] of [
      ['array', encodeCbor([1, 2])],
      ['tagged map', encodeCbor(new CborTag(61, new Map()))],
      ['iss number', claims([[1, 5]])],
      ['sub bytes', claims([[2, new Uint8Array([1])]])],
      ['aud array', claims([[3, ['a']]])],
      ['exp text', claims([[4, '1800000000']])],
      ['nbf infinite', new Uint8Array([0xa1, 0x05, 0xf9, 0x7c, 0x00])],
      ['iat NaN', new Uint8Array([0xa1, 0x06, 0xf9, 0x7e, 0x00])],
      ['iat undefined', new Uint8Array([0xa1, 0x06, 0xf7])],
      ['exp bigint', new Uint8Array([0xa1, 0x04, 0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
      ['cti text', claims([[7, 'id']])],
    ] as const) {
      expect(
        codeOf(() => decodeCwtClaims(bytes)),
        why,
      ).toBe('MALFORMED');
    }
  });
});
