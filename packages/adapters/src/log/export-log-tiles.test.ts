import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeEntryBundle,
  formatCheckpoint,
  type Hasher,
  hashLeaf,
  isTriesteError,
  MemoryMerkleTree,
  type Stores,
  signNote,
  utf8Encode,
} from '@trieste/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';
import { exportLogTiles } from './export-log-tiles.js';

const crypto = nodeCrypto();
const hasher: Hasher = { sha256: (data) => new Uint8Array(crypto.sha256(data)) };
const ORIGIN = 'trieste.test/log';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isTriesteError(e) ? e.code : `uncoded: ${String(e)}`),
  );
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('exportLogTiles', () => {
  let dir: string;
  let stores: Stores;
  let reference: MemoryMerkleTree;
  let entries: Uint8Array[];

  async function grow(count: number): Promise<string> {
    for (let i = 0; i < count; i++) {
      const entry = utf8Encode(`entry ${entries.length}`);
      entries.push(entry);
      reference.append(hashLeaf(hasher, entry));
      await stores.log.append(entry);
    }
    const { size, rootHash } = await stores.log.sequence(hasher);
    const text = formatCheckpoint({ origin: ORIGIN, size, rootHash });
    return signNote(text, [{ name: ORIGIN, signer: await stores.log.signer() }], hasher);
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trieste-tiles-'));
    stores = createMemoryStores();
    reference = new MemoryMerkleTree(hasher);
    entries = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the checkpoint, every hash tile and entry bundle of its size (c2sp.org/tlog-tiles)', async () => {
    const note = await grow(600);
    expect(await exportLogTiles(stores.log, dir, { checkpointNote: note })).toEqual({
      size: 600,
      written: 8,
      kept: 0,
    });
    expect(await filesUnder(dir)).toEqual([
      'checkpoint',
      'tile/0/000',
      'tile/0/001',
      'tile/0/002.p/88',
      'tile/1/000.p/2',
      'tile/entries/000',
      'tile/entries/001',
      'tile/entries/002.p/88',
    ]);
    expect(await readFile(join(dir, 'checkpoint'), 'utf8')).toBe(note);
    const tile = (level: number, start: number, end: number) =>
      Buffer.concat(Array.from({ length: end - start }, (_, i) => reference.nodeSync(level, start + i)));
    expect(await readFile(join(dir, 'tile/0/001'))).toEqual(tile(0, 256, 512));
    expect(await readFile(join(dir, 'tile/0/002.p/88'))).toEqual(tile(0, 512, 600));
    expect(await readFile(join(dir, 'tile/1/000.p/2'))).toEqual(tile(8, 0, 2));
    const bundle = decodeEntryBundle(new Uint8Array(await readFile(join(dir, 'tile/entries/002.p/88'))), 88);
    expect(bundle).toEqual(entries.slice(512, 600));
  });

  it('never rewrites a full tile, rewrites partial ones, and leaves no temporary file', async () => {
    const first = await grow(300);
    await exportLogTiles(stores.log, dir, { checkpointNote: first });
    const full = join(dir, 'tile/0/000');
    const before = await stat(full);
    expect(await exportLogTiles(stores.log, dir, { checkpointNote: first })).toEqual({
      size: 300,
      written: 4,
      kept: 2,
    });
    const second = await grow(300);
    const result = await exportLogTiles(stores.log, dir, { checkpointNote: second });
    expect(result).toMatchObject({ size: 600, kept: 2 });
    const after = await stat(full);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    const files = await filesUnder(dir);
    expect(files).toContain('tile/0/001');
    expect(files).toContain('tile/0/001.p/44');
    expect(files).toContain('tile/0/002.p/88');
    expect(files.some((f) => f.includes('.tmp-'))).toBe(false);
    expect(await readFile(join(dir, 'checkpoint'), 'utf8')).toBe(second);
    // A full tile on disk is trusted as written: what is there stays (the export never rewrites it).
    await writeFile(full, 'kept as is');
    await exportLogTiles(stores.log, dir, { checkpointNote: second });
    expect(await readFile(full, 'utf8')).toBe('kept as is');
  });

  it('refuses a checkpoint that does not describe the stored tree, writing nothing', async () => {
    const note = await grow(10);
    const signer = await stores.log.signer();
    const sign = (size: number, rootHash: Uint8Array) =>
      signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash }), [{ name: ORIGIN, signer }], hasher);
    const ahead = await sign(11, reference.root());
    const wrongRoot = await sign(9, reference.root());
    expect(await codeOf(exportLogTiles(stores.log, dir, { checkpointNote: ahead }))).toBe('LOG_INCONSISTENT');
    expect(await codeOf(exportLogTiles(stores.log, dir, { checkpointNote: wrongRoot }))).toBe(
      'LOG_INCONSISTENT',
    );
    expect(await codeOf(exportLogTiles(stores.log, dir, { checkpointNote: note.split('\n\n')[0]! }))).toBe(
      'LOG_NOTE_MALFORMED',
    );
    expect(await filesUnder(dir)).toEqual([]);
    await expect(exportLogTiles(stores.log, '', { checkpointNote: note })).rejects.toThrow(TypeError);
  });
});
