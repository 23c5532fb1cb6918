// Two jurisdictions in one process: XA operates a list with its civil registry; XB's verifier
// recognises XA for identity credentials, fetches XA's list through a fake fetch, and keeps what
// it accepts in its cache.
import {
  type Clock,
  isTriesteError,
  recogniseJurisdiction,
  refreshTrustList,
  type Stores,
  type TrustListContext,
  withdrawTrustedIssuer,
} from '@trieste/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';
import { loadTrustStore } from './load-trust-store.js';
import { refreshTrustStore } from './refresh-trust-store.js';

const crypto = nodeCrypto();
const T0 = 1_780_000_000;
const XA_ISSUER = 'https://id.xa.example';
const PID = 'urn:trieste:xa:national-identity:1';

let now = T0;
const clock: Clock = { now: () => now };

function operator(
  stores: Stores,
  jurisdiction: string,
  ownIssuer?: TrustListContext['ownIssuer'],
): TrustListContext {
  const host = `${jurisdiction.toLowerCase()}.example`;
  return {
    stores,
    crypto,
    clock,
    operator: { name: `Trust list operator of ${jurisdiction}`, jurisdiction, uri: `https://${host}` },
    listUri: `https://${host}/trust/list`,
    ...(ownIssuer ? { ownIssuer } : {}),
  };
}

const operatorKeys = async (stores: Stores) =>
  (await stores.trustLists.keys()).map((key) => ({ ...key.publicJwk, kid: key.kid }));

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isTriesteError(error)) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

