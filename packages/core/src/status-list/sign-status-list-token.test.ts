import { compactVerify, importJWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCompactJws } from '../jws/decode-compact.js';
import { type StatusListTokenClaims, signStatusListToken } from './sign-status-list-token.js';
import { StatusList } from './status-list.js';
import { newKey, type TestKey } from './test-keys.test-util.js';

const NOW = 1_780_000_000;
let key: TestKey;
beforeAll(async () => {
  key = await newKey('ES256');
});

function claims(overrides: Partial<StatusListTokenClaims> = {}): StatusListTokenClaims {
  const list = new StatusList(16, 1);
  list.set(3, 1);
  return {
    sub: 'https://issuer.example/status/1',
    list,
    issuedAt: NOW,
    expiresAt: NOW + 86_400,
    ttl: 3600,
    ...overrides,
  };
}

describe('signStatusListToken: refuses bad options (caller bugs, TypeError)', () => {
  const bad: Array<[string, Partial<StatusListTokenClaims>]> = [
    ['empty sub', { sub: '' }],
    ['non-string sub', { sub: 7 as unknown as string }],
    ['empty iss', { iss: '' }],
    ['NaN issuedAt', { issuedAt: Number.NaN }],
    ['negative issuedAt', { issuedAt: -1 }],
    ['expiresAt not after issuedAt', { expiresAt: NOW }],
    ['expiresAt within the same second', { expiresAt: NOW + 0.5 }],
    ['zero ttl', { ttl: 0 }],
    ['fractional ttl', { ttl: 1.5 }],
  ];
  for (const [name, override] of bad) {
    it(`refuses ${name}`, async () => {
      await expect(signStatusListToken(claims(override), { signer: key.signer })).rejects.toThrow(TypeError);
    });
  }
});

describe('signStatusListToken: the §5.1 JWT', () => {
  it('has typ statuslist+jwt, the signer alg and kid, and sub, iat, exp, ttl, status_list', async () => {
    const token = await signStatusListToken(claims({ issuedAt: NOW + 0.9 }), { signer: key.signer });
    const { header, payload } = decodeCompactJws(token);
    expect(header).toEqual({ typ: 'statuslist+jwt', alg: 'ES256', kid: key.signer.kid });
    expect(payload).toEqual({
      sub: 'https://issuer.example/status/1',
      iat: NOW,
      exp: NOW + 86_400,
      ttl: 3600,
      status_list: { bits: 1, lst: expect.any(String) },
    });
  });

  it('adds iss and aggregation_uri only when given', async () => {
    const token = await signStatusListToken(
      claims({ iss: 'https://issuer.example', aggregationUri: 'https://issuer.example/status' }),
      { signer: key.signer },
    );
    const { payload } = decodeCompactJws(token);
    expect(payload['iss']).toBe('https://issuer.example');
    expect(payload['status_list']).toMatchObject({ aggregation_uri: 'https://issuer.example/status' });
  });

  it('verifies with jose, an independent JOSE implementation (compactVerify and jwtVerify)', async () => {
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const k = await newKey(alg);
      const token = await signStatusListToken(claims({ iss: 'https://issuer.example' }), {
        signer: k.signer,
      });
      const publicKey = await importJWK({ ...k.publicJwk }, alg);
      const { protectedHeader } = await compactVerify(token, publicKey, { algorithms: [alg] });
      expect(protectedHeader.typ).toBe('statuslist+jwt');
      const { payload } = await jwtVerify(token, publicKey, {
        typ: 'statuslist+jwt',
        subject: 'https://issuer.example/status/1',
        issuer: 'https://issuer.example',
        currentDate: new Date((NOW + 10) * 1000),
      });
      expect(payload['status_list']).toEqual({ bits: 1, lst: expect.any(String) });
    }
  });
});
