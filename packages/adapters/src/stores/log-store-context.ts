import type { Clock } from '@trieste/core';
import type { SignerCache } from '../keys/create-key-custody.js';

/** What a log store needs besides its storage; shared by a store and its transaction-bound copies. */
export interface LogStoreContext {
  clock: Clock;
  /** From `deriveLogKeyEncryptionKey(masterKey)`. */
  encryptionKey: Uint8Array;
  /** The decrypted log signer, so signing a checkpoint does not cost a decryption. */
  signers: SignerCache;
}
