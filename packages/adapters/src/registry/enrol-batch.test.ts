import {
  blockingKeys,
  type Clock,
  DEFAULT_JURISDICTION_RULES,
  enrolBatch,
  generateSyntheticPopulation,
  type JurisdictionRules,
  MatchProfileCache,
  matchProfile,
  type PersonData,
  type RegistryStore,
  type Stores,
} from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { openPgliteDatabase } from '../db/open-pglite-database.js';
import { generateMasterKey } from '../keys/master-key.js';
import { openStores } from '../stores/sql/open-stores.js';

const crypto = nodeCrypto();
// The synthetic population has minors but models no guardian links: this import does not ask for them.
const rules: JurisdictionRules = { ...DEFAULT_JURISDICTION_RULES, guardianRequiredUnder: undefined };

describe('bulk enrolment on PGlite', () => {
  let database: Database;
  let stores: Stores;
  const clock: Clock = { now: () => 1_750_000_000 };
  const count = async (table: string) =>
    Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    database = await openPgliteDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    stores = await openStores({ database, masterKey: generateMasterKey(), clock });
  });
  afterAll(() => database.close());
  /** `stores` whose transactions have some methods of their registry store replaced. */
  const replacingInTransactions = (replace: (registry: RegistryStore) => Partial<RegistryStore>): Stores => ({
    ...stores,
    transaction: (work) =>
      stores.transaction((tx) => work({ ...tx, registry: { ...tx.registry, ...replace(tx.registry) } })),
  });

  // 1,000 synthetic people (about 1,200 rows with their repeat enrolments) and two broken rows, in
  // batches of 500, so the import can be interrupted after its first.
  const BATCH = 500;
  const records = generateSyntheticPopulation({ people: 1000, seed: 21 });
  const rows: Array<{ rowKey: string; data: unknown }> = records.map((r, i) => ({
    rowKey: `line ${i + 2}`,
    data: r.data,
  }));
  rows.splice(7, 0, { rowKey: 'line broken-1', data: { names: [], sex: 'female' } });
  rows.splice(700, 0, {
    rowKey: 'line broken-2',
    data: { ...records[0]!.data, dateOfBirth: { value: '1990-02-30' } },
  });
  const batches = (size: number) => {
    const out: Array<typeof rows> = [];
    for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
    return out;
  };
  const importAll = async (list: Array<typeof rows>) => {
    const totals = { created: 0, duplicate: 0, review: 0, invalid: 0, resumed: 0 };
    for (const batch of list) {
      const result = await enrolBatch(
        { importId: 'synthetic-21', registrar: 'import-job', office: 'HQ', rows: batch },
        { stores, crypto, clock, rules },
      );
      for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += result.counts[key];
    }
    return totals;
  };

  it('imports, deduplicates within the registry and the batch, reports bad rows, and resumes', async () => {
    const all = batches(BATCH);
    // An import interrupted after its first batch…
    const first = await importAll(all.slice(0, 1));
    expect(first.resumed).toBe(0);
    expect(first.invalid).toBe(1);
    // …run again from the start: the first batch is skipped, the rest imported.
    const started = performance.now();
    const rest = await importAll(all);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `bulk enrolment on PGlite: ${Math.round((rows.length - first.created - first.duplicate - first.review - first.invalid) / seconds)} rows/s`,
    );
    expect(rest.resumed).toBe(BATCH);
    const totals = {
      created: first.created + rest.created,
      duplicate: first.duplicate + rest.duplicate,
      review: first.review + rest.review,
      invalid: first.invalid + rest.invalid,
    };
    expect(totals.created + totals.duplicate + totals.review + totals.invalid).toBe(rows.length);
    expect(totals.invalid).toBe(2);
    // About one row in six repeats a person: most are refused or queued, not created again.
    const repeats = records.filter((r) => r.occurrence > 0).length;
    expect(totals.duplicate + totals.review).toBeGreaterThan(repeats * 0.9);
    expect(totals.created).toBeGreaterThan(900);
    expect(await count('registry_persons')).toBe(totals.created + totals.review);
    expect(await count('registry_cases')).toBe(totals.review);
    expect(await count("registry_persons WHERE state = 'active' AND uin IS NOT NULL")).toBe(totals.created);
    expect(await count('registry_import_rows')).toBe(rows.length);

    // Run once more: every row is resumed, nothing is written.
    const logBefore = await stores.log.pending();
    const again = await importAll(all);
    expect(again).toEqual({ created: 0, duplicate: 0, review: 0, invalid: 0, resumed: rows.length });
    expect(await count('registry_persons')).toBe(totals.created + totals.review);
    expect(await stores.log.pending()).toBe(logBefore);
  }, 120_000);

  it('writes nothing of a batch whose second insert part fails, with the parts in flight', async () => {
    const tables = ['registry_persons', 'registry_cases', 'registry_import_rows', 'registry_blocking_keys'];
    const before = await Promise.all(tables.map(count));
    // A batch of ~1,200 rows creates ~1,000 records: two parts or more, the second refused.
    let calls = 0;
    const failing = replacingInTransactions((registry) => ({
      insertPersons: (persons, nextUin) =>
        ++calls === 2 ? Promise.reject(new Error('disk full')) : registry.insertPersons(persons, nextUin),
    }));
    const fresh = generateSyntheticPopulation({ people: 1000, seed: 77 }).map((r, i) => ({
      rowKey: `line ${i + 2}`,
      data: r.data,
    }));
    await expect(
      enrolBatch(
        { importId: 'synthetic-77', registrar: 'import-job', office: 'HQ', rows: fresh },
        { stores: failing, crypto, clock, rules },
      ),
    ).rejects.toThrow('disk full');
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  }, 120_000);

  it('asks for its candidates once, prepared ahead when every row is fresh, and says so (onLookup); pauses while preparing', async () => {
    // Which lookups the store got, and what had happened when onLookup was called.
    const events: string[] = [];
    const watched = replacingInTransactions((registry) => ({
      findCandidatesForQueries: (queries, options) => {
        events.push(Array.isArray(queries) ? `plain ${queries.length}` : `prepared ${queries.lookups}`);
        return registry.findCandidatesForQueries(queries, options);
      },
    }));
    const fresh = generateSyntheticPopulation({ people: 200, seed: 78 }).map((r, i) => ({
      rowKey: `line ${i + 2}`,
      data: r.data,
    }));
    fresh.splice(3, 0, { rowKey: 'line broken', data: { names: [] } });
    const run = (rows: typeof fresh) =>
      enrolBatch(
        { importId: 'synthetic-78', registrar: 'import-job', office: 'HQ', rows },
        { stores: watched, crypto, clock, rules },
        {
          onLookup: () => events.push('onLookup'),
          pause: async () => {
            events.push('pause');
          },
        },
      ).then((result) => {
        events.push('done');
        return result;
      });
    const valid = fresh.length - 1;
    await run(fresh.slice(0, 30));
    expect(events).toEqual(['prepared 29', 'onLookup', 'done']);
    events.length = 0;
    // Resumed: the rows done before are left out, the lookups made of the rest.
    const again = await run(fresh);
    expect(again.counts.resumed).toBe(30);
    // A pause after every 100 rows prepared, all before the transaction.
    const pauses = Math.floor((fresh.length - 1) / 100);
    expect(pauses).toBeGreaterThanOrEqual(2);
    expect(events).toEqual([...Array(pauses).fill('pause'), `plain ${valid - 29}`, 'onLookup', 'done']);
  }, 120_000);

  it('reports a bad row with its broken rules and line, never its values', async () => {
    const found = await stores.registry.importedRows('synthetic-21', ['line broken-1', 'line broken-2']);
    expect(found.get('line broken-1')).toEqual({
      rowKey: 'line broken-1',
      outcome: 'invalid',
      errors: ['names required', 'dateOfBirth required'],
    });
    expect(found.get('line broken-2')).toEqual({
      rowKey: 'line broken-2',
      outcome: 'invalid',
      errors: ['dateOfBirth format'],
    });
  });
});

