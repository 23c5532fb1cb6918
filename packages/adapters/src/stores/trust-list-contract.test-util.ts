import {
  type Clock,
  isTriesteError,
  type Recognition,
  type Stores,
  type TrustedIssuer,
  type TrustListVersion,
  utf8Encode,
} from '@trieste/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../crypto/node-crypto.js';
import { isAdapterError } from '../errors.js';
import { generateMasterKey } from '../keys/master-key.js';
import { openSealedPrivateKey } from '../keys/seal-private-key.js';
import { deriveTrustListKeyEncryptionKey } from '../trust-list/trust-list-signing-key.js';
import { type StoresHarness, secretForms } from './stores-contract.test-util.js';

const crypto = nodeCrypto();
const TABLES =
  'trust_list_state, trust_list_issuers, trust_list_recognitions, trust_list_versions, trust_list_keys, trust_list_cache';

function codeOf(error: unknown): string | undefined {
  return isTriesteError(error) || isAdapterError(error) ? error.code : undefined;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a rejection with ${code}`).toBeDefined();
  expect(codeOf(error)).toBe(code);
}

function issuerEntry(id: string, overrides: Partial<TrustedIssuer> = {}): TrustedIssuer {
  const jwk = nodeSigner(generatePrivateJwk('ES256')).publicJwk;
  return {
    id,
    name: `Issuer ${id}`,
    keys: [{ kid: 'k1', jwk }],
    credentialTypes: ['urn:example:id:1'],
    validFrom: 1_750_000_000,
    status: 'granted',
    statusStartingTime: 1_750_000_000,
    history: [],
    ...overrides,
  };
}

function recognition(jurisdiction: string): Recognition {
  const jwk = nodeSigner(generatePrivateJwk('EdDSA')).publicJwk;
  return {
    jurisdiction,
    operatorName: `Operator of ${jurisdiction}`,
    listUri: `https://${jurisdiction.toLowerCase()}.example/trust/list`,
    operatorKeys: [{ ...jwk, kid: 'op-1' }],
    credentialTypes: ['urn:example:id:1'],
    purposes: ['age_verification'],
  };
}

const version = (sequenceNumber: number, jws = `jws-${sequenceNumber}`): TrustListVersion => ({
  sequenceNumber,
  jws,
  issuedAt: 1_750_000_000 + sequenceNumber,
  nextUpdate: 1_750_086_400 + sequenceNumber,
  signedBy: 'kid',
});

/**
 * The TrustListStore contract (ports.ts), run on every Stores implementation beside the main
 * contract suite: call it from each `*-stores.test.ts` with the same harness.
 */
