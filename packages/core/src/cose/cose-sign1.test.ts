import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { Decoder, Encoder, type Tag } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import {
  CborTag,
  decodeCoseSign1,
  encodeCbor,
  importCoseKey,
  signCoseSign1,
  TriesteError,
  verifyCoseSign1,
} from '../index.js';

const es256 = nodeSigner(generatePrivateJwk('ES256'));
const ed25519 = nodeSigner(generatePrivateJwk('EdDSA'));
const other = nodeSigner(generatePrivateJwk('ES256'));
const payload = new TextEncoder().encode('a CWT would go here');
const independent = new Encoder({ useRecords: false, tagUint8Array: false, mapsAsObjects: false });
const reader = new Decoder({ useRecords: false, mapsAsObjects: false });

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};

/** A COSE_Sign1 from its parts, encoded by our encoder (the parts are what a test varies). */
const message = (parts: unknown[], tag: number | null = 18) =>
  encodeCbor((tag === null ? parts : new CborTag(tag, parts as never)) as never);
const protectedAlg = (alg: number, more: Array<[number, unknown]> = []) =>
  encodeCbor(new Map<number, never>([[1, alg as never], ...(more as Array<[number, never]>)]));
const signature64 = new Uint8Array(64);

describe('signCoseSign1', () => {
  it.each([
    ['ES256', es256, -7],
    ['EdDSA', ed25519, -8],
  ] as const)(
    'signs %s what node:crypto verifies over an independently built Sig_structure',
    async (_n, signer, alg) => {
      const kid = new TextEncoder().encode(signer.kid);
      const signed = await signCoseSign1(payload, signer, { kid });
      // Read with cbor-x and check with node:crypto: nothing of our COSE code is involved.
      const tagged = reader.decode(Buffer.from(signed)) as Tag;
      expect(tagged.tag).toBe(18);
      const [protectedBytes, unprotected, sentPayload, signature] = tagged.value as [
        Buffer,
        Map<number, unknown>,
        Buffer,
        Buffer,
      ];
      expect(reader.decode(protectedBytes)).toEqual(
        new Map<number, unknown>([
          [1, alg],
          [4, Buffer.from(kid)],
        ]),
      );
      expect(unprotected.size).toBe(0);
      expect(new Uint8Array(sentPayload)).toEqual(payload);
      const toBeSigned = independent.encode(['Signature1', protectedBytes, new Uint8Array(0), sentPayload]);
      const key = createPublicKey({ key: signer.publicJwk as never, format: 'jwk' });
      const ok =
        signer.alg === 'ES256'
          ? nodeVerify('sha256', toBeSigned, { key, dsaEncoding: 'ieee-p1363' }, signature)
          : nodeVerify(null, toBeSigned, key, signature);
      expect(ok).toBe(true);
    },
  );
});

describe('verifyCoseSign1', () => {
  it('verifies its own and refuses a changed payload, another key, and a wrong-length signature', async () => {
    const signed = decodeCoseSign1(await signCoseSign1(payload, es256));
    expect(signed.tagged).toBe(true);
    expect(signed.kid).toBeUndefined();
    const key = await importCoseKey({ jwk: es256.publicJwk }, 'ES256');
    expect(await verifyCoseSign1(signed, key)).toBe(true);
    expect(await verifyCoseSign1({ ...signed, payload: new Uint8Array([...payload, 0]) }, key)).toBe(false);
    expect(await verifyCoseSign1(signed, await importCoseKey({ jwk: other.publicJwk }, 'ES256'))).toBe(false);
    expect(await verifyCoseSign1({ ...signed, signature: signed.signature.subarray(1) }, key)).toBe(false);
    const ed = decodeCoseSign1(await signCoseSign1(payload, ed25519));
    expect(await verifyCoseSign1(ed, await importCoseKey({ jwk: ed25519.publicJwk }, 'EdDSA'))).toBe(true);
  });

  it('does not let a header algorithm repurpose a key imported for another one', async () => {
    const signed = decodeCoseSign1(await signCoseSign1(payload, es256));
    const key = await importCoseKey({ jwk: es256.publicJwk }, 'ES256');
    expect(await verifyCoseSign1({ ...signed, alg: 'ES384' }, key)).toBe(false);
    expect(await verifyCoseSign1({ ...signed, alg: 'PS256' }, key)).toBe(false);
    await expect(importCoseKey({ jwk: es256.publicJwk }, 'EdDSA')).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
    await expect(importCoseKey({ spki: new Uint8Array([1, 2, 3]) }, 'ES256')).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
  });
});

