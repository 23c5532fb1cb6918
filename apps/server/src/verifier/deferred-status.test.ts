// The response endpoint's fast path: this installation's status entries are checked in the
// statement that records the answer, and pending requests are served from a per-process cache.
// Both must answer exactly as reading everything live would: these tests race a revocation
// against the write and run two server instances over one database.
import { changeCredentialStatus } from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import {
  AGE_QUERY,
  bearer,
  ISSUER,
  issuePid,
  postResponse,
  type TestDatabase,
  type VerifierTestApp,
  verifierTestApp,
} from './verifier.test-util.js';
import { answerRequest, createHolder, type Holder, injectFetch } from './wallet.test-util.js';

const AGE_FRAME = { given_name: true, age_equal_or_over: { '18': true } };

describe.each(['memory', 'postgres'] as const satisfies readonly TestDatabase[])('over %s', (database) => {
  let t: VerifierTestApp;
  let holder: Holder;
  // A second server instance over the same database (the stateless scale-out of issue 4).
  let other: FastifyInstance;

  beforeAll(async () => {
    t = await verifierTestApp({ database });
    holder = await createHolder();
    other = await buildApp({
      issuance: t.issuance,
      log: { stores: t.stores, crypto: t.issuance.crypto, clock: t.clock, origin: 'id.example.test/log' },
      clock: t.clock,
      ready: async () => {},
      rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
      verifier: { allowHttp: true, allowPrivateWebhookAddresses: true },
    });
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const createRequest = async (app: FastifyInstance = t.app) => {
    const response = await app.inject({
      method: 'POST',
      url: '/verifier/requests',
      headers: bearer(t.keys.verifier),
      payload: { dcql_query: AGE_QUERY, purpose: 'Age check', trusted_issuers: [ISSUER] },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; authorization_request: string };
  };
  const poll = async (id: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/verifier/requests/${id}`, headers: bearer(t.keys.verifier) })
    ).json();
  const answer = (link: string, credential: string, frame: object, app: FastifyInstance = t.app) =>
    answerRequest(link, credential, holder, { frame }, { fetch: injectFetch(app), now: t.clock.now() });

  it('a revocation that lands after the credential was verified, before the answer is written, is refused', async () => {
    const issued = await issuePid(t, holder);
    const created = await createRequest();
    const complete = t.stores.presentationRequests.complete;
    t.stores.presentationRequests.complete = async (...args) => {
      // The registrar revokes while the verifier is between its checks and its write.
      await changeCredentialStatus(
        issued.record.statusListId,
        issued.record.statusIndex,
        'invalid',
        t.issuance,
      );
      t.stores.presentationRequests.complete = complete;
      return complete(...args);
    };
    try {
      const run = await answer(created.authorization_request, issued.credential, AGE_FRAME);
      expect(run.status).toBe(400);
      expect((run.body as { error_description: string }).error_description).toContain('STATUS_REVOKED');
    } finally {
      t.stores.presentationRequests.complete = complete;
    }
    const result = await poll(created.id);
    expect(result).toMatchObject({ status: 'failed', reason: 'STATUS_REVOKED' });
    expect(JSON.stringify(result)).not.toContain('Amina');
  });

  it('a suspended credential that fails the query too is named for its status, as a live read would', async () => {
    const issued = await issuePid(t, holder, 'suspended');
    const created = await createRequest();
    // The age is not disclosed: the query is not satisfied, but the status comes first.
    const run = await answer(created.authorization_request, issued.credential, { given_name: true });
    expect(run.status).toBe(400);
    expect(await poll(created.id)).toMatchObject({ status: 'failed', reason: 'STATUS_SUSPENDED' });
    const valid = (await issuePid(t, holder)).credential;
    const again = await createRequest();
    await answer(again.authorization_request, valid, { given_name: true });
    expect(await poll(again.id)).toMatchObject({ status: 'failed', reason: 'QUERY_UNSATISFIED' });
  });

  it('a request answered through another instance is a replay here, though this one cached it pending', async () => {
    const credential = (await issuePid(t, holder)).credential;
    const created = await createRequest(t.app);
    const run = await answer(created.authorization_request, credential, AGE_FRAME, other);
    expect(run.status).toBe(200);
    const replay = await postResponse(t.app, created.id, run.posted);
    expect(replay.statusCode, replay.body).toBe(409);
    expect(replay.json().error_description).toContain('REQUEST_ANSWERED');
    expect(await poll(created.id)).toMatchObject({ status: 'verified' });
  });

  it('a request its relying party deleted through another instance is gone here too', async () => {
    const credential = (await issuePid(t, holder)).credential;
    const created = await createRequest(t.app);
    // The wallet reads the request object from this instance (cached here, pending), and the
    // relying party deletes the request through the other one before the wallet answers.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (init?.method === 'POST') {
        const deleted = await other.inject({
          method: 'DELETE',
          url: `/verifier/requests/${created.id}`,
          headers: bearer(t.keys.verifier),
        });
        expect(deleted.statusCode).toBe(204);
      }
      return injectFetch(t.app)(input, init);
    };
    const run = await answerRequest(
      created.authorization_request,
      credential,
      holder,
      { frame: AGE_FRAME },
      { fetch, now: t.clock.now() },
    );
    expect(run.status, JSON.stringify(run.body)).toBe(404);
    const read = await t.app.inject({
      method: 'GET',
      url: `/verifier/requests/${created.id}`,
      headers: bearer(t.keys.verifier),
    });
    expect(read.statusCode).toBe(404);
  });
});
