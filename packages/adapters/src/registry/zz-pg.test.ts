import { DEFAULT_JURISDICTION_RULES, enrolBatch, generateSyntheticPopulation } from '@trieste/core';
import { it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { openPgliteDatabase } from '../db/open-pglite-database.js';
import { openPostgresDatabase } from '../db/open-postgres-database.js';
import { createServerTestDatabase } from '../db/test-databases.test-util.js';
import { generateMasterKey } from '../keys/master-key.js';
import { openStores } from '../stores/sql/open-stores.js';
it('rate', async () => {
  const crypto = nodeCrypto();
  const rules = { ...DEFAULT_JURISDICTION_RULES, guardianRequiredUnder: undefined };
  const records = generateSyntheticPopulation({ people: 8000, seed: 3 });
  for (const kind of ['postgres', 'pglite']) {
    let database; let drop = async () => {};
    if (kind === 'postgres') { const s = await createServerTestDatabase(); database = await openPostgresDatabase({ databaseUrl: s.url }); drop = s.drop; }
    else database = await openPgliteDatabase({ dataDir: 'memory://' });
    await migrateDatabase(database);
    const stores = await openStores({ database, masterKey: generateMasterKey() });
    const rows = records.map((r, i) => ({ rowKey: `r${i}`, data: r.data }));
    const t = performance.now(); const phases: number[] = [];
    for (let i = 0; i < rows.length; i += 500) { const t0 = performance.now(); await enrolBatch({ importId: 'x', registrar: 'r', office: 'o', rows: rows.slice(i, i + 500) }, { stores, crypto, clock: { now: () => 1_750_000_000 }, rules }); phases.push(Math.round(performance.now() - t0)); }
    console.log(kind, Math.round(rows.length / ((performance.now() - t) / 1000)), 'rows/s', phases.join(' '));
    await database.close(); await drop();
  }
}, 600000);
