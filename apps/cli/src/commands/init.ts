import { initialiseInstallation } from '@trieste/adapters';
import type { IssuerKeyRecord, SignatureAlg } from '@trieste/core';
import { type Output, print } from '../io.js';
import type { Runtime } from '../runtime.js';

/**
 * Makes an installation usable: data directory and master key (by openRuntime with create),
 * the issuer identifier, and one active issuer key. Running it again changes nothing.
 */
export async function initCommand(
  runtime: Runtime,
  out: Output,
  alg: SignatureAlg | undefined,
): Promise<{ created: boolean; key: IssuerKeyRecord }> {
  const { config } = runtime;
  const { created, key, checkpoint, logKey } = await initialiseInstallation(runtime, alg ? { alg } : {});
  const where = config.databaseUrl
    ? 'PostgreSQL server (DATABASE_URL)'
    : `${config.dataDir}/pg (embedded PGlite)`;
  const masterKey = config.masterKey ? 'TRIESTE_MASTER_KEY' : `${config.dataDir}/master.key (mode 0600)`;
  print(
    out,
    [
      created ? 'Trieste initialised.' : 'Trieste was already initialised; nothing changed.',
      `  database:   ${where}`,
      `  master key: ${masterKey}`,
      `  issuer:     ${runtime.issuance.issuer}`,
      `  active key: ${key.kid} (${key.alg})`,
      `  log:        ${runtime.log.origin}, ${checkpoint.size} entries, key ${logKey}`,
    ].join('\n'),
    {
      created,
      database: where,
      issuer: runtime.issuance.issuer,
      activeKey: { kid: key.kid, alg: key.alg },
      log: { origin: runtime.log.origin, size: checkpoint.size, vkey: logKey },
    },
  );
  return { created, key };
}
