// The relying party's side of the verifier, its bounds, and one run over real HTTP on loopback.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '../http/error-statuses.js';
import { createLogger } from '../http/logger.js';
import { deleteExpiredRequests } from './delete-expired-requests.js';
import { parseTrustedIssuers } from './read-trusted-issuers.js';
import {
  AGE_QUERY,
  bearer,
  ISSUER,
  issuePid,
  PID_CLAIMS,
  type VerifierTestApp,
  verifierTestApp,
} from './verifier.test-util.js';
import { answerRequest, createHolder, type Holder, injectFetch } from './wallet.test-util.js';

let t: VerifierTestApp;
let holder: Holder;
let credential: string;
const lines: string[] = [];

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  t = await verifierTestApp({ logger: createLogger('trace', stream), verifier: { retentionSeconds: 120 } });
  holder = await createHolder();
  credential = (await issuePid(t, holder)).credential;
});
afterAll(() => t.close());

const body = (overrides: Record<string, unknown> = {}) => ({
  dcql_query: AGE_QUERY,
  purpose: 'Age check',
  trusted_issuers: [ISSUER],
  ...overrides,
});

const create = (payload: unknown, key = t.keys.verifier) =>
  t.app.inject({
    method: 'POST',
    url: '/verifier/requests',
    headers: bearer(key),
    payload: payload as object,
  });

const poll = (id: string, key = t.keys.verifier) =>
  t.app.inject({ method: 'GET', url: `/verifier/requests/${id}`, headers: bearer(key) });

