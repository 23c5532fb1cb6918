import type { StatusListVersion } from '../ports.js';
import { STATUS } from '../status-list/status-list.js';
import type { IssuanceContext } from './context.js';
import { publishStatusList } from './publish-status-list.js';

export type CredentialStatusName = 'valid' | 'invalid' | 'suspended';

const VALUES: Record<CredentialStatusName, number> = {
  valid: STATUS.VALID,
  invalid: STATUS.INVALID,
  suspended: STATUS.SUSPENDED,
};

/**
 * Suspends, reinstates or revokes the credential at (listId, idx) and publishes the new list
 * version in the same transaction. Revocation (INVALID) is final: draft-ietf-oauth-status-list
 * §7.1 defines INVALID as "revoked, suspended or permanently invalid"; a revoked credential is
 * re-issued, never reinstated, so nobody can quietly undo a revocation.
 */
export async function changeCredentialStatus(
  listId: string,
  idx: number,
  status: CredentialStatusName,
  context: IssuanceContext,
): Promise<{ previous: number; current: number; version: StatusListVersion }> {
  const value = VALUES[status];
  if (value === undefined) throw new TypeError('status must be valid, invalid or suspended');
  return context.stores.transaction(async (stores) => {
    const { previous } = await stores.statusLists.setStatus(listId, idx, value, { final: [STATUS.INVALID] });
    const version = await publishStatusList(listId, context, stores);
    return { previous, current: value, version };
  });
}
