import { Buffer } from 'node:buffer';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import { signCompactJws } from '../jws/sign-compact.js';
import { signStatusListToken } from './sign-status-list-token.js';
import { StatusList } from './status-list.js';
import { b64json, crypto, keysFor, newKey, type TestKey } from './test-keys.test-util.js';
import { type VerifyStatusListTokenOptions, verifyStatusListToken } from './verify-status-list-token.js';

const NOW = 1_780_000_000;
const URI = 'https://issuer.example/status/1';
const ISS = 'https://issuer.example';
let es: TestKey;
let ed: TestKey;
let other: TestKey;
let good: string;

beforeAll(async () => {
  [es, ed, other] = await Promise.all([newKey('ES256'), newKey('EdDSA'), newKey('ES256')]);
  good = await sign({});
});

function list(): StatusList {
  const l = new StatusList(16, 2);
  l.set(5, 2);
  return l;
}

function sign(
  overrides: { iat?: number; exp?: number; ttl?: number; sub?: string },
  key: TestKey = es,
): Promise<string> {
  return signStatusListToken(
    {
      sub: overrides.sub ?? URI,
      iss: ISS,
      list: list(),
      issuedAt: overrides.iat ?? NOW - 10,
      expiresAt: overrides.exp ?? NOW + 3600,
      ttl: overrides.ttl ?? 600,
    },
    { signer: key.signer },
  );
}

/** Signs arbitrary header and payload members, to build tokens our signer would never produce. */
function raw(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: TestKey = es,
): Promise<string> {
  return signCompactJws(header, payload, key.signer);
}

const basePayload = () => ({
  sub: URI,
  iat: NOW - 10,
  exp: NOW + 3600,
  status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' },
});

function options(overrides: Partial<VerifyStatusListTokenOptions> = {}): VerifyStatusListTokenOptions {
  return { uri: URI, now: NOW, crypto, key: es.publicJwk, ...overrides } as VerifyStatusListTokenOptions;
}

async function codeOf(
  token: unknown,
  opts: VerifyStatusListTokenOptions = options(),
): Promise<string | undefined> {
  try {
    await verifyStatusListToken(token as string, opts);
  } catch (error) {
    return isTriesteError(error)
      ? error.code
      : `uncoded ${(error as Error).name}: ${(error as Error).message}`;
  }
  return undefined;
}

