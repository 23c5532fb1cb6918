// Ed25519 witness cosignatures, c2sp.org/tlog-cosignature (cosignature/v1, signature type 0x04).
// A cosignature is a signed-note signature line on a checkpoint whose signature is
//
//   base64( key ID[4] || timestamp (uint64, big-endian)[8] || Ed25519 signature[64] )
//
// (§Format: `timestamped_signature`), and whose Ed25519 signature covers "cosignature/v1\n",
// "time <timestamp>\n" and the whole checkpoint text (§Ed25519 signed message).
import { base64Encode } from '../encoding/base64.js';
import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import type { Hasher, SignatureVerifier, Signer } from '../ports.js';
import { parseCheckpoint } from './checkpoint.js';
import {
  ALG_COSIGNATURE_V1,
  bytesEqual,
  concatBytes,
  ed25519PublicKey,
  isValidKeyName,
  SIGNATURE_PREFIX,
  signEd25519,
} from './note-syntax.js';
import { parseSignatureLine } from './parse-note.js';
import { noteKeyHash, type ParsedVerifierKey, parseVerifierKey } from './verifier-key.js';

/** What verification needs: SHA-256 for key IDs and Ed25519 verification. */
export interface NoteVerificationContext {
  crypto: Hasher & SignatureVerifier;
}

/**
 * The message a cosigner signs (tlog-cosignature §Ed25519 signed message): the header line
 * "cosignature/v1", the line "time <POSIX seconds, decimal, no leading zeroes>", then the
 * checkpoint text with its final newline (extension lines included).
 */
export function cosignatureMessage(checkpointText: string, timestamp: number): Uint8Array {
  return utf8Encode(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

/**
 * Cosigns a checkpoint as the witness `name` at `timestamp` (POSIX seconds, from the caller's
 * clock) and returns the signature line to append to the note (without its newline). The key ID
 * is SHA-256(name || 0x0A || 0x04 || public key)[:4] (tlog-cosignature §Format). The text is
 * parsed first: a witness signs only what is a checkpoint.
 */
export async function cosignCheckpoint(
  checkpointText: string,
  witness: { name: string; signer: Signer },
  timestamp: number,
  hasher: Hasher,
): Promise<string> {
  parseCheckpoint(checkpointText);
  if (!isValidKeyName(witness?.name))
    throw new TypeError('witness name must be non-empty, without spaces or "+"');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('timestamp must be a non-negative integer number of seconds');
  }
  const publicKey = ed25519PublicKey(witness.signer, 'witness signer');
  const keyHash = noteKeyHash(hasher, witness.name, ALG_COSIGNATURE_V1, publicKey);
  const signature = await signEd25519(
    witness.signer,
    cosignatureMessage(checkpointText, timestamp),
    'witness signer',
  );
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, BigInt(timestamp));
  return `${SIGNATURE_PREFIX}${witness.name} ${base64Encode(concatBytes(keyHash, time, signature))}`;
}

/**
 * Verifies one cosignature line (as cosignCheckpoint returns it, without newline) on a checkpoint
 * text against a witness's vkey (type 0x04). A line under another name or key ID, or whose
 * signature fails, is LOG_NOTE_UNVERIFIED; an unparsable text, line or vkey is LOG_NOTE_MALFORMED.
 */
export async function verifyCosignature(
  checkpointText: string,
  line: string,
  witnessVkey: string,
  ctx: NoteVerificationContext,
): Promise<{ timestamp: number }> {
  parseCheckpoint(checkpointText);
  const key = parseVerifierKey(ctx.crypto, witnessVkey);
  if (key.type !== 'cosignature') {
    throw fail('LOG_NOTE_MALFORMED', 'witness verifier key is not a cosignature/v1 (0x04) key');
  }
  const parsed = parseSignatureLine(line);
  if (parsed.name !== key.name || !bytesEqual(parsed.keyHash, key.keyHash)) {
    throw fail('LOG_NOTE_UNVERIFIED', 'cosignature is not by the given witness key');
  }
  const result = await verifyTimestampedSignature(key, checkpointText, parsed.signature, ctx.crypto);
  if (!result.valid) throw fail('LOG_NOTE_UNVERIFIED', 'cosignature does not verify');
  return { timestamp: result.timestamp };
}

/**
 * Checks a cosignature/v1 `timestamped_signature` by `key` on `text`. Internal: the caller has
 * matched the line's name and key ID to `key`. Timestamps above 2^63 - 1 are invalid
 * (tlog-cosignature §Format); above 2^53 - 1 they cannot be a JavaScript number and are refused too.
 */
export async function verifyTimestampedSignature(
  key: ParsedVerifierKey,
  text: string,
  signature: Uint8Array,
  verifier: SignatureVerifier,
): Promise<{ valid: true; timestamp: number } | { valid: false }> {
  if (signature.length !== 8 + 64) return { valid: false };
  const time = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) return { valid: false };
  const timestamp = Number(time);
  const ok = await verifier.verify(
    'EdDSA',
    key.publicJwk,
    cosignatureMessage(text, timestamp),
    signature.subarray(8),
  );
  return ok ? { valid: true, timestamp } : { valid: false };
}
