import { utf8Encode } from '../encoding/utf8.js';
import { type CoreErrorCode, fail } from '../errors.js';
import { algForJwk } from '../jwk/parse-public-jwk.js';
import type { PublicJwk } from '../jwk/types.js';
import type { SignatureVerifier } from '../ports.js';
import type { DecodedJws } from './decode-compact.js';

/**
 * Checks a decoded JWS's signature with `key`. The header's `alg` must be the one algorithm the
 * key type allows, so an attacker cannot pick how the key is used (RFC 8725 §3.1).
 */
export async function verifyJwsSignature(
  jws: DecodedJws,
  key: PublicJwk,
  verifier: SignatureVerifier,
  codes: { invalid: CoreErrorCode } = { invalid: 'SIGNATURE_INVALID' },
): Promise<void> {
  if (jws.header.alg !== algForJwk(key))
    throw fail('ALG_NOT_ALLOWED', 'JWS algorithm does not match the key type');
  const ok = await verifier.verify(jws.header.alg, key, utf8Encode(jws.signingInput), jws.signature);
  if (!ok) throw fail(codes.invalid, 'signature does not verify');
}
