// Interoperability with an independent implementation: @sd-jwt/jwt-status-list 0.19.0 (OpenWallet
// Foundation sd-jwt-js; pako for ZLIB, its own bit packing). Lists and tokens cross both ways.
import {
  createHeaderAndPayload,
  getListFromStatusListJWT,
  StatusList as TheirStatusList,
} from '@sd-jwt/jwt-status-list';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeStatusList } from './decode-status-list.js';
import { encodeStatusList } from './encode-status-list.js';
import { signStatusListToken } from './sign-status-list-token.js';
import { type StatusBits, StatusList } from './status-list.js';
import { crypto, newKey, type TestKey } from './test-keys.test-util.js';
import { verifyStatusListToken } from './verify-status-list-token.js';

const NOW = 1_780_000_000;
const URI = 'https://issuer.example/status/7';
const bitsArb = fc.constantFrom<StatusBits>(1, 2, 4, 8);
// Sizes fill whole bytes, as §13 ("Status List Size") recommends, so both sides agree on the entry
// count: a decoded list has byteLength * 8 / bits entries in either implementation.
const listArb = bitsArb.chain((bits) =>
  fc.integer({ min: 1, max: 400 }).chain((bytes) =>
    fc.tuple(
      fc.constant(bits),
      fc.array(fc.integer({ min: 0, max: 2 ** bits - 1 }), {
        minLength: (bytes * 8) / bits,
        maxLength: (bytes * 8) / bits,
      }),
    ),
  ),
);

let key: TestKey;
beforeAll(async () => {
  key = await newKey('ES256');
});

describe('interop with @sd-jwt/jwt-status-list 0.19.0', () => {
  it('their compressed lists decode with ours to the same statuses, for every bit size', () => {
    fc.assert(
      fc.property(listArb, ([bits, statuses]) => {
        const lst = new TheirStatusList(statuses, bits).compressStatusList();
        const ours = decodeStatusList({ bits, lst }).list;
        expect(ours.size).toBe(statuses.length);
        expect(statuses.map((_, i) => ours.get(i))).toEqual(statuses);
      }),
      { numRuns: 150 },
    );
  });

  it('our encoded lists decompress with theirs to the same statuses, for every bit size', () => {
    fc.assert(
      fc.property(listArb, ([bits, statuses]) => {
        const list = new StatusList(statuses.length, bits);
        for (const [i, status] of statuses.entries()) list.set(i, status);
        const theirs = TheirStatusList.decompressStatusList(encodeStatusList(list).lst, bits);
        expect(theirs.getBitsPerStatus()).toBe(bits);
        expect(statuses.map((_, i) => theirs.getStatus(i))).toEqual(statuses);
      }),
      { numRuns: 150 },
    );
  });

  it('getListFromStatusListJWT reads our Status List Token', async () => {
    const list = new StatusList(4096, 2);
    list.set(0, 1);
    list.set(4095, 2);
    list.set(1234, 3);
    const token = await signStatusListToken(
      { sub: URI, list, issuedAt: NOW, expiresAt: NOW + 3600, ttl: 300 },
      { signer: key.signer },
    );
    const theirs = getListFromStatusListJWT(token);
    expect([0, 1, 1234, 4095].map((i) => theirs.getStatus(i))).toEqual([1, 0, 3, 2]);
  });

  it('we verify a Status List Token built with their createHeaderAndPayload and signed by jose', async () => {
    const statuses = Array.from({ length: 2048 }, (_, i) => (i % 97 === 0 ? 1 : 0));
    const { header, payload } = createHeaderAndPayload(
      new TheirStatusList(statuses, 1),
      { iss: 'https://issuer.example', sub: URI, iat: NOW, exp: NOW + 3600 },
      { alg: 'ES256', typ: 'statuslist+jwt' },
    );
    const token = await new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
    const verified = await verifyStatusListToken(token, { uri: URI, now: NOW, crypto, key: key.publicJwk });
    expect(statuses.map((_, i) => verified.list.get(i))).toEqual(statuses);
  });
});
