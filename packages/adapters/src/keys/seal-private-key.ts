import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type PrivateJwk, parsePrivateJwk } from '@trieste/core';
import { AdapterError } from '../errors.js';

/** A private JWK encrypted at rest: AES-256-GCM, ciphertext followed by the 16-byte tag. */
export interface SealedPrivateKey {
  ciphertext: Uint8Array;
  /** 96-bit random nonce (NIST SP 800-38D §8.2.2); 2^32 seals per key stay far below the bound. */
  nonce: Uint8Array;
}

const TAG_LENGTH = 16;

/**
 * Encrypts a private JWK under `encryptionKey` with the kid as additional authenticated data, so a
 * sealed key copied onto another key's row does not decrypt.
 */
export function sealPrivateKey(encryptionKey: Uint8Array, kid: string, jwk: PrivateJwk): SealedPrivateKey {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const plaintext = Buffer.from(JSON.stringify(jwk), 'utf8');
  try {
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { ciphertext: new Uint8Array(ciphertext), nonce: new Uint8Array(nonce) };
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Decrypts a sealed private key. A wrong master key (or a tampered row) fails GCM authentication
 * and is MASTER_KEY_INVALID; the message names `what` was sealed, nothing about the key or the bytes.
 */
export function openSealedPrivateKey(
  encryptionKey: Uint8Array,
  kid: string,
  sealed: SealedPrivateKey,
  what = 'issuer key',
): PrivateJwk {
  const { ciphertext, nonce } = sealed;
  if (nonce.length !== 12 || ciphertext.length <= TAG_LENGTH) {
    throw new AdapterError('MASTER_KEY_INVALID', `sealed ${what} is malformed`);
  }
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
    plaintext = Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new AdapterError('MASTER_KEY_INVALID', `the master key does not open the stored ${what}`, {
      cause,
    });
  }
  try {
    return parsePrivateJwk(JSON.parse(plaintext.toString('utf8')), 'sealed issuer key');
  } catch {
    // No cause: a parse error could quote the decrypted text.
    throw new AdapterError('MASTER_KEY_INVALID', `sealed ${what} does not hold a private JWK`);
  } finally {
    plaintext.fill(0);
  }
}
