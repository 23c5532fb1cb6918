import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Installation,
  loadOrCreateMasterKeyFile,
  type MasterKey,
  openInstallation,
  parseMasterKey,
} from '@trieste/adapters';
import type { CliConfig } from './config.js';
import { CliError } from './errors.js';

/** The composition root of the CLI: config in, ports and stores out (composed by the adapters). */
export interface Runtime extends Installation {
  config: CliConfig;
}

/** How a command wants the embedded database opened (ignored with DATABASE_URL). */
export interface EmbeddedDatabaseOptions {
  cacheMegabytes?: number;
  thread?: boolean;
}

export function masterKeyPath(config: CliConfig): string {
  return join(config.dataDir, 'master.key');
}

/**
 * Opens the installation. With `create`, makes the data directory and the master key file when
 * they are missing (`trieste init`); otherwise refuses to run on an installation that was never
 * initialised rather than silently creating an empty one. `cacheMegabytes` sizes the embedded
 * database's page cache and `thread` runs it in a worker thread (a bulk import's; both ignored with
 * DATABASE_URL).
 */
export async function openRuntime(
  config: CliConfig,
  options: { create?: boolean } & EmbeddedDatabaseOptions = {},
): Promise<Runtime> {
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
  const installation = await openInstallation({
    database: config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : {
          dataDir: join(config.dataDir, 'pg'),
          ...(options.cacheMegabytes === undefined ? {} : { cacheMegabytes: options.cacheMegabytes }),
          ...(options.thread === undefined ? {} : { thread: options.thread }),
        },
    masterKey,
    issuer: config.issuer,
  });
  return { ...installation, config };
}
