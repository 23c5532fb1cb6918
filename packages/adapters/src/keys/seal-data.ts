import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AdapterError } from '../errors.js';

/** Bytes encrypted at rest: AES-256-GCM, ciphertext followed by the 16-byte tag. */
export interface SealedData {
  ciphertext: Uint8Array;
  /** 96-bit random nonce (NIST SP 800-38D §8.2.2). */
  nonce: Uint8Array;
}

const TAG_LENGTH = 16;

/**
 * Encrypts `plaintext` under `encryptionKey` with `context` (e.g. `result:<request id>`) as
 * additional authenticated data, so sealed data moved to another row or purpose does not open.
 */
export function sealData(encryptionKey: Uint8Array, context: string, plaintext: Uint8Array): SealedData {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: new Uint8Array(ciphertext), nonce: new Uint8Array(nonce) };
}

/**
 * Opens sealed data. A wrong master key, another context or a tampered row fails GCM
 * authentication: MASTER_KEY_INVALID naming `what`, never the bytes.
 */
export function openData(
  encryptionKey: Uint8Array,
  context: string,
  sealed: SealedData,
  what: string,
): Buffer {
  const { ciphertext, nonce } = sealed;
  if (nonce.length !== 12 || ciphertext.length < TAG_LENGTH) {
    throw new AdapterError('MASTER_KEY_INVALID', `sealed ${what} is malformed`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
    return Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new AdapterError('MASTER_KEY_INVALID', `the master key does not open the stored ${what}`, {
      cause,
    });
  }
}
