import type { Hasher } from '../ports.js';
import { hashChildren } from './merkle-hash.js';
import { assertCount, assertHash, half } from './tree-math.js';

export interface CompletedNode {
  level: number;
  index: number;
  hash: Uint8Array;
}

/**
 * The complete subtrees that appending leaf `leafIndex` creates, lowest first: the leaf itself,
 * then its parent while the node just completed is a right child (an odd index), each hash being
 * HASH(0x01 || left || right) of RFC 9162 §2.1.1. What a sequencer stores so that every later
 * proof and tile reads complete nodes only.
 *
 * `readNode(level, index)` returns stored left siblings: nodes completed by earlier leaves,
 * including earlier leaves of the same batch (a sequencer hashing a batch must let it read what
 * this function returned for them). At most log2(leafIndex + 1) reads.
 */
export function completedNodes(
  hasher: Hasher,
  leafIndex: number,
  leafHash: Uint8Array,
  readNode: (level: number, index: number) => Uint8Array,
): CompletedNode[] {
  assertCount(leafIndex, 'leaf index');
  assertHash(leafHash, 'leaf hash');
  const out: CompletedNode[] = [{ level: 0, index: leafIndex, hash: leafHash }];
  let hash = leafHash;
  let index = leafIndex;
  for (let level = 0; index % 2 === 1; level++) {
    const left = readNode(level, index - 1);
    assertHash(left, 'stored node');
    hash = hashChildren(hasher, left, hash);
    index = half(index);
    out.push({ level: level + 1, index, hash });
  }
  return out;
}
