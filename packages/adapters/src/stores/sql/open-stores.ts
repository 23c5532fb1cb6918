import type { Clock, Stores } from '@trieste/core';
import type { Database, Queryable } from '../../db/database.js';
import { assertMigrated } from '../../db/migrate-database.js';
import { createKeyCustody, SignerCache } from '../../keys/create-key-custody.js';
import {
  deriveCredentialOfferEncryptionKey,
  deriveIssuerKeyEncryptionKey,
  deriveLogKeyEncryptionKey,
  deriveVerifierEncryptionKey,
  type MasterKey,
} from '../../keys/master-key.js';
import { deriveVidDigestKey } from '../../registry/registry-store-helpers.js';
import { deriveTrustListKeyEncryptionKey } from '../../trust-list/trust-list-signing-key.js';
import type { LogStoreContext } from '../log-store-context.js';
import type { PresentationStoreContext } from '../presentation-request-checks.js';
import { resolveStatusListOptions, type StatusListOptions } from '../status-list-options.js';
import { systemClock } from '../system-clock.js';
import { sqlApiKeyStore } from './sql-api-key-store.js';
import { sqlCredentialOfferStore } from './sql-credential-offer-store.js';
import { sqlCredentialStore } from './sql-credential-store.js';
import { sqlIssuerKeyRepository } from './sql-issuer-key-repository.js';
import { sqlPresentationRequestStore } from './sql-presentation-request-store.js';
import { sqlRegistryStore } from './sql-registry-store.js';
import { sqlSettingsStore } from './sql-settings-store.js';
import { sqlStatusListStore } from './sql-status-list-store.js';
import { sqlTransparencyLogStore } from './sql-transparency-log-store.js';
import { sqlTrustListStore, type TrustListStoreContext } from './sql-trust-list-store.js';
import { sqlWebhookDeliveryStore } from './sql-webhook-delivery-store.js';

/** Options of the SQL-backed stores. */
export interface OpenStoresOptions {
  /** A migrated database (see `migrateDatabase`). The stores own it: `Stores.close()` closes it. */
  database: Database;
  /**
   * Seals and opens issuer private keys and the log key; a different key than the one used to seal
   * is MASTER_KEY_INVALID.
   */
  masterKey: MasterKey;
  /** Time of records (createdAt, issuedAt…). Default: the system clock. */
  clock?: Clock;
  /** How `allocate` sizes new status lists. */
  statusLists?: StatusListOptions;
  /** Decrypted issuer signers kept in memory (default 8; 0 decrypts on every `signer()` call). */
  signerCacheSize?: number;
}

/**
 * The stores of one installation over PGlite or PostgreSQL. Checks that the schema is migrated,
 * then returns stores whose `transaction(work)` hands `work` the same stores bound to one database
 * transaction.
 */
export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const { database } = options;
  if (!database || typeof database.query !== 'function') throw new TypeError('database must be a Database');
  const clock = options.clock ?? systemClock;
  const statusLists = resolveStatusListOptions(options.statusLists);
  const encryptionKey = deriveIssuerKeyEncryptionKey(options.masterKey);
  const cache = new SignerCache(options.signerCacheSize);
  const logContext: LogStoreContext = {
    clock,
    encryptionKey: deriveLogKeyEncryptionKey(options.masterKey),
    signers: new SignerCache(1),
  };
  const log = (db: Queryable) => sqlTransparencyLogStore(db, logContext);
  const offerEncryptionKey = deriveCredentialOfferEncryptionKey(options.masterKey);
  const presentations: PresentationStoreContext = {
    encryptionKey: deriveVerifierEncryptionKey(options.masterKey),
    signers: new SignerCache(1),
  };
  const trustLists: TrustListStoreContext = {
    clock,
    encryptionKey: deriveTrustListKeyEncryptionKey(options.masterKey),
    signers: new SignerCache(2),
  };
  const vidKey = deriveVidDigestKey(options.masterKey);
  await assertMigrated(database);

  const bind = (db: Queryable, close: () => Promise<void>, root = false): Stores => ({
    keys: createKeyCustody({ repository: sqlIssuerKeyRepository(db, log), encryptionKey, clock, cache }),
    credentials: sqlCredentialStore(db),
    statusLists: sqlStatusListStore(db, clock, statusLists),
    settings: sqlSettingsStore(db, clock),
    log: log(db),
    apiKeys: sqlApiKeyStore(db, clock),
    credentialOffers: sqlCredentialOfferStore(db, offerEncryptionKey),
    trustLists: sqlTrustListStore(db, trustLists),
    registry: sqlRegistryStore(db, vidKey),
    presentationRequests: sqlPresentationRequestStore(db, presentations, () => clock.now(), root),
    webhookDeliveries: sqlWebhookDeliveryStore(db),
    transaction: (work) => db.transaction((tx) => work(bind(tx, closeInTransaction))),
    close,
  });
  return bind(database, () => database.close(), true);
}

async function closeInTransaction(): Promise<void> {
  throw new TypeError('stores bound to a transaction cannot be closed');
}
