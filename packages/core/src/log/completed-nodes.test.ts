import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completedNodes } from './completed-nodes.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { hex, nodeHasher, uniqueLeafHash } from './merkle.test-util.js';

const hasher = nodeHasher;

describe('completedNodes', () => {
  it('refuses a bad leaf index or hash, and a stored node that is not a hash, as caller bugs', () => {
    const leaf = uniqueLeafHash(hasher, 0);
    expect(() => completedNodes(hasher, -1, leaf, () => leaf)).toThrow(TypeError);
    expect(() => completedNodes(hasher, 0, new Uint8Array(5), () => leaf)).toThrow(TypeError);
    expect(() => completedNodes(hasher, 1, leaf, () => new Uint8Array(0))).toThrow(TypeError);
  });

  it('names exactly the nodes a MemoryMerkleTree gains on each append, with the same hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer(), (count, salt) => {
        const tree = new MemoryMerkleTree(hasher);
        // A batch-style store: what completedNodes returns is all that is ever stored.
        const store = new Map<string, Uint8Array>();
        for (let i = 0; i < count; i++) {
          const leafHash = uniqueLeafHash(hasher, i, salt);
          const reads: string[] = [];
          const completed = completedNodes(hasher, i, leafHash, (level, index) => {
            reads.push(`${level}/${index}`);
            return store.get(`${level}/${index}`)!;
          });
          tree.append(leafHash);
          for (const { level, index, hash } of completed) store.set(`${level}/${index}`, hash);
          // Leaf i completes one node per trailing one bit of i, plus the leaf itself.
          let trailingOnes = 0;
          while ((i >> trailingOnes) & 1) trailingOnes++;
          expect(completed.map(({ level, index }) => [level, index])).toEqual(
            Array.from({ length: trailingOnes + 1 }, (_, level) => [level, Math.floor(i / 2 ** level)]),
          );
          expect(reads.length).toBe(trailingOnes);
          for (const { level, index, hash } of completed)
            expect(hex(hash)).toBe(hex(tree.nodeSync(level, index)));
        }
        // And the store then holds every complete node of the tree.
        let expected = 0;
        for (let level = 0; 2 ** level <= count; level++) expected += Math.floor(count / 2 ** level);
        expect(store.size).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });
});
