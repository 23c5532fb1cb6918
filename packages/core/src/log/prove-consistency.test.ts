import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MerkleNodeReader } from '../ports.js';
import { treeRoot } from './compute-root.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { fromHex, hex, nodeHasher, REFERENCE_LEAVES, uniqueLeafHash } from './merkle.test-util.js';
import { hashChildren, hashLeaf } from './merkle-hash.js';
import { REFERENCE_CONSISTENCY_PROOFS, REFERENCE_ROOTS } from './merkle-known-answers.test-util.js';
import { proveConsistency } from './prove-consistency.js';
import { verifyConsistency } from './verify-consistency.js';

const hasher = nodeHasher;

function buildTree(size: number, salt = 0): MemoryMerkleTree {
  const tree = new MemoryMerkleTree(hasher);
  for (let i = 0; i < size; i++) tree.append(uniqueLeafHash(hasher, i, salt));
  return tree;
}

/** Every leaf the same hash, so every node of a level is the same: any size up to 2^53 − 1. */
function uniformTree(): MerkleNodeReader {
  const levels = [uniqueLeafHash(hasher, 0, 98)];
  for (let level = 1; level <= 53; level++)
    levels.push(hashChildren(hasher, levels[level - 1]!, levels[level - 1]!));
  return { node: async (level) => levels[level]!.slice() };
}

describe('proveConsistency (RFC 9162 §2.1.4.1)', () => {
  it('refuses old size 0, old > new, and sizes that are not safe integers, as caller bugs', async () => {
    const tree = buildTree(4);
    for (const [oldSize, newSize] of [
      [0, 4],
      [0, 0],
      [3, 2],
      [-1, 4],
      [1, 2.5],
      [1, Number.POSITIVE_INFINITY],
    ] as const) {
      await expect(
        proveConsistency(oldSize, newSize, tree, hasher),
        `${oldSize} → ${newSize}`,
      ).rejects.toThrow(TypeError);
    }
  });

  it('gives the transparency-dev/merkle reference proofs for the RFC 6962 test leaves', async () => {
    const tree = new MemoryMerkleTree(hasher);
    for (const leaf of REFERENCE_LEAVES) tree.append(hashLeaf(hasher, leaf));
    for (const { oldSize, newSize, proof } of REFERENCE_CONSISTENCY_PROOFS) {
      const got = await proveConsistency(oldSize, newSize, tree, hasher);
      expect(got.map(hex), `${oldSize} → ${newSize}`).toEqual(proof);
      verifyConsistency(hasher, {
        oldSize,
        newSize,
        oldRoot: fromHex(REFERENCE_ROOTS[oldSize - 1]!),
        newRoot: fromHex(REFERENCE_ROOTS[newSize - 1]!),
        proof: proof.map(fromHex),
      });
    }
  });

  it('reads complete nodes of the new tree only', async () => {
    const tree = buildTree(90);
    for (let newSize = 1; newSize <= 90; newSize++) {
      const reader = {
        node: (level: number, index: number) => {
          expect((index + 1) * 2 ** level).toBeLessThanOrEqual(newSize);
          return tree.node(level, index);
        },
      };
      for (let oldSize = 1; oldSize <= newSize; oldSize++) {
        const proof = await proveConsistency(oldSize, newSize, reader, hasher);
        verifyConsistency(hasher, {
          oldSize,
          newSize,
          oldRoot: tree.root(oldSize),
          newRoot: tree.root(newSize),
          proof,
        });
      }
    }
  });

  it('proves any two sizes of random larger trees', async () => {
    const tree = buildTree(5000, 6);
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5000 })
          .chain((newSize) => fc.tuple(fc.integer({ min: 1, max: newSize }), fc.constant(newSize))),
        async ([oldSize, newSize]) => {
          const proof = await proveConsistency(oldSize, newSize, tree, hasher);
          verifyConsistency(hasher, {
            oldSize,
            newSize,
            oldRoot: tree.root(oldSize),
            newRoot: tree.root(newSize),
            proof,
          });
        },
      ),
    );
  });

  it('computes correctly for sizes beyond 2^32, up to 2^53 − 1', async () => {
    const tree = uniformTree();
    const sizes = [
      1,
      3,
      2 ** 31,
      2 ** 32 - 1,
      2 ** 32 + 1,
      2 ** 44 + 777,
      2 ** 52,
      2 ** 52 + 1,
      Number.MAX_SAFE_INTEGER,
    ];
    const roots = await Promise.all(sizes.map((size) => treeRoot(size, tree, hasher)));
    for (let a = 0; a < sizes.length; a++) {
      for (let b = a + 1; b < sizes.length; b++) {
        const proof = await proveConsistency(sizes[a]!, sizes[b]!, tree, hasher);
        verifyConsistency(hasher, {
          oldSize: sizes[a]!,
          newSize: sizes[b]!,
          oldRoot: roots[a]!,
          newRoot: roots[b]!,
          proof,
        });
      }
    }
  });
});
