import type { IssuerKeyRecord, TransparencyLogStore } from '@trieste/core';
import type { IssuerKeyRepository } from '../../keys/issuer-key-repository.js';
import type { MemoryScope, MemoryState } from './memory-store-data.js';

/** `log(scope)`: the log store over the same scope, so entries join the key change's transaction. */
export function memoryIssuerKeyRepository(
  scope: MemoryScope,
  log: (scope: MemoryScope) => Pick<TransparencyLogStore, 'append'>,
): IssuerKeyRepository {
  const records = (state: MemoryState) =>
    [...state.keys.values()]
      .map((key) => key.record)
      .sort((a, b) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : 1));
  return {
    async insert(record, sealed) {
      const copy = structuredClone({ record, sealed });
      await scope.run((state) => {
        if (state.keys.has(record.kid)) throw new Error('issuer key exists already');
        state.keys.set(record.kid, copy);
      });
    },
    list: () => scope.run((state) => records(state).map(clone)),
    get: (kid) => scope.run((state) => clone(state.keys.get(kid)?.record)),
    active: () => scope.run((state) => clone(records(state).find((r) => r.state === 'active'))),
    sealed: (kid) =>
      scope.run((state) => {
        const key = state.keys.get(kid);
        return key && structuredClone(key.sealed);
      }),
    activatePending: (kid) =>
      scope.run((state) => {
        const record = state.keys.get(kid)?.record;
        if (record?.state !== 'pending') return undefined;
        record.state = 'active';
        return structuredClone(record);
      }),
    retireActive: (at) =>
      scope.run((state) =>
        records(state)
          .filter((record) => record.state === 'active')
          .map((record) => {
            record.state = 'retired';
            record.retiredAt = at;
            return structuredClone(record);
          }),
      ),
    appendLogEntry: (entry) => log(scope).append(entry),
    exclusive: (work) => scope.transaction((tx) => work(memoryIssuerKeyRepository(tx, log))),
  };
}

function clone<T extends IssuerKeyRecord | undefined>(record: T): T {
  return record && structuredClone(record);
}
