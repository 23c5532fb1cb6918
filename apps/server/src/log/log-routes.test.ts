import { generatePrivateJwk, nodeCrypto, nodeSigner } from '@trieste/adapters';
import {
  cosignCheckpoint,
  decodeEntryBundle,
  hashLeaf,
  logVerifierKey,
  MemoryMerkleTree,
  parseNote,
  publishCheckpoint,
  readHashTile,
  signerVerifierKey,
  utf8Encode,
  verifyCheckpoint,
} from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, type TestApp, testApp } from '../app.test-util.js';

const crypto = nodeCrypto();
const hasher = { sha256: (data: Uint8Array) => new Uint8Array(crypto.sha256(data)) };

let t: TestApp;
/** Every entry of the log, in order, and the same tree built independently in memory. */
let entries: Uint8Array[];
let tree: MemoryMerkleTree;

// 600 entries besides the ones issuance logged: two full level-0 tiles, a partial third, a partial
// level-1 tile.
beforeAll(async () => {
  t = await testApp();
  for (let i = 0; i < 600; i++) await t.stores.log.append(utf8Encode(`entry ${i}`));
  await publishCheckpoint(t.log);
  const { size } = await t.stores.log.state();
  entries = await t.stores.log.entries(0, size);
  tree = new MemoryMerkleTree(hasher);
  for (const entry of entries) tree.append(hashLeaf(hasher, entry));
});

afterAll(() => t.app.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const bytes = (body: Buffer) => new Uint8Array(body);

describe('GET /log/checkpoint and /log/vkey', () => {
  it('serves a checkpoint that verifies with the served vkey and names the tree we rebuilt', async () => {
    const vkey = (await get('/log/vkey')).body.trim();
    expect(vkey).toBe(await logVerifierKey(t.log));
    const response = await get('/log/checkpoint');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    const verified = await verifyCheckpoint(response.body, { logKey: vkey }, { crypto });
    expect(verified.checkpoint.origin).toBe(ORIGIN);
    expect(verified.checkpoint.size).toBe(tree.size);
    expect(verified.checkpoint.rootHash).toEqual(tree.root());
  });

  it("carries a configured witness's cosignature once posted, and refuses a stranger's (403)", async () => {
    const witness = { name: 'witness.example/w1', signer: nodeSigner(generatePrivateJwk('EdDSA')) };
    const stranger = { name: 'stranger.example/w', signer: nodeSigner(generatePrivateJwk('EdDSA')) };
    const witnessKey = signerVerifierKey(hasher, witness.name, witness.signer, 'cosignature');
    await t.stores.log.addWitness({ name: witness.name, vkey: witnessKey });
    const text = parseNote((await get('/log/checkpoint')).body).text;
    const now = Math.floor(t.clock.now());
    const post = (line: string) =>
      t.app.inject({
        method: 'POST',
        url: '/log/cosignature',
        headers: { 'content-type': 'text/plain' },
        payload: line,
      });

    const refused = await post(await cosignCheckpoint(text, stranger, now, hasher));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('LOG_NOTE_UNVERIFIED');

    const accepted = await post(await cosignCheckpoint(text, witness, now, hasher));
    expect(accepted.statusCode).toBe(200);
    const served = (await get('/log/checkpoint')).body;
    const verified = await verifyCheckpoint(
      served,
      { logKey: await logVerifierKey(t.log), witnesses: [witnessKey], quorum: 1, now },
      { crypto },
    );
    expect(verified.cosignedBy).toEqual([witness.name]);
  });
});

describe('GET /log/tile/…', () => {
  it('serves full hash tiles equal to an independent tree, immutable in caches', async () => {
    for (const index of [0, 1]) {
      const response = await get(`/log/tile/0/00${index}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(bytes(response.rawPayload)).toEqual(await readHashTile(tree, 0, index, 256));
    }
  });

  it('serves partial tiles of every width up to the tree, briefly cached, and 404 beyond it', async () => {
    const size = tree.size;
    const width = size - 512;
    const partial = await get(`/log/tile/0/002.p/${width}`);
    expect(partial.statusCode).toBe(200);
    expect(partial.headers['cache-control']).toBe('public, max-age=60');
    expect(bytes(partial.rawPayload)).toEqual(await readHashTile(tree, 0, 2, width));
    expect(bytes((await get('/log/tile/0/002.p/1')).rawPayload)).toEqual(await readHashTile(tree, 0, 2, 1));
    const level1 = await get('/log/tile/1/000.p/2');
    expect(bytes(level1.rawPayload)).toEqual(await readHashTile(tree, 1, 0, 2));
    for (const path of [
      `0/002.p/${width + 1}`,
      '0/002',
      '0/003.p/1',
      '1/000',
      '1/000.p/3',
      '2/000.p/1',
      '0/x999/999',
    ]) {
      const response = await get(`/log/tile/${path}`);
      expect(response.statusCode, path).toBe(404);
      expect(response.json().error).toBe('NOT_FOUND');
    }
  });

  it('serves entry bundles holding exactly the logged entries', async () => {
    const full = await get('/log/tile/entries/001');
    expect(full.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(decodeEntryBundle(bytes(full.rawPayload), 256)).toEqual(entries.slice(256, 512));
    const width = tree.size - 512;
    const partial = await get(`/log/tile/entries/002.p/${width}`);
    expect(decodeEntryBundle(bytes(partial.rawPayload), width)).toEqual(entries.slice(512));
    expect((await get(`/log/tile/entries/002.p/${width + 1}`)).statusCode).toBe(404);
  });

  it('refuses every non-canonical spelling of a tile as MALFORMED (400)', async () => {
    for (const path of [
      '0/0',
      '0/0000',
      '0/x000/001',
      '00/000',
      '0/000.p/256',
      '0/000.p/0',
      '64/000',
      'entries/000.p/01',
      'x/000',
      '0/000/',
    ]) {
      const response = await get(`/log/tile/${path}`);
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error, path).toBe('MALFORMED');
    }
  });
});
