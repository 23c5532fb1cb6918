import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MerkleNodeReader } from '../ports.js';
import { treeRoot } from './compute-root.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { fromHex, hex, nodeHasher, REFERENCE_LEAVES, uniqueLeafHash } from './merkle.test-util.js';
import { hashChildren, hashLeaf } from './merkle-hash.js';
import { REFERENCE_INCLUSION_PROOFS, REFERENCE_ROOTS } from './merkle-known-answers.test-util.js';
import { proveInclusion } from './prove-inclusion.js';
import { verifyInclusion } from './verify-inclusion.js';

const hasher = nodeHasher;

function buildTree(size: number, salt = 0): MemoryMerkleTree {
  const tree = new MemoryMerkleTree(hasher);
  for (let i = 0; i < size; i++) tree.append(uniqueLeafHash(hasher, i, salt));
  return tree;
}

/**
 * A consistent tree of any size up to 2^53 − 1 without storing it: every leaf is the same hash, so
 * every node of a level is the same hash. Exercises the index arithmetic far beyond 32 bits.
 */
function uniformTree(): MerkleNodeReader & { leaf: Uint8Array } {
  const levels = [uniqueLeafHash(hasher, 0, 99)];
  for (let level = 1; level <= 53; level++)
    levels.push(hashChildren(hasher, levels[level - 1]!, levels[level - 1]!));
  return { leaf: levels[0]!, node: async (level) => levels[level]!.slice() };
}

describe('proveInclusion (RFC 9162 §2.1.3.1)', () => {
  it('refuses sizes and indices outside the tree, as caller bugs', async () => {
    const tree = buildTree(4);
    for (const [index, size] of [
      [0, 0],
      [4, 4],
      [5, 4],
      [-1, 4],
      [0.5, 4],
      [0, Number.NaN],
    ] as const) {
      await expect(proveInclusion(index, size, tree, hasher), `${index}/${size}`).rejects.toThrow(TypeError);
    }
  });

  it('gives the transparency-dev/merkle reference proofs for the RFC 6962 test leaves', async () => {
    const tree = new MemoryMerkleTree(hasher);
    for (const leaf of REFERENCE_LEAVES) tree.append(hashLeaf(hasher, leaf));
    for (const { index, size, proof } of REFERENCE_INCLUSION_PROOFS) {
      const got = await proveInclusion(index, size, tree, hasher);
      expect(got.map(hex), `${index} in ${size}`).toEqual(proof);
      verifyInclusion(hasher, {
        index,
        size,
        leafHash: hashLeaf(hasher, REFERENCE_LEAVES[index]!),
        proof: proof.map(fromHex),
        root: fromHex(REFERENCE_ROOTS[size - 1]!),
      });
    }
  });

  it('proves every leaf of every tree up to 80 leaves, reading complete nodes only', async () => {
    const tree = buildTree(80);
    for (let size = 1; size <= 80; size++) {
      const reader = {
        node: (level: number, index: number) => {
          expect((index + 1) * 2 ** level).toBeLessThanOrEqual(size);
          return tree.node(level, index);
        },
      };
      const root = tree.root(size);
      for (let index = 0; index < size; index++) {
        const proof = await proveInclusion(index, size, reader, hasher);
        verifyInclusion(hasher, { index, size, leafHash: tree.nodeSync(0, index), proof, root });
      }
    }
  });

  it('proves any leaf of random larger trees', async () => {
    const tree = buildTree(5000, 4);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5000 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1))),
        async ([size, index]) => {
          const proof = await proveInclusion(index, size, tree, hasher);
          verifyInclusion(hasher, {
            index,
            size,
            leafHash: tree.nodeSync(0, index),
            proof,
            root: tree.root(size),
          });
        },
      ),
    );
  });

  it('computes correctly for sizes and indices beyond 2^32, up to 2^53 − 1', async () => {
    const tree = uniformTree();
    for (const size of [2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER]) {
      const root = await treeRoot(size, tree, hasher);
      for (const index of [0, 2 ** 31, 2 ** 32, size - 2, size - 1]) {
        const proof = await proveInclusion(index, size, tree, hasher);
        verifyInclusion(hasher, { index, size, leafHash: tree.leaf, proof, root });
      }
    }
  });

  // Speed is measured by `npm run bench`; here, correctness at that scale.
  it('proves and verifies entries across a 1M-leaf tree', async () => {
    const size = 1_000_000;
    const tree = new MemoryMerkleTree(hasher);
    const leaf = uniqueLeafHash(hasher, 0, 5);
    for (let i = 0; i < size; i++) tree.append(leaf);
    const root = tree.root();
    for (let i = 0; i < 200; i++) {
      const index = (i * 7919) % size;
      const proof = await proveInclusion(index, size, tree, hasher);
      expect(proof.length).toBeGreaterThanOrEqual(19);
      expect(proof.length).toBeLessThanOrEqual(20);
      verifyInclusion(hasher, { index, size, leafHash: leaf, proof, root });
    }
  }, 60_000);
});
