import { completedNodes, emptyRoot, type Hasher, hashChildren, hashLeaf, TriesteError } from '@trieste/core';

/** A complete subtree's hash: (level, index) covers leaves [index·2^level, (index+1)·2^level). */
export interface LogNode {
  level: number;
  index: number;
  hash: Uint8Array;
}

/**
 * The complete subtrees on the right edge of a tree of `size` leaves, one per set bit of `size`,
 * lowest level (rightmost) first. They are all a sequencer needs of the stored tree to append
 * leaves, and all the root needs: RFC 9162 §2.1.1's MTH combines exactly these, from the right.
 */
export function rightEdge(size: number): Array<{ level: number; index: number }> {
  const edge: Array<{ level: number; index: number }> = [];
  // Division, not shifts: sizes may exceed 2^31, where JS bitwise operators truncate.
  for (let level = 0, width = 1; width <= size; level++, width *= 2) {
    const count = Math.floor(size / width);
    if (count % 2 === 1) edge.push({ level, index: count - 1 });
  }
  return edge;
}

export function nodeKey(level: number, index: number): string {
  return `${level}/${index}`;
}

function reader(nodes: ReadonlyMap<string, Uint8Array>) {
  return (level: number, index: number): Uint8Array => {
    const hash = nodes.get(nodeKey(level, index));
    // Only a damaged store lacks a right-edge node of its own tree.
    if (!hash) throw new TriesteError('LOG_INCONSISTENT', `the stored log lacks node ${level}/${index}`);
    return hash;
  };
}

/**
 * The root of the tree of `size` leaves from its right edge (keyed by `nodeKey`): the edge's
 * subtrees combined from the right, HASH(0x01 || left || right); SHA-256("") when empty.
 */
export function rootFromEdge(
  hasher: Hasher,
  size: number,
  edge: ReadonlyMap<string, Uint8Array>,
): Uint8Array {
  if (size === 0) return emptyRoot(hasher);
  const read = reader(edge);
  const [lowest, ...higher] = rightEdge(size);
  let root = read(lowest!.level, lowest!.index);
  for (const node of higher) root = hashChildren(hasher, read(node.level, node.index), root);
  return root;
}

/**
 * Appends `entries` to a tree of `size` leaves whose right edge is `edge`: their leaf hashes,
 * every node they complete (level 0 included) in completion order, and the new root. Pure and
 * synchronous: a store takes the entries, calls this, and writes the result in one transaction.
 */
export function hashLogBatch(
  hasher: Hasher,
  size: number,
  edge: ReadonlyMap<string, Uint8Array>,
  entries: readonly Uint8Array[],
): { leafHashes: Uint8Array[]; nodes: LogNode[]; rootHash: Uint8Array } {
  const known = new Map(edge);
  const read = reader(known);
  const leafHashes: Uint8Array[] = [];
  const nodes: LogNode[] = [];
  for (const [offset, data] of entries.entries()) {
    const leafHash = hashLeaf(hasher, data);
    leafHashes.push(leafHash);
    // The leaf first, then each parent it completes; later leaves read them from `known`.
    for (const node of completedNodes(hasher, size + offset, leafHash, read)) {
      known.set(nodeKey(node.level, node.index), node.hash);
      nodes.push(node);
    }
  }
  return { leafHashes, nodes, rootHash: rootFromEdge(hasher, size + entries.length, known) };
}
