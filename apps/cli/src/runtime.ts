import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Database,
  loadOrCreateMasterKeyFile,
  type MasterKey,
  migrateDatabase,
  nodeCrypto,
  openDatabase,
  openStores,
  parseMasterKey,
} from '@trieste/adapters';
import {
  type Clock,
  type CryptoPort,
  type IssuanceContext,
  type LogContext,
  publishCheckpoint,
  type Stores,
} from '@trieste/core';
import type { CliConfig } from './config.js';
import { CliError } from './errors.js';

/** The composition root of the CLI: config in, ports and stores out. */
export interface Runtime {
  config: CliConfig;
  crypto: CryptoPort;
  clock: Clock;
  stores: Stores;
  database: Database;
  issuance: IssuanceContext;
  log: LogContext;
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() / 1000 };

export function masterKeyPath(config: CliConfig): string {
  return join(config.dataDir, 'master.key');
}

/**
 * Opens the installation. With `create`, makes the data directory and the master key file when
 * they are missing (`trieste init`); otherwise refuses to run on an installation that was never
 * initialised rather than silently creating an empty one.
 */
export async function openRuntime(config: CliConfig, options: { create?: boolean } = {}): Promise<Runtime> {
  const create = options.create === true;
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'pg')) && !create) {
    throw new CliError('NOT_INITIALISED', `no Trieste data in ${config.dataDir}: run \`trieste init\` first`);
  }
  if (create) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let masterKey: MasterKey;
  if (config.masterKey) {
    masterKey = parseMasterKey(config.masterKey);
  } else {
    if (!create && !existsSync(masterKeyPath(config))) {
      throw new CliError('NOT_INITIALISED', 'no master key: set TRIESTE_MASTER_KEY or run `trieste init`');
    }
    // Reads the file, or (init only, as checked above) creates it with mode 0600.
    masterKey = await loadOrCreateMasterKeyFile(masterKeyPath(config));
  }
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(config.dataDir, 'pg') },
  );
  try {
    await migrateDatabase(database);
    const crypto = nodeCrypto();
    const stores = await openStores({ database, masterKey, clock: systemClock });
    const issuer = (await stores.settings.get('issuer')) ?? config.issuer;
    const issuance: IssuanceContext = {
      stores,
      crypto,
      clock: systemClock,
      issuer,
      statusBaseUri: `${issuer.replace(/\/+$/, '')}/status`,
    };
    const origin = (await stores.settings.get('log.origin')) ?? logOrigin(issuer);
    const runtimeLog: LogContext = { stores, crypto, clock: systemClock, origin };
    return {
      config,
      crypto,
      clock: systemClock,
      stores,
      database,
      issuance,
      log: runtimeLog,
      async close() {
        // Whatever this command queued for the transparency log is sequenced and signed before
        // the process ends, so the log never lags behind the trust state it records.
        try {
          if ((await stores.log.pending()) > 0) await publishCheckpoint(runtimeLog);
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
