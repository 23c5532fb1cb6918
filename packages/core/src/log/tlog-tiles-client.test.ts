// Can another tool read our tiles? The log side below publishes a tree with our functions; the
// client side is written from c2sp.org/tlog-tiles and RFC 6962 §2.1 alone, with node:crypto and
// none of our tree, proof or tile code, and must find the same roots and prove entries from it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEntryBundle } from './decode-entry-bundle.js';
import { encodeEntryBundle } from './encode-entry-bundle.js';
import { entryBundlePath, tilePath } from './format-tile-path.js';
import { tilesForTreeSize } from './list-tiles.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { nodeHasher } from './merkle.test-util.js';
import { hashLeaf } from './merkle-hash.js';
import { parseTilePath } from './parse-tile-path.js';
import { readHashTile } from './read-hash-tile.js';

// ---- The independent client: spec text only. ----------------------------------------------------

const sha256 = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (entry: Uint8Array) => sha256(Buffer.from([0]), entry); // RFC 6962 §2.1
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.from([1]), left, right);

/** "<N> … zero-padded 3-digit path elements. All but the last path element MUST begin with an x." */
function specIndex(n: number): string {
  const parts: string[] = [];
  do {
    parts.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return parts.map((part, i) => (i < parts.length - 1 ? `x${part}` : part)).join('/');
}

function specClient(fetch: (path: string) => Uint8Array, size: number) {
  // "The partial tile at level l for a tree of size s has floor(s / 256**l) mod 256 entries."
  const width = (level: number, n: number) => Math.min(256, Math.floor(size / 256 ** level) - n * 256);
  const suffix = (w: number) => (w === 256 ? '' : `.p/${w}`);

  function hashTile(level: number, n: number): Buffer {
    const w = width(level, n);
    const bytes = Buffer.from(fetch(`tile/${level}/${specIndex(n)}${suffix(w)}`));
    expect(bytes.length).toBe(32 * w); // "Full tiles MUST be exactly 256 hashes wide"
    return bytes;
  }

  /** The complete subtree of height h, number i: from the tile of level ⌊h/8⌋, hashed up. */
  function subtree(h: number, i: number): Buffer {
    const level = Math.floor(h / 8);
    const span = 2 ** (h - 8 * level);
    const first = i * span;
    const tile = hashTile(level, Math.floor(first / 256));
    let row: Buffer[] = [];
    for (let j = first % 256; j < (first % 256) + span; j++) row.push(tile.subarray(32 * j, 32 * (j + 1)));
    while (row.length > 1) {
      const up: Buffer[] = [];
      for (let j = 0; j < row.length; j += 2) up.push(nodeHash(row[j]!, row[j + 1]!));
      row = up;
    }
    return row[0]!;
  }

  /** MTH(D[start:end]), RFC 6962 §2.1, from the tiles. */
  function mth(start: number, end: number): Buffer {
    const n = end - start;
    const h = Math.log2(n);
    if (Number.isInteger(h) && start % n === 0) return subtree(h, start / n);
    let k = 1;
    while (k * 2 < n) k *= 2;
    return nodeHash(mth(start, start + k), mth(start + k, end));
  }

  function entry(i: number): Buffer {
    const n = Math.floor(i / 256);
    const w = Math.min(256, size - n * 256);
    const bundle = Buffer.from(fetch(`tile/entries/${specIndex(n)}${suffix(w)}`));
    // "sequences of big-endian uint16 length-prefixed log entries"
    let at = 0;
    for (let j = 0; j < i % 256; j++) at += 2 + bundle.readUInt16BE(at);
    return bundle.subarray(at + 2, at + 2 + bundle.readUInt16BE(at));
  }

  /** The root, recomputed from entry i and the sibling subtrees on its path (RFC 6962 §2.1.1). */
  function rootThroughEntry(i: number, start = 0, end = size): Buffer {
    if (end - start === 1) return leafHash(entry(i));
    let k = 1;
    while (k * 2 < end - start) k *= 2;
    return i < start + k
      ? nodeHash(rootThroughEntry(i, start, start + k), mth(start + k, end))
      : nodeHash(mth(start, start + k), rootThroughEntry(i, start + k, end));
  }

  return { root: () => mth(0, size), entry, rootThroughEntry };
}

// ---- The log: our code. -----------------------------------------------------------------------------

describe('tiles and entry bundles written by Trieste, read by a client written from the spec alone', async () => {
  const checkpoints = [1, 2, 255, 256, 257, 1000, 65_535, 65_536, 65_537, 70_000];
  const entries = Array.from({ length: 70_000 }, (_, i) =>
    new TextEncoder().encode(`entry ${i} `.repeat(1 + (i % 5))),
  );
  const tree = new MemoryMerkleTree(nodeHasher);
  for (const entry of entries) tree.append(hashLeaf(nodeHasher, entry));

  const published = new Map<string, Uint8Array>();
  let previous = 0;
  for (const size of checkpoints) {
    for (const { level, index, width } of tilesForTreeSize(size, previous)) {
      published.set(tilePath(level, index, width), await readHashTile(tree, level, index, width));
      if (level === 0) {
        published.set(
          entryBundlePath(index, width),
          encodeEntryBundle(entries.slice(index * 256, index * 256 + width)),
        );
      }
    }
    previous = size;
  }
  const fetched = new Set<string>();
  const fetch = (path: string): Uint8Array => {
    const bytes = published.get(path);
    if (bytes === undefined) throw new Error(`the log did not publish ${path}`);
    fetched.add(path);
    return bytes;
  };

  it.each(checkpoints)('finds the root of size %i from the tiles the spec names', (size) => {
    expect(specClient(fetch, size).root().toString('hex')).toBe(Buffer.from(tree.root(size)).toString('hex'));
  });

  it.each(checkpoints)('proves entries of size %i from their bundle and the tiles', (size) => {
    const client = specClient(fetch, size);
    const root = Buffer.from(tree.root(size)).toString('hex');
    for (const i of new Set([0, size >> 1, Math.max(0, size - 257), size - 1])) {
      expect(client.entry(i)).toEqual(Buffer.from(entries[i]!));
      expect(client.rootThroughEntry(i).toString('hex'), `entry ${i}`).toBe(root);
    }
  });

  it('publishes paths that parse back and bundles that decode; every upper-level tile served a client', () => {
    for (const [path, bytes] of published) {
      const parsed = parseTilePath(path);
      if (parsed.kind === 'entries') expect(decodeEntryBundle(bytes, parsed.width).length).toBe(parsed.width);
      else expect(bytes.length).toBe(32 * parsed.width);
    }
    // Runs after the cases above (tests in a file run in order): no level ≥ 1 tile went unused.
    const upper = [...published.keys()].filter((path) => /^tile\/[1-9]/.test(path));
    expect(upper.length).toBeGreaterThan(5);
    expect(upper.filter((path) => !fetched.has(path))).toEqual([]);
  });
});
