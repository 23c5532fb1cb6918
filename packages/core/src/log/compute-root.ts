import type { Hasher, MerkleNodeReader } from '../ports.js';
import { emptyRoot, hashChildren } from './merkle-hash.js';
import { readSubtreeHashes } from './read-subtree-hashes.js';
import { assertCount, assertHash } from './tree-math.js';

/**
 * MTH(D[n]) of RFC 9162 §2.1.1 from all n leaf hashes, level by level: pairing neighbours and
 * carrying an odd last node up unchanged builds the same tree as the RFC's split at the largest
 * power of two below n. O(n) hashes: for a whole tree in memory (tests, a client holding a tile).
 */
export function rootFromLeafHashes(hasher: Hasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot(hasher);
  for (const leafHash of leafHashes) assertHash(leafHash, 'leaf hash');
  let level: readonly Uint8Array[] = leafHashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(hasher, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/**
 * The root of the first `size` leaves from complete-subtree hashes: the at most log2(size)
 * subtrees that tile [0, size), combined from the right. RFC 9162 §2.1.1; SHA-256("") when empty.
 */
export async function treeRoot(size: number, nodes: MerkleNodeReader, hasher: Hasher): Promise<Uint8Array> {
  assertCount(size, 'tree size');
  if (size === 0) return emptyRoot(hasher);
  const [root] = await readSubtreeHashes([[0, size]], nodes, hasher);
  return root!;
}
