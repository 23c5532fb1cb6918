// OpenID4VP 1.0 end to end: an independent wallet (wallet.test-util.ts) answers the verifier's
// requests with a credential issued by our core, through app.inject().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGE_QUERY,
  bearer,
  ISSUER,
  issuePid,
  postResponse,
  VCT,
  type VerifierTestApp,
  verifierTestApp,
} from './verifier.test-util.js';
import { answerRequest, createHolder, type Holder, injectFetch } from './wallet.test-util.js';

let t: VerifierTestApp;
let holder: Holder;
let credential: string;

beforeAll(async () => {
  t = await verifierTestApp();
  holder = await createHolder();
  credential = (await issuePid(t, holder)).credential;
});
afterAll(() => t.close());

async function createRequest(overrides: Record<string, unknown> = {}, key = t.keys.verifier) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/verifier/requests',
    headers: bearer(key),
    payload: {
      dcql_query: AGE_QUERY,
      purpose: 'Age check at the venue door',
      trusted_issuers: [ISSUER],
      ...overrides,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as {
    id: string;
    authorization_request: string;
    client_id: string;
    request_uri: string;
  };
}

const poll = async (id: string, key = t.keys.verifier) =>
  t.app.inject({ method: 'GET', url: `/verifier/requests/${id}`, headers: bearer(key) });

const wallet = (link: string, answer: Parameters<typeof answerRequest>[3], cred = credential) =>
  answerRequest(link, cred, holder, answer, { fetch: injectFetch(t.app), now: t.clock.now() });

const AGE_FRAME = { given_name: true, age_equal_or_over: { '18': true } };

