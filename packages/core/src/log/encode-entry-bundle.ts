import { fail } from '../errors.js';
import { MAX_LOG_ENTRY_BYTES } from './encode-log-entry.js';
import { TILE_WIDTH } from './format-tile-path.js';

/**
 * An entry bundle (c2sp.org/tlog-tiles, "Log entries"): "sequences of big-endian uint16
 * length-prefixed log entries", 1 to 256 of them. An entry over 65535 bytes cannot be carried:
 * LOG_ENTRY_INVALID. The number of entries is our sequencer's choice, so a wrong one is a TypeError.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) {
    throw new TypeError(`an entry bundle holds 1 to ${TILE_WIDTH} entries`);
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.length > MAX_LOG_ENTRY_BYTES) {
      throw fail('LOG_ENTRY_INVALID', `log entry is larger than ${MAX_LOG_ENTRY_BYTES} bytes`);
    }
    total += 2 + entry.length;
  }
  const bundle = new Uint8Array(total);
  let at = 0;
  for (const entry of entries) {
    bundle[at] = entry.length >>> 8;
    bundle[at + 1] = entry.length & 0xff;
    bundle.set(entry, at + 2);
    at += 2 + entry.length;
  }
  return bundle;
}
