// Verification of c2sp.org/signed-note notes against configured verifier keys (§Signatures).
import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import type { SignatureVerifier } from '../ports.js';
import { type NoteVerificationContext, verifyTimestampedSignature } from './cosignature.js';
import { bytesEqual, toHex } from './note-syntax.js';
import { type ParsedNote, parseNote } from './parse-note.js';
import { type ParsedVerifierKey, parseVerifierKey } from './verifier-key.js';

export interface VerifiedNoteSignature {
  name: string;
  /** The canonical vkey that verified this signature. */
  vkey: string;
  type: ParsedVerifierKey['type'];
  /** The cosignature's timestamp (POSIX seconds), for cosignature/v1 keys only. */
  timestamp?: number;
}

export interface VerifiedNote {
  /** The signed text; to be trusted only because this call returned. */
  text: string;
  /** Names of the keys whose signatures verified, in note order. */
  verified: string[];
  signatures: VerifiedNoteSignature[];
}

/**
 * Opens a note with the given vkeys (signed-note §Signatures): signatures whose key name and key
 * ID do not both match a vkey are ignored; every signature that does is verified. The note is
 * LOG_NOTE_UNVERIFIED if one of those fails (the spec's SHOULD, taken as MUST) or if none verifies;
 * LOG_NOTE_MALFORMED if it does not parse or carries two signatures by one known key (which of the
 * two, with which timestamp, would count is then ambiguous).
 */
export async function verifyNote(
  note: string | Uint8Array,
  verifierKeys: string[],
  ctx: NoteVerificationContext,
): Promise<VerifiedNote> {
  if (!Array.isArray(verifierKeys) || verifierKeys.length === 0) {
    throw new TypeError('verifyNote needs at least one verifier key');
  }
  const keys = verifierKeys.map((vkey) => parseVerifierKey(ctx.crypto, vkey));
  const parsed = parseNote(note);
  const results = await checkNoteSignatures(parsed, keys, ctx.crypto);
  if (results.length === 0) throw fail('LOG_NOTE_UNVERIFIED', 'note has no signature by a known key');
  const signatures = results.map(({ key, timestamp }) => ({
    name: key.name,
    vkey: key.vkey,
    type: key.type,
    ...(timestamp === undefined ? {} : { timestamp }),
  }));
  return { text: parsed.text, verified: signatures.map((s) => s.name), signatures };
}

/**
 * Verifies every signature of `note` made by one of `keys` and returns those keys, in note order,
 * with the cosignature timestamps. Throws as verifyNote does, except that an empty result is not
 * an error here: the caller decides which keys are required.
 */
export async function checkNoteSignatures(
  note: ParsedNote,
  keys: ParsedVerifierKey[],
  verifier: SignatureVerifier,
): Promise<Array<{ key: ParsedVerifierKey; timestamp?: number }>> {
  const known = new Map<string, ParsedVerifierKey>();
  for (const key of keys) {
    const id = keyId(key.name, key.keyHash);
    const other = known.get(id);
    if (other && (other.alg !== key.alg || !bytesEqual(other.publicKey, key.publicKey))) {
      // A 32-bit key ID collision between two configured keys: refuse rather than guess.
      throw fail('LOG_NOTE_MALFORMED', 'two verifier keys share a key name and key ID');
    }
    known.set(id, key);
  }
  const message = utf8Encode(note.text);
  const seen = new Set<string>();
  const results: Array<{ key: ParsedVerifierKey; timestamp?: number }> = [];
  for (const signature of note.signatures) {
    const id = keyId(signature.name, signature.keyHash);
    const key = known.get(id);
    // Unknown keys are ignored, even when they share a name or a key ID with a known key.
    if (!key) continue;
    if (seen.has(id)) throw fail('LOG_NOTE_MALFORMED', 'note has two signatures by one key');
    seen.add(id);
    if (key.type === 'ed25519') {
      const valid =
        signature.signature.length === 64 &&
        (await verifier.verify('EdDSA', key.publicJwk, message, signature.signature));
      if (!valid) throw fail('LOG_NOTE_UNVERIFIED', `signature by key ${key.name} does not verify`);
      results.push({ key });
    } else {
      const result = await verifyTimestampedSignature(key, note.text, signature.signature, verifier);
      if (!result.valid) throw fail('LOG_NOTE_UNVERIFIED', `cosignature by key ${key.name} does not verify`);
      results.push({ key, timestamp: result.timestamp });
    }
  }
  return results;
}

function keyId(name: string, keyHash: Uint8Array): string {
  return `${name}+${toHex(keyHash)}`;
}
