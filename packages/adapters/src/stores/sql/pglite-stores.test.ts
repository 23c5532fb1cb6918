import { openPgliteDatabase } from '../../db/open-pglite-database.js';
import { describeStoresContract } from '../stores-contract.test-util.js';
import { sqlHarness } from './sql-harness.test-util.js';

describeStoresContract(
  'PGlite (memory://)',
  sqlHarness(async () => {
    const database = await openPgliteDatabase({ dataDir: 'memory://' });
    return { database, dispose: () => database.close() };
  }),
);
