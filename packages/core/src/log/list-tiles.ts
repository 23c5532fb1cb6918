import { TILE_WIDTH } from './format-tile-path.js';
import { assertCount } from './tree-math.js';

export interface TileId {
  /** Tile level L: its hashes are those of tree level 8·L. */
  level: number;
  index: number;
  /** 256 for a full tile, 1–255 for a partial one. */
  width: number;
}

/**
 * The hash tiles of a tree of `size` leaves, every level, lowest first (c2sp.org/tlog-tiles,
 * "Partial Tiles"): at level L the tree has ⌊size / 256^L⌋ complete nodes of tree level 8·L, making
 * that many ÷ 256 full tiles and, for the remainder, one partial tile of that width. Empty tiles do
 * not exist. The level-0 entries also name the entry bundles.
 *
 * With `previousSize`, only the tiles that a tree of `size` has and a tree of `previousSize` does
 * not: what a log must publish when its checkpoint moves from one to the other. Full tiles never
 * change; a partial tile is a different resource at each width. The list has about
 * (size − previousSize) / 255 entries: list a whole large tree only when that is meant.
 */
export function tilesForTreeSize(size: number, previousSize = 0): TileId[] {
  assertCount(size, 'tree size');
  assertCount(previousSize, 'previous tree size');
  if (previousSize > size) throw new TypeError('previous tree size must not exceed the tree size');
  const tiles: TileId[] = [];
  for (let level = 0, span = 1; Math.floor(size / span) > 0; level++, span *= TILE_WIDTH) {
    const oldCount = Math.floor(previousSize / span);
    const newCount = Math.floor(size / span);
    if (oldCount === newCount) continue;
    const full = Math.floor(newCount / TILE_WIDTH);
    for (let index = Math.floor(oldCount / TILE_WIDTH); index < full; index++) {
      tiles.push({ level, index, width: TILE_WIDTH });
    }
    const width = newCount % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: full, width });
  }
  return tiles;
}
