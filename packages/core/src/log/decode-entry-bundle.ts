import { fail } from '../errors.js';
import { TILE_WIDTH } from './format-tile-path.js';

/**
 * The entries of an entry bundle (c2sp.org/tlog-tiles, "Log entries": big-endian uint16
 * length-prefixed entries). The bundle comes from a log, so it is parsed as hostile: a truncated
 * entry, no entry, more than 256, or not the `expectedCount` the tile path's width promises is
 * LOG_ENTRY_INVALID. Entries are views into `bytes`, not copies.
 */
export function decodeEntryBundle(bytes: Uint8Array, expectedCount?: number): Uint8Array[] {
  if (!(bytes instanceof Uint8Array)) throw invalid('entry bundle is not bytes');
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (entries.length === TILE_WIDTH) throw invalid(`entry bundle holds more than ${TILE_WIDTH} entries`);
    if (at + 2 > bytes.length) throw invalid('entry bundle ends inside a length prefix');
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    const start = at + 2;
    at = start + length;
    if (at > bytes.length) throw invalid('entry bundle ends inside an entry');
    entries.push(bytes.subarray(start, at));
  }
  if (entries.length === 0) throw invalid('entry bundle is empty');
  if (expectedCount !== undefined && entries.length !== expectedCount) {
    throw invalid(`entry bundle holds ${entries.length} entries, not ${expectedCount}`);
  }
  return entries;
}

function invalid(message: string) {
  return fail('LOG_ENTRY_INVALID', message);
}
