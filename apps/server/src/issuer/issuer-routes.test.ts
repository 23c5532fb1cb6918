// The OpenID4VCI 1.0 issuer through the app (inject), driven by an independent wallet
// (@openid4vc/openid4vci client, jose, @sd-jwt/sd-jwt-vc) and by hand-made hostile requests.
import { Writable } from 'node:stream';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, ISSUER, type TestApp, testApp } from '../app.test-util.js';
import { MAX_TX_CODE_ATTEMPTS } from './redeem-pre-authorized-code.js';
import {
  injectFetch,
  receiveCredentials,
  verifyWithSdJwtLibrary,
  type WalletKey,
  walletKey,
} from './wallet.test-util.js';

const CONFIG = 'national_identity_xa';
const CLAIMS = {
  given_name: 'Ottilie-Claimvalue',
  family_name: 'Brenner-Claimvalue',
  birthdate: '1990-04-01',
  age_equal_or_over: { '13': true, '16': true, '18': true, '21': true },
  nationality: 'XA',
  place_of_birth: { locality: 'Porto Claimvalue', country: 'XA' },
  address: {
    street_address: '1 Claimvalue Street',
    locality: 'Capital',
    postal_code: '00100',
    country: 'XA',
  },
  personal_identifier: 'XA-PID-CLAIMVALUE-0001',
};

let t: TestApp;
let logs: string[];
beforeAll(() => {
  // The test issuer is https; nothing here needs plain http (the loopback test sets its own).
  setGlobalConfig({ allowInsecureUrls: false });
});
beforeEach(async () => {
  logs = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  t = await testApp({ logger: pino({ level: 'debug' }, stream) });
});
afterEach(() => t.app.close());

const now = () => t.clock.now();

async function createOffer(body: Record<string, unknown> = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/admin/offers',
    headers: bearer(t.keys.registrar),
    payload: { credential_configuration_id: CONFIG, claims: CLAIMS, ...body },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    offer_id: string;
    tx_code: string;
    expires_at: number;
    credential_offer: { grants: Record<string, { 'pre-authorized_code': string }> };
    credential_offer_uri: string;
    links: { by_reference: string; by_value: string };
    qr: { png: string; svg: string };
  };
}

const codeOf = (offer: Awaited<ReturnType<typeof createOffer>>) =>
  offer.credential_offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']![
    'pre-authorized_code'
  ];

function token(form: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

async function accessToken(offer: Awaited<ReturnType<typeof createOffer>>): Promise<string> {
  const response = await token({
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': codeOf(offer),
    tx_code: offer.tx_code,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().access_token;
}

async function nonce(): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/nonce' });
  expect(response.statusCode).toBe(200);
  return response.json().c_nonce;
}

async function proof(
  key: WalletKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  signWith: WalletKey = key,
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'openid4vci-proof+jwt', jwk: key.publicJwk, ...header } as never)
    .sign(signWith.privateKey);
}

function credential(access: string, jwts: string[], configuration = CONFIG) {
  return t.app.inject({
    method: 'POST',
    url: '/credential',
    headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
    payload: { credential_configuration_id: configuration, proofs: { jwt: jwts } },
  });
}

function expectError(response: { statusCode: number; json(): unknown }, status: number, error: string) {
  expect(response.statusCode).toBe(status);
  expect((response.json() as { error: string }).error).toBe(error);
}

