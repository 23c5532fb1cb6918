import { type ParsedCheckpoint, parseCheckpoint, parseNote } from '@trieste/core';

/**
 * The origin, size and root hash of a signed checkpoint note (c2sp.org/signed-note §Format,
 * c2sp.org/tlog-checkpoint §Note text); LOG_NOTE_MALFORMED if it is not one. Only what the log's
 * storage needs to refuse a checkpoint that does not describe its own tree: the signatures are
 * the caller's to make and verify.
 */
export function readCheckpointBody(note: string): ParsedCheckpoint {
  if (typeof note !== 'string') throw new TypeError('a checkpoint note must be a string');
  return parseCheckpoint(parseNote(note).text);
}
