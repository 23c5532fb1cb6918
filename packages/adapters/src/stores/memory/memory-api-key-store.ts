import type { ApiKeyStore, Clock } from '@trieste/core';
import { AdapterError } from '../../errors.js';
import { checkApiKey, isApiKeyId } from '../api-key-checks.js';
import type { MemoryScope } from './memory-store-data.js';

export function memoryApiKeyStore(scope: MemoryScope, clock: Clock): ApiKeyStore {
  return {
    async insert(record, secretHash) {
      checkApiKey(record, secretHash);
      const copy = { record: structuredClone(record), secretHash: new Uint8Array(secretHash) };
      await scope.run((state) => {
        if (state.apiKeys.has(copy.record.id)) {
          throw new AdapterError('DUPLICATE', 'an API key with this id exists already');
        }
        state.apiKeys.set(copy.record.id, copy);
      });
    },
    find: (id) =>
      scope.run((state) => {
        const key = isApiKeyId(id) ? state.apiKeys.get(id) : undefined;
        return key && { record: structuredClone(key.record), secretHash: new Uint8Array(key.secretHash) };
      }),
    list: () =>
      scope.run((state) =>
        [...state.apiKeys.values()]
          .map((key) => structuredClone(key.record))
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      ),
    revoke: (id) =>
      scope.run((state) => {
        const key = isApiKeyId(id) ? state.apiKeys.get(id) : undefined;
        if (!key) throw new AdapterError('NOT_FOUND', 'no such API key');
        key.record.revokedAt ??= clock.now();
        return structuredClone(key.record);
      }),
  };
}
