import { beforeAll, describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import { createTrustStore, type TrustStore } from './create-trust-store.js';
import type { TrustList } from './trust-list.js';
import {
  certificateFor,
  crypto,
  DAY,
  issuer,
  list,
  newKey,
  recognition,
  sign,
  T0,
  type TestKey,
} from './trust-list.test-util.js';

const XA_ISSUER = 'https://id.xa.example';
const XB_ISSUER = 'https://id.xb.example';
const XC_ISSUER = 'https://id.xc.example';
const PID = 'urn:trieste:id:1';
const DIPLOMA = 'urn:trieste:diploma:1';

let xa: TestKey;
let xb: TestKey;
let xc: TestKey;
let xaIssuerKey: TestKey;
let xbIssuerKey: TestKey;
let xcIssuerKey: TestKey;

beforeAll(async () => {
  [xa, xb, xc, xaIssuerKey, xbIssuerKey, xcIssuerKey] = await Promise.all([
    newKey(),
    newKey('EdDSA'),
    newKey(),
    newKey(),
    newKey(),
    newKey('EdDSA'),
  ]);
});

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isTriesteError(error)) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isTriesteError(error)) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

/** XA's list: its own issuer, and XB recognised for identity credentials, for two purposes. */
function xaList(overrides: Partial<TrustList> = {}): TrustList {
  return list('XA', xa, {
    issuers: [issuer(XA_ISSUER, xaIssuerKey, { credentialTypes: [PID, DIPLOMA] })],
    recognitions: [
      recognition('XB', xb, { credentialTypes: [PID], purposes: ['age_verification', 'travel'] }),
    ],
    ...overrides,
  });
}

/** XB's list: its issuer (identity credentials and diplomas), and XC recognised by XB. */
function xbList(overrides: Partial<TrustList> = {}): TrustList {
  return list('XB', xb, {
    issuers: [issuer(XB_ISSUER, xbIssuerKey, { credentialTypes: [PID, DIPLOMA] })],
    recognitions: [recognition('XC', xc)],
    ...overrides,
  });
}

function newStore(graceSeconds?: number): TrustStore {
  return createTrustStore({
    home: { jurisdiction: 'XA', keys: [xa.kidJwk] },
    crypto,
    ...(graceSeconds === undefined ? {} : { graceSeconds }),
  });
}

async function storeWithBoth(): Promise<TrustStore> {
  const store = newStore();
  await store.accept(await sign(xaList(), xa), T0);
  await store.accept(await sign(xbList(), xb), T0 + 10);
  return store;
}

