import { resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * The CLI's one configuration module, read only by the composition root (runtime.ts). Every
 * variable is documented here and in the README; a bad value fails fast with CONFIG_INVALID.
 *
 * - TRIESTE_DATA_DIR    data directory (embedded database, master key file); default ./data
 * - DATABASE_URL        a PostgreSQL server (postgres://…); when set, it is used instead of PGlite
 * - TRIESTE_MASTER_KEY  32-byte key (base64url or hex) that encrypts issuer keys at rest; when
 *                       unset, `trieste init` generates <data dir>/master.key with mode 0600
 * - TRIESTE_ISSUER      the issuer identifier (`iss`) given to `trieste init`; default
 *                       http://localhost:8080 (where the server will run)
 */
export interface CliConfig {
  dataDir: string;
  databaseUrl?: string;
  masterKey?: string;
  issuer: string;
}

export function readConfig(env: NodeJS.ProcessEnv): CliConfig {
  const databaseUrl = nonEmpty(env['DATABASE_URL']);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new CliError('CONFIG_INVALID', 'DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const issuer = nonEmpty(env['TRIESTE_ISSUER']) ?? 'http://localhost:8080';
  if (!isHttpUrl(issuer)) throw new CliError('CONFIG_INVALID', 'TRIESTE_ISSUER must be an http(s) URL');
  return {
    dataDir: resolve(nonEmpty(env['TRIESTE_DATA_DIR']) ?? 'data'),
    databaseUrl,
    masterKey: nonEmpty(env['TRIESTE_MASTER_KEY']),
    issuer,
  };
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '';
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
