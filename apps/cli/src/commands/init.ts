import { type IssuerKeyRecord, logVerifierKey, publishCheckpoint, type SignatureAlg } from '@trieste/core';
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
  const { stores, config } = runtime;
  const existingIssuer = await stores.settings.get('issuer');
  if (!existingIssuer) await stores.settings.set('issuer', runtime.issuance.issuer);
  if (!(await stores.settings.get('log.origin'))) await stores.settings.set('log.origin', runtime.log.origin);
  const active = (await stores.keys.list()).find((key) => key.state === 'active');
  const key = active ?? (await stores.keys.create(alg ?? 'ES256', { activate: true }));
  const created = !active;
  const checkpoint = await publishCheckpoint(runtime.log);
  const logKey = await logVerifierKey(runtime.log);
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
