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
  const { stores, config } = runtime;
  const existingIssuer = await stores.settings.get('issuer');
  if (!existingIssuer) await stores.settings.set('issuer', runtime.issuance.issuer);
  const active = (await stores.keys.list()).find((key) => key.state === 'active');
  const key = active ?? (await stores.keys.create(alg ?? 'ES256', { activate: true }));
  const created = !active;
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
    ].join('\n'),
    { created, database: where, issuer: runtime.issuance.issuer, activeKey: { kid: key.kid, alg: key.alg } },
  );
  return { created, key };
}
