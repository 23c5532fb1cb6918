import type { Clock, Stores } from '@trieste/core';
import { createKeyCustody, SignerCache } from '../../keys/create-key-custody.js';
import {
  deriveCredentialOfferEncryptionKey,
  deriveIssuerKeyEncryptionKey,
  deriveLogKeyEncryptionKey,
  deriveVerifierEncryptionKey,
  generateMasterKey,
  type MasterKey,
} from '../../keys/master-key.js';
import { deriveVidDigestKey } from '../../registry/registry-store-helpers.js';
import { deriveTrustListKeyEncryptionKey } from '../../trust-list/trust-list-signing-key.js';
import type { LogStoreContext } from '../log-store-context.js';
import type { PresentationStoreContext } from '../presentation-request-checks.js';
import type { TrustListStoreContext } from '../sql/sql-trust-list-store.js';
import { resolveStatusListOptions, type StatusListOptions } from '../status-list-options.js';
import { systemClock } from '../system-clock.js';
import { memoryApiKeyStore } from './memory-api-key-store.js';
import { memoryCredentialOfferStore } from './memory-credential-offer-store.js';
import { memoryCredentialStore } from './memory-credential-store.js';
import { memoryIssuerKeyRepository } from './memory-issuer-key-repository.js';
import { memoryPresentationRequestStore } from './memory-presentation-request-store.js';
import { memoryRegistryStore } from './memory-registry-store.js';
import { memorySettingsStore } from './memory-settings-store.js';
import { memoryStatusListStore } from './memory-status-list-store.js';
import {
  createMemoryStoreData,
  type MemoryScope,
  type MemoryStoreData,
  memoryScope,
} from './memory-store-data.js';
import { memoryTransparencyLogStore } from './memory-transparency-log-store.js';
import { memoryTrustListStore } from './memory-trust-list-store.js';
import { memoryWebhookDeliveryStore } from './memory-webhook-delivery-store.js';

/** Options of the in-memory stores. */
export interface MemoryStoresOptions {
  /** Seals issuer private keys and the log key, as on a database. Default: a random key (lost with the process). */
  masterKey?: MasterKey;
  /** Default: the system clock. */
  clock?: Clock;
  statusLists?: StatusListOptions;
  /** Decrypted issuer signers kept in memory (default 8). */
  signerCacheSize?: number;
  /** Data to share with other stores (from `createMemoryStoreData()`); default: fresh, empty data. */
  data?: MemoryStoreData;
}

/**
 * Stores held in process memory, with the same contract as the SQL stores (one contract suite runs
 * on both): for tests and fakes. Nothing survives the process.
 */
export function createMemoryStores(options: MemoryStoresOptions = {}): Stores {
  const clock = options.clock ?? systemClock;
  const statusLists = resolveStatusListOptions(options.statusLists);
  const masterKey = options.masterKey ?? generateMasterKey();
  const encryptionKey = deriveIssuerKeyEncryptionKey(masterKey);
  const cache = new SignerCache(options.signerCacheSize);
  const logContext: LogStoreContext = {
    clock,
    encryptionKey: deriveLogKeyEncryptionKey(masterKey),
    signers: new SignerCache(1),
  };
  const log = (scope: MemoryScope) => memoryTransparencyLogStore(scope, logContext);
  const data = options.data ?? createMemoryStoreData();
  const offerEncryptionKey = deriveCredentialOfferEncryptionKey(masterKey);
  const presentations: PresentationStoreContext = {
    encryptionKey: deriveVerifierEncryptionKey(masterKey),
    signers: new SignerCache(1),
  };

  const trustLists: TrustListStoreContext = {
    clock,
    encryptionKey: deriveTrustListKeyEncryptionKey(masterKey),
    signers: new SignerCache(2),
  };

  const vidKey = deriveVidDigestKey(masterKey);

  const bind = (scope: MemoryScope, close: () => Promise<void>): Stores => ({
    keys: createKeyCustody({
      repository: memoryIssuerKeyRepository(scope, log),
      encryptionKey,
      clock,
      cache,
    }),
    credentials: memoryCredentialStore(scope),
    statusLists: memoryStatusListStore(scope, clock, statusLists),
    settings: memorySettingsStore(scope),
    log: log(scope),
    apiKeys: memoryApiKeyStore(scope, clock),
    credentialOffers: memoryCredentialOfferStore(scope, clock, offerEncryptionKey),
    trustLists: memoryTrustListStore(scope, trustLists),
    registry: memoryRegistryStore(scope, vidKey),
    presentationRequests: memoryPresentationRequestStore(scope, presentations, () => clock.now()),
    webhookDeliveries: memoryWebhookDeliveryStore(scope),
    transaction: (work) => scope.transaction((tx) => work(bind(tx, closeInTransaction))),
    close,
  });
  return bind(memoryScope(data), async () => {});
}

async function closeInTransaction(): Promise<void> {
  throw new TypeError('stores bound to a transaction cannot be closed');
}
