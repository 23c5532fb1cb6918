import type { Hasher, MerkleNodeReader } from '../ports.js';
import { readSubtreeHashes } from './read-subtree-hashes.js';
import { assertCount, splitPoint } from './tree-math.js';

/**
 * The consistency proof between the trees of the first `oldSize` and `newSize` leaves,
 * RFC 9162 §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), where SUBPROOF(m, D[m], true) is
 * empty, SUBPROOF(m, D[m], false) = {MTH(D[m])}, and for m < n with k the largest power of two
 * below n: SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) if m ≤ k, else
 * SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k]). Empty when the sizes are equal.
 *
 * Requires 0 < oldSize ≤ newSize, both within the log (checked at the edge; else TypeError): a
 * proof from the empty tree proves nothing and verifyConsistency refuses one.
 */
export async function proveConsistency(
  oldSize: number,
  newSize: number,
  nodes: MerkleNodeReader,
  hasher: Hasher,
): Promise<Uint8Array[]> {
  assertCount(oldSize, 'old tree size', 1);
  assertCount(newSize, 'new tree size', oldSize);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let end = newSize;
  let m = oldSize; // relative to start
  let wholeTree = true; // SUBPROOF's b: still on the path of the entire old tree
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
      m -= k;
      wholeTree = false;
    }
  }
  if (!wholeTree) ranges.push([start, end]);
  // Collected root-down; SUBPROOF lists the innermost hash first.
  ranges.reverse();
  return readSubtreeHashes(ranges, nodes, hasher);
}
