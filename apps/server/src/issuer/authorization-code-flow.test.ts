// The OpenID4VCI 1.0 authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636, OpenID4VCI 1.0
// §5 and §6), driven by an independent wallet: the @openid4vc/openid4vci and @openid4vc/oauth2
// client code builds the authorization request, checks the response (RFC 9207 iss) and redeems the
// code; the demo login form is filled in by an HTTP POST, as a browser would.
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, ISSUER, type TestApp, testApp } from '../app.test-util.js';
import { createLogger } from '../http/logger.js';
import { AUTHORIZATION_CODE_SECONDS } from './authorize-holder.js';
import { MAX_LOGIN_ATTEMPTS } from './holder-authentication.js';
import {
  injectFetch,
  verifyWithSdJwtLibrary,
  type WalletKey,
  walletCallbacks,
  walletKey,
} from './wallet.test-util.js';

const CONFIG = 'national_identity_xa';
const CLAIMS = {
  given_name: 'Henrike-Claimvalue',
  family_name: 'Loginova-Claimvalue',
  birthdate: '1985-02-03',
  age_equal_or_over: { '18': true },
  personal_identifier: 'XA-PID-LOGIN-0001',
};
const LOGIN = { username: 'henrike.demo', password: 'correct-horse-Passw0rd' };
const CLIENT_ID = 'trieste-test-wallet';
const REDIRECT_URI = 'https://wallet.example/callback';

let t: TestApp;
let logs: string[];
beforeAll(() => setGlobalConfig({ allowInsecureUrls: false }));
beforeEach(async () => {
  logs = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  t = await testApp({ logger: createLogger('trace', stream) });
});
afterEach(() => t.app.close());

async function createLoginOffer(body: Record<string, unknown> = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/admin/offers',
    headers: bearer(t.keys.registrar),
    payload: {
      credential_configuration_id: CONFIG,
      claims: CLAIMS,
      grant: 'authorization_code',
      login: LOGIN,
      ...body,
    },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    offer_id: string;
    tx_code?: string;
    credential_offer: { grants: Record<string, { issuer_state?: string }> };
    links: { by_reference: string; by_value: string };
  };
}

/** The wallet side up to the authorization request URL (PKCE S256 chosen by the library). */
async function startAuthorization(
  offerLink: string,
  keys: WalletKey[] = [],
  options: { state?: string } = {},
) {
  const fetch = injectFetch(t.app);
  const client = new Openid4vciClient({ callbacks: walletCallbacks(fetch, keys) });
  const credentialOffer = await client.resolveCredentialOffer(offerLink);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { authorizationRequestUrl, pkce } = await client.createAuthorizationRequestUrlFromOffer({
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    credentialOffer,
    issuerMetadata,
    scope: CONFIG,
  });
  // createAuthorizationRequestUrlFromOffer (0.4.6) does not pass `state` on, so the wallet adds it.
  const url = new URL(authorizationRequestUrl);
  if (options.state !== undefined) url.searchParams.set('state', options.state);
  return { fetch, client, credentialOffer, issuerMetadata, authorizationRequestUrl: url.href, pkce: pkce! };
}

/** What a browser does: GET the authorization URL, then POST the login form's fields back. */
async function logIn(authorizationRequestUrl: string, login: { username: string; password: string } = LOGIN) {
  const url = new URL(authorizationRequestUrl);
  const page = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  expect(page.statusCode, page.body).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  const hidden = Object.fromEntries(
    [...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1]!,
      m[2]!.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))),
    ]),
  );
  return postLogin({ ...hidden, ...login });
}

const postLogin = (fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: '/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

const token = (fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

function redirectParameters(location: unknown): URLSearchParams {
  expect(typeof location).toBe('string');
  const url = new URL(location as string);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
  return url.searchParams;
}

/** Logs in and returns the code plus what the wallet needs to redeem it. */
async function authorizationCode(options: { state?: string } = {}) {
  const offer = await createLoginOffer();
  const started = await startAuthorization(offer.links.by_value, [], options);
  const login = await logIn(started.authorizationRequestUrl);
  expect(login.statusCode, login.body).toBe(303);
  const params = redirectParameters(login.headers.location);
  return { ...started, offer, code: params.get('code')!, params };
}

describe('authorization code flow: metadata and offers', () => {
  it('publishes the authorization endpoint, S256 only, and both grants', async () => {
    const metadata = (
      await t.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })
    ).json();
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'urn:ietf:params:oauth:grant-type:pre-authorized_code']),
    );
  });

  it('an offer with a login carries the authorization_code grant with issuer_state, no code or tx_code', async () => {
    const offer = await createLoginOffer();
    expect(offer.tx_code).toBeUndefined();
    expect(offer.credential_offer.grants).toEqual({ authorization_code: { issuer_state: offer.offer_id } });
    const byReference = await t.app.inject({ method: 'GET', url: `/credential-offer/${offer.offer_id}` });
    expect(byReference.json().grants).toEqual({ authorization_code: { issuer_state: offer.offer_id } });
    const stored = await t.stores.credentialOffers.get(offer.offer_id);
    expect(JSON.stringify(stored)).not.toContain(LOGIN.password);
    expect(JSON.stringify(stored)).not.toContain(LOGIN.username);
    expect(stored?.login?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
  });

  it('refuses a login without the grant, the grant without a login, and a login with a tx_code', async () => {
    for (const body of [
      { grant: undefined },
      { login: undefined },
      { tx_code: { length: 6 } },
      { login: { username: 'u', password: 'short' } },
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/admin/offers',
        headers: bearer(t.keys.registrar),
        payload: JSON.parse(
          JSON.stringify({
            credential_configuration_id: CONFIG,
            claims: CLAIMS,
            grant: 'authorization_code',
            login: LOGIN,
            ...body,
          }),
        ),
      });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toBe('VALIDATION_FAILED');
    }
  });
});