describe('the trust store: its own list', () => {
  it('resolves an own issuer to its keys, with the list version and its freshness', async () => {
    const store = newStore();
    const accepted = await store.accept(await sign(xaList(), xa), T0 + 5);
    expect(accepted).toEqual({
      jurisdiction: 'XA',
      sequenceNumber: 1,
      issuedAt: T0,
      nextUpdate: T0 + DAY,
      changed: true,
    });
    const resolved = store.resolveIssuer({ iss: XA_ISSUER, credentialType: DIPLOMA, now: T0 + 60 });
    expect(resolved.issuer).toEqual({ id: XA_ISSUER, name: `Issuer ${XA_ISSUER}` });
    expect(resolved.keys).toEqual([{ kid: xaIssuerKey.kidJwk.kid, jwk: xaIssuerKey.publicJwk }]);
    expect(resolved.provenance).toEqual({
      jurisdiction: 'XA',
      operator: 'Trust list operator of XA',
      listUri: 'https://xa.example/trust/list',
      sequenceNumber: 1,
      issuedAt: T0,
      nextUpdate: T0 + DAY,
      fetchedAt: T0 + 5,
      freshness: 'fresh',
    });
  });

  it('refuses its own list signed by a key it was not configured with (TRUST_LIST_OPERATOR_UNTRUSTED)', async () => {
    const store = newStore();
    const forged = list('XA', xb, { issuers: [issuer(XA_ISSUER, xbIssuerKey)] });
    expect(await rejection(store.accept(await sign(forged, xb), T0))).toBe('TRUST_LIST_OPERATOR_UNTRUSTED');
    expect(codeOf(() => store.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, now: T0 }))).toBe(
      'ISSUER_UNKNOWN',
    );
  });

  it('refuses a rollback: a lower sequence number, or the same one with other content (TRUST_LIST_ROLLBACK)', async () => {
    const store = newStore();
    const v2 = await sign(xaList({ sequenceNumber: 2 }), xa);
    await store.accept(v2, T0);
    expect(await rejection(store.accept(await sign(xaList({ sequenceNumber: 1 }), xa), T0 + 1))).toBe(
      'TRUST_LIST_ROLLBACK',
    );
    const sameNumberOtherContent = await sign(xaList({ sequenceNumber: 2, issuers: [] }), xa);
    expect(await rejection(store.accept(sameNumberOtherContent, T0 + 1))).toBe('TRUST_LIST_ROLLBACK');
    // The same list again (even re-signed: ECDSA signatures differ) is no change, only a later fetch.
    const again = await store.accept(await sign(xaList({ sequenceNumber: 2 }), xa), T0 + 100);
    expect(again.changed).toBe(false);
    expect(store.lists()[0]).toMatchObject({ sequenceNumber: 2, fetchedAt: T0 + 100 });
    expect(
      store.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, now: T0 }).provenance.sequenceNumber,
    ).toBe(2);
    await store.accept(await sign(xaList({ sequenceNumber: 3 }), xa), T0 + 200);
    expect(store.lists()[0]).toMatchObject({ sequenceNumber: 3, fetchedAt: T0 + 200 });
  });

  it('refuses unknown issuers and keys, and types the issuer may not issue', async () => {
    const store = newStore();
    await store.accept(await sign(xaList(), xa), T0);
    expect(
      codeOf(() => store.resolveIssuer({ iss: 'https://nobody.example', credentialType: PID, now: T0 })),
    ).toBe('ISSUER_UNKNOWN');
    expect(
      codeOf(() => store.resolveIssuer({ iss: XA_ISSUER, kid: 'other', credentialType: PID, now: T0 })),
    ).toBe('ISSUER_UNKNOWN');
    expect(
      codeOf(() => store.resolveIssuer({ iss: XA_ISSUER, credentialType: 'urn:trieste:licence:1', now: T0 })),
    ).toBe('CREDENTIAL_TYPE_NOT_ALLOWED');
    // The kid matches the listed kid or the key's thumbprint.
    const byThumbprint = jwkThumbprint(xaIssuerKey.publicJwk, crypto);
    expect(
      store.resolveIssuer({ iss: XA_ISSUER, kid: byThumbprint, credentialType: PID, now: T0 }).keys,
    ).toHaveLength(1);
  });

  it('makes a withdrawal effective from its date, and keeps the history for earlier times', async () => {
    const store = newStore();
    const withdrawnAt = T0 + 3600;
    await store.accept(
      await sign(
        xaList({
          issuers: [
            issuer(XA_ISSUER, xaIssuerKey, {
              status: 'withdrawn',
              statusStartingTime: withdrawnAt,
              history: [
                { status: 'granted', statusStartingTime: T0 - 10 * DAY },
                { status: 'withdrawn', statusStartingTime: T0 - 20 * DAY },
                { status: 'granted', statusStartingTime: T0 - 30 * DAY },
              ],
            }),
          ],
        }),
        xa,
      ),
      T0,
    );
    const at = (now: number) =>
      codeOf(() => store.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, now }));
    expect(at(withdrawnAt - 1)).toBe('ACCEPTED');
    expect(at(withdrawnAt)).toBe('ISSUER_WITHDRAWN');
    expect(at(withdrawnAt + 1)).toBe('ISSUER_WITHDRAWN');
    expect(at(T0 - 15 * DAY)).toBe('ISSUER_WITHDRAWN');
    expect(at(T0 - 25 * DAY)).toBe('ACCEPTED');
    expect(at(T0 - 31 * DAY)).toBe('ISSUER_WITHDRAWN');
  });

  it("refuses times outside the issuer's validity period and outside its key certificate", async () => {
    const store = newStore();
    const certificate = await certificateFor(xaIssuerKey, { notBefore: T0 - DAY, notAfter: T0 + DAY });
    await store.accept(
      await sign(
        xaList({
          issuers: [
            issuer(XA_ISSUER, xaIssuerKey, { validFrom: T0 - 2 * DAY, validUntil: T0 + 2 * DAY }),
            issuer(XB_ISSUER, xaIssuerKey, {
              keys: [
                {
                  kid: 'dsc',
                  jwk: xaIssuerKey.publicJwk,
                  x5c: [certificate],
                  notBefore: T0 - DAY,
                  notAfter: T0 + DAY,
                },
              ],
            }),
          ],
          recognitions: [],
        }),
        xa,
      ),
      T0,
    );
    const at = (iss: string, now: number) =>
      codeOf(() => store.resolveIssuer({ iss, credentialType: PID, now }));
    expect(at(XA_ISSUER, T0 - 2 * DAY - 1)).toBe('ISSUER_OUTSIDE_VALIDITY');
    expect(at(XA_ISSUER, T0 - 2 * DAY)).toBe('ACCEPTED');
    expect(at(XA_ISSUER, T0 + 2 * DAY)).toBe('ISSUER_OUTSIDE_VALIDITY');
    expect(at(XB_ISSUER, T0)).toBe('ACCEPTED');
    expect(at(XB_ISSUER, T0 - DAY - 1)).toBe('ISSUER_OUTSIDE_VALIDITY');
    expect(at(XB_ISSUER, T0 + DAY + 1)).toBe('ISSUER_OUTSIDE_VALIDITY');
  });

  it('keeps working after the next update inside the grace period and says so, then refuses', async () => {
    const store = newStore(3600);
    await store.accept(await sign(xaList(), xa), T0);
    const at = (now: number) => store.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, now }).provenance;
    expect(at(T0 + DAY).freshness).toBe('fresh');
    expect(at(T0 + DAY + 1).freshness).toBe('stale-in-grace');
    expect(at(T0 + DAY + 3600).freshness).toBe('stale-in-grace');
    expect(codeOf(() => at(T0 + DAY + 3601))).toBe('TRUST_LIST_EXPIRED');
    // A newer list restores it.
    await store.accept(
      await sign(xaList({ sequenceNumber: 2, issuedAt: T0 + DAY, nextUpdate: T0 + 3 * DAY }), xa),
      T0 + DAY + 3700,
    );
    expect(at(T0 + DAY + 3701).freshness).toBe('fresh');
  });
});

