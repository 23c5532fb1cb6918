import { hkdfSync } from 'node:crypto';
import type { PublicJwk, SignatureAlg, Signer, TrustListKeyRecord } from '@trieste/core';
import { generatePrivateJwk, nodeSigner } from '../crypto/node-crypto.js';
import { AdapterError } from '../errors.js';
import type { SignerCache } from '../keys/create-key-custody.js';
import { deriveIssuerKeyEncryptionKey, type MasterKey } from '../keys/master-key.js';
import { openSealedPrivateKey, type SealedPrivateKey, sealPrivateKey } from '../keys/seal-private-key.js';

/** A trust list operator key as stored: its record and the sealed private JWK. */
export interface StoredTrustListKey {
  record: TrustListKeyRecord;
  sealed: SealedPrivateKey;
}

/**
 * The key that seals trust list operator keys at rest: HKDF-SHA256 (RFC 5869) over the issuer
 * key KEK with its own `info` label, so it is independent of every other key derived from the
 * master key (the master key's own HKDF labels are private to keys/master-key.ts).
 */
export function deriveTrustListKeyEncryptionKey(masterKey: MasterKey): Uint8Array {
  return new Uint8Array(
    hkdfSync(
      'sha256',
      deriveIssuerKeyEncryptionKey(masterKey),
      new Uint8Array(0),
      'trieste/trust-list-keys/v1',
      32,
    ),
  );
}

// The kid alone would also be the AAD of an issuer key: the prefix keeps a sealed key from opening
// as the other kind, even if both KEKs were one.
const aad = (kid: string) => `trust-list:${kid}`;

/** A new operator key, sealed before it leaves this function; the signer keeps the private key in its closure. */
export function generateTrustListKey(
  encryptionKey: Uint8Array,
  alg: SignatureAlg,
  state: 'pending' | 'active',
  createdAt: number,
): { stored: StoredTrustListKey; signer: Signer } {
  const jwk = generatePrivateJwk(alg);
  const signer = nodeSigner(jwk);
  const sealed = sealPrivateKey(encryptionKey, aad(signer.kid), jwk);
  return {
    stored: { record: { kid: signer.kid, alg, publicJwk: signer.publicJwk, state, createdAt }, sealed },
    signer,
  };
}

/** The signer of a stored operator key, decrypted once per process (the cache is keyed by kid). */
export function cachedTrustListSigner(
  cache: SignerCache,
  encryptionKey: Uint8Array,
  kid: string,
  publicJwk: PublicJwk,
  sealed: SealedPrivateKey,
): Signer {
  const cached = cache.get(kid);
  if (cached) return cached;
  const signer = nodeSigner(openSealedPrivateKey(encryptionKey, aad(kid), sealed, 'trust list key'));
  if (signer.kid !== kid || signer.publicJwk.x !== publicJwk.x) {
    throw new AdapterError('MASTER_KEY_INVALID', 'sealed trust list key does not match its public key');
  }
  cache.set(signer);
  return signer;
}
