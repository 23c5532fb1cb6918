// Cross-border verification over OpenID4VP: XA issues, XB's verifier trusts XA's issuer only
// through its own trust list's recognition of XA's list operator, scoped to a credential type and
// to purposes. XA is a whole app serving its trust list and status list; XB fetches both through a
// fetch that calls XA's app. The result says which list (and version) vouched, and how fresh.
import { nodeCrypto } from '@trieste/adapters';
import { issueCredential, recogniseJurisdiction } from '@trieste/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer as adminBearer, type TestApp, testApp, ISSUER as XA_ISSUER } from '../app.test-util.js';
import { openVerifierTrust, type VerifierTrust } from '../trust/verifier-trust.js';
import { bearer, type VerifierTestApp, verifierTestApp } from './verifier.test-util.js';
import { answerRequest, createHolder, type Holder, injectFetch } from './wallet.test-util.js';

const crypto = nodeCrypto();
// The national identity type of the built-in credential configurations, which XA's list names.
const PID = 'urn:trieste:xa:national-identity:1';
const XB_ISSUER = 'https://xb.example.test';

let xa: TestApp;
let xb: VerifierTestApp;
let xbTrust: VerifierTrust;
let holder: Holder;
let credential: string;

/** XB's network: XA's app answers everything under XA's issuer URL. */
const toXa = (async (input: URL | RequestInfo, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const response = await xa.app.inject({
    method: (init?.method ?? 'GET') as 'GET',
    url: url.pathname + url.search,
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
  });
  return new Response(response.rawPayload, {
    status: response.statusCode,
    headers: Object.entries(response.headers).map(([k, v]) => [k, String(v)]) as [string, string][],
  });
}) as typeof globalThis.fetch;

beforeEach(async () => {
  xa = await testApp();
  // Real time: the wallet library checks the request object's exp against its own clock.
  xa.clock.set(Math.floor(Date.now() / 1000));
  await xa.stores.settings.set('jurisdiction', 'XA');
  holder = await createHolder();
  credential = (
    await issueCredential(
      {
        vct: PID,
        claims: { given_name: 'Amina', age_equal_or_over: { '18': true } },
        holderKey: holder.publicJwk as never,
        disclosable: 'all',
        expiresInSeconds: 3600,
      },
      xa.issuance,
    )
  ).credential;

  xb = await verifierTestApp({
    issuer: XB_ISSUER,
    verifier: { trustStore: () => xbTrust.current(), fetch: toXa },
  });
  xb.clock.set(xa.clock.now());
  await xb.stores.settings.set('jurisdiction', 'XB');
  // XB's operator pins XA's operator key as XA publishes it (confirmed out of band).
  const xaKeys = (await xa.app.inject({ method: 'GET', url: '/trust/operator-keys' })).json().keys;
  await recogniseJurisdiction(
    {
      stores: xb.stores,
      crypto,
      clock: xb.clock,
      operator: { name: 'Trust list operator of XB', jurisdiction: 'XB', uri: XB_ISSUER },
      listUri: `${XB_ISSUER}/trust/list`,
    },
    {
      jurisdiction: 'XA',
      operatorName: 'Trust list operator of XA',
      listUri: `${XA_ISSUER}/trust/list`,
      operatorKeys: xaKeys.map((key: { kid: string; public_jwk: object }) => ({
        ...key.public_jwk,
        kid: key.kid,
      })),
      credentialTypes: [PID],
      purposes: ['travel', 'age_verification'],
    },
  );
  xbTrust = await openVerifierTrust(xb.issuance, { fetch: { fetch: toXa } });
  await xbTrust.refresh();
});
afterEach(async () => {
  await xb.close();
  await xa.app.close();
});

async function presentAtXb(purposeCode: string) {
  const created = await xb.app.inject({
    method: 'POST',
    url: '/verifier/requests',
    headers: bearer(xb.keys.verifier),
    payload: {
      dcql_query: {
        credentials: [
          {
            id: 'pid',
            format: 'dc+sd-jwt',
            meta: { vct_values: [PID] },
            claims: [{ path: ['age_equal_or_over', '18'] }],
          },
        ],
      },
      purpose: 'Age check at the border post',
      purpose_code: purposeCode,
      trusted_issuers: [XA_ISSUER],
      response_mode: 'direct_post',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id, authorization_request: link } = created.json();
  const run = await answerRequest(
    link,
    credential,
    holder,
    { frame: { age_equal_or_over: { '18': true } } },
    { fetch: injectFetch(xb.app), now: xb.clock.now() },
  );
  // The response endpoint answers 200 for a verified presentation, 400 for a refused one.
  expect([200, 400], JSON.stringify(run.body)).toContain(run.status);
  return (
    await xb.app.inject({ method: 'GET', url: `/verifier/requests/${id}`, headers: bearer(xb.keys.verifier) })
  ).json();
}

describe('OpenID4VP across jurisdictions, through trust lists', () => {
  it("XB verifies XA's credential for a recognised purpose and says which list vouched", async () => {
    const result = await presentAtXb('age_verification');
    expect(result.status, result.reason).toBe('verified');
    expect(result.purpose_code).toBe('age_verification');
    const [pid] = result.result.credentials.pid;
    expect(pid.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(pid.trust).toMatchObject({
      source: 'trust-list',
      list: { jurisdiction: 'XA', sequence_number: 1, freshness: 'fresh', uri: `${XA_ISSUER}/trust/list` },
      recognised_by: { jurisdiction: 'XB', freshness: 'fresh' },
      status: { checked: true, source: 'status-list-token', max_age_seconds: 300 },
    });
  });

  it('XB refuses it for a purpose its recognition of XA does not name', async () => {
    const result = await presentAtXb('employment');
    expect(result).toMatchObject({ status: 'failed', reason: 'PURPOSE_NOT_RECOGNISED' });
  });

  it('XB refuses it once XA withdraws the issuer and XB has refreshed', async () => {
    xa.clock.set(xa.clock.now() + 60);
    xb.clock.set(xa.clock.now());
    const withdrawn = await xa.app.inject({
      method: 'POST',
      url: '/admin/trust/issuers/withdraw',
      headers: adminBearer(xa.keys.admin),
      payload: { id: XA_ISSUER },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    // Until XB refreshes, it works from the list it holds (and says which version that is).
    expect((await presentAtXb('travel')).status).toBe('verified');
    xa.clock.set(xa.clock.now() + 60);
    xb.clock.set(xa.clock.now());
    await xbTrust.refresh();
    expect(await presentAtXb('travel')).toMatchObject({ status: 'failed', reason: 'ISSUER_WITHDRAWN' });
  });
});