describe('authorization code flow: an independent wallet', () => {
  it('logs in by the demo form, redeems the code with its verifier, receives and verifies two credentials', async () => {
    const keys = [await walletKey('ES256'), await walletKey('EdDSA')];
    const offer = await createLoginOffer();
    const { fetch, client, credentialOffer, issuerMetadata, authorizationRequestUrl, pkce } =
      await startAuthorization(offer.links.by_reference, keys, { state: 'wallet-state-123' });
    const request = new URL(authorizationRequestUrl).searchParams;
    expect(request.get('code_challenge_method')).toBe('S256');
    expect(request.get('issuer_state')).toBe(offer.offer_id);

    const login = await logIn(authorizationRequestUrl);
    expect(login.statusCode).toBe(303);
    const response = client.parseAndVerifyAuthorizationResponseRedirectUrl({
      url: login.headers.location as string,
      authorizationServerMetadata: issuerMetadata.authorizationServers[0]!,
    });
    expect(response.state).toBe('wallet-state-123');
    expect(response.code).toBeTypeOf('string');

    const { accessTokenResponse } = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      authorizationCode: response.code!,
      pkceCodeVerifier: pkce.codeVerifier,
      redirectUri: REDIRECT_URI,
      additionalRequestPayload: { client_id: CLIENT_ID },
    });
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const jwts: string[] = [];
    for (const key of keys) {
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: CONFIG,
        nonce: c_nonce,
        issuedAt: new Date(t.clock.now() * 1000),
        signer: { method: 'jwk', publicJwk: key.publicJwk, alg: key.alg },
      });
      jwts.push(jwt);
    }
    const issued = await client.retrieveCredentials({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: CONFIG,
      proofs: { jwt: jwts },
    });
    const credentials = (issued.credentialResponse.credentials ?? []).map(
      (entry) => (entry as { credential: string }).credential,
    );
    expect(credentials).toHaveLength(2);
    for (const credential of credentials) {
      const verified = await verifyWithSdJwtLibrary(credential, {
        fetch,
        issuer: ISSUER,
        now: t.clock.now(),
      });
      expect(verified.payload).toMatchObject({ vct: expect.any(String), given_name: CLAIMS.given_name });
    }

    // No password, code, verifier, token or claim in any log line.
    const text = logs.join('');
    expect(text).toContain('holder authorized');
    expect(text).toContain('authorization code redeemed');
    for (const secret of [
      LOGIN.password,
      LOGIN.username,
      response.code!,
      pkce.codeVerifier,
      pkce.codeChallenge,
      accessTokenResponse.access_token,
      CLAIMS.given_name,
      'wallet-state-123',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('also takes authorization_details of type openid_credential instead of scope', async () => {
    const offer = await createLoginOffer();
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      issuer_state: offer.offer_id,
      authorization_details: JSON.stringify([
        { type: 'openid_credential', credential_configuration_id: CONFIG },
      ]),
    });
    const login = await logIn(`${ISSUER}/authorize?${query}`);
    const code = redirectParameters(login.headers.location).get('code')!;
    const response = await token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
  });
});