describe('OpenID4VP 1.0 with an independent wallet', () => {
  it.each(['direct_post', 'direct_post.jwt'] as const)(
    '%s: the wallet verifies the signed request, presents, and the relying party reads exactly the asked claims',
    async (mode) => {
      const created = await createRequest({ response_mode: mode });
      expect(created.authorization_request).toMatch(
        /^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Ajwk%3A/,
      );
      const run = await wallet(created.authorization_request, { frame: AGE_FRAME });
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      expect(run.request.responseMode).toBe(mode);
      expect(run.request.effectiveClientId).toBe(created.client_id);
      expect(run.request.purpose).toBe('Age check at the venue door');
      const result = (await poll(created.id)).json();
      expect(result.status).toBe('verified');
      expect(result.result.credentials.pid).toEqual([
        expect.objectContaining({
          issuer: ISSUER,
          vct: VCT,
          claims: { given_name: 'Amina', age_equal_or_over: { '18': true } },
          key_bound: true,
          status: 0,
        }),
      ]);
      expect(result.result.dropped_claims).toEqual([]);
    },
  );

  it('drops and flags claims the wallet disclosed beyond the query', async () => {
    const created = await createRequest();
    const run = await wallet(created.authorization_request, {
      frame: {
        ...AGE_FRAME,
        nationality: true,
        family_name: true,
        age_equal_or_over: { '18': true, '21': true },
      },
    });
    expect(run.status).toBe(200);
    const result = (await poll(created.id)).json();
    expect(result.status).toBe('verified');
    expect(result.result.credentials.pid[0].claims).toEqual({
      given_name: 'Amina',
      age_equal_or_over: { '18': true },
    });
    expect(result.result.dropped_claims).toEqual(
      expect.arrayContaining([
        { credential: 'pid', path: ['nationality'] },
        { credential: 'pid', path: ['family_name'] },
        { credential: 'pid', path: ['age_equal_or_over', '21'] },
      ]),
    );
    expect(JSON.stringify(result)).not.toContain('Okafor');
  });

  it('refuses a claim requested but not disclosed: QUERY_UNSATISFIED', async () => {
    const created = await createRequest();
    const run = await wallet(created.authorization_request, { frame: { given_name: true } });
    expect(run.status).toBe(400);
    expect(run.body).toMatchObject({ error: 'invalid_request' });
    expect((run.body as { error_description: string }).error_description).toContain('QUERY_UNSATISFIED');
    expect((await poll(created.id)).json()).toMatchObject({ status: 'failed', reason: 'QUERY_UNSATISFIED' });
  });

  it.each([
    ['a wrong nonce', { nonce: 'not-the-request-nonce' }, 'KB_NONCE_MISMATCH'],
    ['a wrong audience (the DID without its prefix)', { aud: 'did:jwk:eyJ0' }, 'KB_AUDIENCE_MISMATCH'],
    ['a stale KB-JWT', { iat: -3600 }, 'KB_STALE'],
  ])('refuses %s with the coded reason', async (_what, kb, reason) => {
    const created = await createRequest();
    const kbPayload = 'iat' in kb ? { iat: t.clock.now() + (kb.iat as number) } : kb;
    const run = await wallet(created.authorization_request, { frame: AGE_FRAME, kb: kbPayload });
    expect(run.status).toBe(400);
    expect((run.body as { error_description: string }).error_description).toContain('PRESENTATION_INVALID');
    expect((await poll(created.id)).json()).toMatchObject({ status: 'failed', reason });
  });

  it('refuses a revoked credential: STATUS_REVOKED', async () => {
    const issued = await issuePid(t, holder, 'invalid');
    const created = await createRequest();
    const run = await wallet(created.authorization_request, { frame: AGE_FRAME }, issued.credential);
    expect(run.status).toBe(400);
    expect((await poll(created.id)).json()).toMatchObject({ status: 'failed', reason: 'STATUS_REVOKED' });
  });

  it('refuses a credential of an issuer the request does not trust: ISSUER_UNKNOWN', async () => {
    const other = await verifierTestApp();
    const foreign = (
      await issuePid({ ...other, issuance: { ...other.issuance, issuer: 'https://elsewhere.test' } }, holder)
    ).credential;
    await other.close();
    const created = await createRequest();
    const run = await wallet(created.authorization_request, { frame: AGE_FRAME }, foreign);
    expect(run.status).toBe(400);
    expect((await poll(created.id)).json()).toMatchObject({ status: 'failed', reason: 'ISSUER_UNKNOWN' });
  });

  it('refuses a replayed response and a second answer: REQUEST_ANSWERED', async () => {
    const created = await createRequest({ response_mode: 'direct_post' });
    const run = await wallet(created.authorization_request, { frame: AGE_FRAME });
    expect(run.status).toBe(200);
    const replay = await postResponse(t.app, created.id, run.posted);
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('REQUEST_ANSWERED'),
    });
    // The request object is gone for wallets too.
    const again = await t.app.inject({ method: 'GET', url: `/openid4vp/request/${created.id}` });
    expect(again.statusCode).toBe(409);
    expect((await poll(created.id)).json().status).toBe('verified');
  });

  it("refuses a presentation replayed into another request: the other request's nonce does not match", async () => {
    const first = await createRequest({ response_mode: 'direct_post' });
    const run = await wallet(first.authorization_request, { frame: AGE_FRAME });
    expect(run.status).toBe(200);
    const second = await createRequest({ response_mode: 'direct_post' });
    const secondState = JSON.parse(
      Buffer.from(
        (await t.app.inject({ method: 'GET', url: `/openid4vp/request/${second.id}` })).body.split('.')[1]!,
        'base64url',
      ).toString(),
    ).state;
    const form = new URLSearchParams(run.posted);
    form.set('state', secondState);
    const replay = await postResponse(t.app, second.id, form.toString());
    expect(replay.statusCode).toBe(400);
    expect((await poll(second.id)).json()).toMatchObject({ status: 'failed', reason: 'KB_NONCE_MISMATCH' });
  });

  it('refuses an answer after the request expired: REQUEST_EXPIRED', async () => {
    const created = await createRequest();
    const start = t.clock.now();
    try {
      // The wallet fetched the request in time, but answers too late.
      const link = created.authorization_request;
      const fetchThenExpire: typeof globalThis.fetch = async (input, init) => {
        if (init?.method === 'POST') t.clock.set(start + 301);
        return injectFetch(t.app)(input, init);
      };
      const run = await answerRequest(
        link,
        credential,
        holder,
        { frame: AGE_FRAME },
        { fetch: fetchThenExpire, now: start },
      );
      expect(run.status).toBe(400);
      expect((run.body as { error_description: string }).error_description).toContain('REQUEST_EXPIRED');
      expect((await poll(created.id)).json()).toMatchObject({ status: 'failed', reason: 'REQUEST_EXPIRED' });
    } finally {
      t.clock.set(start);
    }
  });

  it('refuses a tampered JWE without ending the request: RESPONSE_INVALID', async () => {
    const created = await createRequest({ response_mode: 'direct_post.jwt' });
    const run = await wallet(created.authorization_request, { frame: AGE_FRAME, tamperJwe: true });
    expect(run.status).toBe(400);
    expect((run.body as { error_description: string }).error_description).toContain('RESPONSE_INVALID');
    expect((await poll(created.id)).json().status).toBe('pending');
    // A plain form to an encrypted request is refused too.
    const plain = await postResponse(t.app, created.id, 'vp_token=%7B%7D&state=x');
    expect(plain.statusCode).toBe(400);
    // The genuine answer still goes through.
    expect((await wallet(created.authorization_request, { frame: AGE_FRAME })).status).toBe(200);
  });
});
