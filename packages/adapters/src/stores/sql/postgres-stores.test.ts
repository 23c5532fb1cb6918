import { openPostgresDatabase } from '../../db/open-postgres-database.js';
import { createServerTestDatabase } from '../../db/test-databases.test-util.js';
import { describeRegistryStoreContract } from '../registry-contract.test-util.js';
import { describeStoresContract } from '../stores-contract.test-util.js';
import { describeTrustListStoreContract } from '../trust-list-contract.test-util.js';
import { describeWebhookDeliveryStoreContract } from '../webhook-delivery-contract.test-util.js';
import { sqlHarness } from './sql-harness.test-util.js';

const harness = sqlHarness(async () => {
  const server = await createServerTestDatabase();
  const database = await openPostgresDatabase({ databaseUrl: server.url });
  return {
    database,
    async dispose() {
      await database.close();
      await server.drop();
    },
  };
});

describeStoresContract('PostgreSQL server', harness);
describeTrustListStoreContract('PostgreSQL server', harness);
describeRegistryStoreContract('PostgreSQL server', harness);
describeWebhookDeliveryStoreContract('PostgreSQL server', harness);