describe('refreshTrustStore and loadTrustStore', () => {
  let xa: Stores;
  let xb: Stores;
  let xaContext: TrustListContext;
  let served: () => Promise<Response>;
  let fetched: Array<{ url: string; accept: string | null }>;
  const fakeFetch = (async (input: URL | RequestInfo, init?: RequestInit) => {
    fetched.push({ url: String(input), accept: new Headers(init?.headers).get('accept') });
    return served();
  }) as typeof globalThis.fetch;
  const serveLatest = async () => new Response((await xa.trustLists.latestVersion())!.jws);

  beforeEach(async () => {
    now = T0;
    fetched = [];
    served = serveLatest;
    xa = createMemoryStores({ clock });
    xb = createMemoryStores({ clock });
    await xa.keys.create('ES256', { activate: true });
    xaContext = operator(xa, 'XA', { id: XA_ISSUER, name: 'Civil registry of XA', credentialTypes: [PID] });
    await refreshTrustList(xaContext);
    await recogniseJurisdiction(operator(xb, 'XB'), {
      jurisdiction: 'XA',
      operatorName: 'Trust list operator of XA',
      listUri: 'https://xa.example/trust/list',
      operatorKeys: await operatorKeys(xa),
      credentialTypes: [PID],
      purposes: ['travel'],
    });
  });

  async function xbVerifier() {
    const { trustStore, problems } = await loadTrustStore({
      anchor: { jurisdiction: 'XB', keys: await operatorKeys(xb) },
      crypto,
      cache: xb.trustLists,
    });
    const refresh = () =>
      refreshTrustStore({
        trustStore,
        cache: xb.trustLists,
        clock,
        home: { jws: '' },
        fetch: { fetch: fakeFetch },
      });
    return { trustStore, problems, refresh };
  }

  it("accepts XA's credential at XB after a refresh, fetching only XA's list URL", async () => {
    const { trustStore } = await xbVerifier();
    const outcomes = await refreshTrustStore({
      trustStore,
      cache: xb.trustLists,
      clock,
      home: { jws: (await xb.trustLists.latestVersion())!.jws },
      fetch: { fetch: fakeFetch },
    });
    expect(outcomes).toEqual([
      { jurisdiction: 'XB', outcome: 'updated', sequenceNumber: 1 },
      { jurisdiction: 'XA', outcome: 'updated', sequenceNumber: 1 },
    ]);
    expect(fetched).toEqual([
      { url: 'https://xa.example/trust/list', accept: 'application/trieste-trust-list+jwt' },
    ]);
    const resolved = trustStore.resolveIssuer({
      iss: XA_ISSUER,
      credentialType: PID,
      purpose: 'travel',
      now,
    });
    expect(resolved.provenance).toMatchObject({
      jurisdiction: 'XA',
      sequenceNumber: 1,
      recognisedBy: { jurisdiction: 'XB' },
    });
    expect(
      (await xb.trustLists.cachedLists()).map((list) => [list.jurisdiction, list.sequenceNumber]),
    ).toEqual([
      ['XA', 1],
      ['XB', 1],
    ]);
  });

  it('refuses the XA issuer at XB after XA withdraws it and XB refreshes', async () => {
    const { trustStore } = await xbVerifier();
    const home = { jws: (await xb.trustLists.latestVersion())!.jws };
    const refresh = () =>
      refreshTrustStore({ trustStore, cache: xb.trustLists, clock, home, fetch: { fetch: fakeFetch } });
    await refresh();
    now += 60;
    await withdrawTrustedIssuer(xaContext, XA_ISSUER);
    const ask = () =>
      codeOf(() => trustStore.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, purpose: 'travel', now }));
    expect(ask()).toBe('ACCEPTED');
    now += 60;
    const outcomes = await refresh();
    expect(outcomes[1]).toEqual({ jurisdiction: 'XA', outcome: 'updated', sequenceNumber: 2 });
    expect(ask()).toBe('ISSUER_WITHDRAWN');
  });

  it('refuses a rolled-back or forged list, keeps the held version when XA is unreachable, and says so', async () => {
    const { trustStore } = await xbVerifier();
    const home = { jws: (await xb.trustLists.latestVersion())!.jws };
    const refresh = () =>
      refreshTrustStore({ trustStore, cache: xb.trustLists, clock, home, fetch: { fetch: fakeFetch } });
    const v1 = (await xa.trustLists.latestVersion())!.jws;
    now += 60;
    await withdrawTrustedIssuer(xaContext, XA_ISSUER);
    await refresh();
    served = async () => new Response(v1);
    expect((await refresh())[1]).toEqual({
      jurisdiction: 'XA',
      outcome: 'refused',
      code: 'TRUST_LIST_ROLLBACK',
    });
    served = async () => new Response('not a list');
    expect((await refresh())[1]).toEqual({ jurisdiction: 'XA', outcome: 'refused', code: 'MALFORMED' });
    served = async () => new Response('gone', { status: 503 });
    expect((await refresh())[1]).toEqual({ jurisdiction: 'XA', outcome: 'unreachable', code: 'NOT_FOUND' });
    served = async () => {
      throw new TypeError('fetch failed');
    };
    expect((await refresh())[1]).toEqual({ jurisdiction: 'XA', outcome: 'unreachable', code: 'NOT_FOUND' });
    // Still the newest version, from the cache too.
    expect(trustStore.lists().find((list) => list.jurisdiction === 'XA')?.sequenceNumber).toBe(2);
    expect(
      (await xb.trustLists.cachedLists()).find((list) => list.jurisdiction === 'XA')?.sequenceNumber,
    ).toBe(2);
  });

  it('verifies offline after a restart, from the cache alone', async () => {
    const first = await xbVerifier();
    await refreshTrustStore({
      trustStore: first.trustStore,
      cache: xb.trustLists,
      clock,
      home: { jws: (await xb.trustLists.latestVersion())!.jws },
      fetch: { fetch: fakeFetch },
    });
    fetched = [];
    const restarted = await xbVerifier();
    expect(restarted.problems).toEqual([]);
    const request = { iss: XA_ISSUER, credentialType: PID, purpose: 'travel', now: now + 3600 };
    expect(restarted.trustStore.resolveIssuer(request)).toEqual(first.trustStore.resolveIssuer(request));
    expect(fetched).toEqual([]);
    // Two days later, with no refresh: past next update and the default one-day grace.
    expect(codeOf(() => restarted.trustStore.resolveIssuer({ ...request, now: now + 2 * 86_400 + 1 }))).toBe(
      'TRUST_LIST_EXPIRED',
    );
  });

  it('reports a home list that does not verify, and refreshes nothing it does not recognise', async () => {
    const { refresh } = await xbVerifier();
    expect(await refresh()).toEqual([{ jurisdiction: 'XB', outcome: 'refused', code: 'MALFORMED' }]);
    expect(fetched).toEqual([]);
  });
});
