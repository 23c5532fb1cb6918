import {
  type AccessRecord,
  type AdjudicationCase,
  type ImportRowResult,
  type MatchCandidate,
  type PersonRecord,
  type PersonVersion,
  type PreparedQueries,
  type RegistryStore,
  TriesteError,
  type VidRecord,
} from '@trieste/core';
import { AdapterError } from '../../errors.js';
import {
  checkCase,
  checkChange,
  checkId,
  checkImportRows,
  checkKeys,
  checkListPersons,
  checkNewPerson,
  checkVid,
  page,
  UIN_DRAWS,
  vidDigest,
} from '../../registry/registry-store-helpers.js';
import type { MemoryScope, MemoryState } from './memory-store-data.js';

/** The registry laid out like its tables (migration 0008). */
export interface MemoryRegistry {
  persons: Map<string, PersonRecord>;
  /** uin → person id. */
  uins: Map<string, string>;
  /** blocking key → person ids; and each person's keys, to replace them. */
  keys: Map<string, Set<string>>;
  personKeys: Map<string, string[]>;
  versions: Map<string, PersonVersion[]>;
  /** ward → guardian ids. */
  guardians: Map<string, string[]>;
  cases: Map<string, AdjudicationCase>;
  vids: Map<string, VidRecord>;
  /** hex HMAC of the VID → VID id. */
  vidDigests: Map<string, string>;
  accesses: Map<string, AccessRecord[]>;
  accessIds: Set<string>;
  credentials: Map<string, Array<{ id: string; at: number }>>;
  imports: Map<string, Map<string, ImportRowResult>>;
}

export function emptyMemoryRegistry(): MemoryRegistry {
  return {
    persons: new Map(),
    uins: new Map(),
    keys: new Map(),
    personKeys: new Map(),
    versions: new Map(),
    guardians: new Map(),
    cases: new Map(),
    vids: new Map(),
    vidDigests: new Map(),
    accesses: new Map(),
    accessIds: new Set(),
    credentials: new Map(),
    imports: new Map(),
  };
}