describe('the trust store: recognised jurisdictions', () => {
  it("accepts XB's identity credential for the purposes XA allows, and for nothing else", async () => {
    const store = await storeWithBoth();
    const resolved = store.resolveIssuer({
      iss: XB_ISSUER,
      credentialType: PID,
      purpose: 'travel',
      now: T0 + 60,
    });
    expect(resolved.keys).toEqual([{ kid: xbIssuerKey.kidJwk.kid, jwk: xbIssuerKey.publicJwk }]);
    expect(resolved.provenance).toMatchObject({
      jurisdiction: 'XB',
      sequenceNumber: 1,
      fetchedAt: T0 + 10,
      freshness: 'fresh',
      recognisedBy: { jurisdiction: 'XA', sequenceNumber: 1, fetchedAt: T0, freshness: 'fresh' },
    });
    const ask = (credentialType: string, purpose?: string) =>
      codeOf(() =>
        store.resolveIssuer({
          iss: XB_ISSUER,
          credentialType,
          now: T0 + 60,
          ...(purpose ? { purpose } : {}),
        }),
      );
    expect(ask(PID, 'age_verification')).toBe('ACCEPTED');
    expect(ask(PID, 'employment')).toBe('PURPOSE_NOT_RECOGNISED');
    expect(ask(PID)).toBe('PURPOSE_NOT_RECOGNISED');
    // XB lists its issuer for diplomas too; XA recognises XB for identity credentials only.
    expect(ask(DIPLOMA, 'travel')).toBe('CREDENTIAL_TYPE_NOT_ALLOWED');
  });

  it('refuses a list of a jurisdiction its own list does not recognise (TRUST_LIST_NOT_RECOGNISED)', async () => {
    const store = newStore();
    // No own list yet: nothing else can be recognised.
    expect(await rejection(store.accept(await sign(xbList(), xb), T0))).toBe('TRUST_LIST_NOT_RECOGNISED');
    await store.accept(await sign(xaList(), xa), T0);
    const xcList = list('XC', xc, { issuers: [issuer(XC_ISSUER, xcIssuerKey)] });
    // XB recognises XC, but recognition is not transitive.
    await store.accept(await sign(xbList(), xb), T0);
    expect(await rejection(store.accept(await sign(xcList, xc), T0))).toBe('TRUST_LIST_NOT_RECOGNISED');
  });

  it("refuses a recognised jurisdiction's list signed by another key than the recognised one", async () => {
    const store = newStore();
    await store.accept(await sign(xaList(), xa), T0);
    const byOther = list('XB', xc, { issuers: [issuer(XB_ISSUER, xcIssuerKey)] });
    expect(await rejection(store.accept(await sign(byOther, xc), T0))).toBe('TRUST_LIST_OPERATOR_UNTRUSTED');
  });

  it('stops accepting XB issuers when its own list drops or re-keys the recognition', async () => {
    const store = await storeWithBoth();
    const ask = () =>
      codeOf(() => store.resolveIssuer({ iss: XB_ISSUER, credentialType: PID, purpose: 'travel', now: T0 }));
    await store.accept(
      await sign(
        xaList({
          sequenceNumber: 2,
          recognitions: [recognition('XB', xc, { credentialTypes: [PID], purposes: ['travel'] })],
        }),
        xa,
      ),
      T0,
    );
    expect(ask()).toBe('ISSUER_UNKNOWN');
    await store.accept(await sign(xaList({ sequenceNumber: 3, recognitions: [] }), xa), T0);
    expect(ask()).toBe('ISSUER_UNKNOWN');
    expect(store.lists().find((entry) => entry.jurisdiction === 'XB')?.recognised).toBe(false);
    await store.accept(await sign(xaList({ sequenceNumber: 4 }), xa), T0);
    expect(ask()).toBe('ACCEPTED');
  });

  it('lets no other jurisdiction vouch for an own issuer, and refuses an issuer two recognised lists claim', async () => {
    const store = newStore();
    await store.accept(
      await sign(
        xaList({
          recognitions: [
            recognition('XB', xb, { credentialTypes: [PID], purposes: ['travel'] }),
            recognition('XC', xc, { credentialTypes: [PID], purposes: ['travel'] }),
          ],
        }),
        xa,
      ),
      T0,
    );
    // XB lists XA's issuer with XB's key: the own list alone decides for XA's issuers.
    const shadowing = xbList({ issuers: [issuer(XA_ISSUER, xbIssuerKey), issuer(XB_ISSUER, xbIssuerKey)] });
    await store.accept(await sign(shadowing, xb), T0);
    expect(
      store.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, purpose: 'travel', now: T0 }).keys[0]?.jwk,
    ).toEqual(xaIssuerKey.publicJwk);
    // XC claims XB's issuer too: ambiguous, refused.
    await store.accept(await sign(list('XC', xc, { issuers: [issuer(XB_ISSUER, xcIssuerKey)] }), xc), T0);
    expect(
      codeOf(() => store.resolveIssuer({ iss: XB_ISSUER, credentialType: PID, purpose: 'travel', now: T0 })),
    ).toBe('ISSUER_UNKNOWN');
  });

  it('refuses a foreign issuer when either list is past its grace period', async () => {
    const store = newStore(0);
    await store.accept(await sign(xaList({ nextUpdate: T0 + 10 * DAY }), xa), T0);
    await store.accept(await sign(xbList(), xb), T0);
    const at = (now: number) =>
      codeOf(() => store.resolveIssuer({ iss: XB_ISSUER, credentialType: PID, purpose: 'travel', now }));
    expect(at(T0 + DAY)).toBe('ACCEPTED');
    expect(at(T0 + DAY + 1)).toBe('TRUST_LIST_EXPIRED');
    expect(store.resolveIssuer({ iss: XA_ISSUER, credentialType: PID, now: T0 + DAY + 1 }).keys).toHaveLength(
      1,
    );
  });

  it('lists the recognitions a fetcher should follow', async () => {
    const store = await storeWithBoth();
    expect(store.recognitions().map((r) => [r.jurisdiction, r.listUri])).toEqual([
      ['XB', 'https://xb.example/trust/list'],
    ]);
    expect(store.lists().map((entry) => [entry.jurisdiction, entry.recognised])).toEqual([
      ['XA', true],
      ['XB', true],
    ]);
  });
});

