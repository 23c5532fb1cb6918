import {
  type CredentialEffects,
  type CredentialStatusName,
  changeCredentialStatus,
  type IssuanceContext,
  isTriesteError,
  type Stores,
} from '@trieste/core';

/**
 * What a registry change means for the person's credentials (core CredentialEffects), applied in
 * the transaction of that change, so the record and the status lists change together or not at
 * all: the same rule as the server's apps/server/src/registry/apply-credential-effects.ts (the CLI
 * may not import the server). A credential already revoked stays revoked: reinstating or revoking
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
      if (!record) continue;
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
