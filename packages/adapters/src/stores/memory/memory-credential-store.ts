import { type CredentialStore, TriesteError } from '@trieste/core';
import { AdapterError } from '../../errors.js';
import { checkCredentialRecord, checkPage } from '../record-checks.js';
import type { MemoryScope } from './memory-store-data.js';

export function memoryCredentialStore(scope: MemoryScope): CredentialStore {
  return {
    async insert(record) {
      checkCredentialRecord(record);
      const copy = structuredClone(record);
      await scope.run((state) => {
        const hasStatus = copy.statusListId !== undefined && copy.statusIndex !== undefined;
        if (hasStatus && !state.lists.get(copy.statusListId!)?.entries.has(copy.statusIndex!)) {
          throw new TriesteError(
            'STATUS_INDEX_OUT_OF_RANGE',
            'credential refers to an unallocated status entry',
          );
        }
        for (const existing of state.credentials.values()) {
          if (
            existing.id === copy.id ||
            (hasStatus &&
              existing.statusListId === copy.statusListId &&
              existing.statusIndex === copy.statusIndex)
          ) {
            throw new AdapterError('DUPLICATE', 'a credential with this id or status entry exists already');
          }
        }
        state.credentials.set(copy.id, copy);
      });
    },
    get: (id) =>
      scope.run((state) => {
        const record = state.credentials.get(id);
        return record && structuredClone(record);
      }),
    async list(options) {
      const { limit, offset } = checkPage(options);
      return scope.run((state) =>
        [...state.credentials.values()]
          .sort((a, b) => a.issuedAt - b.issuedAt || compare(a.id, b.id))
          .slice(offset, offset + limit)
          .map((record) => structuredClone(record)),
      );
    },
  };
}

/** Code-point order, as PostgreSQL's C collation; the contract tests use ASCII ids only. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
