import type { PublicJwk, Signer } from '@trieste/core';
import { generatePrivateJwk, nodeSigner } from '../crypto/node-crypto.js';
import { AdapterError } from '../errors.js';
import type { SignerCache } from './create-key-custody.js';
import { openSealedPrivateKey, type SealedPrivateKey, sealPrivateKey } from './seal-private-key.js';

/** The verifier's request-signing key as stored: its public part and the sealed private JWK. */
export interface StoredVerifierKey {
  kid: string;
  publicJwk: PublicJwk;
  sealed: SealedPrivateKey;
  createdAt: number;
}

/**
 * A new ES256 verifier key (ES256: the one JAR algorithm every OpenID4VP wallet verifies), sealed
 * before it leaves this function; the returned signer keeps the private key in its closure.
 * @param encryptionKey from `deriveVerifierEncryptionKey(masterKey)`.
 */
export function generateVerifierKey(
  encryptionKey: Uint8Array,
  createdAt: number,
): { stored: StoredVerifierKey; signer: Signer } {
  const jwk = generatePrivateJwk('ES256');
  const signer = nodeSigner(jwk);
  const sealed = sealPrivateKey(encryptionKey, `verifier:${signer.kid}`, jwk);
  return { stored: { kid: signer.kid, publicJwk: signer.publicJwk, sealed, createdAt }, signer };
}

/** The signer of the stored verifier key, decrypted once per process (the cache is keyed by kid). */
export function cachedVerifierSigner(
  cache: SignerCache,
  encryptionKey: Uint8Array,
  stored: StoredVerifierKey,
): Signer {
  const cached = cache.get(stored.kid);
  if (cached) return cached;
  const jwk = openSealedPrivateKey(encryptionKey, `verifier:${stored.kid}`, stored.sealed, 'verifier key');
  const signer = nodeSigner(jwk);
  if (signer.kid !== stored.kid || signer.alg !== 'ES256') {
    throw new AdapterError('MASTER_KEY_INVALID', 'sealed verifier key does not match its public key');
  }
  cache.set(signer);
  return signer;
}
