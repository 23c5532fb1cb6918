import {
  type AccessRecord,
  type AdjudicationCase,
  type ImportRowResult,
  type KnownCandidate,
  type MatchCandidate,
  type PersonData,
  type PersonRecord,
  type PersonVersion,
  type RegistryStore,
  TriesteError,
  type VidRecord,
} from '@trieste/core';
import { type Queryable, sqlState } from '../../db/database.js';
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
  keyHash,
  keyStripe,
  LookupKeyIndex,
  page,
  sortDistinct,
  UIN_DRAWS,
  vidDigest,
} from '../../registry/registry-store-helpers.js';

interface PersonRow {
  id: string;
  uin: string | null;
  state: PersonRecord['state'];
  version: number;
  data: PersonData;
  registrar: string;
  office: string;
  enrolled_at: number;
  created_at: number;
  updated_at: number;
  merged_into: string | null;
  date_of_death: string | null;
  date_of_death_estimated: boolean;
}

const PERSON =
  'id, uin, state, version, data, registrar, office, enrolled_at, created_at, updated_at, merged_into, date_of_death, date_of_death_estimated';

/**
 * The columns deduplication reads of a candidate: the enrolment and change metadata left out, they
 * cost as much to fetch and decode again as the data (a bulk import reads thousands a batch).
 */
const CANDIDATE = 'id, uin, state, version, data';

type CandidateRow = Pick<PersonRow, 'id' | 'uin' | 'state' | 'version' | 'data'>;

interface CaseRow {
  id: string;
  subject_id: string;
  candidates: AdjudicationCase['candidates'];
  state: AdjudicationCase['state'];
  created_at: number;
  outcome: 'distinct' | 'same' | null;
  survivor_id: string | null;
  supervisor: string | null;
  decided_at: number | null;
  note: string | null;
}

const CASE =
  'id, subject_id, candidates, state, created_at, outcome, survivor_id, supervisor, decided_at, note';

