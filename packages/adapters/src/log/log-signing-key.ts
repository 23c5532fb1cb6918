import type { PublicJwk, Signer } from '@trieste/core';
import { generatePrivateJwk, nodeSigner } from '../crypto/node-crypto.js';
import { AdapterError } from '../errors.js';
import type { SignerCache } from '../keys/create-key-custody.js';
import { openSealedPrivateKey, type SealedPrivateKey, sealPrivateKey } from '../keys/seal-private-key.js';

/** The log key as stored: its public part and the private JWK sealed under the log-key KEK. */
export interface StoredLogKey {
  kid: string;
  publicJwk: PublicJwk;
  sealed: SealedPrivateKey;
  createdAt: number;
}

/**
 * A new Ed25519 log key (C2SP signed-note Ed25519 signatures), sealed before it leaves this
 * function; the signer returned keeps the private key inside its closure.
 * @param encryptionKey from `deriveLogKeyEncryptionKey(masterKey)`.
 */
export function generateLogKey(
  encryptionKey: Uint8Array,
  createdAt: number,
): { stored: StoredLogKey; signer: Signer } {
  const jwk = generatePrivateJwk('EdDSA');
  const signer = nodeSigner(jwk);
  const sealed = sealPrivateKey(encryptionKey, signer.kid, jwk);
  return { stored: { kid: signer.kid, publicJwk: signer.publicJwk, sealed, createdAt }, signer };
}

/** Opens the stored log key; a wrong master key or a tampered row is MASTER_KEY_INVALID. */
export function openLogKey(encryptionKey: Uint8Array, stored: StoredLogKey): Signer {
  const signer = nodeSigner(openSealedPrivateKey(encryptionKey, stored.kid, stored.sealed, 'log key'));
  if (signer.kid !== stored.kid || signer.alg !== 'EdDSA') {
    throw new AdapterError('MASTER_KEY_INVALID', 'sealed log key does not match its public key');
  }
  return signer;
}

/** The signer of the stored log key, decrypted once per process (the cache is keyed by kid). */
export function cachedLogSigner(cache: SignerCache, encryptionKey: Uint8Array, stored: StoredLogKey): Signer {
  const cached = cache.get(stored.kid);
  if (cached) return cached;
  const signer = openLogKey(encryptionKey, stored);
  cache.set(signer);
  return signer;
}
