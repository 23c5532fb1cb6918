// Two jurisdictions: XA is a whole server app (its trust list served by GET /trust/list); XB's
// verifier recognises XA and fetches XA's list through a fetch that calls XA's app. A credential
// issued in XA verifies at XB through the recognition; XA's withdrawal reaches XB at its next
// refresh; a rolled-back list is refused; a restarted XB verifies offline from its cache.
import { createMemoryStores, nodeCrypto } from '@trieste/adapters';
import {
  type IssuanceContext,
  type IssuerKeyResolver,
  issueCredential,
  isTriesteError,
  recogniseJurisdiction,
  type TrustStore,
  verifySdJwtVc,
} from '@trieste/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, ISSUER, type TestApp, testApp } from '../app.test-util.js';
import { openVerifierTrust } from './verifier-trust.js';

const crypto = nodeCrypto();
const PID = 'urn:trieste:xa:national-identity:1';
const XB_ISSUER = 'https://xb.example.test';

let xa: TestApp;
let xb: IssuanceContext;
let serve: (path: string) => string;

const fakeFetch = (async (input: URL | RequestInfo) => {
  const response = await xa.app.inject({ method: 'GET', url: serve(new URL(String(input)).pathname) });
  return new Response(response.body, { status: response.statusCode });
}) as typeof globalThis.fetch;

/** An IssuerKeyResolver over the trust store, for one credential type and purpose. */
function resolver(store: () => TrustStore, purpose: string): IssuerKeyResolver {
  return {
    async resolve({ iss, kid }) {
      try {
        const resolved = store().resolveIssuer({
          iss,
          ...(kid === undefined ? {} : { kid }),
          credentialType: PID,
          purpose,
          now: xa.clock.now(),
        });
        return resolved.keys[0]?.jwk;
      } catch (error) {
        if (isTriesteError(error)) return undefined;
        throw error;
      }
    },
  };
}

beforeEach(async () => {
  serve = (path) => path;
  xa = await testApp();
  await xa.stores.settings.set('jurisdiction', 'XA');
  const xbStores = createMemoryStores({ clock: xa.clock });
  await xbStores.settings.set('jurisdiction', 'XB');
  await xbStores.keys.create('ES256', { activate: true });
  xb = { stores: xbStores, crypto, clock: xa.clock, issuer: XB_ISSUER, statusBaseUri: `${XB_ISSUER}/status` };
  // XB's operator pins XA's operator key, as XA publishes it (and confirmed out of band).
  const xaKeys = (await xa.app.inject({ method: 'GET', url: '/trust/operator-keys' })).json().keys;
  await recogniseJurisdiction(
    {
      stores: xbStores,
      crypto,
      clock: xa.clock,
      operator: { name: 'Trust list operator of XB', jurisdiction: 'XB', uri: XB_ISSUER },
      listUri: `${XB_ISSUER}/trust/list`,
    },
    {
      jurisdiction: 'XA',
      operatorName: 'Trust list operator of XA',
      listUri: `${ISSUER}/trust/list`,
      operatorKeys: xaKeys.map((key: { kid: string; public_jwk: object }) => ({
        ...key.public_jwk,
        kid: key.kid,
      })),
      credentialTypes: [PID],
      purposes: ['travel'],
    },
  );
});
afterEach(() => xa.app.close());