describe('relying party routes', () => {
  it('create a request with a same-device link and QR codes (PNG and SVG)', async () => {
    const response = await create(body());
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(Object.keys(created).sort()).toEqual(
      ['authorization_request', 'client_id', 'expires_at', 'id', 'qr_code', 'request_uri', 'status'].sort(),
    );
    expect(created.request_uri).toBe(`${ISSUER}/openid4vp/request/${created.id}`);
    const link = new URL(created.authorization_request);
    expect(link.protocol).toBe('openid4vp:');
    expect([...link.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
    expect(created.qr_code.png).toMatch(/^data:image\/png;base64,/);
    expect(created.qr_code.svg).toMatch(/^<svg/);
    // The request object: typed, signed by the did:jwk key of the client_id.
    const jar = await t.app.inject({ method: 'GET', url: `/openid4vp/request/${created.id}` });
    expect(jar.headers['content-type']).toContain('application/oauth-authz-req+jwt');
    const header = decodeProtectedHeader(jar.body);
    expect(header.typ).toBe('oauth-authz-req+jwt');
    expect(`decentralized_identifier:${String(header.kid).split('#')[0]}`).toBe(created.client_id);
    const jwk = JSON.parse(Buffer.from(String(header.kid).split('#')[0]!.slice(8), 'base64url').toString());
    const { payload } = await compactVerify(jar.body, await importJWK(jwk, 'ES256'));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toMatchObject({
      client_id: created.client_id,
      response_type: 'vp_token',
      response_mode: 'direct_post.jwt',
      response_uri: `${ISSUER}/openid4vp/response/${created.id}`,
      client_metadata: {
        // The relying party's name as registered with its API key: what the wallet shows.
        client_name: 'rp',
        encrypted_response_enc_values_supported: ['A128GCM', 'A256GCM'],
        vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'] } },
      },
    });
    expect(claims.client_metadata.jwks.keys[0]).not.toHaveProperty('d');
    expect(claims.nonce).toHaveLength(43);
  });

  it('need an API key with the verifier role', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/verifier/requests', payload: body() });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toBe('UNAUTHORIZED');
    const registrar = await create(body(), t.keys.registrar);
    expect(registrar.statusCode).toBe(403);
    expect(registrar.json().error).toBe('FORBIDDEN');
  });

  it('show a relying party its own requests only', async () => {
    const { id } = (await create(body())).json();
    expect((await poll(id)).statusCode).toBe(200);
    const other = await poll(id, t.keys.otherVerifier);
    expect(other.statusCode).toBe(404);
    expect(other.json().error).toBe('NOT_FOUND');
  });

  it.each([
    ['a malformed DCQL query', { dcql_query: { credentials: 5 } }],
    [
      'a format this verifier does not verify',
      {
        dcql_query: {
          credentials: [
            { id: 'm', format: 'mso_mdoc', meta: { doctype_value: 'x' }, claims: [{ path: ['a', 'b'] }] },
          ],
        },
      },
    ],
    [
      'a credential query without claims',
      { dcql_query: { credentials: [{ id: 'p', format: 'dc+sd-jwt', meta: { vct_values: ['x'] } }] } },
    ],
    ['an issuer the verifier has no keys for', { trusted_issuers: ['https://unknown.test'] }],
    ['a webhook that is not https', { webhook_url: 'ftp://rp.test/hook' }],
    ['an unknown response mode', { response_mode: 'fragment' }],
  ])('refuse %s: VALIDATION_FAILED', async (_what, overrides) => {
    const response = await create(body(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('VALIDATION_FAILED');
  });

  it('accept issuers from the configured key file', async () => {
    const trusted = parseTrustedIssuers({
      issuers: [
        {
          issuer: 'https://other.test',
          keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'k1' }],
        },
      ],
    });
    const configured = await verifierTestApp({ verifier: { trustedIssuers: trusted } });
    const response = await configured.app.inject({
      method: 'POST',
      url: '/verifier/requests',
      headers: bearer(configured.keys.verifier),
      payload: body({ trusted_issuers: ['https://other.test', ISSUER] }),
    });
    expect(response.statusCode).toBe(201);
    await configured.close();
    expect(() =>
      parseTrustedIssuers({ issuers: [{ issuer: 'x', keys: [{ kty: 'EC', d: 'secret' }] }] }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('delete results after the retention: on read, and by the periodic job', async () => {
    const a = (await create(body({ response_mode: 'direct_post' }))).json();
    const run = await answerRequest(
      a.authorization_request,
      credential,
      holder,
      { frame: { given_name: true, age_equal_or_over: { '18': true } } },
      {
        fetch: injectFetch(t.app),
        now: t.clock.now(),
      },
    );
    expect(run.status).toBe(200);
    const b = (await create(body())).json();
    const start = t.clock.now();
    try {
      t.clock.set(start + 119);
      expect((await poll(a.id)).json().status).toBe('verified');
      t.clock.set(start + 121);
      // Read after retention: deleted, and gone for good.
      expect((await poll(a.id)).statusCode).toBe(404);
      expect(await t.stores.presentationRequests.get(a.id)).toBeUndefined();
      // b expired unanswered at +300 and is kept 120 s more for its relying party to learn that.
      t.clock.set(start + 301);
      expect((await poll(b.id)).json()).toMatchObject({ status: 'failed', reason: 'REQUEST_EXPIRED' });
      t.clock.set(start + 421);
      expect(await deleteExpiredRequests(t.stores.presentationRequests, t.clock)).toBeGreaterThanOrEqual(1);
      expect(await t.stores.presentationRequests.get(b.id)).toBeUndefined();
    } finally {
      t.clock.set(start);
    }
  });

  it('let a relying party delete its request early', async () => {
    const { id } = (await create(body())).json();
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/verifier/requests/${id}`,
          headers: bearer(t.keys.otherVerifier),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/verifier/requests/${id}`,
          headers: bearer(t.keys.verifier),
        })
      ).statusCode,
    ).toBe(204);
    expect((await poll(id)).statusCode).toBe(404);
  });
});

describe('hostile wallet input', () => {
  it('any form body, content type or JWE to the response endpoint is a coded 4xx, never a 500', async () => {
    const { id } = (await create(body({ response_mode: 'direct_post' }))).json();
    const jwt = (await create(body())).json().id as string;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(id, jwt, 'AAAAAAAAAAAAAAAAAAAAAA', 'short'),
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .dictionary(
              fc.constantFrom('vp_token', 'state', 'response', 'error', 'x'),
              fc.oneof(
                fc.string({ maxLength: 100 }),
                fc.jsonValue().map((v) => JSON.stringify(v)),
              ),
            )
            .map((d) => new URLSearchParams(d).toString()),
          fc.jsonValue().map((v) => `vp_token=${encodeURIComponent(JSON.stringify({ pid: [v] }))}&state=x`),
          fc.constant('vp_token=a&vp_token=b'),
          fc
            .string({ maxLength: 200 })
            .map(
              (s) =>
                `response=${encodeURIComponent(`eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTEyOEdDTSJ9.${s}..x.y`)}`,
            ),
        ),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain'),
        async (requestId, payload, contentType) => {
          const response = await t.app.inject({
            method: 'POST',
            url: `/openid4vp/response/${requestId}`,
            headers: { 'content-type': contentType },
            payload,
          });
          expect(response.statusCode, payload).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, payload).toBeLessThan(500);
          const error = response.json();
          expect(['invalid_request', 'temporarily_unavailable']).toContain(error.error);
          const code = /\(([A-Z_]+)\)$/.exec(error.error_description)?.[1];
          expect(HTTP_STATUS[code as keyof typeof HTTP_STATUS]).toBe(response.statusCode);
        },
      ),
      { numRuns: 300 },
    );
    // Junk ends nobody's request.
    expect((await poll(id)).json().status).toBe('pending');
  });

  it('relying party bodies: arbitrary JSON is refused with a code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/verifier/requests',
          headers: { ...bearer(t.keys.verifier), 'content-type': 'application/json' },
          payload: JSON.stringify({ dcql_query: value, purpose: 'x', trusted_issuers: [ISSUER] }),
        });
        expect([201, 400]).toContain(response.statusCode);
      }),
      { numRuns: 200 },
    );
  });
});