export function describeTrustListStoreContract(name: string, harness: StoresHarness): void {
  describe(`TrustListStore contract: ${name}`, () => {
    const masterKey = generateMasterKey();
    let now = 1_750_000_000;
    const clock: Clock = { now: () => now };
    let stores: Stores;

    beforeAll(() => harness.setup());
    afterAll(() => harness.teardown());
    beforeEach(async () => {
      await harness.reset();
      // The main suite's reset does not know these tables; TRUNCATE fires no row trigger.
      await harness.sql?.(`TRUNCATE ${TABLES}`);
      now = 1_750_000_000;
      stores = await harness.open({ masterKey, clock });
    });

    describe('versions', () => {
      it('numbers versions 1, 2, 3… under the lock and refuses any other number with DUPLICATE', async () => {
        expect(await stores.trustLists.lock()).toBe(0);
        expect(await stores.trustLists.latestVersion()).toBeUndefined();
        await rejectsWithCode(stores.trustLists.saveVersion(version(2)), 'DUPLICATE');
        await stores.trustLists.saveVersion(version(1));
        await stores.trustLists.saveVersion(version(2));
        await rejectsWithCode(stores.trustLists.saveVersion(version(2, 'other')), 'DUPLICATE');
        await rejectsWithCode(stores.trustLists.saveVersion(version(4)), 'DUPLICATE');
        expect(await stores.trustLists.lock()).toBe(2);
        expect(await stores.trustLists.latestVersion()).toEqual(version(2));
        expect(await stores.trustLists.getVersion(1)).toEqual(version(1));
        expect(await stores.trustLists.getVersion(3)).toBeUndefined();
        expect(await stores.trustLists.getVersion(0)).toBeUndefined();
      });

      it('refuses a malformed version as a caller bug', async () => {
        await expect(stores.trustLists.saveVersion({ ...version(1), nextUpdate: 0 })).rejects.toThrow(
          TypeError,
        );
        await expect(stores.trustLists.saveVersion({ ...version(1), sequenceNumber: 1.5 })).rejects.toThrow(
          TypeError,
        );
      });

      it('gives concurrent changes consecutive numbers: each takes the lock, then publishes last + 1', async () => {
        const change = () =>
          stores.transaction(async (tx) => {
            const last = await tx.trustLists.lock();
            await tx.trustLists.saveVersion(version(last + 1));
            return last + 1;
          });
        const numbers = await Promise.all([change(), change(), change(), change()]);
        expect([...numbers].sort()).toEqual([1, 2, 3, 4]);
        expect((await stores.trustLists.latestVersion())?.sequenceNumber).toBe(4);
      });

      it('keeps published versions append-only in the schema', async () => {
        if (!harness.sql) return;
        await stores.trustLists.saveVersion(version(1));
        await expect(harness.sql("UPDATE trust_list_versions SET jws = 'x'")).rejects.toThrow(/append-only/);
        await expect(harness.sql('DELETE FROM trust_list_versions')).rejects.toThrow(/append-only/);
      });
    });

    describe('entries', () => {
      it('inserts, replaces and lists issuers by id', async () => {
        await stores.trustLists.putIssuer(issuerEntry('https://b.example'));
        const a = issuerEntry('https://a.example');
        await stores.trustLists.putIssuer(a);
        const withdrawn: TrustedIssuer = {
          ...a,
          status: 'withdrawn',
          statusStartingTime: 1_750_000_500,
          history: [{ status: 'granted', statusStartingTime: 1_750_000_000 }],
        };
        await stores.trustLists.putIssuer(withdrawn);
        expect(await stores.trustLists.getIssuer('https://a.example')).toEqual(withdrawn);
        expect((await stores.trustLists.issuers()).map((issuer) => issuer.id)).toEqual([
          'https://a.example',
          'https://b.example',
        ]);
        expect(await stores.trustLists.getIssuer('https://nobody.example')).toBeUndefined();
      });

      it('refuses an entry the list could not carry (TypeError): no key, a bad history', async () => {
        await expect(stores.trustLists.putIssuer(issuerEntry('x', { keys: [] }))).rejects.toThrow(TypeError);
        await expect(
          stores.trustLists.putIssuer(
            issuerEntry('x', { history: [{ status: 'granted', statusStartingTime: 1_760_000_000 }] }),
          ),
        ).rejects.toThrow(TypeError);
        expect(await stores.trustLists.issuers()).toEqual([]);
      });

      it('stores what the list carries: a private JWK given by mistake keeps only its public members', async () => {
        const d = generatePrivateJwk('ES256');
        await stores.trustLists.putIssuer(issuerEntry('x', { keys: [{ kid: 'k', jwk: d }] }));
        const stored = await stores.trustLists.getIssuer('x');
        expect(stored?.keys[0]?.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: d.x, y: d.y });
        expect(JSON.stringify(stored)).not.toContain(d.d);
      });

      it('inserts, replaces, lists and deletes recognitions', async () => {
        await stores.trustLists.putRecognition(recognition('XC'));
        const xb = recognition('XB');
        await stores.trustLists.putRecognition(xb);
        const narrowed = { ...xb, purposes: ['identity_verification'] };
        await stores.trustLists.putRecognition(narrowed);
        expect(await stores.trustLists.recognitions()).toEqual([
          narrowed,
          expect.objectContaining({ jurisdiction: 'XC' }),
        ]);
        expect(await stores.trustLists.deleteRecognition('XC')).toBe(true);
        expect(await stores.trustLists.deleteRecognition('XC')).toBe(false);
        expect(await stores.trustLists.recognitions()).toEqual([narrowed]);
        await expect(stores.trustLists.putRecognition({ ...xb, jurisdiction: 'xb' })).rejects.toThrow(
          TypeError,
        );
      });
    });

    describe('operator keys', () => {
      it('creates one active ES256 key on first use, that signs verifiably and is the same afterwards', async () => {
        expect(await stores.trustLists.keys()).toEqual([]);
        const [first, second] = await Promise.all([stores.trustLists.signer(), stores.trustLists.signer()]);
        expect(first.kid).toBe(second.kid);
        const keys = await stores.trustLists.keys();
        expect(keys).toEqual([
          { kid: first.kid, alg: 'ES256', publicJwk: first.publicJwk, state: 'active', createdAt: now },
        ]);
        const data = utf8Encode('trust list');
        expect(await crypto.verify('ES256', first.publicJwk, data, await first.sign(data))).toBe(true);
        // Another opening of the same data decrypts the same key.
        const reopened = await harness.open({ masterKey, clock });
        expect((await reopened.trustLists.signer()).kid).toBe(first.kid);
      });

      it('refuses to open the key under another master key (MASTER_KEY_INVALID)', async () => {
        await stores.trustLists.signer();
        const other = await harness.open({ masterKey: generateMasterKey(), clock });
        await rejectsWithCode(other.trustLists.signer(), 'MASTER_KEY_INVALID');
      });

      it('prepares one pending key, then rotates to it and retires the active key', async () => {
        const first = await stores.trustLists.signer();
        now += 10;
        const pending = await stores.trustLists.prepareKey('EdDSA');
        expect(pending).toMatchObject({ alg: 'EdDSA', state: 'pending', createdAt: now });
        await rejectsWithCode(stores.trustLists.prepareKey(), 'DUPLICATE');
        expect((await stores.trustLists.signer()).kid).toBe(first.kid);
        now += 10;
        const { activated, retired } = await stores.trustLists.rotateKey();
        expect(activated).toMatchObject({ kid: pending.kid, state: 'active' });
        expect(retired).toEqual([
          expect.objectContaining({ kid: first.kid, state: 'retired', retiredAt: now }),
        ]);
        const signer = await stores.trustLists.signer();
        expect(signer.kid).toBe(pending.kid);
        expect(signer.alg).toBe('EdDSA');
        // Without a pending key, a rotation creates the new key (of the current algorithm).
        now += 10;
        const again = await stores.trustLists.rotateKey();
        expect(again.activated).toMatchObject({ alg: 'EdDSA', state: 'active', createdAt: now });
        expect(again.retired.map((key) => key.kid)).toEqual([pending.kid]);
        const states = (await stores.trustLists.keys()).map((key) => key.state).sort();
        expect(states).toEqual(['active', 'retired', 'retired']);
      });

      it('never returns or stores the private key in the clear', async () => {
        const signer = await stores.trustLists.signer();
        await stores.trustLists.prepareKey();
        expect(JSON.stringify(await stores.trustLists.keys())).not.toMatch(/"d"/);
        if (!harness.sql) return;
        const rows = (await harness.sql(
          'SELECT row_to_json(k)::text AS text, private_key_ciphertext AS c, private_key_nonce AS n FROM trust_list_keys k WHERE kid = $1',
          [signer.kid],
        )) as Array<{ text: string; c: Uint8Array; n: Uint8Array }>;
        const row = rows[0]!;
        const jwk = openSealedPrivateKey(
          deriveTrustListKeyEncryptionKey(masterKey),
          `trust-list:${signer.kid}`,
          { ciphertext: new Uint8Array(row.c), nonce: new Uint8Array(row.n) },
        );
        for (const form of secretForms(jwk.d)) expect(row.text).not.toContain(form);
        expect(row.text).not.toMatch(/\\?"d\\?"\s*:/);
      });
    });

    describe("the verifier's cache", () => {
      it('keeps the newest list per jurisdiction and refuses an older one with TRUST_LIST_ROLLBACK', async () => {
        await stores.trustLists.saveCachedList({
          jurisdiction: 'XB',
          jws: 'b5',
          sequenceNumber: 5,
          fetchedAt: 1,
        });
        await stores.trustLists.saveCachedList({
          jurisdiction: 'XA',
          jws: 'a1',
          sequenceNumber: 1,
          fetchedAt: 2,
        });
        await rejectsWithCode(
          stores.trustLists.saveCachedList({
            jurisdiction: 'XB',
            jws: 'b4',
            sequenceNumber: 4,
            fetchedAt: 3,
          }),
          'TRUST_LIST_ROLLBACK',
        );
        await stores.trustLists.saveCachedList({
          jurisdiction: 'XB',
          jws: 'b5',
          sequenceNumber: 5,
          fetchedAt: 9,
        });
        await stores.trustLists.saveCachedList({
          jurisdiction: 'XA',
          jws: 'a2',
          sequenceNumber: 2,
          fetchedAt: 9,
        });
        expect(await stores.trustLists.cachedLists()).toEqual([
          { jurisdiction: 'XA', jws: 'a2', sequenceNumber: 2, fetchedAt: 9 },
          { jurisdiction: 'XB', jws: 'b5', sequenceNumber: 5, fetchedAt: 9 },
        ]);
        await expect(
          stores.trustLists.saveCachedList({ jurisdiction: 'xa', jws: 'a', sequenceNumber: 3, fetchedAt: 1 }),
        ).rejects.toThrow(TypeError);
      });
    });

    describe('transactions', () => {
      it('rolls back entries, versions and keys with the transaction', async () => {
        const failure = new Error('change failed');
        await expect(
          stores.transaction(async (tx) => {
            await tx.trustLists.lock();
            await tx.trustLists.putIssuer(issuerEntry('https://a.example'));
            await tx.trustLists.putRecognition(recognition('XB'));
            await tx.trustLists.signer();
            await tx.trustLists.saveVersion(version(1));
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await stores.trustLists.issuers()).toEqual([]);
        expect(await stores.trustLists.recognitions()).toEqual([]);
        expect(await stores.trustLists.keys()).toEqual([]);
        expect(await stores.trustLists.latestVersion()).toBeUndefined();
        expect(await stores.trustLists.lock()).toBe(0);
      });
    });
  });
}
