import { TriesteError, type TrustListKeyRecord, type TrustListStore } from '@trieste/core';
import { AdapterError } from '../../errors.js';
import {
  checkCachedList,
  checkKeyAlg,
  checkRecognition,
  checkTrustedIssuer,
  checkVersion,
} from '../../trust-list/trust-list-record-checks.js';
import {
  cachedTrustListSigner,
  generateTrustListKey,
  type StoredTrustListKey,
} from '../../trust-list/trust-list-signing-key.js';
import type { TrustListStoreContext } from '../sql/sql-trust-list-store.js';
import type { MemoryScope, MemoryTrustLists } from './memory-store-data.js';

/**
 * The same rules as the SQL store. Every operation is one synchronous section of the scope, so
 * atomic; `lock` has nothing to lock (memory transactions run one at a time) and only reads.
 */
export function memoryTrustListStore(scope: MemoryScope, context: TrustListStoreContext): TrustListStore {
  const { clock, encryptionKey, signers } = context;
  const run = <T>(section: (data: MemoryTrustLists) => T) => scope.run((state) => section(state.trustLists));
  const records = (data: MemoryTrustLists) =>
    [...data.keys.values()].map((key) => structuredClone(key.record));
  const signerOf = (stored: StoredTrustListKey) =>
    cachedTrustListSigner(signers, encryptionKey, stored.record.kid, stored.record.publicJwk, stored.sealed);
  const byState = (data: MemoryTrustLists, state: TrustListKeyRecord['state']) =>
    [...data.keys.values()].find((key) => key.record.state === state);

  return {
    lock: () => run((data) => data.lastSequence),

    issuers: () =>
      run((data) =>
        [...data.issuers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((i) => structuredClone(i)),
      ),

    getIssuer: (id) => run((data) => structuredClone(data.issuers.get(id))),

    async putIssuer(issuer) {
      const checked = checkTrustedIssuer(issuer);
      await run((data) => void data.issuers.set(checked.id, structuredClone(checked)));
    },

    recognitions: () =>
      run((data) =>
        [...data.recognitions.values()]
          .sort((a, b) => (a.jurisdiction < b.jurisdiction ? -1 : 1))
          .map((r) => structuredClone(r)),
      ),

    async putRecognition(recognition) {
      const checked = checkRecognition(recognition);
      await run((data) => void data.recognitions.set(checked.jurisdiction, structuredClone(checked)));
    },

    deleteRecognition: (jurisdiction) => run((data) => data.recognitions.delete(jurisdiction)),

    async saveVersion(version) {
      checkVersion(version);
      await run((data) => {
        if (version.sequenceNumber !== data.lastSequence + 1) {
          throw new AdapterError('DUPLICATE', 'the trust list version is not the next sequence number');
        }
        data.versions.push(structuredClone(version));
        data.lastSequence = version.sequenceNumber;
      });
    },

    latestVersion: () => run((data) => structuredClone(data.versions.at(-1))),

    getVersion: (sequenceNumber) =>
      run((data) => structuredClone(data.versions.find((v) => v.sequenceNumber === sequenceNumber))),

    keys: () => run(records),

    async signer() {
      const created: { signer?: ReturnType<typeof generateTrustListKey>['signer'] } = {};
      const stored = await run((data) => {
        const active = byState(data, 'active');
        if (active) return active;
        const generated = generateTrustListKey(encryptionKey, 'ES256', 'active', clock.now());
        data.keys.set(generated.stored.record.kid, generated.stored);
        created.signer = generated.signer;
        return generated.stored;
      });
      if (created.signer) {
        signers.set(created.signer);
        return created.signer;
      }
      return signerOf(stored);
    },

    async prepareKey(alg) {
      checkKeyAlg(alg);
      return run((data) => {
        if (byState(data, 'pending')) {
          throw new AdapterError('DUPLICATE', 'a pending trust list key exists already');
        }
        const chosen = alg ?? byState(data, 'active')?.record.alg ?? 'ES256';
        const generated = generateTrustListKey(encryptionKey, chosen, 'pending', clock.now());
        data.keys.set(generated.stored.record.kid, generated.stored);
        signers.set(generated.signer);
        return structuredClone(generated.stored.record);
      });
    },

    async rotateKey(alg) {
      checkKeyAlg(alg);
      return run((data) => {
        const now = clock.now();
        const pending = byState(data, 'pending');
        const current = byState(data, 'active');
        const retired: TrustListKeyRecord[] = [];
        if (current) {
          current.record.state = 'retired';
          current.record.retiredAt = now;
          retired.push(structuredClone(current.record));
        }
        let activated: TrustListKeyRecord;
        if (pending) {
          pending.record.state = 'active';
          activated = structuredClone(pending.record);
        } else {
          const generated = generateTrustListKey(
            encryptionKey,
            alg ?? current?.record.alg ?? 'ES256',
            'active',
            now,
          );
          data.keys.set(generated.stored.record.kid, generated.stored);
          signers.set(generated.signer);
          activated = structuredClone(generated.stored.record);
        }
        return { activated, retired };
      });
    },

    async saveCachedList(list) {
      checkCachedList(list);
      await run((data) => {
        const current = data.cache.get(list.jurisdiction);
        if (current && current.sequenceNumber > list.sequenceNumber) {
          throw new TriesteError('TRUST_LIST_ROLLBACK', 'a newer list of this jurisdiction is cached');
        }
        data.cache.set(list.jurisdiction, structuredClone(list));
      });
    },

    cachedLists: () =>
      run((data) =>
        [...data.cache.values()]
          .sort((a, b) => (a.jurisdiction < b.jurisdiction ? -1 : 1))
          .map((list) => structuredClone(list)),
      ),
  };
}