/** Lookups as `prepareQueries` gives them: checked, and copied. */
class PreparedLookups implements PreparedQueries {
  readonly lookups: number;
  constructor(readonly queries: ReadonlyArray<readonly string[]>) {
    this.lookups = queries.length;
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * The registry in memory, with the SQL store's contract. Memory transactions run one at a time,
 * so `lockKeys` has nothing to do. For tests and small fakes: every transaction copies the state.
 */
export function memoryRegistryStore(scope: MemoryScope, vidKey: Uint8Array): RegistryStore {
  const run = <T>(section: (registry: MemoryRegistry, state: MemoryState) => T) =>
    scope.run((state) => section(state.registry, state));
  const setKeys = (r: MemoryRegistry, id: string, keys: readonly string[]) => {
    for (const key of r.personKeys.get(id) ?? []) r.keys.get(key)?.delete(id);
    const unique = [...new Set(keys)];
    r.personKeys.set(id, unique);
    for (const key of unique) {
      const set = r.keys.get(key) ?? new Set<string>();
      set.add(id);
      r.keys.set(key, set);
    }
  };
  const checkGuardians = (r: MemoryRegistry, record: PersonRecord) => {
    for (const link of record.data.guardians ?? []) {
      if (!r.persons.has(link.personId))
        throw new TriesteError('PERSON_UNKNOWN', 'a guardian link names no registered person');
    }
  };
  const setGuardians = (r: MemoryRegistry, id: string, record: PersonRecord) => {
    r.guardians.set(
      id,
      (record.data.guardians ?? []).map((l) => l.personId),
    );
  };
  const copy = <T>(value: T): T => structuredClone(value);

  const store: RegistryStore = {
    async lockKeys(keys) {
      if (keys !== 'all') checkKeys(keys);
    },

    findCandidates: async (keys, options = {}) => {
      checkKeys(keys);
      const limit = options.limit ?? 2000;
      if (!Number.isInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer');
      return run((r) => {
        const ids = new Set<string>();
        for (const key of keys) for (const id of r.keys.get(key) ?? []) ids.add(id);
        return [...ids]
          .sort()
          .map((id) => r.persons.get(id)!)
          .filter((p) => p.state === 'pending' || p.state === 'active')
          .slice(0, limit)
          .map(copy);
      });
    },

    prepareQueries(queries) {
      if (!Array.isArray(queries)) throw new TypeError('queries must be an array');
      for (const keys of queries) checkKeys(keys);
      return new PreparedLookups(queries.map((keys) => [...keys]));
    },

    findCandidatesForQueries: async (prepared, options = {}) => {
      let queries: ReadonlyArray<readonly string[]>;
      if (prepared instanceof PreparedLookups) queries = prepared.queries;
      else if (Array.isArray(prepared)) {
        for (const keys of prepared) checkKeys(keys);
        queries = prepared;
      } else throw new TypeError('queries must be an array or prepared by this store');
      const limit = options.limit ?? 2000;
      if (!Number.isInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer');
      return run((r) => {
        const foundBy = queries.map((keys) => {
          const ids = new Set<string>();
          for (const key of keys) for (const id of r.keys.get(key) ?? []) ids.add(id);
          return ids;
        });
        const candidates = [...new Set(foundBy.flatMap((ids) => [...ids]))]
          .sort()
          .map((id) => r.persons.get(id)!)
          .filter((p) => p.state === 'pending' || p.state === 'active')
          .slice(0, limit)
          .map(copy);
        const at = new Map(candidates.map((c, i) => [c.id, i]));
        const matches = foundBy.map((ids) =>
          [...ids]
            .map((id) => at.get(id))
            .filter((i): i is number => i !== undefined)
            .sort((a, b) => a - b),
        );
        return { candidates, matches };
      });
    },

    caseNamedRecords: async (pendingIds, _options = {}) => {
      if (!Array.isArray(pendingIds) || pendingIds.some((id) => typeof id !== 'string'))
        throw new TypeError('pendingIds must be an array of strings');
      return run((r) => {
        const wanted = new Set(pendingIds);
        const named = new Map<string, MatchCandidate>();
        const open = [...r.cases.values()]
          .filter((c) => c.state === 'pending' && wanted.has(c.subjectId))
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
        for (const c of open) {
          if (named.has(c.subjectId) || r.persons.get(c.subjectId)?.state !== 'pending') continue;
          const first = c.candidates[0] && r.persons.get(c.candidates[0].personId);
          if (first?.state === 'active') named.set(c.subjectId, copy(first));
        }
        return named;
      });
    },

    async insertPerson(person, nextUin) {
      const [record] = await store.insertPersons([person], nextUin);
      return record!;
    },

    async insertPersons(persons, nextUin) {
      for (const p of persons) checkNewPerson(p);
      return run((r) => {
        // Every check before the first write: a refused batch leaves nothing behind.
        const ids = new Set<string>();
        for (const p of persons) {
          if (r.persons.has(p.id) || ids.has(p.id))
            throw new AdapterError('DUPLICATE', 'a person with this id exists already');
          ids.add(p.id);
        }
        for (const p of persons) {
          for (const link of p.data.guardians ?? []) {
            if (!r.persons.has(link.personId) && !ids.has(link.personId)) {
              throw new TriesteError('PERSON_UNKNOWN', 'a guardian link names no registered person');
            }
          }
        }
        const out: PersonRecord[] = [];
        for (const p of persons) {
          let uin: string | undefined;
          if (p.state === 'active') uin = drawUin(r, nextUin);
          const record: PersonRecord = {
            id: p.id,
            ...(uin ? { uin } : {}),
            state: p.state,
            data: copy(p.data),
            version: 1,
            enrolment: { ...p.enrolment },
            createdAt: p.enrolment.at,
            updatedAt: p.enrolment.at,
          };
          r.persons.set(p.id, record);
          if (uin) r.uins.set(uin, p.id);
          setKeys(r, p.id, p.blockingKeys);
          setGuardians(r, p.id, record);
          out.push(copy(record));
        }
        return out;
      });
    },

    getPerson: (id) =>
      run((r) => (typeof id === 'string' && r.persons.has(id) ? copy(r.persons.get(id)!) : undefined)),

    listPersons: (options) =>
      run((r) => {
        checkListPersons(options);
        return [...r.persons.values()]
          .filter((p) => options.after === undefined || p.id > options.after)
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .slice(0, options.limit)
          .map(copy);
      }),

    replaceBlockingKeys: (entries) =>
      run((r) => {
        for (const e of entries) checkKeys(e.keys);
        if (entries.some((e) => !r.persons.has(e.id))) {
          throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
        }
        for (const e of entries) setKeys(r, e.id, e.keys);
      }),

    getPersonByUin: (uin) =>
      run((r) => {
        const id = typeof uin === 'string' ? r.uins.get(uin) : undefined;
        return id ? copy(r.persons.get(id)!) : undefined;
      }),

    async updatePerson(id, change, meta, expectedVersion, nextUin) {
      checkChange(change);
      if (typeof meta?.by !== 'string' || typeof meta.reason !== 'string' || !Number.isFinite(meta.at)) {
        throw new TypeError('change metadata needs by, at and reason');
      }
      return run((r) => {
        const current = r.persons.get(id);
        if (!current) throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
        if (current.version !== expectedVersion) {
          throw new TriesteError('PERSON_VERSION_CONFLICT', 'the record changed since it was read');
        }
        const previous: PersonVersion = {
          personId: id,
          version: current.version,
          state: current.state,
          data: copy(current.data),
          ...(current.uin ? { uin: current.uin } : {}),
          ...(current.mergedInto ? { mergedInto: current.mergedInto } : {}),
          ...(current.dateOfDeath ? { dateOfDeath: { ...current.dateOfDeath } } : {}),
          replacedBy: { by: meta.by, at: meta.at, reason: meta.reason },
        };
        let uin = current.uin;
        if (change.uin === 'draw' && !uin) {
          if (!nextUin) throw new TypeError('drawing a UIN needs nextUin');
          uin = drawUin(r, nextUin);
        }
        const next: PersonRecord = {
          ...current,
          ...(uin ? { uin } : {}),
          state: change.state ?? current.state,
          data: change.data ? copy(change.data) : current.data,
          version: current.version + 1,
          updatedAt: meta.at,
          ...(change.mergedInto ? { mergedInto: change.mergedInto } : {}),
          ...(change.dateOfDeath
            ? {
                dateOfDeath: {
                  value: change.dateOfDeath.value,
                  ...(change.dateOfDeath.estimated ? { estimated: true } : {}),
                },
              }
            : {}),
        };
        if (change.data) checkGuardians(r, next);
        if (change.data) setGuardians(r, id, next);
        const history = r.versions.get(id) ?? [];
        history.push(previous);
        r.versions.set(id, history);
        r.persons.set(id, next);
        if (uin) r.uins.set(uin, id);
        if (change.blockingKeys) setKeys(r, id, change.blockingKeys);
        return copy(next);
      });
    },

    history: (id) => run((r) => copy(r.versions.get(id) ?? [])),

    wardsOf: (guardianId) =>
      run((r) =>
        [...r.guardians.entries()]
          .filter(([, guardians]) => guardians.includes(guardianId))
          .map(([ward]) => ward)
          .sort(),
      ),

    async createCase(record) {
      checkCase(record);
      return run((r) => {
        if (r.cases.has(record.id)) throw new AdapterError('DUPLICATE', 'a case with this id exists already');
        if (!r.persons.has(record.subjectId))
          throw new TriesteError('PERSON_UNKNOWN', 'the case subject is not registered');
        r.cases.set(record.id, { ...copy(record), state: 'pending' });
      });
    },

    async createCases(records) {
      for (const record of records) checkCase(record);
      if (new Set(records.map((c) => c.id)).size !== records.length)
        throw new AdapterError('DUPLICATE', 'two new cases share an id');
      return run((r) => {
        for (const record of records) {
          if (r.cases.has(record.id))
            throw new AdapterError('DUPLICATE', 'a case with this id exists already');
          if (!r.persons.has(record.subjectId))
            throw new TriesteError('PERSON_UNKNOWN', 'the case subject is not registered');
        }
        for (const record of records) r.cases.set(record.id, { ...copy(record), state: 'pending' });
      });
    },

    getCase: (id) => run((r) => (r.cases.has(id) ? copy(r.cases.get(id)!) : undefined)),

    async listCases(options = {}) {
      const { limit, offset } = page(options);
      const state = options.state ?? 'pending';
      if (state !== 'pending' && state !== 'decided') throw new TypeError('state must be pending or decided');
      return run((r) =>
        [...r.cases.values()]
          .filter((c) => c.state === state)
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
          .slice(offset, offset + limit)
          .map(copy),
      );
    },

    decideCase: (id, decision) =>
      run((r) => {
        const found = r.cases.get(id);
        if (found?.state !== 'pending') return undefined;
        const decided: AdjudicationCase = {
          ...found,
          state: 'decided',
          decision: {
            outcome: decision.outcome,
            ...(decision.survivorId ? { survivorId: decision.survivorId } : {}),
            supervisor: decision.supervisor,
            at: decision.at,
            ...(decision.note ? { note: decision.note } : {}),
          },
        };
        r.cases.set(id, decided);
        return copy(decided);
      }),

    async insertVid(record, vid) {
      checkVid(record, vid);
      const digest = hex(vidDigest(vidKey, vid));
      return run((r) => {
        if (r.vids.has(record.id) || r.vidDigests.has(digest))
          throw new AdapterError('DUPLICATE', 'this VID or VID id exists already');
        if (!r.persons.has(record.personId))
          throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
        r.vids.set(record.id, copy(record));
        r.vidDigests.set(digest, record.id);
      });
    },

    findVid: (vid) =>
      run((r) => {
        const id = typeof vid === 'string' ? r.vidDigests.get(hex(vidDigest(vidKey, vid))) : undefined;
        return id ? copy(r.vids.get(id)!) : undefined;
      }),

    getVid: (id) => run((r) => (r.vids.has(id) ? copy(r.vids.get(id)!) : undefined)),

    revokeVid: (id, at) =>
      run((r) => {
        const found = r.vids.get(id);
        if (!found) return undefined;
        found.revokedAt ??= at;
        return copy(found);
      }),

    listVids: (personId) =>
      run((r) =>
        [...r.vids.values()]
          .filter((v) => v.personId === personId)
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
          .map(copy),
      ),

    async recordAccess(record) {
      checkId(record?.id, 'access id');
      checkId(record.personId, 'access person');
      return run((r) => {
        if (r.accessIds.has(record.id))
          throw new AdapterError('DUPLICATE', 'an access record with this id exists already');
        if (!r.persons.has(record.personId))
          throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
        r.accessIds.add(record.id);
        const list = r.accesses.get(record.personId) ?? [];
        list.push(copy(record));
        r.accesses.set(record.personId, list);
      });
    },

    async listAccesses(personId, options = {}) {
      const { limit, offset } = page(options);
      return run((r) =>
        [...(r.accesses.get(personId) ?? [])]
          .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .slice(offset, offset + limit)
          .map(copy),
      );
    },

    async linkCredential(personId, credentialId, at) {
      if (typeof credentialId !== 'string' || credentialId === '')
        throw new TypeError('credentialId must be a string');
      return run((r) => {
        if (!r.persons.has(personId)) throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
        const list = r.credentials.get(personId) ?? [];
        if (!list.some((c) => c.id === credentialId)) list.push({ id: credentialId, at });
        r.credentials.set(personId, list);
      });
    },

    credentialsOf: (personId) =>
      run((r) =>
        [...(r.credentials.get(personId) ?? [])]
          .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
          .map((c) => c.id),
      ),

    async importedRows(importId, rowKeys) {
      checkImportRows(importId, []);
      return run((r) => {
        const rows = r.imports.get(importId);
        const out = new Map<string, ImportRowResult>();
        for (const key of rowKeys) {
          const row = rows?.get(key);
          if (row) out.set(key, copy(row));
        }
        return out;
      });
    },

    async saveImportRows(importId, rows) {
      checkImportRows(importId, rows);
      return run((r) => {
        const stored = r.imports.get(importId) ?? new Map<string, ImportRowResult>();
        for (const row of rows)
          if (stored.has(row.rowKey)) throw new AdapterError('DUPLICATE', 'an import row was stored already');
        for (const row of rows) stored.set(row.rowKey, copy(row));
        r.imports.set(importId, stored);
      });
    },
  };
  return store;
}

function drawUin(r: MemoryRegistry, nextUin: () => string): string {
  for (let draw = 0; draw < UIN_DRAWS; draw++) {
    const uin = nextUin();
    if (!r.uins.has(uin)) return uin;
  }
  throw new TriesteError('UIN_UNAVAILABLE', `no free UIN after ${UIN_DRAWS} draws`);
}