describe('metadata', () => {
  it('publishes credential issuer metadata with the national identity configuration, every claim listed', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/.well-known/openid-credential-issuer' });
    expect(response.statusCode).toBe(200);
    const metadata = response.json();
    expect(metadata).toMatchObject({
      credential_issuer: ISSUER,
      credential_endpoint: `${ISSUER}/credential`,
      nonce_endpoint: `${ISSUER}/nonce`,
      batch_credential_issuance: { batch_size: 10 },
    });
    const configuration = metadata.credential_configurations_supported[CONFIG];
    expect(configuration).toMatchObject({
      format: 'dc+sd-jwt',
      vct: 'urn:trieste:xa:national-identity:1',
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['ES256', 'EdDSA'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
    });
    expect(configuration.validity_seconds).toBeUndefined();
    const paths = configuration.credential_metadata.claims.map((c: { path: unknown[] }) => c.path.join('.'));
    for (const name of [
      'given_name',
      'family_name',
      'birthdate',
      'age_equal_or_over.13',
      'age_equal_or_over.16',
      'age_equal_or_over.18',
      'age_equal_or_over.21',
      'nationality',
      'place_of_birth',
      'address',
      'personal_identifier',
    ]) {
      expect(paths).toContain(name);
    }
    const as = (await t.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
    expect(as).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/token`,
      'pre-authorized_grant_anonymous_access_supported': true,
    });
    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwt-vc-issuer' })).json();
    expect(jwks.issuer).toBe(ISSUER);
    expect(jwks.jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.jwks.keys[0].d).toBeUndefined();
  });
});

describe('admin offers', () => {
  it('returns the offer by value and by reference, QR codes in PNG and SVG, a 6-digit tx_code and the expiry', async () => {
    const offer = await createOffer();
    expect(offer.tx_code).toMatch(/^\d{6}$/);
    expect(offer.expires_at).toBe(now() + 86_400);
    expect(offer.credential_offer_uri).toBe(`${ISSUER}/credential-offer/${offer.offer_id}`);
    expect(offer.links.by_reference).toBe(
      `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offer.credential_offer_uri)}`,
    );
    expect(offer.links.by_value.startsWith('openid-credential-offer://?credential_offer=%7B')).toBe(true);
    expect(offer.qr.png.startsWith('data:image/png;base64,iVBOR')).toBe(true);
    expect(offer.qr.svg.startsWith('<svg')).toBe(true);
    const byReference = await t.app.inject({ method: 'GET', url: `/credential-offer/${offer.offer_id}` });
    expect(byReference.statusCode).toBe(200);
    expect(byReference.headers['cache-control']).toBe('no-store');
    expect(byReference.json()).toEqual(offer.credential_offer);
    expect(JSON.stringify(offer.credential_offer)).not.toContain(offer.tx_code);
    expect(byReference.json().grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'].tx_code).toEqual(
      {
        input_mode: 'numeric',
        length: 6,
      },
    );
  });

  it('refuses callers without the registrar role, unknown configurations and claims the configuration lacks', async () => {
    const base = { credential_configuration_id: CONFIG, claims: CLAIMS };
    const post = (headers: Record<string, string>, payload: unknown) =>
      t.app.inject({ method: 'POST', url: '/admin/offers', headers, payload: payload as object });
    expectError(await post({}, base), 401, 'UNAUTHORIZED');
    expectError(await post(bearer(t.keys.other), base), 403, 'FORBIDDEN');
    expectError(
      await post(bearer(t.keys.registrar), { ...base, credential_configuration_id: 'passport' }),
      400,
      'unknown_credential_configuration',
    );
    expectError(
      await post(bearer(t.keys.registrar), { ...base, credential_configuration_id: 'toString' }),
      400,
      'unknown_credential_configuration',
    );
    const extra = await post(bearer(t.keys.registrar), {
      ...base,
      claims: { ...CLAIMS, favourite_colour: 'x' },
    });
    expectError(extra, 400, 'VALIDATION_FAILED');
    expect(extra.json().error_description).toContain('favourite_colour');
    const { given_name: _, ...missing } = CLAIMS;
    expectError(await post(bearer(t.keys.registrar), { ...base, claims: missing }), 400, 'VALIDATION_FAILED');
    expectError(
      await post(bearer(t.keys.registrar), { ...base, claims: { ...CLAIMS, address: { _sd: ['x'] } } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await post(bearer(t.keys.registrar), { ...base, claims: { ...CLAIMS, cnf: {} } }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('the pre-authorized code flow, with an independent wallet', () => {
  it('issues a batch of credentials, each bound to its own key, that @sd-jwt/sd-jwt-vc verifies', async () => {
    const offer = await createOffer();
    const keys = [await walletKey('ES256'), await walletKey('EdDSA'), await walletKey('ES256')];
    const fetch = injectFetch(t.app);
    const run = await receiveCredentials({
      fetch,
      offerLink: offer.links.by_reference,
      txCode: offer.tx_code,
      keys,
      now: now(),
    });
    expect(run.credentials).toHaveLength(3);
    const bound = [];
    for (const [i, sdJwtVc] of run.credentials.entries()) {
      const verified = await verifyWithSdJwtLibrary(sdJwtVc, { fetch, issuer: ISSUER, now: now() });
      expect(verified.payload).toMatchObject({
        iss: ISSUER,
        vct: 'urn:trieste:xa:national-identity:1',
        ...CLAIMS,
      });
      expect((verified.payload as { cnf: { jwk: unknown } }).cnf.jwk).toEqual(keys[i]!.publicJwk);
      bound.push(JSON.stringify((verified.payload as { cnf: unknown }).cnf));
      // Every claim is selectively disclosable: none appears in the signed payload itself.
      const signed = Buffer.from(sdJwtVc.split('.')[1]!, 'base64url').toString('utf8');
      expect(signed).not.toContain('Claimvalue');
      expect(signed).not.toContain('"nationality"');
    }
    expect(new Set(bound).size).toBe(3);
    expect((await t.stores.credentials.list()).length).toBe(3);
    // Issued: the claims are gone from the store, the token is used up, the offer is no longer served.
    expect(await t.stores.credentialOffers.takeClaims(offer.offer_id, now())).toBeUndefined();
    expectError(
      await credential(run.accessToken, [
        await proof(keys[0]!, { aud: ISSUER, iat: now(), nonce: await nonce() }),
      ]),
      401,
      'invalid_token',
    );
    expectError(
      await t.app.inject({ method: 'GET', url: `/credential-offer/${offer.offer_id}` }),
      404,
      'NOT_FOUND',
    );
  });

  it('works with the offer by value too', async () => {
    const offer = await createOffer({ tx_code: { length: 8, description: 'Sent to you by text message' } });
    expect(offer.tx_code).toMatch(/^\d{8}$/);
    const fetch = injectFetch(t.app);
    const key = await walletKey();
    const run = await receiveCredentials({
      fetch,
      offerLink: offer.links.by_value,
      txCode: offer.tx_code,
      keys: [key],
      now: now(),
    });
    expect(run.credentials).toHaveLength(1);
    await verifyWithSdJwtLibrary(run.credentials[0]!, { fetch, issuer: ISSUER, now: now() });
  });

  it('logs no claim value, code, tx_code, token or proof', async () => {
    const offer = await createOffer();
    const fetch = injectFetch(t.app);
    const run = await receiveCredentials({
      fetch,
      offerLink: offer.links.by_reference,
      txCode: offer.tx_code,
      keys: [await walletKey()],
      now: now(),
    });
    await token({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': codeOf(offer),
      tx_code: '000000',
    });
    const text = logs.join('');
    expect(text).toContain('credentials issued');
    for (const secret of [
      codeOf(offer),
      offer.tx_code,
      run.accessToken,
      'Claimvalue',
      run.credentials[0]!.split('~')[1]!,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('token endpoint', () => {
  const grant = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

  it('refuses a wrong tx_code and locks the offer after a few, even for the right one', async () => {
    const offer = await createOffer();
    const wrong = offer.tx_code === '000000' ? '000001' : '000000';
    for (let i = 0; i < MAX_TX_CODE_ATTEMPTS; i++) {
      expectError(
        await token({ grant_type: grant, 'pre-authorized_code': codeOf(offer), tx_code: wrong }),
        400,
        'invalid_grant',
      );
    }
    const locked = await token({
      grant_type: grant,
      'pre-authorized_code': codeOf(offer),
      tx_code: offer.tx_code,
    });
    expectError(locked, 400, 'invalid_grant');
    expect((await t.stores.credentialOffers.get(offer.offer_id))?.state).toBe('locked');
  });

  it('accepts a pre-authorized code once', async () => {
    const offer = await createOffer();
    const first = await token({
      grant_type: grant,
      'pre-authorized_code': codeOf(offer),
      tx_code: offer.tx_code,
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expectError(
      await token({ grant_type: grant, 'pre-authorized_code': codeOf(offer), tx_code: offer.tx_code }),
      400,
      'invalid_grant',
    );
  });

  it('refuses an expired offer, an unknown code and a missing tx_code', async () => {
    const offer = await createOffer({ expires_in: 600 });
    expectError(
      await token({ grant_type: grant, 'pre-authorized_code': codeOf(offer) }),
      400,
      'invalid_request',
    );
    t.clock.set(now() + 601);
    expectError(
      await token({ grant_type: grant, 'pre-authorized_code': codeOf(offer), tx_code: offer.tx_code }),
      400,
      'invalid_grant',
    );
    expectError(
      await t.app.inject({ method: 'GET', url: `/credential-offer/${offer.offer_id}` }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await token({ grant_type: grant, 'pre-authorized_code': 'x'.repeat(43), tx_code: '123456' }),
      400,
      'invalid_grant',
    );
  });

  it('answers malformed token requests with OAuth errors', async () => {
    expectError(await token({ grant_type: 'password', code: 'x' }), 400, 'unsupported_grant_type');
    expectError(await token({ 'pre-authorized_code': 'x' }), 400, 'invalid_request');
    expectError(await token({ grant_type: grant }), 400, 'invalid_request');
    const repeated = await t.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=${encodeURIComponent(grant)}&pre-authorized_code=a&pre-authorized_code=b`,
    });
    expectError(repeated, 400, 'invalid_request');
    const json = await t.app.inject({ method: 'POST', url: '/token', payload: { grant_type: grant } });
    expectError(json, 400, 'invalid_request');
    const text = await t.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expectError(text, 400, 'invalid_request');
  });
});

