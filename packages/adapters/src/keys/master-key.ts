import { hkdfSync, randomBytes } from 'node:crypto';
import { AdapterError } from '../errors.js';

export const MASTER_KEY_LENGTH = 32;

let readBytes: (key: MasterKey) => Uint8Array;

/**
 * The 32-byte master key that seals issuer private keys at rest. Opaque on purpose: it prints and
 * serialises as `[MasterKey]`, so it cannot reach a log line by accident. Only custody reads its
 * bytes, through a module-private accessor.
 */
export class MasterKey {
  readonly #bytes: Uint8Array;

  static {
    readBytes = (key) => key.#bytes;
  }

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Wraps 32 bytes (copied). A wrong length is MASTER_KEY_INVALID. */
  static fromBytes(bytes: Uint8Array): MasterKey {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('master key bytes must be a Uint8Array');
    if (bytes.length !== MASTER_KEY_LENGTH) {
      throw new AdapterError('MASTER_KEY_INVALID', `master key must be ${MASTER_KEY_LENGTH} bytes`);
    }
    return new MasterKey(Uint8Array.from(bytes));
  }

  toString(): string {
    return '[MasterKey]';
  }

  toJSON(): string {
    return '[MasterKey]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[MasterKey]';
  }
}

/** A fresh random master key (tests, throwaway in-memory stores). */
export function generateMasterKey(): MasterKey {
  return MasterKey.fromBytes(randomBytes(MASTER_KEY_LENGTH));
}

/**
 * Derives the key that seals issuer private keys (HKDF-SHA256, RFC 5869), so the master key can
 * later seal other things under other `info` labels without reusing one AES key across purposes.
 */
export function deriveIssuerKeyEncryptionKey(masterKey: MasterKey): Uint8Array {
  return deriveKey(masterKey, 'trieste/issuer-keys/v1');
}

/**
 * Derives the key that seals the transparency log's signing key: its own HKDF label, so a sealed
 * log key copied into the issuer keys (or the reverse) does not decrypt there.
 */
export function deriveLogKeyEncryptionKey(masterKey: MasterKey): Uint8Array {
  return deriveKey(masterKey, 'trieste/log-key/v1');
}

/**
 * Derives the key that seals the verifier's secrets at rest: its request-signing key, each
 * request's ephemeral decryption key and each verified result (its own HKDF label).
 */
export function deriveVerifierEncryptionKey(masterKey: MasterKey): Uint8Array {
  return deriveKey(masterKey, 'trieste/verifier/v1');
}

/**
 * Derives the key that seals the issuer's OpenID4VCI secrets at rest: each offer's prepared claims
 * and pre-authorized code (its own HKDF label).
 */
export function deriveCredentialOfferEncryptionKey(masterKey: MasterKey): Uint8Array {
  return deriveKey(masterKey, 'trieste/credential-offers/v1');
}

function deriveKey(masterKey: MasterKey, info: string): Uint8Array {
  if (!(masterKey instanceof MasterKey)) throw new TypeError('masterKey must be a MasterKey');
  return new Uint8Array(hkdfSync('sha256', readBytes(masterKey), new Uint8Array(0), info, 32));
}