describe('bulk enrolment with a match profile cache', () => {
  const clock: Clock = { now: () => 1_750_000_000 };
  const records = generateSyntheticPopulation({ people: 600, seed: 33 });
  const rows = records.map((r, i) => ({ rowKey: `line ${i + 2}`, data: r.data as unknown }));

  /** Imports the rows in batches of 150 into a fresh database: every row's outcome, a refusal with the row it names. */
  const importInto = async (profiles?: MatchProfileCache) => {
    const database = await openPgliteDatabase({ dataDir: 'memory://' });
    try {
      await migrateDatabase(database);
      const stores = await openStores({ database, masterKey: generateMasterKey(), clock });
      const rowOf = new Map<string, string>();
      const outcomes: string[] = [];
      for (let i = 0; i < rows.length; i += 150) {
        const result = await enrolBatch(
          { importId: 'cache', registrar: 'import-job', office: 'HQ', rows: rows.slice(i, i + 150) },
          { stores, crypto, clock, rules },
          { profiles },
        );
        for (const row of result.rows) {
          if (row.personId) rowOf.set(row.personId, row.rowKey);
          outcomes.push(
            row.outcome === 'duplicate' ? `duplicate of ${rowOf.get(row.matchId!)}` : row.outcome,
          );
        }
      }
      return outcomes;
    } finally {
      await database.close();
    }
  };

  it('comes to the same outcome for every row as without it, also when it must evict', async () => {
    const plain = await importInto();
    const cache = new MatchProfileCache();
    const small = new MatchProfileCache(40);
    expect(await importInto(cache)).toEqual(plain);
    expect(await importInto(small)).toEqual(plain);
    expect(plain.filter((o) => o.startsWith('duplicate')).length).toBeGreaterThan(20);
    expect(cache.size).toBeGreaterThan(500);
    expect(small.size).toBe(40);
  }, 120_000);

  it('gets candidates it holds without their data from the SQL store, and every other with it', async () => {
    const database = await openPgliteDatabase({ dataDir: 'memory://' });
    try {
      await migrateDatabase(database);
      const stores = await openStores({ database, masterKey: generateMasterKey(), clock });
      const result = await enrolBatch(
        { importId: 'sent', registrar: 'r', office: 'HQ', rows: rows.slice(0, 100) },
        { stores, crypto, clock, rules },
      );
      const created = result.rows.find((r) => r.outcome === 'created')!;
      const keys = blockingKeys(matchProfile(rows[result.rows.indexOf(created)]!.data as PersonData)).query;
      const held = (await stores.registry.findCandidatesForQueries([keys], { known: () => true })).candidates;
      expect(held.map((c) => c.id)).toContain(created.personId);
      expect(held.every((c) => c.data === undefined && c.version === 1)).toBe(true);
      const unheld = (
        await stores.registry.findCandidatesForQueries([keys], { known: (id) => id !== created.personId })
      ).candidates;
      expect(unheld.map((c) => c.id).sort()).toEqual(held.map((c) => c.id).sort());
      for (const c of unheld) expect(c.data !== undefined).toBe(c.id === created.personId);
    } finally {
      await database.close();
    }
  });
});
