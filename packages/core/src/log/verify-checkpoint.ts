// A verifier's policy for checkpoints: the log's signature (c2sp.org/tlog-checkpoint §Signatures)
// and k of n witness cosignatures (c2sp.org/tlog-cosignature), the defence against split views:
// a log can show different trees to different clients only if the witnesses go along with it.
import { fail } from '../errors.js';
import { type ParsedCheckpoint, parseCheckpoint } from './checkpoint.js';
import type { NoteVerificationContext } from './cosignature.js';
import { bytesEqual } from './note-syntax.js';
import { parseNote } from './parse-note.js';
import { type ParsedVerifierKey, parseVerifierKey } from './verifier-key.js';
import { checkNoteSignatures } from './verify-note.js';

/** Cosignatures dated up to this many seconds after `now` still count (witness clocks drift). */
export const COSIGNATURE_CLOCK_SKEW = 60;

export interface CheckpointPolicy {
  /** The log's vkey: Ed25519 (0x01), or a cosignature/v1 key (0x04) for a log that signs that way. */
  logKey: string;
  /** The expected origin line; defaults to the log key's name (tlog-checkpoint §Signatures: SHOULD match). */
  origin?: string;
  /** Witness vkeys, cosignature/v1 (type 0x04) only. */
  witnesses?: string[];
  /** How many distinct witnesses must have cosigned (k of n); defaults to all of them. */
  quorum?: number;
  /**
   * The verifier's time (POSIX seconds). When given, a cosignature dated more than
   * COSIGNATURE_CLOCK_SKEW seconds after it does not count (tlog-cosignature §Format: verifiers
   * MAY reject cosignatures with timestamps in the future).
   */
  now?: number;
}

export interface VerifiedCheckpoint {
  checkpoint: ParsedCheckpoint;
  /** Names of the policy's witnesses whose cosignatures verified and counted, in note order. */
  cosignedBy: string[];
  cosignatures: Array<{ name: string; timestamp: number }>;
}

/**
 * Verifies a signed checkpoint against a policy. The note must parse (LOG_NOTE_MALFORMED), carry
 * the origin the policy expects and a valid signature by the log key (LOG_NOTE_UNVERIFIED), have
 * no failing signature by any configured key (LOG_NOTE_UNVERIFIED), and be cosigned by at least
 * `quorum` distinct witnesses (LOG_WITNESS_QUORUM). Signatures by other keys are ignored.
 */
export async function verifyCheckpoint(
  note: string | Uint8Array,
  policy: CheckpointPolicy,
  ctx: NoteVerificationContext,
): Promise<VerifiedCheckpoint> {
  const { logKey, witnesses, quorum, expectedOrigin } = readPolicy(policy, ctx);
  const parsed = parseNote(note);
  const checkpoint = parseCheckpoint(parsed.text);
  if (checkpoint.origin !== expectedOrigin) {
    throw fail('LOG_NOTE_UNVERIFIED', 'checkpoint origin is not the origin of the trusted log');
  }
  const results = await checkNoteSignatures(parsed, [logKey, ...witnesses], ctx.crypto);
  if (!results.some(({ key }) => key === logKey)) {
    throw fail('LOG_NOTE_UNVERIFIED', 'checkpoint is not signed by the log key');
  }
  const counted = new Set<string>();
  const cosignatures: VerifiedCheckpoint['cosignatures'] = [];
  for (const { key, timestamp } of results) {
    if (key === logKey || timestamp === undefined) continue;
    if (policy.now !== undefined && timestamp > policy.now + COSIGNATURE_CLOCK_SKEW) continue;
    // Distinct public keys, not names: the Ed25519 cosigned message does not commit to the
    // witness name (tlog-cosignature §Ed25519 signed message), so one key listed under two
    // names would let one cosignature count twice.
    const id = publicKeyId(key);
    if (counted.has(id)) continue;
    counted.add(id);
    cosignatures.push({ name: key.name, timestamp });
  }
  if (cosignatures.length < quorum) {
    throw fail(
      'LOG_WITNESS_QUORUM',
      `checkpoint has ${cosignatures.length} valid witness cosignatures, the policy requires ${quorum}`,
    );
  }
  return { checkpoint, cosignedBy: cosignatures.map((c) => c.name), cosignatures };
}

function readPolicy(
  policy: CheckpointPolicy,
  ctx: NoteVerificationContext,
): { logKey: ParsedVerifierKey; witnesses: ParsedVerifierKey[]; quorum: number; expectedOrigin: string } {
  if (typeof policy !== 'object' || policy === null) throw new TypeError('a checkpoint policy is required');
  if (typeof ctx?.crypto?.verify !== 'function') throw new TypeError('ctx.crypto is required');
  const logKey = parseVerifierKey(ctx.crypto, policy.logKey);
  const witnesses = (policy.witnesses ?? []).map((vkey) => {
    const key = parseVerifierKey(ctx.crypto, vkey);
    if (key.type !== 'cosignature') {
      throw fail('LOG_NOTE_MALFORMED', 'witness verifier key is not a cosignature/v1 (0x04) key');
    }
    if (bytesEqual(key.publicKey, logKey.publicKey))
      throw new TypeError("a witness key is the log's own key");
    return key;
  });
  const distinct = new Set(witnesses.map(publicKeyId)).size;
  const quorum = policy.quorum ?? distinct;
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > distinct) {
    throw new TypeError('quorum must be an integer between 0 and the number of distinct witness keys');
  }
  if (policy.now !== undefined && !Number.isFinite(policy.now)) throw new TypeError('now must be a number');
  const expectedOrigin = policy.origin ?? logKey.name;
  if (typeof expectedOrigin !== 'string' || expectedOrigin.length === 0) {
    throw new TypeError('origin must be a non-empty string');
  }
  return { logKey, witnesses, quorum, expectedOrigin };
}

function publicKeyId(key: ParsedVerifierKey): string {
  return key.publicJwk.x;
}
