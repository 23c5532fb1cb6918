import { sha256Base64url } from '../crypto/sha256-base64url.js';
import type { JsonValue } from '../encoding/json.js';
import { fail } from '../errors.js';
import type { Hasher } from '../ports.js';

/** The one hash algorithm written and accepted for `transaction_data_hashes` (IANA name). */
export const TRANSACTION_DATA_HASH_ALG = 'sha-256';

/** Most transaction data entries one KB-JWT may carry hashes of: more is hostile, not a use. */
const MAX_TRANSACTION_DATA = 16;

/**
 * OpenID4VP 1.0 §8.4 and Appendix B.3.3: `transaction_data_hashes` is, for each transaction_data
 * string of the request the credential answers, base64url(SHA-256(that string exactly as received)),
 * in request order. Hashing the received string (not a re-serialisation of its JSON) is what lets
 * both sides agree byte for byte.
 */
export function transactionDataHashes(hasher: Hasher, transactionData: readonly string[]): string[] {
  checkTransactionData(transactionData);
  return transactionData.map((entry) => sha256Base64url(hasher, entry));
}

/**
 * Checks a KB-JWT payload's `transaction_data_hashes` against the transaction_data strings the
 * verifier sent for this credential. The payload is the holder's (hostile) word: a missing, short,
 * long, reordered or altered array, or an algorithm other than sha-256, is TRANSACTION_DATA_MISMATCH,
 * so a presentation made for other transaction data (another child, another consent text) cannot
 * be passed off as an answer to this one.
 */
export function checkTransactionDataHashes(
  hasher: Hasher,
  kbPayload: { readonly [name: string]: JsonValue | undefined },
  expected: readonly string[],
): void {
  const alg = kbPayload['transaction_data_hashes_alg'];
  // Absent means sha-256 (Appendix B.3.3); this verifier offers no other, so it accepts no other.
  if (alg !== undefined && alg !== TRANSACTION_DATA_HASH_ALG) {
    throw fail('TRANSACTION_DATA_MISMATCH', 'KB-JWT transaction_data_hashes_alg is not sha-256');
  }
  const hashes = kbPayload['transaction_data_hashes'];
  if (!Array.isArray(hashes)) {
    throw fail('TRANSACTION_DATA_MISMATCH', 'KB-JWT has no transaction_data_hashes');
  }
  const wanted = transactionDataHashes(hasher, expected);
  if (hashes.length !== wanted.length || hashes.some((hash, i) => hash !== wanted[i])) {
    throw fail('TRANSACTION_DATA_MISMATCH', 'KB-JWT transaction_data_hashes do not match the request');
  }
}

function checkTransactionData(transactionData: readonly string[]): void {
  if (!Array.isArray(transactionData) || transactionData.some((entry) => typeof entry !== 'string')) {
    throw new TypeError('transactionData must be an array of strings');
  }
  if (transactionData.length === 0 || transactionData.length > MAX_TRANSACTION_DATA) {
    throw new TypeError(`transactionData must have 1 to ${MAX_TRANSACTION_DATA} entries`);
  }
}