describe('authorization code flow: refusals', () => {
  it('PKCE: a wrong code_verifier is invalid_grant, and the right one still works after', async () => {
    const { code, pkce } = await authorizationCode();
    const base = { grant_type: 'authorization_code', code, client_id: CLIENT_ID, redirect_uri: REDIRECT_URI };
    for (const code_verifier of [randomBytes(32).toString('base64url'), 'short', `${pkce.codeVerifier}x`]) {
      const wrong = await token({ ...base, code_verifier });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error).toBe('invalid_grant');
    }
    const missing = await token(base);
    expect(missing.json().error).toBe('invalid_request');
    expect((await token({ ...base, code_verifier: pkce.codeVerifier })).statusCode).toBe(200);
  });

  it('a code is used once: a second redemption is invalid_grant', async () => {
    const { code, pkce } = await authorizationCode();
    const fields = {
      grant_type: 'authorization_code',
      code,
      code_verifier: pkce.codeVerifier,
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
    };
    expect((await token(fields)).statusCode).toBe(200);
    const again = await token(fields);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the authorization code is not valid',
    });
  });

  it('a code is bound to its redirect_uri and client_id, and expires', async () => {
    const { code, pkce } = await authorizationCode();
    const fields = {
      grant_type: 'authorization_code',
      code,
      code_verifier: pkce.codeVerifier,
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
    };
    for (const change of [
      { redirect_uri: `${REDIRECT_URI}/other` },
      { redirect_uri: REDIRECT_URI.replace('https', 'http') },
      { client_id: 'another-wallet' },
    ]) {
      const refused = await token({ ...fields, ...change });
      expect(refused.statusCode, JSON.stringify(change)).toBe(400);
      expect(refused.json().error).toBe('invalid_grant');
    }
    t.clock.set(t.clock.now() + AUTHORIZATION_CODE_SECONDS);
    expect((await token(fields)).json().error).toBe('invalid_grant');
  });

  it('plain PKCE, a missing method and a missing challenge are refused at the redirect URI', async () => {
    const offer = await createLoginOffer();
    const base = {
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      issuer_state: offer.offer_id,
      scope: CONFIG,
      state: 'st-1',
      code_challenge: 'A'.repeat(43),
    };
    for (const change of [
      { code_challenge_method: 'plain' },
      {},
      { code_challenge_method: 'S256', code_challenge: undefined },
      { code_challenge_method: 'S256', code_challenge: 'too-short' },
    ]) {
      const query = new URLSearchParams(JSON.parse(JSON.stringify({ ...base, ...change })));
      const response = await t.app.inject({ method: 'GET', url: `/authorize?${query}` });
      expect(response.statusCode, JSON.stringify(change)).toBe(303);
      const params = redirectParameters(response.headers.location);
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('state')).toBe('st-1');
      expect(params.get('iss')).toBe(ISSUER);
      expect(params.get('code')).toBeNull();
    }
  });

  it('never redirects to a missing, malformed or script redirect_uri (no open redirector)', async () => {
    for (const redirect_uri of [
      undefined,
      'not a url',
      'javascript:alert(1)',
      'data:text/html,x',
      `${REDIRECT_URI}#frag`,
    ]) {
      const query = new URLSearchParams(
        JSON.parse(
          JSON.stringify({
            response_type: 'code',
            client_id: CLIENT_ID,
            redirect_uri,
            code_challenge_method: 'S256',
          }),
        ),
      );
      const response = await t.app.inject({ method: 'GET', url: `/authorize?${query}` });
      expect(response.statusCode, String(redirect_uri)).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).not.toContain('<script');
    }
    const noClient = await t.app.inject({
      method: 'GET',
      url: `/authorize?redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
    });
    expect(noClient.statusCode).toBe(400);
    expect(noClient.headers.location).toBeUndefined();
    const repeated = await t.app.inject({ method: 'GET', url: '/authorize?client_id=a&client_id=b' });
    expect(repeated.statusCode).toBe(400);
  });

  it('state is echoed exactly, on success and on refusal; a malformed state is refused without echo', async () => {
    const state = 'ünïcode is not VSCHAR';
    const { params } = await authorizationCode({ state: 'opaque.state_~-42' });
    expect(params.get('state')).toBe('opaque.state_~-42');
    expect(params.get('iss')).toBe(ISSUER);
    const offer = await createLoginOffer();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      code_challenge: 'A'.repeat(43),
      code_challenge_method: 'S256',
      issuer_state: offer.offer_id,
      scope: CONFIG,
      state,
    });
    const response = await t.app.inject({ method: 'GET', url: `/authorize?${query}` });
    const refused = redirectParameters(response.headers.location);
    expect(refused.get('error')).toBe('invalid_request');
    expect(refused.get('state')).toBeNull();
    // Without state, the response carries none.
    const { params: none } = await authorizationCode();
    expect(none.has('state')).toBe(false);
  });

  it('a wrong password shows the form again (401), no code; the limit locks the offer (access_denied)', async () => {
    const offer = await createLoginOffer();
    const { authorizationRequestUrl } = await startAuthorization(offer.links.by_value, [], { state: 's' });
    for (let attempt = 1; attempt < MAX_LOGIN_ATTEMPTS; attempt++) {
      const wrong = await logIn(authorizationRequestUrl, { ...LOGIN, password: `wrong-${attempt}-password` });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers.location).toBeUndefined();
      expect(wrong.body).toContain('The username or password is wrong.');
      expect(wrong.body).not.toContain(`wrong-${attempt}-password`);
    }
    const wrongUser = await logIn(authorizationRequestUrl, { ...LOGIN, username: 'someone.else' });
    const params = redirectParameters(wrongUser.headers.location);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('s');
    // Locked: even the right password gets no code now.
    const right = await logIn(authorizationRequestUrl);
    expect(redirectParameters(right.headers.location).get('error')).toBe('access_denied');
    expect((await t.stores.credentialOffers.get(offer.offer_id))?.state).toBe('locked');
    expect(logs.join('')).not.toContain('wrong-1-password');
  });

  it('one login per offer: after a code was issued, logging in again is access_denied', async () => {
    const { authorizationRequestUrl } = await authorizationCode();
    const again = await logIn(authorizationRequestUrl);
    expect(redirectParameters(again.headers.location).get('error')).toBe('access_denied');
  });

  it('refuses a scope or authorization_details for another credential, and a pre-authorized offer', async () => {
    const offer = await createLoginOffer();
    const base = {
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      code_challenge: 'A'.repeat(43),
      code_challenge_method: 'S256',
      issuer_state: offer.offer_id,
    };
    for (const change of [
      { scope: 'openid' },
      { authorization_details: '[{"type":"openid_credential","credential_configuration_id":"nope"}]' },
      { authorization_details: 'not json' },
    ]) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/authorize?${new URLSearchParams({ ...base, ...change })}`,
      });
      expect(redirectParameters(response.headers.location).get('error'), JSON.stringify(change)).toBe(
        'invalid_scope',
      );
    }
    const preAuthorized = await t.app.inject({
      method: 'POST',
      url: '/admin/offers',
      headers: bearer(t.keys.registrar),
      payload: { credential_configuration_id: CONFIG, claims: CLAIMS },
    });
    const login = await postLogin({
      ...base,
      scope: CONFIG,
      issuer_state: preAuthorized.json().offer_id,
      ...LOGIN,
    });
    expect(redirectParameters(login.headers.location).get('error')).toBe('access_denied');
  });

  it('a pre-authorized code is not an authorization code, and the reverse', async () => {
    const { code, pkce } = await authorizationCode();
    const asPreAuthorized = await token({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
    });
    expect(asPreAuthorized.json().error).toBe('invalid_grant');
    const created = await t.app.inject({
      method: 'POST',
      url: '/admin/offers',
      headers: bearer(t.keys.registrar),
      payload: { credential_configuration_id: CONFIG, claims: CLAIMS },
    });
    const preCode =
      created.json().credential_offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
        'pre-authorized_code'
      ];
    const asCode = await token({
      grant_type: 'authorization_code',
      code: preCode,
      code_verifier: pkce.codeVerifier,
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
    });
    expect(asCode.json().error).toBe('invalid_grant');
  });
});

