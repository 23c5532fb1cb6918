// The note text of a c2sp.org/tlog-checkpoint checkpoint (§Note text):
//
//   <origin>\n<tree size, decimal>\n<base64 RFC 6962 root hash>\n[<extension line>\n ...]
import { base64Encode } from '../encoding/base64.js';
import { fail } from '../errors.js';
import { decodeNoteBase64, hasOnlyNoteCharacters, MAX_NOTE_LENGTH, parseDecimal } from './note-syntax.js';

export interface Checkpoint {
  /** The log's identity (tlog-checkpoint §Note text, line 1). */
  origin: string;
  /** Number of leaves in the tree. */
  size: number;
  /** RFC 6962 §2.1 Merkle tree hash (SHA-256) of the tree at `size`: 32 bytes. */
  rootHash: Uint8Array;
  /** Opaque extension lines (line 4 onwards); NOT RECOMMENDED by the spec, kept verbatim. */
  extensions: string[];
}

export type ParsedCheckpoint = Checkpoint;

/** Formats a checkpoint's note text (to be signed with signNote). */
export function formatCheckpoint(checkpoint: {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: string[];
}): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!isLine(origin)) throw new TypeError('origin must be a non-empty line without control characters');
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('size must be a non-negative integer');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== 32)
    throw new TypeError('rootHash must be 32 bytes');
  if (!Array.isArray(extensions) || !extensions.every(isLine)) {
    throw new TypeError('extension lines must be non-empty lines without control characters');
  }
  return [origin, String(size), base64Encode(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/**
 * Parses a checkpoint's note text (the `text` of a parsed or verified note). tlog-checkpoint
 * §Note text: at least three non-empty lines, each newline-terminated; a non-empty origin; the
 * size in decimal without leading zeroes; a base64 root hash, which for SHA-256 is 32 bytes;
 * extension lines non-empty. Anything else is LOG_NOTE_MALFORMED.
 */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  if (typeof text !== 'string') throw new TypeError('checkpoint text is a string');
  if (text.length > MAX_NOTE_LENGTH) throw fail('LOG_NOTE_MALFORMED', 'checkpoint is too long');
  if (!hasOnlyNoteCharacters(text))
    throw fail('LOG_NOTE_MALFORMED', 'checkpoint contains a control character');
  if (!text.endsWith('\n')) throw fail('LOG_NOTE_MALFORMED', 'checkpoint does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw fail('LOG_NOTE_MALFORMED', 'checkpoint has fewer than three lines');
  if (lines.some((line) => line.length === 0))
    throw fail('LOG_NOTE_MALFORMED', 'checkpoint has an empty line');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  const size = parseDecimal(sizeLine, 'checkpoint size');
  const rootHash = decodeNoteBase64(rootLine, 'checkpoint root hash');
  if (rootHash.length !== 32) throw fail('LOG_NOTE_MALFORMED', 'checkpoint root hash is not 32 bytes');
  return { origin, size, rootHash, extensions };
}

function isLine(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length > 0 && !value.includes('\n') && hasOnlyNoteCharacters(value)
  );
}
