import {
  encodeEntryBundle,
  type ParsedTilePath,
  readHashTile,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TransparencyLogStore,
} from '@trieste/core';

/**
 * The bytes of a parsed tile or entry bundle path (c2sp.org/tlog-tiles) for a tree of `size`
 * leaves, or undefined when the tile is not (yet) complete at that width. The path is hostile, so
 * availability is decided by arithmetic on the parsed numbers before any read: no index beyond the
 * tree reaches the store.
 */
export async function readTile(
  log: TransparencyLogStore,
  size: number,
  tile: ParsedTilePath,
): Promise<Uint8Array | undefined> {
  const start = tile.index * TILE_WIDTH;
  // Number of complete nodes at the tile's lowest level: leaves for entry bundles and level-0 tiles.
  const available = tile.kind === 'entries' ? size : Math.floor(size / 2 ** (tile.level * TILE_HEIGHT));
  if (!Number.isSafeInteger(start + tile.width) || start + tile.width > available) return undefined;
  if (tile.kind === 'hash') return readHashTile(log, tile.level, tile.index, tile.width);
  return encodeEntryBundle(await log.entries(start, start + tile.width));
}
