// The log as any tlog-tiles client sees it: `trieste log serve-dir` writes files, and a client
// written here from the C2SP specs alone (node:crypto, no Trieste code) reads them back, checks
// the checkpoint's signature with the published verifier key, rebuilds the tree from the hash
// tiles and checks every entry bundle against them (c2sp.org/tlog-tiles, signed-note,
// tlog-checkpoint; RFC 6962 §2.1 hashing).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateMasterKeyFile, migrateDatabase, openDatabase, openStores } from '@trieste/adapters';
import { encodeLogEntry } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};
const leafHash = (entry: Uint8Array) => sha256(Uint8Array.of(0), entry);
const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

/** RFC 6962 §2.1 MTH over leaf hashes: split at the largest power of two below n. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** tlog-tiles §Hash tiles: N as groups of three digits, all but the last prefixed with x. */
function tileIndex(n: number): string {
  const digits = String(n).padStart(3, '0');
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3)
    groups.unshift(digits.slice(Math.max(0, end - 3), end).padStart(3, '0'));
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function tilePathFor(prefix: string, n: number, width: number): string {
  return width === 256 ? `${prefix}/${tileIndex(n)}` : `${prefix}/${tileIndex(n)}.p/${width}`;
}

describe('a tlog-tiles client written from the specs reads the log trieste serves', () => {
  let dir: string;
  let www: string;
  let vkey: string;
  const ENTRIES = 600; // two full level-0 tiles, a partial one, and a partial level-1 tile

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-tiles-'));
    www = join(dir, 'www');
    const run = cli({ TRIESTE_DATA_DIR: join(dir, 'data') });
    expect((await run(['init'])).status).toBe(0);
    // Fill the log through the stores (a CLI call per entry would take minutes).
    const database = await openDatabase({ dataDir: join(dir, 'data', 'pg') });
    await migrateDatabase(database);
    const stores = await openStores({
      database,
      masterKey: await loadOrCreateMasterKeyFile(join(dir, 'data', 'master.key')),
    });
    await stores.transaction(async (tx) => {
      for (let i = 0; i < ENTRIES; i++)
        await tx.log.append(encodeLogEntry('operator/note', { note: `entry ${i}` }));
    });
    await stores.close();
    vkey = (await run(['log', 'vkey'])).stdout;
    const served = await run(['log', 'serve-dir', www]);
    expect(served.status, served.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the checkpoint, rebuilds its root from the tiles, and finds every entry in the bundles', () => {
    // signed-note: text, blank line, "— name base64(keyhash || sig)" lines; vkey name+hex+base64(0x01 || key).
    const note = readFileSync(join(www, 'checkpoint'), 'utf8');
    const split = note.lastIndexOf('\n\n');
    const text = note.slice(0, split + 1);
    // name+hash+base64: the base64 part may itself contain '+', so split at the first two only.
    const first = vkey.indexOf('+');
    const second = vkey.indexOf('+', first + 1);
    const [name, keyHashHex, keyB64] = [
      vkey.slice(0, first),
      vkey.slice(first + 1, second),
      vkey.slice(second + 1),
    ];
    const keyBytes = Buffer.from(keyB64!, 'base64');
    expect(keyBytes[0]).toBe(1);
    const expectedKeyHash = sha256(Buffer.from(`${name}\n`), keyBytes).subarray(0, 4);
    expect(Buffer.from(expectedKeyHash).toString('hex')).toBe(keyHashHex);
    const line = note
      .slice(split + 2)
      .split('\n')
      .find((l) => l.startsWith(`— ${name} `))!;
    const sig = Buffer.from(line.split(' ')[2]!, 'base64');
    expect(Buffer.from(sig.subarray(0, 4)).toString('hex')).toBe(keyHashHex);
    const publicKey = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), keyBytes.subarray(1)]),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, Buffer.from(text), publicKey, sig.subarray(4))).toBe(true);

    // tlog-checkpoint: origin, size, base64 root.
    const [origin, sizeLine, rootB64] = text.split('\n');
    expect(origin).toBe(name);
    const size = Number(sizeLine);
    expect(size).toBeGreaterThanOrEqual(ENTRIES);

    // Level-0 tiles hold the leaf hashes, 256 per full tile, the last one partial.
    const leaves: Uint8Array[] = [];
    for (let n = 0; n * 256 < size; n++) {
      const width = Math.min(256, size - n * 256);
      const tile = readFileSync(join(www, 'tile', tilePathFor('0', n, width)));
      expect(tile.length).toBe(width * 32);
      for (let i = 0; i < width; i++) leaves.push(new Uint8Array(tile.subarray(i * 32, i * 32 + 32)));
    }
    expect(Buffer.from(mth(leaves)).toString('base64')).toBe(rootB64);

    // Level-1 tiles hold the roots of each full group of 256 leaves.
    const full = Math.floor(size / 256);
    const level1 = readFileSync(join(www, 'tile', tilePathFor('1', 0, full)));
    for (let i = 0; i < full; i++) {
      expect(
        Buffer.from(level1.subarray(i * 32, i * 32 + 32)).equals(
          Buffer.from(mth(leaves.slice(i * 256, i * 256 + 256))),
        ),
      ).toBe(true);
    }

    // Entry bundles: 2-byte big-endian length, then the entry; each hashes to its leaf.
    let index = 0;
    for (let n = 0; n * 256 < size; n++) {
      const width = Math.min(256, size - n * 256);
      const bundle = readFileSync(join(www, 'tile', tilePathFor('entries', n, width)));
      for (let offset = 0; offset < bundle.length; index++) {
        const length = bundle.readUInt16BE(offset);
        const entry = bundle.subarray(offset + 2, offset + 2 + length);
        expect(Buffer.from(leafHash(entry)).equals(Buffer.from(leaves[index]!))).toBe(true);
        offset += 2 + length;
      }
    }
    expect(index).toBe(size);
    expect(existsSync(join(www, 'tile', tilePathFor('0', 0, 256)))).toBe(true);
  });
});
