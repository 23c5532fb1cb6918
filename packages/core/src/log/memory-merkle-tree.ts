import type { Hasher, MerkleNodeReader } from '../ports.js';
import { emptyRoot, hashChildren } from './merkle-hash.js';
import { assertCount, assertHash, completeSubtrees, HASH_SIZE } from './tree-math.js';

interface Level {
  bytes: Uint8Array;
  count: number;
}

/**
 * An append-only RFC 9162 Merkle tree held in memory that stores every complete subtree hash, so
 * it answers MerkleNodeReader (and the batched `nodes` read of TransparencyLogStore) like a log's
 * storage does. Used by tests, by the browser, and as the reference the adapters' storage is held
 * to. Each level is one growing byte array (32 bytes a node), not an object per node; hashes handed
 * out are copies, so no caller can alter the tree.
 */
export class MemoryMerkleTree implements MerkleNodeReader {
  readonly #hasher: Hasher;
  readonly #levels: Level[] = [];
  #size = 0;
  #root: { size: number; hash: Uint8Array } | undefined;

  constructor(hasher: Hasher) {
    this.#hasher = hasher;
  }

  get size(): number {
    return this.#size;
  }

  /** Appends a leaf hash (RFC 9162 §2.1.1 HASH(0x00 || entry)); returns its index. */
  append(leafHash: Uint8Array): number {
    assertHash(leafHash, 'leaf hash');
    const leafIndex = this.#size;
    this.#push(0, leafHash);
    // Appending leaf i completes the node above it for as long as it is a right child (i odd).
    let hash = leafHash;
    let index = leafIndex;
    for (let level = 0; index % 2 === 1; level++) {
      hash = hashChildren(this.#hasher, this.#view(level, index - 1), hash);
      index = (index - 1) / 2;
      this.#push(level + 1, hash);
    }
    this.#size = leafIndex + 1;
    return leafIndex;
  }

  /** The root of the first `size` leaves (default: all), from at most log2(size) stored nodes. */
  root(size: number = this.#size): Uint8Array {
    assertCount(size, 'tree size');
    if (size > this.#size) throw new RangeError('tree size is beyond the tree');
    if (size === 0) return emptyRoot(this.#hasher);
    if (this.#root?.size === size) return this.#root.hash.slice();
    const subtrees = completeSubtrees(0, size);
    let { level, index } = subtrees[subtrees.length - 1]!;
    let hash = this.#view(level, index);
    for (let i = subtrees.length - 2; i >= 0; i--) {
      ({ level, index } = subtrees[i]!);
      hash = hashChildren(this.#hasher, this.#view(level, index), hash);
    }
    hash = hash.slice();
    this.#root = { size, hash };
    return hash.slice();
  }

  /** The hash of complete subtree (level, index); a RangeError for one not (yet) complete. */
  nodeSync(level: number, index: number): Uint8Array {
    return this.#view(level, index).slice();
  }

  async node(level: number, index: number): Promise<Uint8Array> {
    return this.nodeSync(level, index);
  }

  /** Node hashes (level, index) for index in [start, end), as TransparencyLogStore.nodes. */
  async nodes(level: number, start: number, end: number): Promise<Uint8Array[]> {
    assertCount(start, 'start');
    assertCount(end, 'end', start);
    const out: Uint8Array[] = [];
    for (let index = start; index < end; index++) out.push(this.nodeSync(level, index));
    return out;
  }

  #view(level: number, index: number): Uint8Array {
    assertCount(level, 'level');
    assertCount(index, 'index');
    const stored = this.#levels[level];
    if (stored === undefined || index >= stored.count) throw new RangeError('no such complete node');
    return stored.bytes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  #push(level: number, hash: Uint8Array): void {
    let stored = this.#levels[level];
    if (stored === undefined) {
      stored = { bytes: new Uint8Array(64 * HASH_SIZE), count: 0 };
      this.#levels[level] = stored;
    }
    if ((stored.count + 1) * HASH_SIZE > stored.bytes.length) {
      const grown = new Uint8Array(stored.bytes.length * 2);
      grown.set(stored.bytes);
      stored.bytes = grown;
    }
    stored.bytes.set(hash, stored.count * HASH_SIZE);
    stored.count++;
  }
}
