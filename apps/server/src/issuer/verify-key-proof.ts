import {
  type CryptoPort,
  decodeCompactJws,
  jwkThumbprint,
  type PublicJwk,
  parsePublicJwk,
  verifyJwsSignature,
} from '@trieste/core';
import { ServerError } from '../http/errors.js';

export const KEY_PROOF_TYP = 'openid4vci-proof+jwt';
/** How old a proof's `iat` may be, and how far ahead of our clock (seconds). */
export const KEY_PROOF_MAX_AGE = 300;
export const KEY_PROOF_MAX_SKEW = 60;

export interface VerifiedKeyProof {
  key: PublicJwk;
  thumbprint: string;
  nonce: string;
}

/**
 * Verifies one `jwt` key proof (OpenID4VCI 1.0 Appendix F.1, F.4) except its nonce, which the
 * caller consumes once per request. The proof is attacker-controlled: it is decoded with the
 * algorithm allowlist (no `none`, no HMAC), its key must be a public JWK in the header (`kid` and
 * `x5c` are not accepted: we resolve no key references), and it must be signed by that key,
 * addressed to this issuer and fresh. Every failure is `invalid_proof`, without the proof's text.
 */
export async function verifyKeyProof(
  jwt: string,
  deps: { issuer: string; now: number; crypto: CryptoPort },
): Promise<VerifiedKeyProof> {
  const refuse = (why: string, cause?: unknown) =>
    new ServerError('invalid_proof', `key proof: ${why}`, cause === undefined ? undefined : { cause });
  let decoded: ReturnType<typeof decodeCompactJws>;
  try {
    decoded = decodeCompactJws(jwt, 'key proof');
  } catch (cause) {
    throw refuse('not a compact JWS with an allowed algorithm (ES256, EdDSA)', cause);
  }
  const { header, payload } = decoded;
  if (header['typ'] !== KEY_PROOF_TYP) throw refuse(`typ must be ${KEY_PROOF_TYP}`);
  if (header['kid'] !== undefined || header['x5c'] !== undefined || header['trust_chain'] !== undefined) {
    throw refuse('the key must be given as jwk, and only as jwk');
  }
  let key: PublicJwk;
  try {
    key = parsePublicJwk(header['jwk'], 'key proof jwk');
  } catch (cause) {
    throw refuse('jwk is not a public key of an allowed type', cause);
  }
  try {
    await verifyJwsSignature(decoded, key, deps.crypto);
  } catch (cause) {
    throw refuse('the signature does not verify with its jwk', cause);
  }
  if (payload['aud'] !== deps.issuer) throw refuse('aud must be the credential issuer identifier');
  const iat = payload['iat'];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refuse('iat is missing');
  if (iat < deps.now - KEY_PROOF_MAX_AGE || iat > deps.now + KEY_PROOF_MAX_SKEW) {
    throw refuse('iat is not recent');
  }
  const exp = payload['exp'];
  if (exp !== undefined && (typeof exp !== 'number' || exp <= deps.now))
    throw refuse('the proof has expired');
  const nonce = payload['nonce'];
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 128) {
    throw new ServerError('invalid_nonce', 'key proof: a c_nonce from the nonce endpoint is required');
  }
  return { key, thumbprint: jwkThumbprint(key, deps.crypto), nonce };
}
