import { isTriesteError } from '../errors.js';
import { type CredentialStatusName, changeCredentialStatus } from '../issuance/change-credential-status.js';
import type { IssuanceContext } from '../issuance/context.js';
import type { Stores } from '../ports.js';
import type { CredentialEffects } from './credential-effects.js';

/**
 * Applies what a registry change means for the person's credentials (CredentialEffects):
 * suspend, revoke or reinstate each linked credential through its status list. Called inside the
 * transaction of the registry change (by the server's routes and the CLI alike), so the record and the status lists change together or not at
 * all. A credential issued without a status entry is skipped. A credential already revoked stays revoked (revocation is final): reinstating it or revoking
 * it again is skipped, not an error.
 */
export async function applyCredentialEffects(
  effects: CredentialEffects,
  issuance: IssuanceContext,
  tx: Stores,
): Promise<{ changed: number }> {
  const context: IssuanceContext = { ...issuance, stores: tx };
  let changed = 0;
  const apply = async (ids: readonly string[], status: CredentialStatusName) => {
    for (const id of ids) {
      const record = await tx.credentials.get(id);
      // A credential without a status entry (a short-lived proof of age) has nothing to change: it
      // lapses at its own expiry and is not re-issued to a record that is no longer active.
      if (!record || record.statusListId === undefined || record.statusIndex === undefined) continue;
      try {
        const result = await changeCredentialStatus(record.statusListId, record.statusIndex, status, context);
        if (result.previous !== result.current) changed++;
      } catch (error) {
        if (isTriesteError(error) && error.code === 'STATUS_TRANSITION_NOT_ALLOWED') continue;
        throw error;
      }
    }
  };
  await apply(effects.revoke, 'invalid');
  await apply(effects.suspend, 'suspended');
  await apply(effects.reinstate, 'valid');
  return { changed };
}
