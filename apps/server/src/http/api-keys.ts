import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore, Clock } from '@trieste/core';

/**
 * The roles an API key can carry. `admin` manages the installation (keys, API keys) and may do
 * everything a registrar may; `registrar` changes credential statuses; `verifier` is a relying
 * party creating presentation requests and reading their results (its own only). The issuer
 * service adds its roles here.
 */
export const ROLES = ['admin', 'registrar', 'verifier'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a key with `roles` may act as `role`: admin stands in for every role. */
export function hasRole(roles: readonly string[], role: Role): boolean {
  return roles.includes(role) || roles.includes('admin');
}

// `trieste.<id>.<secret>`: the id (96 bits) names the key and is looked up; the secret (256 bits)
// is stored only as SHA-256. Both are base64url, which has no '.', so the split is unambiguous.
const KEY = /^trieste\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

/**
 * Creates an API key and stores its hash. The returned `key` is the only copy of the secret: show
 * it once to whoever will hold it, and never log it.
 */
export async function createApiKey(
  store: ApiKeyStore,
  clock: Clock,
  options: { name: string; roles: readonly Role[] },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const id = randomBytes(12).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    id,
    name: options.name,
    roles: [...options.roles],
    createdAt: Math.floor(clock.now()),
  };
  await store.insert(record, sha256(secret));
  return { key: `trieste.${id}.${secret}`, record };
}

// Compared against when the id is unknown, so a miss costs the same hash and comparison as a hit.
const NO_KEY_HASH = sha256('no such key');

/**
 * The live key that `presented` is, or undefined. `presented` is attacker-controlled: it is parsed
 * by a bounded pattern, and its secret's hash is compared in constant time (timingSafeEqual), so
 * the response time says nothing about how much of a guess was right.
 */
export async function authenticateApiKey(
  store: ApiKeyStore,
  presented: string,
): Promise<ApiKeyRecord | undefined> {
  const match = presented.length <= 80 ? KEY.exec(presented) : null;
  const found = match ? await store.find(match[1]!) : undefined;
  const hash = sha256(match ? match[2]! : '');
  const equal = timingSafeEqual(hash, found?.secretHash ?? NO_KEY_HASH);
  if (!found || !equal || found.record.revokedAt !== undefined) return undefined;
  return found.record;
}
