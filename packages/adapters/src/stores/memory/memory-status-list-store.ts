import {
  type Clock,
  randomIndex,
  type StatusListInfo,
  type StatusListStore,
  TriesteError,
} from '@trieste/core';
import { AdapterError } from '../../errors.js';
import { checkIndex, newStatusListId } from '../record-checks.js';
import {
  allocationCap,
  checkBits,
  checkSize,
  checkStatusValue,
  MAX_INDEX_PICKS,
  type ResolvedStatusListOptions,
} from '../status-list-options.js';
import type { MemoryList, MemoryScope, MemoryState } from './memory-store-data.js';

/** The same rules as the SQL store; every operation is one synchronous section, so atomic. */
export function memoryStatusListStore(
  scope: MemoryScope,
  clock: Clock,
  defaults: ResolvedStatusListOptions,
): StatusListStore {
  const outOfRange = () =>
    new TriesteError('STATUS_INDEX_OUT_OF_RANGE', 'status index was not allocated in this list');

  const newList = (state: MemoryState, bits: 1 | 2 | 4 | 8, size: number): MemoryList => {
    const list: MemoryList = {
      info: { id: newStatusListId(), bits, size, allocated: 0, createdAt: clock.now(), revision: 0 },
      entries: new Map(),
      versions: [],
    };
    state.lists.set(list.info.id, list);
    return list;
  };

  const ordered = (state: MemoryState) =>
    [...state.lists.values()].sort(
      (a, b) => a.info.createdAt - b.info.createdAt || (a.info.id < b.info.id ? -1 : 1),
    );

  const allocatedEntry = (state: MemoryState, listId: string, idx: number) => {
    const list = state.lists.get(listId);
    const status = list?.entries.get(idx);
    if (!list || status === undefined) throw outOfRange();
    return { list, status };
  };

  return {
    async createList({ bits, size }) {
      checkBits(bits);
      checkSize(size);
      return scope.run((state) => copyInfo(newList(state, bits, size).info));
    },

    getList: (id) =>
      scope.run((state) => {
        const list = state.lists.get(id);
        return list && copyInfo(list.info);
      }),

    lists: () => scope.run((state) => ordered(state).map((list) => copyInfo(list.info))),

    async allocate(random, options = {}) {
      const bits = options.bits ?? defaults.bits;
      const size = options.size ?? defaults.size;
      checkBits(bits);
      checkSize(size);
      const cap = allocationCap(size, defaults.fillThreshold);
      return scope.run((state) => {
        const list =
          ordered(state).find(
            (l) => l.info.bits === bits && l.info.size === size && l.info.allocated < cap,
          ) ?? newList(state, bits, size);
        for (let pick = 0; pick < MAX_INDEX_PICKS; pick++) {
          const idx = randomIndex(random, size);
          if (!list.entries.has(idx)) {
            list.entries.set(idx, 0);
            list.info.allocated++;
            return { listId: list.info.id, idx };
          }
        }
        throw new TriesteError('STATUS_LIST_FULL', 'no free status index found in the open list');
      });
    },

    async setStatus(listId, idx, status, options) {
      checkIndex(idx);
      return scope.run((state) => {
        const { list, status: previous } = allocatedEntry(state, listId, idx);
        checkStatusValue(status, list.info.bits);
        if (previous !== status && options?.final?.includes(previous)) {
          throw new TriesteError(
            'STATUS_TRANSITION_NOT_ALLOWED',
            'the entry has a final status and cannot change',
          );
        }
        if (previous !== status) {
          list.entries.set(idx, status);
          list.info.revision++;
        }
        return { previous, revision: list.info.revision };
      });
    },

    async getStatus(listId, idx) {
      checkIndex(idx);
      return scope.run((state) => allocatedEntry(state, listId, idx).status);
    },

    snapshot: (listId) =>
      scope.run((state) => {
        const list = state.lists.get(listId);
        if (!list) throw new AdapterError('NOT_FOUND', 'no such status list');
        const entries = [...list.entries]
          .filter(([, status]) => status !== 0)
          .sort(([a], [b]) => a - b)
          .map(([idx, status]) => ({ idx, status }));
        return { list: copyInfo(list.info), entries };
      }),

    saveVersion: (version) =>
      scope.run((state) => {
        const list = state.lists.get(version.listId);
        if (!list) throw new AdapterError('NOT_FOUND', 'no such status list');
        if (
          !Number.isSafeInteger(version.revision) ||
          version.revision < 0 ||
          version.revision > list.info.revision
        ) {
          throw new TypeError('version revision must be an integer between 0 and the list revision');
        }
        const saved = { ...structuredClone(version), version: list.versions.length + 1 };
        list.versions.push(saved);
        return structuredClone(saved);
      }),

    latestVersion: (listId) =>
      scope.run((state) => {
        const latest = state.lists.get(listId)?.versions.at(-1);
        return latest && structuredClone(latest);
      }),
  };
}

function copyInfo(info: StatusListInfo): StatusListInfo {
  return { ...info };
}