describe('authorization code flow: hostile input', () => {
  const field = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom('code', 'S256', 'plain', CONFIG, REDIRECT_URI),
  );
  const form = fc.dictionary(
    fc.constantFrom(
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'scope',
      'code_challenge',
      'code_challenge_method',
      'issuer_state',
      'authorization_details',
      'resource',
      'username',
      'password',
      'grant_type',
      'code',
      'code_verifier',
      '__proto__',
      'constructor',
    ),
    field,
  );

  it('/authorize (GET and POST) and /token never answer 5xx, and redirect only to the named, safe URI', async () => {
    const offer = await createLoginOffer();
    await fc.assert(
      fc.asyncProperty(form, fc.boolean(), fc.boolean(), async (fields, post, withOffer) => {
        const all = withOffer ? { ...fields, issuer_state: offer.offer_id } : fields;
        const body = new URLSearchParams(Object.entries(all)).toString();
        const response = post
          ? await postLogin(all)
          : await t.app.inject({ method: 'GET', url: `/authorize?${body}` });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode === 303) {
          // Only to the redirect URI the request named, and never to a script or local scheme.
          const location = response.headers.location as string;
          expect(all['client_id']).toBeDefined();
          expect(location.startsWith(new URL(all['redirect_uri']!).href.split('?')[0]!)).toBe(true);
          expect(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']).not.toContain(
            new URL(location).protocol,
          );
        }
        const tokenResponse = await token({ ...all, grant_type: all['grant_type'] ?? 'authorization_code' });
        expect(tokenResponse.statusCode).toBeLessThan(500);
        expect(tokenResponse.json().error).toBeTypeOf('string');
      }),
      { numRuns: 150 },
    );
  });

  it('raw bodies of any content type at /authorize and /token never answer 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 500 }),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'text/plain',
          'multipart/form-data',
        ),
        fc.constantFrom('/authorize', '/token'),
        async (payload, contentType, url) => {
          const response = await t.app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': contentType },
            payload,
          });
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
