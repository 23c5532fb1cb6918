// The operator's use cases (core/src/trust-list) over real stores: every change publishes version
// last + 1, signed by the operator key, with a transparency log entry holding the JWS's hash.

import { createHash } from 'node:crypto';
import {
  addTrustedIssuer,
  type Clock,
  createTrustStore,
  isTriesteError,
  prepareTrustListKey,
  recogniseJurisdiction,
  refreshTrustList,
  rotateTrustListKey,
  type Stores,
  type TrustListContext,
  unrecogniseJurisdiction,
  utf8Decode,
  verifyTrustList,
  withdrawTrustedIssuer,
} from '@trieste/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../crypto/node-crypto.js';
import { openPgliteDatabase } from '../db/open-pglite-database.js';
import { isAdapterError } from '../errors.js';
import { generateMasterKey } from '../keys/master-key.js';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';
import { sqlHarness } from '../stores/sql/sql-harness.test-util.js';

const crypto = nodeCrypto();
const T0 = 1_780_000_000;
const XA_ISSUER = 'https://id.xa.example';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isTriesteError(error) || isAdapterError(error)) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

function publicKey(kid: string) {
  return { ...nodeSigner(generatePrivateJwk('ES256')).publicJwk, kid };
}

const TRUST_TABLES =
  'trust_list_state, trust_list_issuers, trust_list_recognitions, trust_list_versions, trust_list_keys, trust_list_cache';

// One PGlite database for the file, emptied between tests (a fresh one costs seconds).
const pglite = sqlHarness(async () => {
  const database = await openPgliteDatabase({ dataDir: 'memory://' });
  return { database, dispose: () => database.close() };
});

