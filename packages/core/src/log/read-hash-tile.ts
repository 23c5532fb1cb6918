import type { MerkleNodeReader } from '../ports.js';
import { MAX_TILE_LEVEL, TILE_HEIGHT, TILE_WIDTH } from './format-tile-path.js';
import { HASH_SIZE, isHash } from './tree-math.js';

/** A reader that can also fetch a row of nodes at once, as TransparencyLogStore does. */
export type TileNodeReader = MerkleNodeReader & {
  nodes?(level: number, start: number, end: number): Promise<Uint8Array[]>;
};

/**
 * The content of hash tile (tileLevel, index) of width `width` (c2sp.org/tlog-tiles, "Merkle
 * Tree"): the hashes MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]) for i below the width,
 * i.e. nodes (8·l, n·256 + i), concatenated (32 bytes each). Reads the row in one call when the
 * reader offers `nodes`. The nodes must be complete in the tree (the caller names a tile that
 * tilesForTreeSize lists for a committed size); a bad argument is a TypeError.
 */
export async function readHashTile(
  nodes: TileNodeReader,
  tileLevel: number,
  index: number,
  width: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(tileLevel) || tileLevel < 0 || tileLevel > MAX_TILE_LEVEL) {
    throw new TypeError(`tile level must be an integer from 0 to ${MAX_TILE_LEVEL}`);
  }
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new TypeError(`tile width must be an integer from 1 to ${TILE_WIDTH}`);
  }
  const start = index * TILE_WIDTH;
  if (!Number.isSafeInteger(index) || index < 0 || !Number.isSafeInteger(start + width)) {
    throw new TypeError('tile index must be a safe integer ≥ 0');
  }
  const level = tileLevel * TILE_HEIGHT;
  const hashes =
    nodes.nodes !== undefined
      ? await nodes.nodes(level, start, start + width)
      : await Promise.all(Array.from({ length: width }, (_, i) => nodes.node(level, start + i)));
  if (hashes.length !== width) throw new TypeError('the node reader returned the wrong number of hashes');
  const tile = new Uint8Array(width * HASH_SIZE);
  hashes.forEach((hash, i) => {
    if (!isHash(hash)) throw new TypeError('the node reader returned something other than a 32-byte hash');
    tile.set(hash, i * HASH_SIZE);
  });
  return tile;
}
