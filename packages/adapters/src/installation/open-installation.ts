import type { Clock, CryptoPort, IssuanceContext, LogContext, Stores } from '@trieste/core';
import { publishCheckpoint } from '@trieste/core';
import { nodeCrypto } from '../crypto/node-crypto.js';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { type OpenDatabaseOptions, openDatabase } from '../db/open-database.js';
import type { MasterKey } from '../keys/master-key.js';
import { openStores } from '../stores/sql/open-stores.js';
import { systemClock } from '../stores/system-clock.js';

/** Plain options: the composition root (CLI, server) reads the environment, this reads none. */
export interface OpenInstallationOptions {
  /** Where the data lives: exactly one of `databaseUrl` and `dataDir` (the embedded PGlite directory). */
  database: OpenDatabaseOptions;
  /** Seals issuer keys and the log key at rest. */
  masterKey: MasterKey;
  /**
   * The issuer identifier of a new installation. One that was initialised keeps the identifier it
   * stored: credentials and status list URIs already issued name it.
   */
  issuer: string;
  /** Default: the system clock. */
  clock?: Clock;
}

/** One opened installation: the stores and the contexts the core's use cases take. */
export interface Installation {
  crypto: CryptoPort;
  clock: Clock;
  stores: Stores;
  database: Database;
  issuance: IssuanceContext;
  log: LogContext;
  /**
   * Sequences and signs whatever is still queued for the transparency log, then closes the
   * stores, so the log never lags behind the trust state it records.
   */
  close(): Promise<void>;
}

/**
 * Opens the database, applies pending migrations and composes the stores and contexts, the same way
 * for every app. Creates nothing else: `initialiseInstallation` makes a new installation usable.
 */
export async function openInstallation(options: OpenInstallationOptions): Promise<Installation> {
  const clock = options.clock ?? systemClock;
  const database = await openDatabase(options.database);
  try {
    await migrateDatabase(database);
    const crypto = nodeCrypto();
    const stores = await openStores({ database, masterKey: options.masterKey, clock });
    const issuer = (await stores.settings.get('issuer')) ?? options.issuer;
    const issuance: IssuanceContext = {
      stores,
      crypto,
      clock,
      issuer,
      statusBaseUri: `${issuer.replace(/\/+$/, '')}/status`,
    };
    const origin = (await stores.settings.get('log.origin')) ?? logOrigin(issuer);
    const log: LogContext = { stores, crypto, clock, origin };
    return {
      crypto,
      clock,
      stores,
      database,
      issuance,
      log,
      async close() {
        try {
          if ((await stores.log.pending()) > 0) await publishCheckpoint(log);
        } finally {
          await stores.close();
        }
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The log's origin (tlog-checkpoint: a schema-less URL, also its key name): the issuer's host and
 * path followed by /log, where the server publishes it, e.g. `id.example.gov/log`.
 */
export function logOrigin(issuer: string): string {
  const url = new URL(issuer);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}/log`;
}
