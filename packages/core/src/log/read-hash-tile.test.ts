import { describe, expect, it } from 'vitest';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { hex, nodeHasher, uniqueLeafHash } from './merkle.test-util.js';
import { readHashTile } from './read-hash-tile.js';

const hasher = nodeHasher;

describe('readHashTile', async () => {
  const tree = new MemoryMerkleTree(hasher);
  for (let i = 0; i < 70_000; i++) tree.append(uniqueLeafHash(hasher, i, 11));

  it('refuses levels, indices and widths outside the spec, and a reader that misbehaves, as caller bugs', async () => {
    await expect(readHashTile(tree, -1, 0, 1)).rejects.toThrow(TypeError);
    await expect(readHashTile(tree, 64, 0, 1)).rejects.toThrow(TypeError);
    await expect(readHashTile(tree, 0, -1, 1)).rejects.toThrow(TypeError);
    await expect(readHashTile(tree, 0, 2 ** 50, 1)).rejects.toThrow(TypeError);
    await expect(readHashTile(tree, 0, 0, 0)).rejects.toThrow(TypeError);
    await expect(readHashTile(tree, 0, 0, 257)).rejects.toThrow(TypeError);
    await expect(readHashTile({ node: async () => new Uint8Array(1) }, 0, 0, 2)).rejects.toThrow(TypeError);
    await expect(
      readHashTile({ node: async () => new Uint8Array(32), nodes: async () => [] }, 0, 0, 2),
    ).rejects.toThrow(TypeError);
    // A node the tree does not have yet: the reader's own error.
    await expect(readHashTile(tree, 0, 273, 113)).rejects.toThrow(RangeError);
  });

  it('concatenates the hashes of tree level 8·L, nodes N·256 … N·256 + W − 1', async () => {
    for (const [level, index, width] of [
      [0, 0, 256],
      [0, 273, 112],
      [1, 0, 256],
      [1, 1, 17],
      [2, 0, 1],
    ] as const) {
      const tile = await readHashTile(tree, level, index, width);
      expect(tile.length).toBe(32 * width);
      for (const i of [0, width >> 1, width - 1]) {
        expect(hex(tile.subarray(32 * i, 32 * (i + 1)))).toBe(hex(tree.nodeSync(8 * level, index * 256 + i)));
      }
    }
  });

  it('reads the row in one call when the reader can, and node by node otherwise', async () => {
    const rowCalls: Array<[number, number, number]> = [];
    let nodeCalls = 0;
    const batched = {
      node: async () => {
        nodeCalls++;
        return new Uint8Array(32);
      },
      nodes: (level: number, start: number, end: number) => {
        rowCalls.push([level, start, end]);
        return tree.nodes(level, start, end);
      },
    };
    const viaRow = await readHashTile(batched, 1, 1, 17);
    expect(rowCalls).toEqual([[8, 256, 273]]);
    expect(nodeCalls).toBe(0);
    const viaNodes = await readHashTile({ node: (level, index) => tree.node(level, index) }, 1, 1, 17);
    expect(hex(viaNodes)).toBe(hex(viaRow));
  });
});