describe('the trust store: persisted state, offline', () => {
  it('round-trips through JSON: a new store restores it and resolves the same, offline', async () => {
    const store = await storeWithBoth();
    const state = JSON.parse(JSON.stringify(store.state()));
    const restored = newStore();
    expect(await restored.restore(state)).toEqual([]);
    const request = { iss: XB_ISSUER, credentialType: PID, purpose: 'travel', now: T0 + 60 };
    expect(restored.resolveIssuer(request)).toEqual(store.resolveIssuer(request));
    expect(restored.state()).toEqual(state);
  });

  it('keeps rollback protection across a restart, and re-verifies what it restores', async () => {
    const store = newStore();
    await store.accept(await sign(xaList({ sequenceNumber: 5 }), xa), T0);
    const state = store.state();
    const restored = newStore();
    await restored.restore(state);
    expect(await rejection(restored.accept(await sign(xaList({ sequenceNumber: 4 }), xa), T0))).toBe(
      'TRUST_LIST_ROLLBACK',
    );
    // Restored under other anchors: the list no longer verifies and is reported, not held.
    const elsewhere = createTrustStore({ home: { jurisdiction: 'XA', keys: [xb.kidJwk] }, crypto });
    expect(await elsewhere.restore(state)).toEqual([
      { jurisdiction: 'XA', code: 'TRUST_LIST_OPERATOR_UNTRUSTED' },
    ]);
    // A tampered cache is reported too.
    const [header, payload] = state.lists[0]!.jws.split('.');
    const tampered = { ...state, lists: [{ jws: `${header}.${payload}.AAAA`, fetchedAt: T0 }] };
    expect(await newStore().restore(tampered)).toEqual([{ jurisdiction: 'XA', code: 'SIGNATURE_INVALID' }]);
  });

  it('refuses a malformed state (MALFORMED)', async () => {
    for (const state of [
      null,
      {},
      { version: 2 },
      { version: 1, lists: {}, seen: {} },
      { version: 1, lists: [{ jws: 1 }], seen: {} },
      { version: 1, lists: [], seen: { xa: { sequenceNumber: 1, payload: 'p' } } },
    ]) {
      expect(await rejection(newStore().restore(state))).toBe('MALFORMED');
    }
  });

  it('treats a bad configuration as a caller bug', () => {
    expect(() => createTrustStore({ home: { jurisdiction: 'XA', keys: [] }, crypto })).toThrow(TypeError);
    expect(() =>
      createTrustStore({ home: { jurisdiction: 'XA', keys: [xa.kidJwk] }, crypto, graceSeconds: -1 }),
    ).toThrow(TypeError);
  });
});
