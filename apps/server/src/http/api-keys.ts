import { timingSafeEqual } from 'node:crypto';
import { API_KEY_ROLES, type ApiKeyRole, hashApiKeySecret, parseApiKey } from '@trieste/adapters';
import type { ApiKeyRecord, ApiKeyStore } from '@trieste/core';

// The key format (generate, hash, parse) lives in the adapters, shared with the CLI's
// `trieste apikeys`; what a role may do, and the constant-time check, are the server's.
export { createApiKey } from '@trieste/adapters';

/**
 * The roles an API key can carry. `admin` manages the installation (keys, API keys) and may do
 * everything a registrar may; `registrar` creates offers and changes credential statuses, and
 * enrols and updates people in the registry; `supervisor` may do all a registrar may and decides
 * the registry's adjudication cases; `verifier` is a relying party creating presentation requests
 * and reading their results (its own only).
 */
export const ROLES = API_KEY_ROLES;
export type Role = ApiKeyRole;

/** Whether a key with `roles` may act as `role`: admin stands in for every role, a supervisor for a registrar. */
export function hasRole(roles: readonly string[], role: Role): boolean {
  return (
    roles.includes(role) || roles.includes('admin') || (role === 'registrar' && roles.includes('supervisor'))
  );
}

// Compared against when the id is unknown, so a miss costs the same hash and comparison as a hit.
const NO_KEY_HASH = hashApiKeySecret('no such key');

/**
 * The live key that `presented` is, or undefined. `presented` is attacker-controlled: it is parsed
 * by a bounded pattern, and its secret's hash is compared in constant time (timingSafeEqual), so
 * the response time says nothing about how much of a guess was right.
 */
export async function authenticateApiKey(
  store: ApiKeyStore,
  presented: string,
): Promise<ApiKeyRecord | undefined> {
  const parsed = parseApiKey(presented);
  const found = parsed ? await store.find(parsed.id) : undefined;
  const hash = hashApiKeySecret(parsed ? parsed.secret : '');
  const equal = timingSafeEqual(hash, found?.secretHash ?? NO_KEY_HASH);
  if (!found || !equal || found.record.revokedAt !== undefined) return undefined;
  return found.record;
}
