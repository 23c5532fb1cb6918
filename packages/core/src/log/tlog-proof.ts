// c2sp.org/tlog-proof: an offline proof that an entry is in a log, checkable with the log's key
// and a witness policy and nothing else (no network):
//
//   c2sp.org/tlog-proof@v1
//   [extra <base64 opaque data>]
//   index <leaf index, decimal>
//   <base64 hash>            zero or more: the RFC 6962 §2.1.1 inclusion proof, leaf sibling first
//
//   <the checkpoint, a signed note, verbatim>
import { base64Encode } from '../encoding/base64.js';
import { fail } from '../errors.js';
import { type ParsedCheckpoint, parseCheckpoint } from './checkpoint.js';
import type { NoteVerificationContext } from './cosignature.js';
import { hashLeaf } from './merkle-hash.js';
import { decodeNoteBase64, MAX_NOTE_LENGTH, noteText, parseDecimal } from './note-syntax.js';
import { parseNote } from './parse-note.js';
import { MAX_PROOF_LENGTH } from './tree-math.js';
import { type CheckpointPolicy, verifyCheckpoint } from './verify-checkpoint.js';
import { verifyInclusion } from './verify-inclusion.js';

/** tlog-proof §Format: the first line. */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/** Room for the checkpoint note, a full-height proof and some extra data. */
const MAX_TLOG_PROOF_LENGTH = 2 * MAX_NOTE_LENGTH;

export interface TlogProof {
  index: number;
  /** Sibling hashes from the leaf up (RFC 6962 §2.1.1), 32 bytes each. */
  proof: Uint8Array[];
  /** The log's checkpoint with its signatures and cosignatures, verbatim. */
  checkpointNote: string;
  /** Opaque application data; NOT authenticated (tlog-proof §Format): never trust it implicitly. */
  extra?: Uint8Array;
}

export interface VerifiedTlogProof {
  index: number;
  checkpoint: ParsedCheckpoint;
  cosignedBy: string[];
  cosignatures: Array<{ name: string; timestamp: number }>;
  /** Carried along unauthenticated, as the spec says: the entry and the proof do not cover it. */
  extra?: Uint8Array;
}

/** Formats a proof file (recommended extension: .tlog-proof). */
export function formatTlogProof(input: TlogProof): string {
  const { index, proof, checkpointNote, extra } = input;
  if (!Number.isSafeInteger(index) || index < 0) throw new TypeError('index must be a non-negative integer');
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH)
    throw new TypeError('proof must be an array of hashes');
  if (!proof.every((hash) => hash instanceof Uint8Array && hash.length === 32)) {
    throw new TypeError('each proof hash must be 32 bytes');
  }
  if (extra !== undefined && !(extra instanceof Uint8Array))
    throw new TypeError('extra must be a Uint8Array');
  try {
    parseCheckpoint(parseNote(checkpointNote).text);
  } catch (cause) {
    throw new TypeError('checkpointNote must be a signed checkpoint', { cause });
  }
  const lines = [TLOG_PROOF_HEADER];
  if (extra !== undefined) lines.push(`extra ${base64Encode(extra)}`);
  lines.push(`index ${index}`, ...proof.map(base64Encode), '');
  return `${lines.join('\n')}\n${checkpointNote}`;
}

/**
 * Parses a proof file (tlog-proof §Format), verifying nothing: the header line, the optional
 * `extra` line, the `index` line (decimal, no leading zeroes), zero or more 32-byte base64 hashes,
 * an empty line, then the checkpoint note. A file that does not follow it is LOG_NOTE_MALFORMED.
 */
export function parseTlogProof(text: string | Uint8Array): TlogProof {
  const input = noteText(text, 'tlog proof', MAX_TLOG_PROOF_LENGTH);
  let position = 0;
  const nextLine = (): string => {
    const end = input.indexOf('\n', position);
    if (end < 0) throw fail('LOG_NOTE_MALFORMED', 'tlog proof ends before its checkpoint');
    const line = input.slice(position, end);
    position = end + 1;
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER)
    throw fail('LOG_NOTE_MALFORMED', 'not a c2sp.org/tlog-proof@v1 proof');
  let line = nextLine();
  let extra: Uint8Array | undefined;
  if (line.startsWith('extra ')) {
    extra = decodeNoteBase64(line.slice('extra '.length), 'tlog proof extra data');
    line = nextLine();
  }
  if (!line.startsWith('index ')) throw fail('LOG_NOTE_MALFORMED', 'tlog proof has no index line');
  const index = parseDecimal(line.slice('index '.length), 'tlog proof index');
  const proof: Uint8Array[] = [];
  for (line = nextLine(); line !== ''; line = nextLine()) {
    if (proof.length === MAX_PROOF_LENGTH) throw fail('LOG_NOTE_MALFORMED', 'tlog proof has too many hashes');
    const hash = decodeNoteBase64(line, 'tlog proof hash');
    if (hash.length !== 32) throw fail('LOG_NOTE_MALFORMED', 'tlog proof hash is not 32 bytes');
    proof.push(hash);
  }
  const checkpointNote = input.slice(position);
  if (checkpointNote.length === 0) throw fail('LOG_NOTE_MALFORMED', 'tlog proof has no checkpoint');
  return { index, proof, checkpointNote, ...(extra === undefined ? {} : { extra }) };
}

/**
 * Verifies a proof file for `entry`: the checkpoint against `policy` (as verifyCheckpoint: log
 * signature, origin, witness quorum), then the inclusion of HASH(0x00 || entry) at `index` in the
 * checkpoint's tree (RFC 9162 §2.1.3.2; LOG_PROOF_INVALID). The index, the proof and the extra
 * data come from whoever handed over the file: only the checkpoint's signatures make them mean
 * anything, so the checkpoint is verified first.
 */
export async function verifyTlogProof(
  proofText: string | Uint8Array,
  entry: Uint8Array,
  policy: CheckpointPolicy,
  ctx: NoteVerificationContext,
): Promise<VerifiedTlogProof> {
  if (!(entry instanceof Uint8Array)) throw new TypeError('entry must be a Uint8Array');
  const parsed = parseTlogProof(proofText);
  const { checkpoint, cosignedBy, cosignatures } = await verifyCheckpoint(parsed.checkpointNote, policy, ctx);
  verifyInclusion(ctx.crypto, {
    index: parsed.index,
    size: checkpoint.size,
    leafHash: hashLeaf(ctx.crypto, entry),
    proof: parsed.proof,
    root: checkpoint.rootHash,
  });
  return {
    index: parsed.index,
    checkpoint,
    cosignedBy,
    cosignatures,
    ...(parsed.extra === undefined ? {} : { extra: parsed.extra }),
  };
}
