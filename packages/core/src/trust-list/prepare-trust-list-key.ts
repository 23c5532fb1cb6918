import type { SignatureAlg } from '../jwk/types.js';
import type { TrustListKeyRecord, TrustListVersion } from '../ports.js';
import { changeTrustList } from './change-trust-list.js';
import type { TrustListContext } from './context.js';

/**
 * Creates the operator's next key (pending) and publishes a version, still signed by the active
 * key, that announces it: other jurisdictions can add it to their recognition (and this one's
 * verifiers to their anchor) before `rotateTrustListKey` starts signing with it. One pending key
 * at a time (DUPLICATE).
 */
export async function prepareTrustListKey(
  context: TrustListContext,
  options: { alg?: SignatureAlg } = {},
): Promise<{ prepared: TrustListKeyRecord; version: TrustListVersion }> {
  const { result, version } = await changeTrustList(context, async (stores) => {
    // An installation that never published has no active key yet: create it first, so the
    // prepared key is the next one, not the first.
    await stores.trustLists.signer();
    return stores.trustLists.prepareKey(options.alg);
  });
  return { prepared: result, version };
}
