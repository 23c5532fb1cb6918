import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hasher } from '../ports.js';
import { rootFromLeafHashes, treeRoot } from './compute-root.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { hex, nodeHasher, REFERENCE_LEAVES, uniqueLeafHash } from './merkle.test-util.js';
import { emptyRoot, hashChildren, hashLeaf } from './merkle-hash.js';
import { EMPTY_ROOT, REFERENCE_ROOTS } from './merkle-known-answers.test-util.js';

const hasher = nodeHasher;

/** RFC 9162 §2.1.1 as written: split at the largest power of two below n, recursively. */
function mth(h: Hasher, leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot(h);
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(h, mth(h, leaves.slice(0, k)), mth(h, leaves.slice(k)));
}

describe('rootFromLeafHashes', () => {
  it('refuses leaf hashes that are not 32 bytes, as a caller bug', () => {
    expect(() => rootFromLeafHashes(hasher, [new Uint8Array(31)])).toThrow(TypeError);
  });

  it('gives the transparency-dev/merkle reference roots for the RFC 6962 test leaves', () => {
    const leafHashes = REFERENCE_LEAVES.map((leaf) => hashLeaf(hasher, leaf));
    expect(hex(rootFromLeafHashes(hasher, []))).toBe(EMPTY_ROOT);
    for (let size = 1; size <= 8; size++) {
      expect(hex(rootFromLeafHashes(hasher, leafHashes.slice(0, size))), `size ${size}`).toBe(
        REFERENCE_ROOTS[size - 1],
      );
    }
  });

  it('equals the recursive MTH of RFC 9162 §2.1.1 for any number of leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer(), (size, salt) => {
        const leafHashes = Array.from({ length: size }, (_, i) => uniqueLeafHash(hasher, i, salt));
        expect(hex(rootFromLeafHashes(hasher, leafHashes))).toBe(hex(mth(hasher, leafHashes)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('treeRoot', () => {
  it('refuses a size that is not a safe integer ≥ 0, as a caller bug', async () => {
    const tree = new MemoryMerkleTree(hasher);
    await expect(treeRoot(-1, tree, hasher)).rejects.toThrow(TypeError);
    await expect(treeRoot(1.5, tree, hasher)).rejects.toThrow(TypeError);
  });

  it('refuses a node reader that answers with something other than a hash', async () => {
    const broken = { node: async () => new Uint8Array(3) };
    await expect(treeRoot(3, broken, hasher)).rejects.toThrow(TypeError);
  });

  it('reads only complete subtrees, at most log2(size) of them, and equals rootFromLeafHashes', async () => {
    const tree = new MemoryMerkleTree(hasher);
    const leafHashes: Uint8Array[] = [];
    for (let i = 0; i < 1100; i++) leafHashes.push(uniqueLeafHash(hasher, i, 7));
    for (const leafHash of leafHashes) tree.append(leafHash);
    for (const size of [0, 1, 2, 3, 255, 256, 257, 511, 1024, 1099, 1100]) {
      const reads: Array<[number, number]> = [];
      const reader = {
        node: (level: number, index: number) => {
          // Complete: the subtree lies fully inside the first `size` leaves.
          expect((index + 1) * 2 ** level).toBeLessThanOrEqual(size);
          reads.push([level, index]);
          return tree.node(level, index);
        },
      };
      const root = await treeRoot(size, reader, hasher);
      expect(hex(root), `size ${size}`).toBe(hex(rootFromLeafHashes(hasher, leafHashes.slice(0, size))));
      expect(hex(root)).toBe(hex(tree.root(size)));
      expect(reads.length).toBeLessThanOrEqual(Math.max(1, Math.ceil(Math.log2(size + 1))));
    }
  });
});
