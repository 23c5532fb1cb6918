// Parsing of c2sp.org/signed-note §Format. A note comes from the network: every rule is checked
// before any signature is looked at, and nothing of its text goes into an error message.
import { fail } from '../errors.js';
import {
  decodeNoteBase64,
  isValidKeyName,
  MAX_NOTE_LENGTH,
  MAX_NOTE_SIGNATURES,
  noteText,
  SIGNATURE_PREFIX,
} from './note-syntax.js';

export interface NoteSignature {
  name: string;
  /** The 4-byte key ID (the first four bytes of the decoded signature). */
  keyHash: Uint8Array;
  /** The signature proper: the bytes after the key ID. */
  signature: Uint8Array;
  /** The whole line, em dash included, without its newline. */
  line: string;
}

export interface ParsedNote {
  /** The signed text: up to and including the newline before the separating blank line. */
  text: string;
  signatures: NoteSignature[];
}

/**
 * Splits a signed note into its text and signature lines, verifying nothing. signed-note §Format:
 * valid UTF-8, no control character but newline, text ending in newline, then a blank line, then
 * one or more lines "— <key name> <base64(key ID || signature)>" each ending in newline; the text
 * is separated by the LAST blank line, so the text itself may contain blank lines.
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const input = noteText(note, 'note');
  const split = input.lastIndexOf('\n\n');
  if (split < 0) throw fail('LOG_NOTE_MALFORMED', 'note has no blank line before its signatures');
  const text = input.slice(0, split + 1);
  const block = input.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) {
    throw fail('LOG_NOTE_MALFORMED', 'note does not end with a newline-terminated signature line');
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw fail('LOG_NOTE_MALFORMED', 'note has too many signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** One signature line, without its newline (signed-note §Signatures). */
export function parseSignatureLine(line: string): NoteSignature {
  if (typeof line !== 'string') throw new TypeError('a signature line is a string');
  if (line.length > MAX_NOTE_LENGTH) throw fail('LOG_NOTE_MALFORMED', 'signature line is too long');
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw fail('LOG_NOTE_MALFORMED', 'signature line does not start with an em dash and a space');
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw fail('LOG_NOTE_MALFORMED', 'signature line has no signature');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw fail('LOG_NOTE_MALFORMED', 'signature line has an invalid key name');
  const bytes = decodeNoteBase64(rest.slice(space + 1), 'signature');
  // A key ID and at least one byte of signature (as the reference implementation requires).
  if (bytes.length < 5) throw fail('LOG_NOTE_MALFORMED', 'signature is too short');
  return { name, keyHash: bytes.slice(0, 4), signature: bytes.slice(4), line };
}
