import type { Hasher, MerkleNodeReader } from '../ports.js';
import { readSubtreeHashes } from './read-subtree-hashes.js';
import { assertCount, splitPoint } from './tree-math.js';

/**
 * The inclusion proof (audit path) of leaf `index` in the tree of the first `size` leaves,
 * RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else
 * PATH(m − k, D[k:n]) : MTH(D[0:k]). Sibling hashes from the leaf up; empty for a one-leaf tree.
 *
 * `index` and `size` must already be checked against the log's state (0 ≤ index < size ≤ its
 * size): anything else is a caller bug (TypeError), since a request is validated at the edge.
 */
export async function proveInclusion(
  index: number,
  size: number,
  nodes: MerkleNodeReader,
  hasher: Hasher,
): Promise<Uint8Array[]> {
  assertCount(size, 'tree size', 1);
  assertCount(index, 'leaf index');
  if (index >= size) throw new TypeError('leaf index must be below the tree size');
  const siblings: Array<[number, number]> = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      siblings.push([start + k, end]);
      end = start + k;
    } else {
      siblings.push([start, start + k]);
      start += k;
    }
  }
  // Collected root-down; the proof lists them leaf-up.
  siblings.reverse();
  return readSubtreeHashes(siblings, nodes, hasher);
}