describe('verifyStatusListToken: hostile tokens', () => {
  it('refuses what is not a compact JWS: MALFORMED', async () => {
    for (const token of [undefined, 42, '', 'a.b', 'a.b.c.d', `${good}.x`, 'e30.e30.!!']) {
      expect(await codeOf(token)).toBe('MALFORMED');
    }
  });

  it('refuses alg none and HMAC: ALG_NOT_ALLOWED', async () => {
    const payload = b64json(basePayload());
    const none = `${b64json({ alg: 'none', typ: 'statuslist+jwt' })}.${payload}.`;
    const hmac = `${b64json({ alg: 'HS256', typ: 'statuslist+jwt' })}.${payload}.${Buffer.alloc(32).toString('base64url')}`;
    expect(await codeOf(none)).toBe('ALG_NOT_ALLOWED');
    expect(await codeOf(hmac)).toBe('ALG_NOT_ALLOWED');
  });

  it('refuses a token whose alg is not the key type (EdDSA token, EC key): ALG_NOT_ALLOWED', async () => {
    expect(await codeOf(await sign({}, ed))).toBe('ALG_NOT_ALLOWED');
  });

  it('refuses any typ but statuslist+jwt: TYP_INVALID (no credential or access token passes as a list)', async () => {
    for (const typ of [
      undefined,
      'JWT',
      'dc+sd-jwt',
      'at+jwt',
      'statuslist+cwt',
      'application/statuslist+cwt',
      7,
    ]) {
      expect(await codeOf(await raw(typ === undefined ? {} : { typ }, basePayload()))).toBe('TYP_INVALID');
    }
  });

  it('refuses critical header extensions and a non-string kid: MALFORMED', async () => {
    expect(await codeOf(await raw({ typ: 'statuslist+jwt', crit: ['x'], x: 1 }, basePayload()))).toBe(
      'MALFORMED',
    );
    const input = `${b64json({ typ: 'statuslist+jwt', alg: 'ES256', kid: 7 })}.${b64json(basePayload())}`;
    const signature = await es.signer.sign(new TextEncoder().encode(input));
    const badKid = `${input}.${Buffer.from(signature).toString('base64url')}`;
    expect(await codeOf(badKid)).toBe('MALFORMED');
  });

  it('refuses a signature by another key or over a changed payload: SIGNATURE_INVALID', async () => {
    expect(await codeOf(await sign({}, other))).toBe('SIGNATURE_INVALID');
    const [h, , s] = good.split('.');
    const forged = `${h}.${b64json({ ...basePayload(), status_list: { bits: 1, lst: 'eNoDAAAAAAE' } })}.${s}`;
    expect(await codeOf(forged)).toBe('SIGNATURE_INVALID');
  });

  it('refuses a token signed by no key the credential issuer is trusted to use: ISSUER_UNKNOWN', async () => {
    const issuerKeys = keysFor({ [ISS]: es.publicJwk });
    const opts = { uri: URI, now: NOW, crypto, issuer: 'https://other.example', issuerKeys };
    expect(await codeOf(good, opts)).toBe('ISSUER_UNKNOWN');
  });

  it('refuses a token without sub, iat or status_list: CLAIM_MISSING', async () => {
    for (const member of ['sub', 'iat', 'status_list']) {
      const payload: Record<string, unknown> = basePayload();
      delete payload[member];
      expect(await codeOf(await raw({ typ: 'statuslist+jwt' }, payload))).toBe('CLAIM_MISSING');
    }
  });

  it('refuses claims of the wrong type, and a ttl that is not a positive number: MALFORMED', async () => {
    const cases: Array<Record<string, unknown>> = [
      { sub: 1 },
      { iat: '1780000000' },
      { iat: -5 },
      { exp: 'never' },
      { nbf: true },
      { ttl: 0 },
      { ttl: -60 },
      { ttl: '60' },
      { iss: 42 },
      { status_list: { bits: 3, lst: 'eNrbuRgAAhcBXQ' } },
      { status_list: 'eNrbuRgAAhcBXQ' },
    ];
    for (const override of cases) {
      expect(await codeOf(await raw({ typ: 'statuslist+jwt' }, { ...basePayload(), ...override }))).toBe(
        'MALFORMED',
      );
    }
  });

  it('refuses a list for another URI (substitution): STATUS_UNAVAILABLE', async () => {
    expect(await codeOf(await sign({ sub: 'https://issuer.example/status/2' }))).toBe('STATUS_UNAVAILABLE');
    expect(await codeOf(await sign({ sub: `${URI}/` }))).toBe('STATUS_UNAVAILABLE');
  });

  it('refuses an expired list, one issued in the future, and one not yet valid, beyond the skew', async () => {
    expect(await codeOf(await sign({ iat: NOW - 7200, exp: NOW - 61 }))).toBe('STATUS_UNAVAILABLE');
    expect(await codeOf(await sign({ iat: NOW + 61, exp: NOW + 7200 }))).toBe('STATUS_UNAVAILABLE');
    expect(await codeOf(await raw({ typ: 'statuslist+jwt' }, { ...basePayload(), nbf: NOW + 61 }))).toBe(
      'STATUS_UNAVAILABLE',
    );
    // Within the default 60 s skew, all three pass.
    expect(await codeOf(await sign({ iat: NOW - 7200, exp: NOW - 59 }))).toBeUndefined();
    expect(await codeOf(await sign({ iat: NOW + 59, exp: NOW + 7200 }))).toBeUndefined();
    expect(
      await codeOf(await sign({ iat: NOW - 7200, exp: NOW - 5 }), options({ clockSkewSeconds: 0 })),
    ).toBe('STATUS_UNAVAILABLE');
  });

  it('applies a freshness policy on iat when asked (§8.3 step 4b)', async () => {
    const old = await sign({ iat: NOW - 3600 });
    expect(await codeOf(old, options({ maxAgeSeconds: 600 }))).toBe('STATUS_UNAVAILABLE');
    expect(await codeOf(old, options({ maxAgeSeconds: 7200 }))).toBeUndefined();
  });

  it('treats bad options as caller bugs (TypeError)', async () => {
    const bad: Array<Partial<VerifyStatusListTokenOptions>> = [
      { uri: '' },
      { now: Number.NaN },
      { clockSkewSeconds: -1 },
      { maxAgeSeconds: 0 },
    ];
    for (const override of bad)
      await expect(verifyStatusListToken(good, options(override))).rejects.toThrow(TypeError);
    await expect(verifyStatusListToken(good, { uri: URI, now: NOW, crypto } as never)).rejects.toThrow(
      TypeError,
    );
    const issuerKeys = keysFor({ [ISS]: es.publicJwk });
    const noIssuer = { uri: URI, now: NOW, crypto, issuer: '', issuerKeys };
    await expect(verifyStatusListToken(good, noIssuer)).rejects.toThrow(TypeError);
  });
});

describe('verifyStatusListToken: valid tokens', () => {
  it('returns the list and the claims', async () => {
    const verified = await verifyStatusListToken(good, options());
    expect(verified).toMatchObject({
      uri: URI,
      issuedAt: NOW - 10,
      expiresAt: NOW + 3600,
      ttl: 600,
      issuer: ISS,
    });
    expect(verified.kid).toBe(es.signer.kid);
    expect(verified.list.bits).toBe(2);
    expect(verified.list.get(5)).toBe(2);
    expect(verified.list.get(4)).toBe(0);
  });

  it("resolves the key through the credential issuer's keys, passing kid and alg as hints", async () => {
    const issuerKeys = keysFor({ [ISS]: es.publicJwk });
    await verifyStatusListToken(good, { uri: URI, now: NOW, crypto, issuer: ISS, issuerKeys });
    expect(issuerKeys.requests).toEqual([{ iss: ISS, kid: es.signer.kid, alg: 'ES256' }]);
  });

  it('accepts typ application/statuslist+jwt (RFC 7515 §4.1.9) and a list without exp or ttl', async () => {
    const { exp: _exp, ...noExp } = basePayload();
    const token = await raw({ typ: 'application/statuslist+jwt' }, noExp);
    const verified = await verifyStatusListToken(token, options());
    expect(verified.expiresAt).toBeUndefined();
    expect(verified.ttl).toBeUndefined();
    expect(verified.list.get(0)).toBe(1);
  });

  it('verifies a token jose signed (another implementation, Ed25519)', async () => {
    const token = await new SignJWT({ status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' }, ttl: 300 })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'statuslist+jwt' })
      .setSubject(URI)
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 600)
      .sign(ed.privateKey);
    const verified = await verifyStatusListToken(token, options({ key: ed.publicJwk }));
    expect([0, 1, 2, 3].map((i) => verified.list.get(i))).toEqual([1, 0, 0, 1]);
  });
});
