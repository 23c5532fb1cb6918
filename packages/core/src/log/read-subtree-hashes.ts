import type { Hasher, MerkleNodeReader } from '../ports.js';
import { hashChildren } from './merkle-hash.js';
import { completeSubtrees, isHash } from './tree-math.js';

/**
 * MTH(D[start:end]) for each range, read from complete-subtree hashes only: a range that is itself
 * a complete subtree is one read; the right edge of a tree (the one kind of incomplete subtree the
 * RFC 9162 §2.1 recursion produces) is the complete subtrees that tile it, combined from the right.
 * All reads are issued at once, so a store answers them in parallel.
 */
export async function readSubtreeHashes(
  ranges: ReadonlyArray<readonly [start: number, end: number]>,
  nodes: MerkleNodeReader,
  hasher: Hasher,
): Promise<Uint8Array[]> {
  const pieces = ranges.map(([start, end]) => completeSubtrees(start, end));
  const addresses = pieces.flat();
  const hashes = nodes.nodesAt
    ? await nodes.nodesAt(addresses)
    : await Promise.all(addresses.map(({ level, index }) => nodes.node(level, index)));
  if (hashes.length !== addresses.length)
    throw new TypeError('the node reader returned the wrong number of hashes');
  for (const hash of hashes) {
    if (!isHash(hash)) throw new TypeError('the node reader returned something other than a 32-byte hash');
  }
  const out: Uint8Array[] = [];
  let next = 0;
  for (const piece of pieces) {
    const last = next + piece.length - 1;
    let hash = hashes[last]!;
    for (let i = last - 1; i >= next; i--) hash = hashChildren(hasher, hashes[i]!, hash);
    out.push(hash);
    next = last + 1;
  }
  return out;
}
