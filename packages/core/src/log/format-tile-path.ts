// C2SP tlog-tiles (c2sp.org/tlog-tiles), "Merkle Tree" and "Log entries".

/** Tree levels a tile spans: fixed at 8 by tlog-tiles. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile, and entries in a full entry bundle: 2^TILE_HEIGHT. */
export const TILE_WIDTH = 256;
/** tlog-tiles: `<L>` is "a decimal ASCII integer between 0 and 63". */
export const MAX_TILE_LEVEL = 63;

/**
 * `tile/<L>/<N>[.p/<W>]`, relative to the log's prefix. `partialWidth` of 1–255 names a partial
 * tile; omitted or 256, the full tile. Arguments come from our own code: a bad one is a TypeError.
 */
export function tilePath(level: number, index: number, partialWidth?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new TypeError(`tile level must be an integer from 0 to ${MAX_TILE_LEVEL}`);
  }
  return `tile/${level}/${encodeTileIndex(index)}${partialSuffix(partialWidth)}`;
}

/** `tile/entries/<N>[.p/<W>]`: the bundle of entries N·256 … N·256 + W − 1. */
export function entryBundlePath(index: number, partialWidth?: number): string {
  return `tile/entries/${encodeTileIndex(index)}${partialSuffix(partialWidth)}`;
}

/**
 * tlog-tiles: `<N>` is "encoded into zero-padded 3-digit path elements. All but the last path
 * element MUST begin with an x": 1234067 → x001/x234/067, 5 → 005.
 */
function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new TypeError('tile index must be a safe integer ≥ 0');
  let path = String(index % 1000).padStart(3, '0');
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    path = `x${String(rest % 1000).padStart(3, '0')}/${path}`;
  }
  return path;
}

/** tlog-tiles: "`<W>` is the width of the tile, a decimal ASCII integer between 1 and 255". */
function partialSuffix(width: number | undefined): string {
  if (width === undefined || width === TILE_WIDTH) return '';
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new TypeError(`tile width must be an integer from 1 to ${TILE_WIDTH}`);
  }
  return `.p/${width}`;
}