describe('logs', () => {
  it('carry ids and codes, never a claim value, a token, a nonce or a key', async () => {
    const text = lines.join('\n');
    expect(text).toContain('presentation response recorded');
    for (const value of [PID_CLAIMS.given_name, PID_CLAIMS.family_name, PID_CLAIMS.birthdate]) {
      expect(text).not.toContain(value);
    }
    expect(text).not.toContain(credential.split('~')[0]!.slice(0, 40));
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    expect(text).not.toContain('vp_token');
    expect(text).not.toContain(t.keys.verifier);
  });
});

describe('over real HTTP on loopback', () => {
  it('the wallet answers over the network and the signed webhook reaches the relying party', async () => {
    const hooks: Array<{ type: string | undefined; body: string }> = [];
    const rp = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        hooks.push({ type: req.headers['content-type'], body: data });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(rp.address() as AddressInfo).port}/hook`;

    // The server's public base URL is only known once it listens: a first app finds a free port.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const live = await verifierTestApp({ verifier: { baseUrl: `http://127.0.0.1:${port}` } });
    await live.app.listen({ port, host: '127.0.0.1' });
    try {
      const liveHolder = await createHolder();
      const liveCredential = (await issuePid(live, liveHolder)).credential;
      const created = await fetch(`http://127.0.0.1:${port}/verifier/requests`, {
        method: 'POST',
        headers: { ...bearer(live.keys.verifier), 'content-type': 'application/json' },
        body: JSON.stringify(body({ webhook_url: hookUrl })),
      }).then((r) => r.json());
      const run = await answerRequest(
        created.authorization_request,
        liveCredential,
        liveHolder,
        { frame: { given_name: true, age_equal_or_over: { '18': true } } },
        { fetch: globalThis.fetch, now: live.clock.now() },
      );
      expect(run.status).toBe(200);
      const polled = await fetch(`http://127.0.0.1:${port}/verifier/requests/${created.id}`, {
        headers: bearer(live.keys.verifier),
      }).then((r) => r.json());
      expect(polled.status).toBe('verified');
      await expect.poll(() => hooks.length, { timeout: 5000 }).toBe(1);
      expect(hooks[0]!.type).toBe('application/jwt');
      const header = decodeProtectedHeader(hooks[0]!.body);
      expect(header.typ).toBe('trieste-presentation-result+jwt');
      const did = String(header.kid).split('#')[0]!;
      expect(`decentralized_identifier:${did}`).toBe(created.client_id);
      const jwk = JSON.parse(Buffer.from(did.slice(8), 'base64url').toString());
      const { payload } = await compactVerify(hooks[0]!.body, await importJWK(jwk, 'ES256'));
      const signed = JSON.parse(new TextDecoder().decode(payload));
      // "Result ready": no claim value travels in the webhook; the relying party polls for it.
      expect(signed).toMatchObject({
        request_id: created.id,
        aud: hookUrl,
        status: 'verified',
        event: 'presentation_result_ready',
      });
      expect(signed.result).toBeUndefined();
      expect(hooks[0]!.body).not.toContain('Amina');
    } finally {
      await live.close();
      await new Promise<void>((resolve) => rp.close(() => resolve()));
    }
  });
});
