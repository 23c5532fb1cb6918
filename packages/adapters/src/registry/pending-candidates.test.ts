import {
  type Clock,
  DEFAULT_JURISDICTION_RULES,
  enrolBatch,
  enrolPerson,
  MatchProfileCache,
  type PersonData,
  type RegistryContext,
  type Stores,
} from '@trieste/core';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { openPgliteDatabase } from '../db/open-pglite-database.js';
import { generateMasterKey } from '../keys/master-key.js';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';
import { openStores } from '../stores/sql/open-stores.js';

// A pending record, left unadjudicated, is scored against the active record its case names
// (core scorePendingMatch): a queued repeat that dropped the place and kept only the birth year
// does not stop a namesake born elsewhere on another day, whom the person's active record
// contradicts; the person herself is still stopped.
const grace: PersonData = {
  names: [{ script: 'Latn', given: 'Grace', family: 'Ochieng' }],
  dateOfBirth: { value: '1995-07-30' },
  sex: 'female',
  placeOfBirth: { locality: 'Kisumu', country: 'KE' },
};
const graceAgain: PersonData = {
  names: [{ script: 'Latn', given: 'Grace', family: 'Ochieng' }],
  dateOfBirth: { value: '1995', estimated: true },
  sex: 'not_stated',
};
const namesake: PersonData = {
  names: [{ script: 'Latn', given: 'Grace', family: 'Ochieng' }],
  dateOfBirth: { value: '1995-02-25' },
  sex: 'female',
  placeOfBirth: { locality: 'Kampala', country: 'UG' },
};

const crypto = nodeCrypto();
const clock: Clock = { now: () => 1_750_000_000 };
const databases: Database[] = [];
afterEach(async () => {
  for (const database of databases.splice(0)) await database.close();
});

const kinds: Array<[string, () => Promise<Stores>]> = [
  ['in memory', async () => createMemoryStores({ clock })],
  [
    'on PGlite',
    async () => {
      const database = await openPgliteDatabase({ dataDir: 'memory://' });
      databases.push(database);
      await migrateDatabase(database);
      return openStores({ database, masterKey: generateMasterKey(), clock });
    },
  ],
];

describe.each(kinds)('a pending candidate scored with its case (%s)', (_kind, open) => {
  const contextOf = async (): Promise<RegistryContext> => ({
    stores: await open(),
    crypto,
    clock,
    rules: DEFAULT_JURISDICTION_RULES,
  });
  const enrol = (data: PersonData, context: RegistryContext) =>
    enrolPerson({ data, registrar: 'desk-1', office: 'Kisumu' }, context);
  const batch = (rows: PersonData[], context: RegistryContext, first: number, cache?: MatchProfileCache) =>
    enrolBatch(
      {
        importId: 'csv:test',
        registrar: 'cli:test',
        office: 'Kisumu',
        rows: rows.map((data, i) => ({ rowKey: `line ${first + i}`, data })),
      },
      context,
      { profiles: cache },
    );

  it('enrolPerson: the queued repeat does not stop the namesake; the person is still stopped', async () => {
    const context = await contextOf();
    expect((await enrol(grace, context)).outcome).toBe('created');
    const queued = await enrol(graceAgain, context);
    expect(queued.outcome).toBe('review');
    // Without its case, the pending record alone would send her to review.
    expect((await enrol(namesake, context)).outcome).toBe('created');
    expect((await enrol(grace, context)).outcome).not.toBe('created');
  });

  it('enrolBatch: the same within one batch, across batches, with and without a profile cache', async () => {
    for (const split of [3, 2]) {
      for (const cache of [undefined, new MatchProfileCache()]) {
        const context = await contextOf();
        const rows = [grace, graceAgain, namesake, grace];
        const first = await batch(rows.slice(0, split), context, 2, cache);
        const second = await batch(rows.slice(split), context, 2 + split, cache);
        const outcomes = [...first.rows, ...second.rows].map((r) => r.outcome);
        expect(outcomes.slice(0, 3), `split after ${split}, cache ${cache ? 'on' : 'off'}`).toEqual([
          'created',
          'review',
          'created',
        ]);
        expect(outcomes[3]).not.toBe('created');
      }
    }
  });

  it('a settled case leaves nothing to complete from: the record is scored as it stands', async () => {
    const context = await contextOf();
    await enrol(grace, context);
    const queued = await enrol(graceAgain, context);
    expect(queued.outcome).toBe('review');
    if (queued.outcome !== 'review') return;
    const named = await context.stores.registry.caseNamedRecords([queued.person.id]);
    expect([...named.values()].map((p) => p.data)).toEqual([grace]);
    // Decided distinct: the record is active now, with no open case.
    await context.stores.registry.decideCase(queued.caseId, {
      outcome: 'distinct',
      supervisor: 'supervisor-1',
      at: clock.now(),
    });
    expect((await context.stores.registry.caseNamedRecords([queued.person.id])).size).toBe(0);
  });
});
