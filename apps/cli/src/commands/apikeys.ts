import { API_KEY_ROLES, type ApiKeyRole, createApiKey, isApiKeyRole } from '@trieste/adapters';
import type { ApiKeyRecord } from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, print } from '../io.js';
import type { Runtime } from '../runtime.js';

export function parseRole(value: string): ApiKeyRole {
  if (isApiKeyRole(value)) return value;
  throw new CliError('USAGE', `--role must be one of ${API_KEY_ROLES.join(', ')}`);
}

// What a key shows of itself: never its secret nor the secret's hash (the same allowlist as the
// server's GET /admin/api-keys).
function describe(record: ApiKeyRecord): Record<string, unknown> {
  return {
    id: record.id,
    roles: [...record.roles],
    label: record.name,
    createdAt: new Date(record.createdAt * 1000).toISOString(),
    ...(record.revokedAt === undefined ? {} : { revokedAt: new Date(record.revokedAt * 1000).toISOString() }),
  };
}

function line(record: ApiKeyRecord): string {
  const state = record.revokedAt === undefined ? 'live   ' : 'revoked';
  return `${record.id}  ${state}  ${record.roles.join(',').padEnd(9)}  ${new Date(record.createdAt * 1000).toISOString()}  ${record.name}`;
}

/** Creates a key in the installation's store, in the server's format; prints the key once. */
export async function apiKeysCreate(
  runtime: Runtime,
  out: Output,
  role: ApiKeyRole,
  label: string | undefined,
): Promise<void> {
  const name = label?.trim() || `${role} key`;
  if (name.length > 200) throw new CliError('USAGE', '--label must be at most 200 characters');
  const { key, record } = await createApiKey(runtime.stores.apiKeys, runtime.clock, { name, roles: [role] });
  print(out, `created ${role} API key ${record.id}\n${key}\n(shown once: it is stored only hashed)`, {
    ...describe(record),
    key,
  });
}

export async function apiKeysList(runtime: Runtime, out: Output): Promise<void> {
  const records = await runtime.stores.apiKeys.list();
  print(out, records.length === 0 ? 'no API keys' : records.map(line).join('\n'), records.map(describe));
}

/** Revokes a key: the server refuses it from its next request on. NOT_FOUND for an unknown id. */
export async function apiKeysRevoke(runtime: Runtime, out: Output, id: string): Promise<void> {
  const record = await runtime.stores.apiKeys.revoke(id);
  print(out, `revoked API key ${record.id}`, describe(record));
}