describe('openVerifierTrust', () => {
  it('verifies an XA credential at XB through the recognition, for the recognised purpose only', async () => {
    const { credential } = await issueCredential({ vct: PID, claims: { given_name: 'Ada' } }, xa.issuance);
    const verifier = await openVerifierTrust(xb, { fetch: { fetch: fakeFetch } });
    const outcomes = await verifier.refresh();
    // Its own list it read from its database when it opened; XA's it fetched now.
    expect(outcomes.map((o) => [o.jurisdiction, o.outcome])).toEqual([
      ['XB', 'unchanged'],
      ['XA', 'updated'],
    ]);
    const verify = (purpose: string) =>
      verifySdJwtVc(
        credential,
        { checkStatus: false },
        { crypto, clock: xa.clock, issuerKeys: resolver(verifier.current, purpose) },
      );
    await expect(verify('travel')).resolves.toMatchObject({ issuer: ISSUER, vct: PID });
    await expect(verify('employment')).rejects.toMatchObject({ code: 'ISSUER_UNKNOWN' });
    const provenance = verifier
      .current()
      .resolveIssuer({ iss: ISSUER, credentialType: PID, purpose: 'travel', now: xa.clock.now() }).provenance;
    expect(provenance).toMatchObject({
      jurisdiction: 'XA',
      freshness: 'fresh',
      recognisedBy: { jurisdiction: 'XB' },
    });
  });

  it("refuses XA's issuer after XA withdraws it and XB refreshes; refuses a rolled-back list", async () => {
    const verifier = await openVerifierTrust(xb, { fetch: { fetch: fakeFetch } });
    await verifier.refresh();
    const ask = () => {
      try {
        verifier
          .current()
          .resolveIssuer({ iss: ISSUER, credentialType: PID, purpose: 'travel', now: xa.clock.now() });
        return 'ACCEPTED';
      } catch (error) {
        return isTriesteError(error) ? error.code : 'THROWN';
      }
    };
    xa.clock.set(xa.clock.now() + 60);
    const withdrawn = await xa.app.inject({
      method: 'POST',
      url: '/admin/trust/issuers/withdraw',
      headers: bearer(xa.keys.admin),
      payload: { id: ISSUER },
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(ask()).toBe('ACCEPTED');
    xa.clock.set(xa.clock.now() + 60);
    expect((await verifier.refresh())[1]).toMatchObject({
      jurisdiction: 'XA',
      outcome: 'updated',
      sequenceNumber: 2,
    });
    expect(ask()).toBe('ISSUER_WITHDRAWN');
    // Someone serves XB the first version again (a replayed, "still granted" list).
    serve = (path) => (path === '/trust/list' ? '/trust/list/1' : path);
    expect((await verifier.refresh())[1]).toEqual({
      jurisdiction: 'XA',
      outcome: 'refused',
      code: 'TRUST_LIST_ROLLBACK',
    });
    expect(ask()).toBe('ISSUER_WITHDRAWN');
  });

  it('verifies offline after a restart, and follows a rotation of its own operator key', async () => {
    const first = await openVerifierTrust(xb, { fetch: { fetch: fakeFetch } });
    await first.refresh();
    const offline = (async () => {
      throw new TypeError('network down');
    }) as typeof globalThis.fetch;
    const restarted = await openVerifierTrust(xb, { fetch: { fetch: offline } });
    const request = { iss: ISSUER, credentialType: PID, purpose: 'travel', now: xa.clock.now() };
    expect(restarted.current().resolveIssuer(request).keys).toEqual(
      first.current().resolveIssuer(request).keys,
    );
    expect((await restarted.refresh()).map((o) => [o.jurisdiction, o.outcome])).toEqual([
      ['XB', 'unchanged'],
      ['XA', 'unreachable'],
    ]);
    // XB rotates its own operator key: its verifier follows (its own list, its own database).
    const { rotateTrustListKey } = await import('@trieste/core');
    await rotateTrustListKey({
      stores: xb.stores,
      crypto,
      clock: xa.clock,
      operator: { name: 'Trust list operator of XB', jurisdiction: 'XB', uri: XB_ISSUER },
      listUri: `${XB_ISSUER}/trust/list`,
    });
    expect((await restarted.refresh()).map((o) => [o.jurisdiction, o.sequenceNumber ?? o.code])).toEqual([
      ['XB', 2],
      ['XA', 'NOT_FOUND'],
    ]);
    expect(restarted.current().resolveIssuer(request).keys).toHaveLength(1);
  });
});
