import { openPgliteDatabase } from '../../db/open-pglite-database.js';
import { describeRegistryStoreContract } from '../registry-contract.test-util.js';
import { describeStoresContract } from '../stores-contract.test-util.js';
import { describeTrustListStoreContract } from '../trust-list-contract.test-util.js';
import { describeWebhookDeliveryStoreContract } from '../webhook-delivery-contract.test-util.js';
import { sqlHarness } from './sql-harness.test-util.js';

const harness = sqlHarness(async () => {
  const database = await openPgliteDatabase({ dataDir: 'memory://' });
  return { database, dispose: () => database.close() };
});

describeStoresContract('PGlite (memory://)', harness);
describeTrustListStoreContract('PGlite (memory://)', harness);
describeRegistryStoreContract('PGlite (memory://)', harness);
describeWebhookDeliveryStoreContract('PGlite (memory://)', harness);