describe('credential endpoint', () => {
  let access: string;
  let key: WalletKey;
  beforeEach(async () => {
    access = await accessToken(await createOffer());
    key = await walletKey();
  });

  it('refuses a reused nonce and an unknown one', async () => {
    const c = await nonce();
    expect(
      (await credential(access, [await proof(key, { aud: ISSUER, iat: now(), nonce: c })])).statusCode,
    ).toBe(200);
    const again = await accessToken(await createOffer({ subject: 'same-person' }));
    expectError(
      await credential(again, [await proof(key, { aud: ISSUER, iat: now(), nonce: c })]),
      400,
      'invalid_nonce',
    );
    expectError(
      await credential(again, [await proof(key, { aud: ISSUER, iat: now(), nonce: 'n'.repeat(43) })]),
      400,
      'invalid_nonce',
    );
    expectError(
      await credential(again, [await proof(key, { aud: ISSUER, iat: now() })]),
      400,
      'invalid_nonce',
    );
  });

  it('refuses an expired nonce', async () => {
    const c = await nonce();
    t.clock.set(now() + 301);
    const fresh = { aud: ISSUER, iat: now(), nonce: c };
    // The access token is short-lived too: take a new one for this check.
    const later = await accessToken(await createOffer());
    expectError(await credential(later, [await proof(key, fresh)]), 400, 'invalid_nonce');
  });

  it('refuses a proof for another audience, a stale or future iat, a wrong typ, a kid instead of jwk', async () => {
    const c = await nonce();
    for (const [claims, header] of [
      [{ aud: 'https://other.example', iat: now(), nonce: c }, {}],
      [{ aud: ISSUER, iat: now() - 301, nonce: c }, {}],
      [{ aud: ISSUER, iat: now() + 120, nonce: c }, {}],
      [{ aud: ISSUER, nonce: c }, {}],
      [{ aud: ISSUER, iat: now(), nonce: c }, { typ: 'JWT' }],
      [{ aud: ISSUER, iat: now(), nonce: c }, { kid: 'did:example:123#0' }],
    ] as const) {
      expectError(await credential(access, [await proof(key, claims, header)]), 400, 'invalid_proof');
    }
    // None of these used the nonce or the token up.
    expect(
      (await credential(access, [await proof(key, { aud: ISSUER, iat: now(), nonce: c })])).statusCode,
    ).toBe(200);
  });

  it('refuses a proof signed by another key than its jwk, and garbage', async () => {
    const c = await nonce();
    const other = await walletKey();
    expectError(
      await credential(access, [await proof(key, { aud: ISSUER, iat: now(), nonce: c }, {}, other)]),
      400,
      'invalid_proof',
    );
    expectError(await credential(access, ['not.a.jwt']), 400, 'invalid_proof');
    const none = `${Buffer.from('{"alg":"none","typ":"openid4vci-proof+jwt"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    expectError(await credential(access, [none]), 400, 'invalid_proof');
  });

  it("refuses a key already bound to another holder's credential, and leaves the offer usable", async () => {
    expect(
      (await credential(access, [await proof(key, { aud: ISSUER, iat: now(), nonce: await nonce() })]))
        .statusCode,
    ).toBe(200);
    const someoneElse = await accessToken(await createOffer({ subject: 'another person' }));
    const reused = await credential(someoneElse, [
      await proof(key, { aud: ISSUER, iat: now(), nonce: await nonce() }),
    ]);
    expectError(reused, 400, 'invalid_proof');
    expect(reused.json().error_description).toContain('another holder');
    const fresh = await walletKey();
    expect(
      (await credential(someoneElse, [await proof(fresh, { aud: ISSUER, iat: now(), nonce: await nonce() })]))
        .statusCode,
    ).toBe(200);
  });

  it('refuses one key twice in a batch, unknown configurations, bad tokens and malformed requests', async () => {
    const c = await nonce();
    const p = await proof(key, { aud: ISSUER, iat: now(), nonce: c });
    expectError(await credential(access, [p, p]), 400, 'invalid_proof');
    expectError(await credential(access, [p], 'passport'), 400, 'unknown_credential_configuration');
    expectError(await credential('x'.repeat(43), [p]), 401, 'invalid_token');
    const missing = await t.app.inject({ method: 'POST', url: '/credential', payload: {} });
    expectError(missing, 401, 'invalid_token');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/credential',
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      payload: { credential_configuration_id: CONFIG, proof: { proof_type: 'jwt', jwt: p } },
    });
    expectError(malformed, 400, 'invalid_credential_request');
    const tooMany = await credential(
      access,
      Array.from({ length: 11 }, () => p),
    );
    expectError(tooMany, 400, 'invalid_credential_request');
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/credential',
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      payload: '{"credential_configuration_id":',
    });
    expectError(notJson, 400, 'invalid_request');
    expect((await credential(access, [p])).statusCode).toBe(200);
  });

  it('refuses an access token once it has expired', async () => {
    t.clock.set(now() + 301);
    expectError(
      await credential(access, [await proof(key, { aud: ISSUER, iat: now(), nonce: await nonce() })]),
      401,
      'invalid_token',
    );
  });
});
