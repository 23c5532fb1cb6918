import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore, Clock } from '@trieste/core';

/**
 * The roles an API key can carry. `admin` manages the installation (keys, API keys) and may do
 * everything the others may; `registrar` creates offers and changes credential statuses;
 * `verifier` is a relying party creating presentation requests and reading their results (its own
 * only). The server decides what each role may do; the CLI and the server create keys the same way.
 */
export const API_KEY_ROLES = ['admin', 'registrar', 'supervisor', 'verifier'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export function isApiKeyRole(value: unknown): value is ApiKeyRole {
  return typeof value === 'string' && (API_KEY_ROLES as readonly string[]).includes(value);
}

// `trieste.<id>.<secret>`: the id (96 bits) names the key and is looked up; the secret (256 bits)
// is stored only as SHA-256. Both are base64url, which has no '.', so the split is unambiguous.
const KEY = /^trieste\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

/** The SHA-256 of an API key's secret half: the only form in which it is stored. */
export function hashApiKeySecret(secret: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(secret, 'utf8').digest());
}

/**
 * Splits a presented key into its id and secret, or undefined. `presented` is attacker-controlled:
 * its length is bounded before the (anchored, linear) pattern runs.
 */
export function parseApiKey(presented: string): { id: string; secret: string } | undefined {
  const match = typeof presented === 'string' && presented.length <= 80 ? KEY.exec(presented) : null;
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/**
 * Creates an API key and stores its hash. The returned `key` is the only copy of the secret: show
 * it once to whoever will hold it, and never log it.
 */
export async function createApiKey(
  store: ApiKeyStore,
  clock: Clock,
  options: { name: string; roles: readonly ApiKeyRole[] },
): Promise<{ key: string; record: ApiKeyRecord }> {
  if (!options.roles.every(isApiKeyRole))
    throw new TypeError(`roles must be among ${API_KEY_ROLES.join(', ')}`);
  // Never a leading '-': an id is typed as a command-line argument (`trieste apikeys revoke <id>`),
  // where it would read as an option (one id in 64 did).
  let id: string;
  do id = randomBytes(12).toString('base64url');
  while (id.startsWith('-'));
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    id,
    name: options.name,
    roles: [...options.roles],
    createdAt: Math.floor(clock.now()),
  };
  await store.insert(record, hashApiKeySecret(secret));
  return { key: `trieste.${id}.${secret}`, record };
}
