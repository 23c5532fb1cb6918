import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rootFromLeafHashes } from './compute-root.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { hex, nodeHasher, REFERENCE_LEAVES, uniqueLeafHash } from './merkle.test-util.js';
import { hashLeaf } from './merkle-hash.js';
import { EMPTY_ROOT, REFERENCE_ROOTS } from './merkle-known-answers.test-util.js';

const hasher = nodeHasher;

describe('MemoryMerkleTree', () => {
  it('refuses a leaf hash that is not 32 bytes, a node not (yet) complete and a size beyond the tree', async () => {
    const tree = new MemoryMerkleTree(hasher);
    expect(() => tree.append(new Uint8Array(33))).toThrow(TypeError);
    for (let i = 0; i < 5; i++) tree.append(uniqueLeafHash(hasher, i));
    expect(() => tree.nodeSync(0, 5)).toThrow(RangeError);
    expect(() => tree.nodeSync(1, 2)).toThrow(RangeError); // leaves 4–5: leaf 5 is missing
    expect(() => tree.nodeSync(3, 0)).toThrow(RangeError);
    expect(() => tree.nodeSync(-1, 0)).toThrow(TypeError);
    await expect(tree.node(2, 1)).rejects.toThrow(RangeError);
    await expect(tree.nodes(0, 3, 7)).rejects.toThrow(RangeError);
    expect(() => tree.root(6)).toThrow(RangeError);
  });

  it('gives the reference roots for the RFC 6962 test leaves, and SHA-256("") when empty', () => {
    const tree = new MemoryMerkleTree(hasher);
    expect(hex(tree.root())).toBe(EMPTY_ROOT);
    REFERENCE_LEAVES.forEach((leaf, i) => {
      expect(tree.append(hashLeaf(hasher, leaf))).toBe(i);
      expect(tree.size).toBe(i + 1);
      expect(hex(tree.root())).toBe(REFERENCE_ROOTS[i]);
    });
    for (let size = 1; size <= 8; size++) expect(hex(tree.root(size))).toBe(REFERENCE_ROOTS[size - 1]);
  });

  it('has root(size) = rootFromLeafHashes of the first size leaves, and every node is its subtree root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer(), (size, salt) => {
        const tree = new MemoryMerkleTree(hasher);
        const leafHashes = Array.from({ length: size }, (_, i) => uniqueLeafHash(hasher, i, salt));
        for (const leafHash of leafHashes) tree.append(leafHash);
        for (const s of [1, size >> 1, size - 1, size]) {
          if (s > 0) expect(hex(tree.root(s))).toBe(hex(rootFromLeafHashes(hasher, leafHashes.slice(0, s))));
        }
        for (let level = 0; 2 ** level <= size; level++) {
          const width = 2 ** level;
          for (let index = 0; (index + 1) * width <= size; index += 7) {
            expect(hex(tree.nodeSync(level, index))).toBe(
              hex(rootFromLeafHashes(hasher, leafHashes.slice(index * width, (index + 1) * width))),
            );
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('hands out copies: altering a returned hash or an appended one does not alter the tree', async () => {
    const tree = new MemoryMerkleTree(hasher);
    const leaf = uniqueLeafHash(hasher, 0);
    tree.append(leaf);
    tree.append(uniqueLeafHash(hasher, 1));
    const root = hex(tree.root());
    leaf.fill(0);
    tree.root().fill(0);
    tree.nodeSync(1, 0).fill(0);
    (await tree.node(0, 1)).fill(0);
    for (const hash of await tree.nodes(0, 0, 2)) hash.fill(0);
    expect(hex(tree.root())).toBe(root);
    expect(hex(tree.nodeSync(0, 0))).toBe(hex(uniqueLeafHash(hasher, 0)));
  });
});