describe('decodeCoseSign1', () => {
  it('accepts tag 18, tag 61 around tag 18, and the untagged array; kid from either bucket', () => {
    const parts = [protectedAlg(-7, [[4, new Uint8Array([1, 2])]]), new Map(), payload, signature64];
    expect(decodeCoseSign1(message(parts)).tagged).toBe(true);
    expect(decodeCoseSign1(encodeCbor(new CborTag(61, new CborTag(18, parts as never)))).tagged).toBe(true);
    const untagged = decodeCoseSign1(message(parts, null));
    expect(untagged.tagged).toBe(false);
    expect(untagged.kid).toEqual(new Uint8Array([1, 2]));
    const unprotectedKid = decodeCoseSign1(
      message([protectedAlg(-7), new Map([[4, new Uint8Array([9])]]), payload, signature64]),
    );
    expect(unprotectedKid.kid).toEqual(new Uint8Array([9]));
    expect(decodeCoseSign1(message([protectedAlg(-37), new Map(), payload, signature64])).alg).toBe('PS256');
    expect(decodeCoseSign1(message([protectedAlg(-35), new Map(), payload, signature64])).alg).toBe('ES384');
  });

  it('refuses every other structure (MALFORMED) and every other algorithm (ALG_NOT_ALLOWED)', () => {
    const ok = [protectedAlg(-7), new Map(), payload, signature64];
    const cases: Array<[string, Uint8Array, string]> = [
      ['COSE_Mac0 tag', message(ok, 17), 'MALFORMED'],
      ['COSE_Sign tag', message(ok, 98), 'MALFORMED'],
      ['three items', message(ok.slice(0, 3)), 'MALFORMED'],
      ['a map instead of an array', encodeCbor(new CborTag(18, new Map())), 'MALFORMED'],
      [
        'protected header as a map',
        message([new Map([[1, -7]]), new Map(), payload, signature64]),
        'MALFORMED',
      ],
      [
        'unprotected header as bytes',
        message([protectedAlg(-7), new Uint8Array(), payload, signature64]),
        'MALFORMED',
      ],
      ['detached payload', message([protectedAlg(-7), new Map(), null, signature64]), 'MALFORMED'],
      ['text payload', message([protectedAlg(-7), new Map(), 'x', signature64]), 'MALFORMED'],
      ['text signature', message([protectedAlg(-7), new Map(), payload, 'x']), 'MALFORMED'],
      [
        'protected header not CBOR',
        message([new Uint8Array([0xff]), new Map(), payload, signature64]),
        'MALFORMED',
      ],
      [
        'protected header not a map',
        message([encodeCbor([1]), new Map(), payload, signature64]),
        'MALFORMED',
      ],
      ['no algorithm', message([new Uint8Array(), new Map(), payload, signature64]), 'MALFORMED'],
      [
        'algorithm unprotected',
        message([new Uint8Array(), new Map([[1, -7]]), payload, signature64]),
        'MALFORMED',
      ],
      [
        'label in both buckets',
        message([protectedAlg(-7), new Map([[1, -7]]), payload, signature64]),
        'MALFORMED',
      ],
      ['crit', message([protectedAlg(-7, [[2, [99]]]), new Map(), payload, signature64]), 'MALFORMED'],
      ['text kid', message([protectedAlg(-7, [[4, 'k1']]), new Map(), payload, signature64]), 'MALFORMED'],
      ['HMAC 256/256', message([protectedAlg(5), new Map(), payload, signature64]), 'ALG_NOT_ALLOWED'],
      ['ES512', message([protectedAlg(-36), new Map(), payload, signature64]), 'ALG_NOT_ALLOWED'],
      ['RS256', message([protectedAlg(-257), new Map(), payload, signature64]), 'ALG_NOT_ALLOWED'],
      [
        'text algorithm',
        message([encodeCbor(new Map([[1, 'ES256']])), new Map(), payload, signature64]),
        'ALG_NOT_ALLOWED',
      ],
      ['trailing bytes', new Uint8Array([...message(ok), 0]), 'MALFORMED'],
    ];
    for (const [why, bytes, code] of cases)
      expect(
        codeOf(() => decodeCoseSign1(bytes)),
        why,
      ).toBe(code);
    expect(codeOf(() => decodeCoseSign1(message(ok), { allowed: ['PS256'] }))).toBe('ALG_NOT_ALLOWED');
  });

  it('turns hostile and mutated messages into a decoding or a coded error', async () => {
    const valid = await signCoseSign1(payload, es256, { kid: new Uint8Array([7]) });
    const mutated = fc
      .tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat({ max: 8 }))
      .map(([at, flip, cut]) => {
        const bytes = valid.slice(0, valid.length - cut);
        bytes[at % bytes.length]! ^= flip;
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 120 })), (bytes) => {
        try {
          decodeCoseSign1(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TriesteError);
          expect(['MALFORMED', 'ALG_NOT_ALLOWED']).toContain((error as TriesteError).code);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
