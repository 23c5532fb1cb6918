import { isTriesteError } from '../errors.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import { signCompactJws } from '../jws/sign-compact.js';
import type { Hasher, Signer } from '../ports.js';
import { encodeTrustList } from './encode-trust-list.js';
import { parseTrustList } from './parse-trust-list.js';
import { TRUST_LIST_JWT_TYP, type TrustList } from './trust-list.js';

/**
 * Signs a trust list as a compact JWS: header `typ: trieste-trust-list+jwt` with the signer's
 * `alg` and `kid`, payload the list's wire form. The list is read back through the strict parser
 * first, so Trieste never publishes a list its own verifiers would refuse; a list that fails is
 * the caller's bug (TypeError). The signing key must be one of the operator keys the list
 * announces.
 */
export async function signTrustList(
  list: TrustList,
  context: { signer: Signer; hasher: Hasher },
): Promise<string> {
  const payload = encodeTrustList(list);
  try {
    parseTrustList(payload);
  } catch (error) {
    if (isTriesteError(error))
      throw new TypeError(`the trust list does not meet its profile: ${error.message}`);
    throw error;
  }
  const signerThumbprint = jwkThumbprint(context.signer.publicJwk, context.hasher);
  if (!list.operator.keys.some((key) => jwkThumbprint(key, context.hasher) === signerThumbprint)) {
    throw new TypeError('the signing key is not one of the operator keys the list announces');
  }
  return signCompactJws({ typ: TRUST_LIST_JWT_TYP }, payload, context.signer);
}
