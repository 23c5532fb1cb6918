import { fail } from '../errors.js';
import { MAX_TILE_LEVEL, TILE_WIDTH } from './format-tile-path.js';

export type ParsedTilePath =
  | { kind: 'hash'; level: number; index: number; width: number }
  | { kind: 'entries'; index: number; width: number };

// tile/<L|entries>/<x-prefixed 3-digit elements…>/<3 digits>[.p/<W>], c2sp.org/tlog-tiles. Levels
// and widths have "no additional leading zeroes". The length cap keeps the work bounded.
const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;
const MAX_PATH_LENGTH = 64;

/**
 * Parses a tile or entry bundle path, relative to the log's prefix (what a request names, so
 * hostile): anything that is not the one canonical spelling of a tile is MALFORMED, so no two
 * paths name the same resource (a cache or a file system serving tiles relies on that). `width`
 * is 256 for a full tile.
 */
export function parseTilePath(path: string): ParsedTilePath {
  if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH) throw malformed();
  const match = TILE_PATH.exec(path);
  if (match === null) throw malformed();
  const [, levelText, prefixText, lastText, widthText] = match;
  const elements = prefixText!.length === 0 ? [] : prefixText!.slice(0, -1).split('/');
  // x000 as the first element would be a second spelling of a smaller index.
  if (elements[0] === 'x000') throw malformed();
  let index = 0;
  for (const element of elements) index = index * 1000 + Number(element.slice(1));
  index = index * 1000 + Number(lastText);
  if (!Number.isSafeInteger(index)) throw malformed();
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  // A partial tile is 1–255 wide; the full tile has no .p/ suffix.
  if (widthText !== undefined && width >= TILE_WIDTH) throw malformed();
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) throw malformed();
  return { kind: 'hash', level, index, width };
}

function malformed() {
  return fail('MALFORMED', 'not a tlog-tiles tile or entry bundle path');
}