interface VidRow {
  id: string;
  person_id: string;
  service: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

const VID = 'id, person_id, service, created_at, expires_at, revoked_at';

/**
 * Key hashes (decimal digits, from `keyHash`) as one PostgreSQL array literal: tens of thousands
 * of them pass as one text parameter instead of an array the driver converts element by element.
 */
function bigintArray(hashes: readonly string[]): string {
  return `{${hashes.join(',')}}`;
}

/** The stripe row every enrolment locks shared and a bulk import exclusively. */
const REGISTRY_ROW = -1;

/** The registry on PGlite or PostgreSQL (migration 0008): the same SQL on both. */
export function sqlRegistryStore(db: Queryable, vidKey: Uint8Array): RegistryStore {
  /** The hashes of a person's keys, distinct, as a PostgreSQL array literal for `blocking_keys`. */
  const hashesOf = (keys: readonly string[]) => [...new Set(keys.map(keyHash))];
  /**
   * Inserts the key rows of persons whose `blocking_keys` column already holds these hashes. No
   * `ON CONFLICT`: the rows are a new person's, or replace the ones `deleteKeys` just removed, so
   * none exists yet, and speculative insertion would cost a second index probe a row.
   */
  const insertKeys = async (persons: ReadonlyArray<{ id: string; hashes: readonly string[] }>) => {
    const personIds: string[] = [];
    const hashes: string[] = [];
    for (const p of persons) {
      for (const hash of p.hashes) {
        personIds.push(p.id);
        hashes.push(hash);
      }
    }
    if (hashes.length === 0) return;
    await db.query(
      `INSERT INTO registry_blocking_keys (key, person_id)
       SELECT k, p FROM unnest($1::text::bigint[], $2::text[]) AS t (k, p) ORDER BY k`,
      [bigintArray(hashes), personIds],
    );
  };
  /** Deletes a person's key rows by the key index (those of this person only), from the hashes kept on its row. */
  const deleteKeys = async (id: string) => {
    await db.query(
      `DELETE FROM registry_blocking_keys b USING registry_persons p, unnest(p.blocking_keys) AS k (key)
       WHERE p.id = $1 AND b.key = k.key AND b.person_id = p.id`,
      [id],
    );
  };
  const insertGuardians = async (wards: Array<{ id: string; data: PersonData }>) => {
    const ward: string[] = [];
    const guardian: string[] = [];
    const relationship: string[] = [];
    for (const w of wards) {
      for (const link of w.data.guardians ?? []) {
        ward.push(w.id);
        guardian.push(link.personId);
        relationship.push(link.relationship);
      }
    }
    if (ward.length === 0) return;
    try {
      await db.query(
        `INSERT INTO registry_guardians (ward_id, guardian_id, relationship)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [ward, guardian, relationship],
      );
    } catch (error) {
      if (sqlState(error) === '23503')
        throw new TriesteError('PERSON_UNKNOWN', 'a guardian link names no registered person', {
          cause: error,
        });
      throw error;
    }
  };
  /** A reference to a person that does not exist is PERSON_UNKNOWN, not a driver error. */
  const referencing = async <T>(statement: Promise<T>): Promise<T> => {
    try {
      return await statement;
    } catch (error) {
      if (sqlState(error) === '23503')
        throw new TriesteError('PERSON_UNKNOWN', 'no person with this id', { cause: error });
      throw error;
    }
  };
  /**
   * Runs statements with settings of this transaction changed (`set_config(…, true)`), then put
   * back as they were. Inside a transaction, as the store's callers run; outside one a setting
   * lasts for the statement that sets it only, and the queries are merely slower. The statements
   * start without waiting for the settings' answer (a transaction runs its statements in the order
   * they were started): the first of them is on its way to the database at once, before this
   * thread turns to other work.
   */
  const withSettings = async <T>(
    settings: ReadonlyArray<readonly [string, string]>,
    statements: () => Promise<T>,
  ): Promise<T> => {
    const setting = db.query<{ was: string }>(
      `SELECT current_setting(s.name) AS was, set_config(s.name, s.value, true)
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s (name, value, i) ORDER BY s.i`,
      [settings.map(([name]) => name), settings.map(([, value]) => value)],
    );
    const [set, done] = await Promise.allSettled([setting, statements()]);
    // On failure the transaction is aborted, and its end puts the settings back. The settings'
    // failure first: the statements after it fail only because of it.
    if (set.status === 'rejected') throw set.reason;
    if (done.status === 'rejected') throw done.reason;
    const was = set.value;
    const result = done.value;
    await db.query(
      `SELECT set_config(s.name, s.value, true) FROM unnest($1::text[], $2::text[]) AS s (name, value)`,
      [settings.map(([name]) => name), was.map((row) => row.was)],
    );
    return result;
  };
  /**
   * Sequential scans off: PGlite gathers no statistics and runs no autovacuum, so right after a
   * bulk import the planner believes the tables are tiny and would read them whole.
   */
  const indexScans = <T>(statements: () => Promise<T>): Promise<T> =>
    withSettings([['enable_seqscan', 'off']], statements);
  /** The lookups checked, their keys hashed and sorted, the array literal written. */
  const prepareLookups = (queries: ReadonlyArray<readonly string[]>): LookupKeyIndex => {
    if (!Array.isArray(queries)) throw new TypeError('queries must be an array');
    for (const keys of queries) checkKeys(keys);
    const index = new LookupKeyIndex(queries);
    index.literal();
    return index;
  };
  const personExists = async (id: string) =>
    (await db.query('SELECT 1 FROM registry_persons WHERE id = $1', [id])).length > 0;

  const store: RegistryStore = {
    async lockKeys(keys) {
      if (keys === 'all') {
        // A bulk import: the registry row alone, exclusively (every enrolment holds it shared).
        await db.query(`SELECT stripe FROM registry_key_stripes WHERE stripe = ${REGISTRY_ROW} FOR UPDATE`);
        return;
      }
      checkKeys(keys);
      const stripes = [...new Set(keys.map(keyStripe))].sort((a, b) => a - b);
      await db.query(`SELECT stripe FROM registry_key_stripes WHERE stripe = ${REGISTRY_ROW} FOR SHARE`);
      if (stripes.length === 0) return;
      // One statement, stripes in ascending order: two enrolments lock their common stripes in the
      // same order, so they wait for each other and never deadlock.
      await db.query(
        `SELECT s.stripe FROM unnest($1::int[]) AS q (stripe) JOIN registry_key_stripes s ON s.stripe = q.stripe
         ORDER BY s.stripe FOR UPDATE OF s`,
        [stripes],
      );
    },

    async findCandidates(keys, options = {}) {
      checkKeys(keys);
      const limit = options.limit ?? 2000;
      if (!Number.isInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer');
      if (keys.length === 0) return [];
      const rows = await db.query<CandidateRow>(
        // One probe of the key index per key, then one of the persons' primary key per person found, whatever the statistics say:
        // `OFFSET 0` keeps each LATERAL subquery from being flattened into a join the planner could
        // turn into a scan of the whole table (PGlite runs no autovacuum, so right after a bulk
        // import the planner believes the tables are tiny).
        `WITH hits AS MATERIALIZED (
           SELECT DISTINCT b.person_id FROM unnest($1::bigint[]) AS q (key)
           CROSS JOIN LATERAL (SELECT person_id FROM registry_blocking_keys WHERE key = q.key OFFSET 0) b
         )
         SELECT p.* FROM hits
         CROSS JOIN LATERAL (
           SELECT ${CANDIDATE} FROM registry_persons WHERE id = hits.person_id AND state IN ('pending', 'active') OFFSET 0
         ) p
         ORDER BY p.id LIMIT $2`,
        [[...new Set(keys.map(keyHash))], limit],
      );
      return rows.map(toCandidate);
    },

    prepareQueries: (queries) => prepareLookups(queries),

    async findCandidatesForQueries(queries, options = {}) {
      const limit = options.limit ?? 2000;
      if (!Number.isInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer');
      // Prepared ahead (`prepareQueries`), or hashed and sorted now.
      let index: LookupKeyIndex;
      if (queries instanceof LookupKeyIndex) index = queries;
      else if (Array.isArray(queries)) index = prepareLookups(queries);
      else throw new TypeError('queries must be an array or prepared by this store');
      const matches: number[][] = Array.from({ length: index.lookups }, () => []);
      if (index.hashes.length === 0) return { candidates: [], matches };
      // One statement: the key rows by an index scan over the array of hashes (`= ANY`, which
      // PostgreSQL sorts and deduplicates itself for the scan), grouped by person with the hashes
      // each was found by, then each person's record by its primary key, with sequential scans
      // off, since PGlite gathers no statistics and would otherwise read the whole table. A row a
      // person rather than one a key found cost a sixth less than two statements (key rows, then
      // records by id). A generic plan: a custom one is planned with the array as a constant,
      // whose ~150,000 elements the planner parses and estimates one by one (70 ms a batch at
      // 100,000 people, for the same plan); and room for the grouping of ~17,000 persons, which
      // spilled to disk at the default 4 MB. The persons are probed in the order of their ids:
      // neighbouring probes then share their index pages (285 -> 237 ms a batch, docs/registry.md).
      const settings = [
        ['enable_seqscan', 'off'],
        ['plan_cache_mode', 'force_generic_plan'],
        ['work_mem', '64MB'],
      ] as const;
      return withSettings(settings, async () => {
        const known = options.known;
        const found = `SELECT p.*, h.keys FROM (
             SELECT person_id, string_agg(key::text, ',') AS keys FROM registry_blocking_keys
             WHERE key = ANY($1::text::bigint[]) GROUP BY person_id ORDER BY person_id
           ) h
           CROSS JOIN LATERAL (
             SELECT ${known ? 'id, uin, state, version' : CANDIDATE} FROM registry_persons
             WHERE id = h.person_id AND state IN ('pending', 'active') OFFSET 0
           ) p
           ORDER BY p.id LIMIT $2`;
        const candidates: Array<MatchCandidate | KnownCandidate> = [];
        // A candidate, and the rows whose keys found it (by the hashes it was found by).
        const take = (candidate: MatchCandidate | KnownCandidate, keys: string) => {
          const at = candidates.push(candidate) - 1;
          for (const key of keys.split(','))
            for (const lookup of index.lookupsOf(key)) matches[lookup]!.push(at);
        };
        if (!known) {
          const rows = await db.query<CandidateRow & { keys: string }>(found, [index.literal(), limit]);
          for (const row of rows) take(toCandidate(row), row.keys);
          sortDistinct(matches);
          return { candidates, matches };
        }
        // Without their data, the ~17,000 candidates of a batch come back as one text value, a line
        // each (id, UIN, state, version and hashes, none of which holds a space or a line break):
        // PGlite's reading of as many result rows cost a third of the statement (docs/registry.md).
        const [all] = await db.query<{ found: string | null }>(
          `SELECT string_agg(concat_ws(' ', c.id, coalesce(c.uin, ''), c.state, c.version, c.keys), E'\n'
             ORDER BY c.id) AS found
           FROM (${found}) c`,
          [index.literal(), limit],
        );
        const heads: Array<{ head: Omit<CandidateRow, 'data'>; keys: string }> = [];
        for (const line of all?.found ? all.found.split('\n') : []) {
          const [id, uin, state, version, keys] = line.split(' ');
          heads.push({
            head: {
              id: id!,
              uin: uin || null,
              state: state as PersonRecord['state'],
              version: Number(version),
            },
            keys: keys!,
          });
        }
        // The data of the candidates the caller does not hold.
        const missing = heads.filter(({ head }) => !known(head.id, head.version)).map(({ head }) => head.id);
        const full = new Map<string, CandidateRow>();
        if (missing.length > 0) {
          // Read committed: a record changed since the first statement comes with its new version
          // and state, kept together with its data.
          const withData = await db.query<CandidateRow>(
            `SELECT ${CANDIDATE} FROM registry_persons WHERE id = ANY($1::text[])`,
            [missing],
          );
          for (const row of withData) full.set(row.id, row);
        }
        const wanted = new Set(missing);
        for (const { head, keys } of heads) {
          const row = full.get(head.id);
          if (row) {
            if (row.state === 'pending' || row.state === 'active') take(toCandidate(row), keys);
          } else if (!wanted.has(head.id)) {
            take(toKnownCandidate(head), keys);
          }
        }
        sortDistinct(matches);
        return { candidates, matches };
      });
    },

    async caseNamedRecords(pendingIds, options = {}) {
      if (!Array.isArray(pendingIds) || pendingIds.some((id) => typeof id !== 'string'))
        throw new TypeError('pendingIds must be an array of strings');
      const named = new Map<string, MatchCandidate | KnownCandidate>();
      if (pendingIds.length === 0) return named;
      const known = options.known;
      // For each pending record: its open case by the partial index on its subject (migration
      // 0013), then the case's first candidate by primary key, kept when active. Each step a
      // LATERAL probe fenced with OFFSET 0 and sequential scans off: a statistics-free PGlite
      // otherwise joined the whole queue to the whole batch (30 s at 100,000 people).
      const rows = await indexScans(() =>
        db.query<CandidateRow & { subject_id: string }>(
          `SELECT s.id AS subject_id, q.* FROM unnest($1::text[]) AS s (id)
           CROSS JOIN LATERAL (
             SELECT c.candidates -> 0 ->> 'personId' AS named FROM registry_cases c
             WHERE c.subject_id = s.id AND c.state = 'pending'
               AND EXISTS (SELECT 1 FROM registry_persons p WHERE p.id = s.id AND p.state = 'pending')
             ORDER BY c.created_at, c.id LIMIT 1
           ) c
           CROSS JOIN LATERAL (
             SELECT ${known ? 'id, uin, state, version' : CANDIDATE} FROM registry_persons
             WHERE id = c.named AND state = 'active' OFFSET 0
           ) q`,
          [[...new Set(pendingIds)]],
        ),
      );
      if (!known) {
        for (const row of rows) named.set(row.subject_id, toCandidate(row));
        return named;
      }
      const missing = new Set(rows.filter((row) => !known(row.id, row.version)).map((row) => row.id));
      const full = new Map<string, CandidateRow>();
      if (missing.size > 0) {
        const withData = await db.query<CandidateRow>(
          `SELECT ${CANDIDATE} FROM registry_persons WHERE id = ANY($1::text[])`,
          [[...missing]],
        );
        for (const row of withData) full.set(row.id, row);
      }
      for (const row of rows) {
        const data = full.get(row.id);
        if (data) {
          if (data.state === 'active') named.set(row.subject_id, toCandidate(data));
        } else if (!missing.has(row.id)) named.set(row.subject_id, toKnownCandidate(row));
      }
      return named;
    },

    async insertPerson(person, nextUin) {
      const [record] = await store.insertPersons([person], nextUin);
      return record!;
    },

    async insertPersons(persons, nextUin) {
      for (const p of persons) checkNewPerson(p);
      if (new Set(persons.map((p) => p.id)).size !== persons.length) {
        throw new AdapterError('DUPLICATE', 'two new persons share an id');
      }
      const hashes = new Map(persons.map((p) => [p.id, hashesOf(p.blockingKeys)]));
      const json = new Map(persons.map((p) => [p.id, JSON.stringify(p.data)]));
      // The UIN each person got: the rest of the record is what was given, so the statement
      // returns no more (sending hundreds of records' jsonb back costs as much as storing them).
      const inserted = new Map<string, string | null>();
      let waiting = [...persons];
      for (let draw = 0; waiting.length > 0; draw++) {
        if (draw >= UIN_DRAWS)
          throw new TriesteError('UIN_UNAVAILABLE', `no free UIN after ${UIN_DRAWS} draws`);
        // The key rows of the persons that went in are written by the same statement, from the
        // hashes just stored on their rows: the ids and hashes are not sent a second time (for a
        // batch of 2,000 persons, 28,000 ids and hashes as text, built and parsed again).
        const rows = await db.query<{ id: string; uin: string | null }>(
          `WITH inserted AS (
             INSERT INTO registry_persons (${PERSON}, blocking_keys)
             SELECT id, uin, state, 1, data::jsonb, registrar, office, at, at, at, NULL, NULL, false, keys::bigint[]
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[])
               AS r (id, uin, state, data, registrar, office, at, keys)
             ON CONFLICT DO NOTHING RETURNING id, uin, blocking_keys
           ), keyed AS (
             INSERT INTO registry_blocking_keys (key, person_id)
             SELECT k.key, i.id FROM inserted i CROSS JOIN LATERAL unnest(i.blocking_keys) AS k (key) ORDER BY k.key
           )
           SELECT id, uin FROM inserted`,
          [
            waiting.map((p) => p.id),
            waiting.map((p) => (p.state === 'active' ? nextUin() : null)),
            waiting.map((p) => p.state),
            waiting.map((p) => json.get(p.id)!),
            waiting.map((p) => p.enrolment.registrar),
            waiting.map((p) => p.enrolment.office),
            waiting.map((p) => p.enrolment.at),
            waiting.map((p) => `{${hashes.get(p.id)!.join(',')}}`),
          ],
        );
        for (const row of rows) inserted.set(row.id, row.uin);
        waiting = waiting.filter((p) => !inserted.has(p.id));
        // What did not go in collided on its id (a caller's duplicate) or on its UIN (draw again).
        for (const p of waiting) {
          if (p.state === 'pending' || (await personExists(p.id))) {
            throw new AdapterError('DUPLICATE', 'a person with this id exists already');
          }
        }
      }
      await insertGuardians(persons.map((p) => ({ id: p.id, data: p.data })));
      return persons.map((p): PersonRecord => {
        const uin = inserted.get(p.id);
        return {
          id: p.id,
          ...(uin ? { uin } : {}),
          state: p.state,
          data: JSON.parse(json.get(p.id)!) as PersonData,
          version: 1,
          enrolment: { registrar: p.enrolment.registrar, office: p.enrolment.office, at: p.enrolment.at },
          createdAt: p.enrolment.at,
          updatedAt: p.enrolment.at,
        };
      });
    },

    async getPerson(id) {
      if (typeof id !== 'string') return undefined;
      const rows = await db.query<PersonRow>(`SELECT ${PERSON} FROM registry_persons WHERE id = $1`, [id]);
      return rows[0] && toPerson(rows[0]);
    },

    async listPersons(options) {
      checkListPersons(options);
      const rows = await db.query<PersonRow>(
        `SELECT ${PERSON} FROM registry_persons WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2`,
        [options.after ?? null, options.limit],
      );
      return rows.map(toPerson);
    },

    async replaceBlockingKeys(entries) {
      for (const e of entries) checkKeys(e.keys);
      if (entries.length === 0) return;
      const ids = entries.map((e) => e.id);
      const known = await db.query<{ id: string }>(
        'SELECT id FROM registry_persons WHERE id = ANY($1::text[]) FOR UPDATE',
        [ids],
      );
      if (known.length !== new Set(ids).size)
        throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
      const hashed = entries.map((e) => ({ id: e.id, hashes: hashesOf(e.keys) }));
      await db.query(
        `DELETE FROM registry_blocking_keys b USING registry_persons p, unnest(p.blocking_keys) AS k (key)
         WHERE p.id = ANY($1::text[]) AND b.key = k.key AND b.person_id = p.id`,
        [ids],
      );
      await db.query(
        `UPDATE registry_persons p SET blocking_keys = v.keys::bigint[]
         FROM unnest($1::text[], $2::text[]) AS v (id, keys) WHERE p.id = v.id`,
        [hashed.map((e) => e.id), hashed.map((e) => `{${e.hashes.join(',')}}`)],
      );
      await insertKeys(hashed);
    },

    async getPersonByUin(uin) {
      if (typeof uin !== 'string') return undefined;
      const rows = await db.query<PersonRow>(`SELECT ${PERSON} FROM registry_persons WHERE uin = $1`, [uin]);
      return rows[0] && toPerson(rows[0]);
    },

    async updatePerson(id, change, meta, expectedVersion, nextUin) {
      checkChange(change);
      if (typeof meta?.by !== 'string' || typeof meta.reason !== 'string' || !Number.isFinite(meta.at)) {
        throw new TypeError('change metadata needs by, at and reason');
      }
      const rows = await db.query<PersonRow>(
        `SELECT ${PERSON} FROM registry_persons WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const current = rows[0];
      if (!current) throw new TriesteError('PERSON_UNKNOWN', 'no person with this id');
      if (current.version !== expectedVersion) {
        throw new TriesteError('PERSON_VERSION_CONFLICT', 'the record changed since it was read');
      }
      await db.query(
        `INSERT INTO registry_person_versions
           (person_id, version, state, uin, data, merged_into, date_of_death, date_of_death_estimated, replaced_by, replaced_at, reason)
         SELECT id, version, state, uin, data, merged_into, date_of_death, date_of_death_estimated, $2, $3, $4
         FROM registry_persons WHERE id = $1`,
        [id, meta.by, meta.at, meta.reason],
      );
      const set = {
        state: change.state ?? current.state,
        data: change.data ?? current.data,
        merged_into: change.mergedInto ?? current.merged_into,
        date_of_death: change.dateOfDeath?.value ?? current.date_of_death,
        date_of_death_estimated: change.dateOfDeath
          ? change.dateOfDeath.estimated === true
          : current.date_of_death_estimated,
      };
      const update = (uin: string | null) =>
        db.query<PersonRow>(
          `UPDATE registry_persons SET state = $2, data = $3::jsonb, merged_into = $4, date_of_death = $5,
             date_of_death_estimated = $6, uin = $7, version = version + 1, updated_at = $8
           WHERE id = $1 RETURNING ${PERSON}`,
          [
            id,
            set.state,
            JSON.stringify(set.data),
            set.merged_into,
            set.date_of_death,
            set.date_of_death_estimated,
            uin,
            meta.at,
          ],
        );
      let updated: PersonRow | undefined;
      if (change.uin === 'draw' && current.uin === null) {
        if (!nextUin) throw new TypeError('drawing a UIN needs nextUin');
        for (let draw = 0; !updated; draw++) {
          if (draw >= UIN_DRAWS)
            throw new TriesteError('UIN_UNAVAILABLE', `no free UIN after ${UIN_DRAWS} draws`);
          try {
            // A savepoint: a UIN taken meanwhile fails only this statement, not the transaction.
            updated = (
              await db.transaction((tx) =>
                tx.query<PersonRow>(
                  `UPDATE registry_persons SET state = $2, data = $3::jsonb, merged_into = $4, date_of_death = $5,
                 date_of_death_estimated = $6, uin = $7, version = version + 1, updated_at = $8
               WHERE id = $1 RETURNING ${PERSON}`,
                  [
                    id,
                    set.state,
                    JSON.stringify(set.data),
                    set.merged_into,
                    set.date_of_death,
                    set.date_of_death_estimated,
                    nextUin(),
                    meta.at,
                  ],
                ),
              )
            )[0];
          } catch (error) {
            if (sqlState(error) !== '23505') throw error;
          }
        }
      } else {
        updated = (await update(current.uin))[0];
      }
      if (change.blockingKeys) {
        await deleteKeys(id);
        const own = hashesOf(change.blockingKeys);
        await db.query('UPDATE registry_persons SET blocking_keys = $2::text::bigint[] WHERE id = $1', [
          id,
          `{${own.join(',')}}`,
        ]);
        await insertKeys([{ id, hashes: own }]);
      }
      if (change.data) {
        await db.query('DELETE FROM registry_guardians WHERE ward_id = $1', [id]);
        await insertGuardians([{ id, data: change.data }]);
      }
      return toPerson(updated!);
    },

    async history(id) {
      const rows = await db.query<{
        person_id: string;
        version: number;
        state: PersonRecord['state'];
        uin: string | null;
        data: PersonData;
        merged_into: string | null;
        date_of_death: string | null;
        date_of_death_estimated: boolean;
        replaced_by: string;
        replaced_at: number;
        reason: string;
      }>(
        `SELECT person_id, version, state, uin, data, merged_into, date_of_death, date_of_death_estimated,
                replaced_by, replaced_at, reason
         FROM registry_person_versions WHERE person_id = $1 ORDER BY version`,
        [id],
      );
      return rows.map(
        (row): PersonVersion => ({
          personId: row.person_id,
          version: row.version,
          state: row.state,
          data: row.data,
          ...(row.uin === null ? {} : { uin: row.uin }),
          ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
          ...(row.date_of_death === null
            ? {}
            : {
                dateOfDeath: {
                  value: row.date_of_death,
                  ...(row.date_of_death_estimated ? { estimated: true } : {}),
                },
              }),
          replacedBy: { by: row.replaced_by, at: row.replaced_at, reason: row.reason },
        }),
      );
    },

    async wardsOf(guardianId) {
      const rows = await db.query<{ ward_id: string }>(
        'SELECT ward_id FROM registry_guardians WHERE guardian_id = $1 ORDER BY ward_id',
        [guardianId],
      );
      return rows.map((r) => r.ward_id);
    },

    async createCase(record) {
      checkCase(record);
      const rows = await referencing(
        db.query(
          `INSERT INTO registry_cases (id, subject_id, candidates, state, created_at)
         VALUES ($1, $2, $3::jsonb, 'pending', $4) ON CONFLICT DO NOTHING RETURNING id`,
          [record.id, record.subjectId, JSON.stringify(record.candidates), record.createdAt],
        ),
      );
      if (rows.length === 0) throw new AdapterError('DUPLICATE', 'a case with this id exists already');
    },

    async createCases(records) {
      for (const record of records) checkCase(record);
      if (records.length === 0) return;
      if (new Set(records.map((c) => c.id)).size !== records.length)
        throw new AdapterError('DUPLICATE', 'two new cases share an id');
      // One statement, so all or none even outside a transaction: a taken id fails it whole.
      try {
        await referencing(
          db.query(
            `INSERT INTO registry_cases (id, subject_id, candidates, state, created_at)
             SELECT id, subject, candidates::jsonb, 'pending', at
             FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS c (id, subject, candidates, at)`,
            [
              records.map((c) => c.id),
              records.map((c) => c.subjectId),
              records.map((c) => JSON.stringify(c.candidates)),
              records.map((c) => c.createdAt),
            ],
          ),
        );
      } catch (error) {
        if (sqlState(error) === '23505')
          throw new AdapterError('DUPLICATE', 'a case with this id exists already', { cause: error });
        throw error;
      }
    },

    async getCase(id) {
      const rows = await db.query<CaseRow>(`SELECT ${CASE} FROM registry_cases WHERE id = $1`, [id]);
      return rows[0] && toCase(rows[0]);
    },

    async listCases(options = {}) {
      const { limit, offset } = page(options);
      const state = options.state ?? 'pending';
      if (state !== 'pending' && state !== 'decided') throw new TypeError('state must be pending or decided');
      const rows = await db.query<CaseRow>(
        `SELECT ${CASE} FROM registry_cases WHERE state = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3`,
        [state, limit, offset],
      );
      return rows.map(toCase);
    },

    async decideCase(id, decision) {
      const rows = await db.query<CaseRow>(
        `UPDATE registry_cases SET state = 'decided', outcome = $2, survivor_id = $3, supervisor = $4, decided_at = $5, note = $6
         WHERE id = $1 AND state = 'pending' RETURNING ${CASE}`,
        [
          id,
          decision.outcome,
          decision.survivorId ?? null,
          decision.supervisor,
          decision.at,
          decision.note ?? null,
        ],
      );
      return rows[0] && toCase(rows[0]);
    },

    async insertVid(record, vid) {
      checkVid(record, vid);
      const rows = await referencing(
        db.query(
          `INSERT INTO registry_vids (id, vid_hmac, person_id, service, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
          [
            record.id,
            vidDigest(vidKey, vid),
            record.personId,
            record.service,
            record.createdAt,
            record.expiresAt ?? null,
          ],
        ),
      );
      if (rows.length === 0) throw new AdapterError('DUPLICATE', 'this VID or VID id exists already');
    },

    async findVid(vid) {
      if (typeof vid !== 'string') return undefined;
      const rows = await db.query<VidRow>(`SELECT ${VID} FROM registry_vids WHERE vid_hmac = $1`, [
        vidDigest(vidKey, vid),
      ]);
      return rows[0] && toVid(rows[0]);
    },

    async getVid(id) {
      const rows = await db.query<VidRow>(`SELECT ${VID} FROM registry_vids WHERE id = $1`, [id]);
      return rows[0] && toVid(rows[0]);
    },

    async revokeVid(id, at) {
      const rows = await db.query<VidRow>(
        `UPDATE registry_vids SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${VID}`,
        [id, at],
      );
      return rows[0] && toVid(rows[0]);
    },

    async listVids(personId) {
      const rows = await db.query<VidRow>(
        `SELECT ${VID} FROM registry_vids WHERE person_id = $1 ORDER BY created_at, id`,
        [personId],
      );
      return rows.map(toVid);
    },

    async recordAccess(record) {
      checkId(record?.id, 'access id');
      checkId(record.personId, 'access person');
      const rows = await referencing(
        db.query(
          `INSERT INTO registry_accesses (id, person_id, accessor, purpose, at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
          [record.id, record.personId, record.accessor, record.purpose, record.at],
        ),
      );
      if (rows.length === 0)
        throw new AdapterError('DUPLICATE', 'an access record with this id exists already');
    },

    async listAccesses(personId, options = {}) {
      const { limit, offset } = page(options);
      const rows = await db.query<{
        id: string;
        person_id: string;
        accessor: string;
        purpose: string;
        at: number;
      }>(
        `SELECT id, person_id, accessor, purpose, at FROM registry_accesses
         WHERE person_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`,
        [personId, limit, offset],
      );
      return rows.map(
        (r): AccessRecord => ({
          id: r.id,
          personId: r.person_id,
          accessor: r.accessor,
          purpose: r.purpose,
          at: r.at,
        }),
      );
    },

    async linkCredential(personId, credentialId, at) {
      if (typeof credentialId !== 'string' || credentialId === '')
        throw new TypeError('credentialId must be a string');
      try {
        await db.query(
          `INSERT INTO registry_person_credentials (person_id, credential_id, linked_at)
           VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [personId, credentialId, at],
        );
      } catch (error) {
        if (sqlState(error) === '23503')
          throw new TriesteError('PERSON_UNKNOWN', 'no person with this id', { cause: error });
        throw error;
      }
    },

    async credentialsOf(personId) {
      const rows = await db.query<{ credential_id: string }>(
        'SELECT credential_id FROM registry_person_credentials WHERE person_id = $1 ORDER BY linked_at, credential_id',
        [personId],
      );
      return rows.map((r) => r.credential_id);
    },

    async importedRows(importId, rowKeys) {
      checkImportRows(importId, []);
      const rows = await db.query<{
        row_key: string;
        outcome: ImportRowResult['outcome'];
        person_id: string | null;
        uin: string | null;
        match_id: string | null;
        case_id: string | null;
        errors: string[] | null;
      }>(
        `SELECT row_key, outcome, person_id, uin, match_id, case_id, errors FROM registry_import_rows
         WHERE import_id = $1 AND row_key = ANY($2::text[])`,
        [importId, [...rowKeys]],
      );
      return new Map(
        rows.map((r) => [
          r.row_key,
          {
            rowKey: r.row_key,
            outcome: r.outcome,
            ...(r.person_id === null ? {} : { personId: r.person_id }),
            ...(r.uin === null ? {} : { uin: r.uin }),
            ...(r.match_id === null ? {} : { matchId: r.match_id }),
            ...(r.case_id === null ? {} : { caseId: r.case_id }),
            ...(r.errors === null ? {} : { errors: r.errors }),
          },
        ]),
      );
    },

    async saveImportRows(importId, rows, at) {
      checkImportRows(importId, rows);
      if (rows.length === 0) return;
      const inserted = await db.query(
        `INSERT INTO registry_import_rows (import_id, row_key, outcome, person_id, uin, match_id, case_id, errors, imported_at)
         SELECT $1, row_key, outcome, person_id, uin, match_id, case_id, errors::jsonb, $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS r (row_key, outcome, person_id, uin, match_id, case_id, errors)
         ON CONFLICT DO NOTHING RETURNING row_key`,
        [
          importId,
          at,
          rows.map((r) => r.rowKey),
          rows.map((r) => r.outcome),
          rows.map((r) => r.personId ?? null),
          rows.map((r) => r.uin ?? null),
          rows.map((r) => r.matchId ?? null),
          rows.map((r) => r.caseId ?? null),
          rows.map((r) => (r.errors ? JSON.stringify(r.errors) : null)),
        ],
      );
      if (inserted.length !== rows.length)
        throw new AdapterError('DUPLICATE', 'an import row was stored already');
    },
  };
  return store;
}

function toCandidate(row: CandidateRow): MatchCandidate {
  return { ...toKnownCandidate(row), data: row.data };
}

function toKnownCandidate(row: Omit<CandidateRow, 'data'>): KnownCandidate {
  return {
    id: row.id,
    ...(row.uin === null ? {} : { uin: row.uin }),
    state: row.state,
    version: row.version,
  };
}

function toPerson(row: PersonRow): PersonRecord {
  return {
    id: row.id,
    ...(row.uin === null ? {} : { uin: row.uin }),
    state: row.state,
    data: row.data,
    version: row.version,
    enrolment: { registrar: row.registrar, office: row.office, at: row.enrolled_at },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
    ...(row.date_of_death === null
      ? {}
      : {
          dateOfDeath: {
            value: row.date_of_death,
            ...(row.date_of_death_estimated ? { estimated: true } : {}),
          },
        }),
  };
}

function toCase(row: CaseRow): AdjudicationCase {
  return {
    id: row.id,
    subjectId: row.subject_id,
    candidates: row.candidates,
    state: row.state,
    createdAt: row.created_at,
    ...(row.outcome === null
      ? {}
      : {
          decision: {
            outcome: row.outcome,
            ...(row.survivor_id === null ? {} : { survivorId: row.survivor_id }),
            supervisor: row.supervisor!,
            at: row.decided_at!,
            ...(row.note === null ? {} : { note: row.note }),
          },
        }),
  };
}

function toVid(row: VidRow): VidRecord {
  return {
    id: row.id,
    personId: row.person_id,
    service: row.service,
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}