describe.each([
  ['in memory', undefined],
  ['on PGlite', pglite],
] as const)('trust list operator use cases %s', (_name, harness) => {
  let now = T0;
  const clock: Clock = { now: () => now };
  let stores: Stores;
  let context: TrustListContext;

  beforeAll(async () => harness?.setup());
  afterAll(async () => harness?.teardown());
  beforeEach(async () => {
    now = T0;
    if (harness) {
      await harness.reset();
      await harness.sql?.(`TRUNCATE ${TRUST_TABLES}`);
      stores = await harness.open({ masterKey: generateMasterKey(), clock });
    } else {
      stores = createMemoryStores({ clock });
    }
    await stores.keys.create('ES256', { activate: true });
    context = {
      stores,
      crypto,
      clock,
      operator: { name: 'Trust list operator of XA', jurisdiction: 'XA', uri: 'https://xa.example' },
      listUri: 'https://xa.example/trust/list',
      ownIssuer: { id: XA_ISSUER, name: 'Civil registry of XA', credentialTypes: ['urn:trieste:id:1'] },
    };
  });

  /** Verifies the latest version under the current operator keys, as a verifier of XA would. */
  async function latestList() {
    const version = (await stores.trustLists.latestVersion())!;
    const keys = (await stores.trustLists.keys()).map((key) => ({ ...key.publicJwk, kid: key.kid }));
    return { version, ...(await verifyTrustList(version.jws, { keys, crypto })) };
  }

  /** The log entries queued so far, decoded. */
  async function logEntries(): Promise<Array<Record<string, unknown>>> {
    await stores.log.sequence(crypto);
    const { size } = await stores.log.state();
    return (await stores.log.entries(0, size)).map((bytes) => JSON.parse(utf8Decode(bytes)));
  }

  it('publishes version 1 with the own issuer on first refresh, then only when due', async () => {
    const first = await refreshTrustList(context);
    expect(first?.sequenceNumber).toBe(1);
    const { list, version } = await latestList();
    expect(list.issuers.map((issuer) => [issuer.id, issuer.status, issuer.keys.length])).toEqual([
      [XA_ISSUER, 'granted', 1],
    ]);
    expect(list.operator.keys.map((key) => key.kid)).toEqual([version.signedBy]);
    expect(await refreshTrustList(context)).toBeUndefined();
    // An issuer key rotation reaches the list at the next refresh.
    await stores.keys.create('ES256');
    expect((await refreshTrustList(context))?.sequenceNumber).toBe(2);
    expect((await latestList()).list.issuers[0]!.keys).toHaveLength(2);
    // Near the next update (6 h before, by default) the list is re-issued.
    now = T0 + 86_400 - 6 * 3600;
    expect((await refreshTrustList(context))?.sequenceNumber).toBe(3);
    expect((await latestList()).list.issuedAt).toBe(now);
    const logged = (await logEntries()).filter((entry) => entry['type'] === 'trust-list/version');
    expect(logged.map((entry) => entry['sequenceNumber'])).toEqual([1, 2, 3]);
  });

  it('adds, withdraws and re-grants an issuer, each change a new version with its log entry', async () => {
    const key = publicKey('k-2026');
    const added = await addTrustedIssuer(context, {
      id: 'https://univ.xa.example',
      name: 'University of XA',
      keys: [key],
      credentialTypes: ['urn:trieste:diploma:1'],
    });
    expect(added.created).toBe(true);
    expect(added.version.sequenceNumber).toBe(1);
    now += 100;
    const withdrawn = await withdrawTrustedIssuer(context, 'https://univ.xa.example', { at: T0 + 50 });
    expect(withdrawn.version.sequenceNumber).toBe(2);
    expect(withdrawn.issuer).toMatchObject({
      status: 'withdrawn',
      statusStartingTime: T0 + 50,
      history: [{ status: 'granted', statusStartingTime: T0 }],
    });
    expect(await codeOf(withdrawTrustedIssuer(context, 'https://univ.xa.example'))).toBe(
      'STATUS_TRANSITION_NOT_ALLOWED',
    );
    expect(await codeOf(withdrawTrustedIssuer(context, 'https://nobody.example'))).toBe('ISSUER_UNKNOWN');
    now += 100;
    const regranted = await addTrustedIssuer(context, {
      id: 'https://univ.xa.example',
      name: 'University of XA',
      keys: [publicKey('k-2027')],
      credentialTypes: ['urn:trieste:diploma:1'],
    });
    expect(regranted.created).toBe(false);
    expect(regranted.issuer.history).toEqual([
      { status: 'withdrawn', statusStartingTime: T0 + 50 },
      { status: 'granted', statusStartingTime: T0 },
    ]);
    const { list, version } = await latestList();
    expect(version.sequenceNumber).toBe(3);
    expect(list.issuers[0]).toMatchObject({ status: 'granted', statusStartingTime: now });
    // A verifier of XA sees the withdrawal only between its dates.
    const store = createTrustStore({
      home: { jurisdiction: 'XA', keys: list.operator.keys },
      crypto,
    });
    await store.accept(version.jws, now);
    const at = (time: number) =>
      codeOf(
        Promise.resolve().then(() =>
          store.resolveIssuer({
            iss: 'https://univ.xa.example',
            credentialType: 'urn:trieste:diploma:1',
            now: time,
          }),
        ),
      );
    expect(await at(T0 + 10)).toBe('ACCEPTED');
    expect(await at(T0 + 60)).toBe('ISSUER_WITHDRAWN');
    expect(await at(now)).toBe('ACCEPTED');
    const logged = (await logEntries()).filter((entry) => entry['type'] === 'trust-list/version');
    expect(logged).toHaveLength(3);
    expect(logged[2]).toMatchObject({
      jurisdiction: 'XA',
      sequenceNumber: 3,
      listUri: 'https://xa.example/trust/list',
      kid: version.signedBy,
      sha256: createHash('sha256').update(version.jws).digest('base64url'),
    });
  });

  it('withdraws in the second of the grant by replacing it, and refuses a withdrawal dated before it', async () => {
    const input = { id: 'https://x.example', name: 'X', keys: [publicKey('k')], credentialTypes: ['t'] };
    await addTrustedIssuer(context, input);
    expect(await codeOf(withdrawTrustedIssuer(context, input.id, { at: T0 - 1 }))).toBe(
      'STATUS_TRANSITION_NOT_ALLOWED',
    );
    const { issuer } = await withdrawTrustedIssuer(context, input.id);
    expect(issuer).toMatchObject({ status: 'withdrawn', statusStartingTime: T0, history: [] });
    const regranted = await addTrustedIssuer(context, input);
    expect(regranted.issuer).toMatchObject({ status: 'granted', statusStartingTime: T0, history: [] });
    // A withdrawal planned for later blocks a grant before it.
    await withdrawTrustedIssuer(context, input.id, { at: T0 + 3600 });
    expect(await codeOf(addTrustedIssuer(context, input))).toBe('STATUS_TRANSITION_NOT_ALLOWED');
  });

  it('refuses bad input before publishing anything', async () => {
    const input = { id: 'https://x.example', name: 'X', keys: [publicKey('k')], credentialTypes: ['t'] };
    expect(await codeOf(addTrustedIssuer(context, { ...input, keys: [] }))).toBe('MALFORMED');
    expect(await codeOf(addTrustedIssuer(context, { ...input, keys: [{ kid: 'k', kty: 'RSA' }] }))).toBe(
      'KEY_INVALID',
    );
    expect(await codeOf(addTrustedIssuer(context, { ...input, keys: [generatePrivateJwk('ES256')] }))).toBe(
      'KEY_INVALID',
    );
    expect(await codeOf(addTrustedIssuer(context, { ...input, credentialTypes: [] }))).toBe('MALFORMED');
    expect(await stores.trustLists.latestVersion()).toBeUndefined();
  });

  it('recognises and unrecognises jurisdictions, scoped', async () => {
    const input = {
      jurisdiction: 'XB',
      operatorName: 'Trust list operator of XB',
      listUri: 'https://xb.example/trust/list',
      operatorKeys: [publicKey('xb-op')],
      credentialTypes: ['urn:trieste:id:1'],
      purposes: ['travel'],
    };
    expect((await recogniseJurisdiction(context, input)).created).toBe(true);
    expect(
      (await recogniseJurisdiction(context, { ...input, purposes: ['travel', 'banking'] })).created,
    ).toBe(false);
    expect((await latestList()).list.recognitions).toEqual([
      expect.objectContaining({ jurisdiction: 'XB', purposes: ['travel', 'banking'] }),
    ]);
    expect(await codeOf(recogniseJurisdiction(context, { ...input, jurisdiction: 'XA' }))).toBe('MALFORMED');
    expect((await unrecogniseJurisdiction(context, 'XB')).version.sequenceNumber).toBe(3);
    expect(await codeOf(unrecogniseJurisdiction(context, 'XB'))).toBe('TRUST_LIST_NOT_RECOGNISED');
    expect((await latestList()).list.recognitions).toEqual([]);
    expect((await stores.trustLists.latestVersion())?.sequenceNumber).toBe(3);
  });

  it('announces the next operator key, then signs with it; a verifier pinned to the old key refuses', async () => {
    const v1 = await refreshTrustList(context);
    const oldKid = v1!.signedBy;
    const oldKey = (await stores.trustLists.keys()).map((key) => ({ ...key.publicJwk, kid: key.kid }));
    const { prepared, version: v2 } = await prepareTrustListKey(context);
    expect(v2.signedBy).toBe(oldKid);
    expect((await latestList()).list.operator.keys.map((key) => key.kid).sort()).toEqual(
      [oldKid, prepared.kid].sort(),
    );
    expect(await codeOf(prepareTrustListKey(context))).toBe('DUPLICATE');
    const rotated = await rotateTrustListKey(context);
    expect(rotated.activated.kid).toBe(prepared.kid);
    expect(rotated.retired.map((key) => key.kid)).toEqual([oldKid]);
    expect(rotated.version).toMatchObject({ sequenceNumber: 3, signedBy: prepared.kid });
    expect((await latestList()).list.operator.keys.map((key) => key.kid)).toEqual([prepared.kid]);
    expect(await codeOf(verifyTrustList(rotated.version.jws, { keys: oldKey, crypto }))).toBe(
      'TRUST_LIST_OPERATOR_UNTRUSTED',
    );
  });
});
