import type { PresentationRequestStore } from '@trieste/core';
import { AdapterError } from '../../errors.js';
import { cachedVerifierSigner, generateVerifierKey } from '../../keys/verifier-signing-key.js';
import {
  checkOutcome,
  checkPresentationRequest,
  isPresentationRequestId,
  openEncryptionKey,
  openResult,
  type PresentationStoreContext,
  requiredStatusEntries,
  sealEncryptionKey,
  sealResult,
} from '../presentation-request-checks.js';
import type { MemoryScope } from './memory-store-data.js';

export function memoryPresentationRequestStore(
  scope: MemoryScope,
  context: PresentationStoreContext,
  now: () => number,
): PresentationRequestStore {
  const { encryptionKey, signers } = context;
  return {
    async create(record, secrets) {
      checkPresentationRequest(record);
      const copy = structuredClone(record);
      const sealedKey = secrets?.encryptionKey
        ? sealEncryptionKey(encryptionKey, record.id, secrets.encryptionKey)
        : undefined;
      await scope.run((state) => {
        for (const existing of state.presentationRequests.values()) {
          const r = existing.record;
          if (r.id === copy.id || r.nonce === copy.nonce || r.state === copy.state) {
            throw new AdapterError('DUPLICATE', 'a presentation request with this id, nonce or state exists');
          }
        }
        state.presentationRequests.set(copy.id, { record: copy, ...(sealedKey ? { sealedKey } : {}) });
      });
    },
    get: (id) =>
      scope.run((state) => {
        const entry = isPresentationRequestId(id) ? state.presentationRequests.get(id) : undefined;
        return entry && structuredClone(entry.record);
      }),
    async encryptionKey(id) {
      const sealed = await scope.run((state) =>
        isPresentationRequestId(id) ? state.presentationRequests.get(id)?.sealedKey : undefined,
      );
      return sealed && openEncryptionKey(encryptionKey, id, sealed);
    },
    async complete(id, outcome) {
      checkOutcome(outcome);
      const sealedResult = outcome.result ? sealResult(encryptionKey, id, outcome.result) : undefined;
      return scope.run((state) => {
        const entry = isPresentationRequestId(id) ? state.presentationRequests.get(id) : undefined;
        if (entry?.record.status !== 'pending') return undefined;
        const valid = requiredStatusEntries(outcome).every(
          ({ listId, idx }) => state.lists.get(listId)?.entries.get(idx) === 0,
        );
        if (!valid) return undefined;
        entry.record = {
          ...entry.record,
          status: outcome.status,
          answeredAt: outcome.answeredAt,
          deleteAt: outcome.deleteAt,
          ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        };
        // The decryption key has done its one job: it is not kept past the answer.
        delete entry.sealedKey;
        if (sealedResult) entry.sealedResult = sealedResult;
        return structuredClone(entry.record);
      });
    },
    async result(id) {
      const sealed = await scope.run((state) =>
        isPresentationRequestId(id) ? state.presentationRequests.get(id)?.sealedResult : undefined,
      );
      return sealed && openResult(encryptionKey, id, sealed);
    },
    delete: (id) =>
      scope.run((state) => isPresentationRequestId(id) && state.presentationRequests.delete(id)),
    deleteExpired: (at) =>
      scope.run((state) => {
        let deleted = 0;
        for (const [id, entry] of state.presentationRequests) {
          if (entry.record.deleteAt <= at) {
            state.presentationRequests.delete(id);
            deleted++;
          }
        }
        return deleted;
      }),
    async signer() {
      const stored = await scope.run((state) => {
        state.verifierKey ??= generateVerifierKey(encryptionKey, now()).stored;
        return state.verifierKey;
      });
      return cachedVerifierSigner(signers, encryptionKey, stored);
    },
  };
}
