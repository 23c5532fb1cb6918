import type { SignatureAlg } from '../jwk/types.js';
import type { TrustListKeyRecord, TrustListVersion } from '../ports.js';
import { changeTrustList } from './change-trust-list.js';
import type { TrustListContext } from './context.js';

/**
 * Makes the pending operator key (or a new key of `alg`, when none is pending) the one that signs
 * the list, retires the active key, and publishes the first version signed by the new key.
 * Verifiers pin operator keys out of band: announce the next key first (`prepareTrustListKey`),
 * let them add it, then rotate, or they refuse the new list with TRUST_LIST_OPERATOR_UNTRUSTED.
 */
export async function rotateTrustListKey(
  context: TrustListContext,
  options: { alg?: SignatureAlg } = {},
): Promise<{ activated: TrustListKeyRecord; retired: TrustListKeyRecord[]; version: TrustListVersion }> {
  const { result, version } = await changeTrustList(context, (stores) =>
    stores.trustLists.rotateKey(options.alg),
  );
  return { ...result, version };
}
