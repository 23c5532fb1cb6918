// The public API of @trieste/adapters (Node only): an explicit list of named exports.
export {
  API_KEY_ROLES,
  type ApiKeyRole,
  createApiKey,
  hashApiKeySecret,
  isApiKeyRole,
  parseApiKey,
} from './api-keys/create-api-key.js';
export {
  generatePrivateJwk,
  importPrivateKey,
  importPublicKey,
  nodeCrypto,
  nodeSigner,
} from './crypto/node-crypto.js';
export type { Database, Queryable } from './db/database.js';
export { MIGRATIONS_DIRECTORY, migrateDatabase } from './db/migrate-database.js';
export { type OpenDatabaseOptions, openDatabase } from './db/open-database.js';
export { openPgliteDatabase } from './db/open-pglite-database.js';
export { openPgliteThreadDatabase } from './db/open-pglite-thread-database.js';
export { openPostgresDatabase, type PostgresDatabaseOptions } from './db/open-postgres-database.js';
export { ADAPTER_ERROR_CODES, AdapterError, type AdapterErrorCode, isAdapterError } from './errors.js';
export {
  type InitialisedInstallation,
  initialiseInstallation,
} from './installation/initialise-installation.js';
export {
  type Installation,
  logOrigin,
  type OpenInstallationOptions,
  openInstallation,
} from './installation/open-installation.js';
export { loadOrCreateMasterKeyFile } from './keys/load-or-create-master-key-file.js';
export { generateMasterKey, MasterKey } from './keys/master-key.js';
export { parseMasterKey } from './keys/parse-master-key.js';
export { DEFAULT_SEQUENCE_BATCH, MAX_SEQUENCE_BATCH } from './log/check-log-input.js';
export { exportLogTiles, type LogTilesExport } from './log/export-log-tiles.js';
export { type BoundedFetchOptions, boundedFetchText } from './net/bounded-fetch.js';
// Offline QR codes: images in and out, trust material from a directory, the paper ID.
export {
  DEFAULT_PAPER_ID_LABELS,
  type PaperIdLabels,
  type PaperIdPerson,
  type RenderPaperIdInput,
  renderPaperId,
} from './paper-id/render-paper-id.js';
export {
  type LoadTrustDirectoryOptions,
  loadTrustDirectory,
  type TrustDirectory,
} from './qr-image/load-trust-directory.js';
export {
  measureQrVerification,
  type QrVerificationThroughput,
} from './qr-image/measure-qr-verification.js';
export { type QrErrorCorrection, type QrModules, qrModules } from './qr-image/raster.js';
export { type ReadQrFromImageOptions, readQrFromImage } from './qr-image/read-qr-from-image.js';
export { type RenderQrPngOptions, renderQrPng } from './qr-image/render-qr-png.js';
export { createMemoryStores, type MemoryStoresOptions } from './stores/memory/create-memory-stores.js';
export { createMemoryStoreData, type MemoryStoreData } from './stores/memory/memory-store-data.js';
export { type OpenStoresOptions, openStores } from './stores/sql/open-stores.js';
export { DEFAULT_STATUS_LIST_OPTIONS, type StatusListOptions } from './stores/status-list-options.js';
export { systemClock } from './stores/system-clock.js';
export { loadTrustStore } from './trust-list/load-trust-store.js';
export {
  type RefreshTrustStoreOptions,
  refreshTrustStore,
  type TrustListRefreshOutcome,
} from './trust-list/refresh-trust-store.js';
export { TRUST_LIST_SETTINGS, trustListContextFor, trustListUri } from './trust-list/trust-list-context.js';
