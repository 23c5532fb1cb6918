import { Buffer } from 'node:buffer';
import * as jose from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import { signCompactJws } from '../jws/sign-compact.js';
import { encodeTrustList } from './encode-trust-list.js';
import { TRUST_LIST_JWT_TYP, type TrustList } from './trust-list.js';
import { crypto, issuer, list, newKey, recognition, sign, type TestKey } from './trust-list.test-util.js';
import { decodeTrustListJws, readUnverifiedTrustList, verifyTrustList } from './verify-trust-list.js';

let operator: TestKey;
let edOperator: TestKey;
let issuerKey: TestKey;
let stranger: TestKey;
let value: TrustList;

beforeAll(async () => {
  [operator, edOperator, issuerKey, stranger] = await Promise.all([
    newKey(),
    newKey('EdDSA'),
    newKey(),
    newKey(),
  ]);
  value = list('XA', operator, {
    issuers: [issuer('https://id.xa.example', issuerKey)],
    recognitions: [recognition('XB', stranger)],
  });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isTriesteError(error)) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('signTrustList and verifyTrustList', () => {
  it('signs a list that jose verifies on its own: typ, kid, alg and the payload as encoded', async () => {
    for (const key of [operator, edOperator]) {
      const signed = list('XA', key, { issuers: value.issuers });
      const jws = await sign(signed, key);
      const { payload, protectedHeader } = await jose.jwtVerify(jws, key.publicKey, {
        typ: TRUST_LIST_JWT_TYP,
        algorithms: [key.signer.alg],
      });
      expect(protectedHeader).toEqual({ typ: TRUST_LIST_JWT_TYP, alg: key.signer.alg, kid: key.kidJwk.kid });
      expect(payload).toEqual(encodeTrustList(signed));
    }
  });

  it('verifies a list jose signed (the other direction), and returns what signed it', async () => {
    const jws = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(encodeTrustList(value))))
      .setProtectedHeader({
        alg: 'ES256',
        typ: `application/${TRUST_LIST_JWT_TYP}`,
        kid: operator.kidJwk.kid,
      })
      .sign(operator.privateKey);
    const verified = await verifyTrustList(jws, { keys: [operator.kidJwk], crypto });
    expect(verified.list).toEqual(value);
    expect(verified.signedBy).toBe(operator.kidJwk.kid);
    expect(verified.payloadPart).toBe(jws.split('.')[1]);
  });

  it('finds the key by its own kid or by its thumbprint', async () => {
    const jws = await sign(value, operator);
    const renamed = { ...operator.publicJwk, kid: 'operator-2026' };
    await expect(verifyTrustList(jws, { keys: [renamed], crypto })).resolves.toBeDefined();
    const jwsWithName = await signCompactJws(
      { typ: TRUST_LIST_JWT_TYP, kid: 'operator-2026' },
      encodeTrustList(value),
      { ...operator.signer, kid: 'operator-2026' },
    );
    await expect(verifyTrustList(jwsWithName, { keys: [renamed], crypto })).resolves.toBeDefined();
  });

  it('refuses a list signed by another key than the trusted operator keys (TRUST_LIST_OPERATOR_UNTRUSTED)', async () => {
    const byStranger = await sign(list('XA', stranger), stranger);
    expect(await codeOf(verifyTrustList(byStranger, { keys: [operator.kidJwk], crypto }))).toBe(
      'TRUST_LIST_OPERATOR_UNTRUSTED',
    );
  });

  it('refuses a bad signature, even with the trusted kid (SIGNATURE_INVALID)', async () => {
    const jws = await sign(value, operator);
    const [header, , signature] = jws.split('.');
    const tampered = `${header}.${b64({ ...encodeTrustList(value), sequence_number: 99 })}.${signature}`;
    expect(await codeOf(verifyTrustList(tampered, { keys: [operator.kidJwk], crypto }))).toBe(
      'SIGNATURE_INVALID',
    );
    // A stranger's signature under the operator's kid.
    const forged = await signCompactJws({ typ: TRUST_LIST_JWT_TYP }, encodeTrustList(value), {
      ...stranger.signer,
      kid: operator.kidJwk.kid,
    });
    expect(await codeOf(verifyTrustList(forged, { keys: [operator.kidJwk], crypto }))).toBe(
      'SIGNATURE_INVALID',
    );
  });

  it('refuses another typ, alg none, a missing kid and oversized input', async () => {
    const payload = b64(encodeTrustList(value));
    const wrongTyp = await signCompactJws({ typ: 'statuslist+jwt' }, encodeTrustList(value), operator.signer);
    expect(await codeOf(verifyTrustList(wrongTyp, { keys: [operator.kidJwk], crypto }))).toBe('TYP_INVALID');
    const none = `${b64({ alg: 'none', typ: TRUST_LIST_JWT_TYP, kid: operator.kidJwk.kid })}.${payload}.`;
    expect(await codeOf(verifyTrustList(none, { keys: [operator.kidJwk], crypto }))).toBe('ALG_NOT_ALLOWED');
    const hmac = `${b64({ alg: 'HS256', typ: TRUST_LIST_JWT_TYP, kid: operator.kidJwk.kid })}.${payload}.AAAA`;
    expect(await codeOf(verifyTrustList(hmac, { keys: [operator.kidJwk], crypto }))).toBe('ALG_NOT_ALLOWED');
    const noKid = await signCompactJws({ typ: TRUST_LIST_JWT_TYP }, encodeTrustList(value), operator.signer, {
      includeKid: false,
    });
    expect(await codeOf(verifyTrustList(noKid, { keys: [operator.kidJwk], crypto }))).toBe('MALFORMED');
    expect(await codeOf(verifyTrustList('x'.repeat(4 * 1024 * 1024 + 1), { keys: [], crypto }))).toBe(
      'MALFORMED',
    );
    expect(await codeOf(verifyTrustList('not.a.jws.at-all', { keys: [], crypto }))).toBe('MALFORMED');
  });

  it('refuses a list signed by an operator key it does not announce (MALFORMED)', async () => {
    const announcingOther = list('XA', stranger);
    const jws = await signCompactJws(
      { typ: TRUST_LIST_JWT_TYP },
      encodeTrustList(announcingOther),
      operator.signer,
    );
    expect(await codeOf(verifyTrustList(jws, { keys: [operator.kidJwk], crypto }))).toBe('MALFORMED');
  });

  it('reads a list unverified for display, and decodes its envelope', async () => {
    const jws = await sign(value, operator);
    expect(readUnverifiedTrustList(jws)).toEqual({ list: value, kid: operator.kidJwk.kid });
    expect(decodeTrustListJws(jws).kid).toBe(operator.kidJwk.kid);
  });

  it('will not sign a list that breaks its profile or a key it does not announce (caller bugs)', async () => {
    await expect(sign({ ...value, sequenceNumber: 0 }, operator)).rejects.toThrow(TypeError);
    await expect(sign(list('XA', stranger), operator)).rejects.toThrow(TypeError);
  });
});
