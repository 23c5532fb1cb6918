import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { consistencyVectors, nodeHasher, uniqueLeafHash } from './merkle.test-util.js';
import { proveConsistency } from './prove-consistency.js';
import { type ConsistencyProofInput, verifyConsistency } from './verify-consistency.js';

const hasher = nodeHasher;
const invalid = expect.objectContaining({ name: 'TriesteError', code: 'LOG_PROOF_INVALID' });

function buildTree(size: number, salt = 0): MemoryMerkleTree {
  const tree = new MemoryMerkleTree(hasher);
  for (let i = 0; i < size; i++) tree.append(uniqueLeafHash(hasher, i, salt));
  return tree;
}

async function goodInput(
  tree: MemoryMerkleTree,
  oldSize: number,
  newSize: number,
): Promise<ConsistencyProofInput> {
  return {
    oldSize,
    newSize,
    oldRoot: tree.root(oldSize),
    newRoot: tree.root(newSize),
    proof: await proveConsistency(oldSize, newSize, tree, hasher),
  };
}

describe('verifyConsistency refuses malformed input with LOG_PROOF_INVALID (RFC 9162 §2.1.4.2)', async () => {
  const tree = buildTree(13);
  const good = await goodInput(tree, 6, 13);

  it('accepts the unmodified proof (the baseline the cases below alter)', () => {
    expect(() => verifyConsistency(hasher, good)).not.toThrow();
  });

  it.each([
    ['old size > new size', { oldSize: 14 }],
    ['old size 0', { oldSize: 0 }],
    [
      'old size 0, new size 0, equal roots, empty proof',
      { oldSize: 0, newSize: 0, newRoot: good.oldRoot, proof: [] },
    ],
    ['negative size', { oldSize: -6 }],
    ['fractional size', { newSize: 13.5 }],
    ['unsafe size', { newSize: 2 ** 53 }],
    ['size as a string', { oldSize: '6' }],
    ['empty proof (step 1)', { proof: [] }],
    ['31-byte old root', { oldRoot: good.oldRoot.subarray(1) }],
    ['new root not bytes', { newRoot: 'root' }],
    ['proof not an array', { proof: good.proof[0] }],
    ['proof element of 0 bytes', { proof: [...good.proof, new Uint8Array(0)] }],
    ['proof longer than any tree', { proof: Array.from({ length: 65 }, () => new Uint8Array(32)) }],
    ['equal sizes with a proof', { newSize: 6, newRoot: good.oldRoot }],
    ['equal sizes with different roots', { newSize: 6, proof: [] }],
  ])('%s', (_name, change) => {
    expect(() =>
      verifyConsistency(hasher, { ...good, ...(change as object) } as ConsistencyProofInput),
    ).toThrow(invalid);
  });
});

describe('verifyConsistency against transparency-dev/merkle testdata/consistency', () => {
  const vectors = consistencyVectors();

  it('reads every case', () => {
    expect(vectors.length).toBe(98);
    expect(vectors.filter((v) => !v.wantErr).length).toBeGreaterThan(5);
  });

  it.each(vectors.filter((v) => v.wantErr).map((v) => [v.name, v.input] as const))(
    'refuses %s',
    (_name, input) => {
      expect(() => verifyConsistency(hasher, input)).toThrow(invalid);
    },
  );

  it.each(vectors.filter((v) => !v.wantErr).map((v) => [v.name, v.input] as const))(
    'accepts %s',
    (_name, input) => {
      expect(() => verifyConsistency(hasher, input)).not.toThrow();
    },
  );
});

describe('verifyConsistency on random trees: every generated proof verifies, every mutation fails', () => {
  const tree = buildTree(300, 2);
  // Strictly growing: equal sizes take an empty proof and have nothing to mutate.
  const arbitraryCase = fc
    .integer({ min: 2, max: 300 })
    .chain((newSize) =>
      fc.record({ newSize: fc.constant(newSize), oldSize: fc.integer({ min: 1, max: newSize - 1 }) }),
    );

  it('every pair of sizes up to 70 verifies, and equal sizes need no proof', async () => {
    const small = buildTree(70, 3);
    for (let newSize = 1; newSize <= 70; newSize++) {
      for (let oldSize = 1; oldSize <= newSize; oldSize++) {
        const input = await goodInput(small, oldSize, newSize);
        expect(() => verifyConsistency(hasher, input), `${oldSize} → ${newSize}`).not.toThrow();
        if (oldSize === newSize) expect(input.proof).toEqual([]);
      }
    }
  });

  it('a flipped bit in any proof hash', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCase, fc.nat(), fc.integer({ min: 0, max: 255 }), async (c, at, bit) => {
        const input = await goodInput(tree, c.oldSize, c.newSize);
        const proof = input.proof.map((hash) => hash.slice());
        const victim = proof[at % proof.length]!;
        victim[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => verifyConsistency(hasher, { ...input, proof })).toThrow(invalid);
      }),
    );
  });

  it('a dropped or an added hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryCase,
        fc.nat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        async (c, at, extra) => {
          const input = await goodInput(tree, c.oldSize, c.newSize);
          const added = [...input.proof];
          added.splice(at % (added.length + 1), 0, extra);
          expect(() => verifyConsistency(hasher, { ...input, proof: added })).toThrow(invalid);
          const dropped = [...input.proof];
          dropped.splice(at % dropped.length, 1);
          expect(() => verifyConsistency(hasher, { ...input, proof: dropped })).toThrow(invalid);
        },
      ),
    );
  });

  // A size paired with another size's root is no mutation to test: RFC 9162 proofs do not bind a
  // size to a root (4 → 43 verifies as 4 → 33 with the same roots, the shapes being alike); the
  // signed checkpoint does. So each wrong size comes with the root of that size.
  it('swapped roots, and other sizes with their own roots', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCase, fc.nat(), async (c, other) => {
        const input = await goodInput(tree, c.oldSize, c.newSize);
        expect(() => verifyConsistency(hasher, input)).not.toThrow();
        expect(() =>
          verifyConsistency(hasher, { ...input, oldRoot: input.newRoot, newRoot: input.oldRoot }),
        ).toThrow(invalid);
        const oldSize = 1 + (other % (c.newSize - 1));
        if (oldSize !== c.oldSize) {
          expect(() => verifyConsistency(hasher, { ...input, oldSize, oldRoot: tree.root(oldSize) })).toThrow(
            invalid,
          );
        }
        const newSize = c.oldSize + 1 + (other % (300 - c.oldSize));
        if (newSize !== c.newSize) {
          expect(() => verifyConsistency(hasher, { ...input, newSize, newRoot: tree.root(newSize) })).toThrow(
            invalid,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
