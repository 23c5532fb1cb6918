import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { inclusionVectors, nodeHasher, uniqueLeafHash } from './merkle.test-util.js';
import { proveInclusion } from './prove-inclusion.js';
import { type InclusionProofInput, verifyInclusion } from './verify-inclusion.js';

const hasher = nodeHasher;
const invalid = expect.objectContaining({ name: 'TriesteError', code: 'LOG_PROOF_INVALID' });

function buildTree(size: number, salt = 0): MemoryMerkleTree {
  const tree = new MemoryMerkleTree(hasher);
  for (let i = 0; i < size; i++) tree.append(uniqueLeafHash(hasher, i, salt));
  return tree;
}

async function goodInput(tree: MemoryMerkleTree, index: number, size: number): Promise<InclusionProofInput> {
  return {
    index,
    size,
    leafHash: tree.nodeSync(0, index),
    proof: await proveInclusion(index, size, tree, hasher),
    root: tree.root(size),
  };
}

describe('verifyInclusion refuses malformed input with LOG_PROOF_INVALID (RFC 9162 §2.1.3.2 step 1 and shape)', async () => {
  const tree = buildTree(13);
  const good = await goodInput(tree, 5, 13);

  it('accepts the unmodified proof (the baseline the cases below alter)', () => {
    expect(() => verifyInclusion(hasher, good)).not.toThrow();
  });

  it.each([
    ['index = size', { index: 13 }],
    ['index > size', { index: 14 }],
    ['size 0', { index: 0, size: 0 }],
    ['negative index', { index: -1 }],
    ['fractional index', { index: 5.5 }],
    ['NaN size', { size: Number.NaN }],
    ['unsafe size (2^64 − 1 as JSON.parse reads it)', { size: 2 ** 64 }],
    ['index as a string', { index: '5' }],
    ['31-byte leaf hash', { leafHash: new Uint8Array(31) }],
    ['empty root', { root: new Uint8Array(0) }],
    ['root as an array of numbers', { root: Array.from(good.root) }],
    ['proof not an array', { proof: good.proof[0] }],
    ['proof element of 33 bytes', { proof: [new Uint8Array(33), ...good.proof.slice(1)] }],
    ['proof element a string', { proof: ['00'.repeat(32), ...good.proof.slice(1)] }],
    ['proof longer than any tree', { proof: Array.from({ length: 65 }, () => new Uint8Array(32)) }],
  ])('%s', (_name, change) => {
    expect(() => verifyInclusion(hasher, { ...good, ...(change as object) } as InclusionProofInput)).toThrow(
      invalid,
    );
  });
});

describe('verifyInclusion against transparency-dev/merkle testdata/inclusion', () => {
  const vectors = inclusionVectors();

  it('reads every case', () => {
    expect(vectors.length).toBe(98);
    expect(vectors.filter((v) => !v.wantErr).length).toBeGreaterThan(5);
  });

  it.each(vectors.filter((v) => v.wantErr).map((v) => [v.name, v.input] as const))(
    'refuses %s',
    (_name, input) => {
      expect(() => verifyInclusion(hasher, input)).toThrow(invalid);
    },
  );

  it.each(vectors.filter((v) => !v.wantErr).map((v) => [v.name, v.input] as const))(
    'accepts %s',
    (_name, input) => {
      expect(() => verifyInclusion(hasher, input)).not.toThrow();
    },
  );
});

describe('verifyInclusion on random trees: every generated proof verifies, every mutation fails', () => {
  const tree = buildTree(300, 1);
  const arbitraryCase = fc
    .integer({ min: 1, max: 300 })
    .chain((size) => fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }));

  it('a flipped bit in any proof hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryCase,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        async ({ size, index }, at, bit) => {
          const input = await goodInput(tree, index, size);
          fc.pre(input.proof.length > 0);
          const proof = input.proof.map((hash) => hash.slice());
          const victim = proof[at % proof.length]!;
          victim[bit >> 3]! ^= 1 << (bit & 7);
          expect(() => verifyInclusion(hasher, { ...input, proof })).toThrow(invalid);
        },
      ),
    );
  });

  it('a dropped or an added hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryCase,
        fc.nat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        async (c, at, extra) => {
          const input = await goodInput(tree, c.index, c.size);
          const added = [...input.proof];
          added.splice(at % (added.length + 1), 0, extra);
          expect(() => verifyInclusion(hasher, { ...input, proof: added })).toThrow(invalid);
          if (input.proof.length > 0) {
            const dropped = [...input.proof];
            dropped.splice(at % dropped.length, 1);
            expect(() => verifyInclusion(hasher, { ...input, proof: dropped })).toThrow(invalid);
          }
        },
      ),
    );
  });

  it('another index, another leaf, another size with its own root', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCase, fc.nat(), fc.nat(), async ({ size, index }, otherIndex, otherSize) => {
        const input = await goodInput(tree, index, size);
        expect(() => verifyInclusion(hasher, input)).not.toThrow();
        const wrongIndex = otherIndex % size;
        if (wrongIndex !== index) {
          expect(() => verifyInclusion(hasher, { ...input, index: wrongIndex })).toThrow(invalid);
          expect(() => verifyInclusion(hasher, { ...input, leafHash: tree.nodeSync(0, wrongIndex) })).toThrow(
            invalid,
          );
        }
        const wrongSize = index + 1 + (otherSize % (300 - index));
        if (wrongSize !== size) {
          expect(() =>
            verifyInclusion(hasher, { ...input, size: wrongSize, root: tree.root(wrongSize) }),
          ).toThrow(invalid);
        }
      }),
    );
  });
});
