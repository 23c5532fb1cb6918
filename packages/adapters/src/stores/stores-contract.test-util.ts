import {
  base64urlDecode,
  type Clock,
  emptyRoot,
  formatCheckpoint,
  type Hasher,
  hashLeaf,
  isTriesteError,
  MemoryMerkleTree,
  type PresentationOutcome,
  type PresentationRequestRecord,
  type RandomSource,
  rootFromLeafHashes,
  type Signer,
  type Stores,
  signNote,
  utf8Decode,
  utf8Encode,
} from '@trieste/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../crypto/node-crypto.js';
import { isAdapterError } from '../errors.js';
import {
  deriveIssuerKeyEncryptionKey,
  deriveLogKeyEncryptionKey,
  generateMasterKey,
  type MasterKey,
} from '../keys/master-key.js';
import { openSealedPrivateKey, type SealedPrivateKey } from '../keys/seal-private-key.js';
import type { StatusListOptions } from './status-list-options.js';

/** What one implementation of the stores gives the contract suite. */
export interface StoresHarness {
  /** Once per test file (create the database, migrate). */
  setup(): Promise<void>;
  /** Once per test file. */
  teardown(): Promise<void>;
  /** Before each test: empty the data. */
  reset(): Promise<void>;
  /** Stores over the harness's one data set; `close()` of these stores leaves the data set open. */
  open(options: { masterKey: MasterKey; clock: Clock; statusLists?: StatusListOptions }): Promise<Stores>;
  /** The issuer key as stored (a database row as text, or its memory dump) and its sealed part. */
  rawIssuerKey(kid: string): Promise<{ text: string; sealed: SealedPrivateKey }>;
  /** The log key as stored, like `rawIssuerKey`. */
  rawLogKey(): Promise<{ kid: string; text: string; sealed: SealedPrivateKey }>;
  /** A presentation request as stored (its database row or memory entry), as text. */
  rawPresentationRequest(id: string): Promise<string>;
  /** SQL implementations: runs a statement directly, to check what the schema itself refuses. */
  sql?(text: string, params?: unknown[]): Promise<unknown[]>;
}

const crypto = nodeCrypto();
const random: RandomSource = crypto;
// Plain Uint8Arrays (node:crypto gives Buffers), so hashes compare equal to what the stores return.
const hasher: Hasher = { sha256: (data) => new Uint8Array(crypto.sha256(data)) };

function codeOf(error: unknown): string | undefined {
  return isTriesteError(error) || isAdapterError(error) ? error.code : undefined;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a rejection with ${code}`).toBeDefined();
  expect(codeOf(error)).toBe(code);
}

const ORIGIN = 'trieste.test/log';

/** A signed checkpoint note (c2sp.org/tlog-checkpoint) of the tree of `size` leaves and `rootHash`. */
function checkpointNote(size: number, rootHash: Uint8Array, signer: Signer): Promise<string> {
  return signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash }), [{ name: ORIGIN, signer }], hasher);
}

const text = (bytes: Uint8Array) => utf8Decode(bytes);

/** The one contract suite every Stores implementation is held to (STYLE.md habit 12). */
export function describeStoresContract(name: string, harness: StoresHarness): void {
  describe(`Stores contract: ${name}`, () => {
    const masterKey = generateMasterKey();
    let now = 1_750_000_000;
    const clock: Clock = { now: () => now };
    let stores: Stores;
    const open = (statusLists?: StatusListOptions) => harness.open({ masterKey, clock, statusLists });

    beforeAll(() => harness.setup());
    afterAll(() => harness.teardown());
    beforeEach(async () => {
      await harness.reset();
      now = 1_750_000_000;
      stores = await open();
    });

    describe('issuer keys', () => {
      it('refuses to sign when there is no key, or the kid is unknown', async () => {
        await rejectsWithCode(stores.keys.signer(), 'ISSUER_UNKNOWN');
        await rejectsWithCode(stores.keys.signer('no-such-kid'), 'ISSUER_UNKNOWN');
      });

      it('creates an active first key that signs verifiably, for ES256 and EdDSA', async () => {
        for (const alg of ['ES256', 'EdDSA'] as const) {
          await harness.reset();
          stores = await open();
          const record = await stores.keys.create(alg);
          expect(record).toMatchObject({ alg, state: 'active', createdAt: now });
          expect(record.retiredAt).toBeUndefined();
          const signer = await stores.keys.signer();
          expect(signer.kid).toBe(record.kid);
          expect(signer.publicJwk).toEqual(record.publicJwk);
          const data = utf8Encode(`signing input ${alg}`);
          const signature = await signer.sign(data);
          expect(await crypto.verify(alg, record.publicJwk, data, signature)).toBe(true);
          expect(await crypto.verify(alg, record.publicJwk, utf8Encode('other'), signature)).toBe(false);
          expect((await stores.keys.signer(record.kid)).kid).toBe(record.kid);
        }
      });

      it('never returns private key material from list or get', async () => {
        const record = await stores.keys.create('ES256');
        const outputs = JSON.stringify([record, await stores.keys.list(), await stores.keys.get(record.kid)]);
        expect(outputs).not.toMatch(/"d"/);
        expect(Object.keys(record.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
      });

      it('stores the private key only encrypted: the raw record holds no form of d', async () => {
        for (const alg of ['ES256', 'EdDSA'] as const) {
          const record = await stores.keys.create(alg, { activate: true });
          const raw = await harness.rawIssuerKey(record.kid);
          expect(raw.text).toContain(record.kid);
          // Open the sealed key as custody would, to learn d, then look for it in every form.
          const jwk = openSealedPrivateKey(deriveIssuerKeyEncryptionKey(masterKey), record.kid, raw.sealed);
          expect(jwk.x).toBe(record.publicJwk.x);
          for (const form of secretForms(jwk.d)) expect(raw.text).not.toContain(form);
          expect(raw.text).not.toMatch(/\\?"d\\?"\s*:/);
          expect(Buffer.from(raw.sealed.ciphertext).includes(Buffer.from(base64urlDecode(jwk.d)))).toBe(
            false,
          );
        }
      });

      it('rotate creates one active key of the same alg and retires the others, which stay listed', async () => {
        const first = await stores.keys.create('EdDSA');
        now += 10;
        const { created, retired } = await stores.keys.rotate();
        expect(created.alg).toBe('EdDSA');
        expect(created.state).toBe('active');
        expect(retired).toEqual([{ ...first, state: 'retired', retiredAt: now }]);
        const listed = await stores.keys.list();
        expect(listed.map((k) => [k.kid, k.state])).toEqual([
          [first.kid, 'retired'],
          [created.kid, 'active'],
        ]);
        expect((await stores.keys.signer()).kid).toBe(created.kid);
        await rejectsWithCode(stores.keys.signer(first.kid), 'ISSUER_UNKNOWN');
        const switched = await stores.keys.rotate('ES256');
        expect(switched.created.alg).toBe('ES256');
        expect(switched.retired.map((k) => k.kid)).toEqual([created.kid]);
      });

      it('create({ activate: true }) retires the active key; create() beside an active key makes it pending', async () => {
        const first = await stores.keys.create('ES256');
        const idle = await stores.keys.create('ES256');
        expect(idle.state).toBe('pending');
        expect((await stores.keys.signer()).kid).toBe(first.kid);
        await rejectsWithCode(stores.keys.signer(idle.kid), 'ISSUER_UNKNOWN');
        const next = await stores.keys.create('EdDSA', { activate: true });
        expect(next.state).toBe('active');
        expect((await stores.keys.get(first.kid))?.state).toBe('retired');
        expect((await stores.keys.list()).filter((k) => k.state === 'active')).toHaveLength(1);
      });

      it('activates a pending key, retiring the active one; only a pending key can be activated', async () => {
        const first = await stores.keys.create('ES256');
        const pending = await stores.keys.create('EdDSA');
        const { activated, retired } = await stores.keys.activate(pending.kid);
        expect(activated).toMatchObject({ kid: pending.kid, state: 'active' });
        expect(retired.map((k) => k.kid)).toEqual([first.kid]);
        expect((await stores.keys.signer()).kid).toBe(pending.kid);
        await rejectsWithCode(stores.keys.activate(first.kid), 'ISSUER_UNKNOWN');
        await rejectsWithCode(stores.keys.activate(pending.kid), 'ISSUER_UNKNOWN');
        await rejectsWithCode(stores.keys.activate('no-such-key'), 'ISSUER_UNKNOWN');
        expect((await stores.keys.list()).filter((k) => k.state === 'active')).toHaveLength(1);
      });

      it('leaves exactly one active key after concurrent rotations', async () => {
        await stores.keys.create('ES256');
        await Promise.all(Array.from({ length: 6 }, () => stores.keys.rotate()));
        const keys = await stores.keys.list();
        expect(keys).toHaveLength(7);
        expect(keys.filter((k) => k.state === 'active')).toHaveLength(1);
      });

      it('a wrong master key is a coded error and reveals nothing', async () => {
        await stores.keys.create('ES256');
        const other = await harness.open({ masterKey: generateMasterKey(), clock });
        expect(await other.keys.list()).toHaveLength(1);
        const error = await other.keys.signer().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(codeOf(error)).toBe('MASTER_KEY_INVALID');
        expect(String((error as Error).message)).not.toMatch(/[A-Za-z0-9_-]{40,}/);
        expect(JSON.stringify(masterKey)).toBe('"[MasterKey]"');
      });
    });

    describe('credentials', () => {
      const record = (id: string, listId: string, idx: number, issuedAt: number) => ({
        id,
        vct: 'https://example.gov/vct/pid',
        issuerKid: 'kid-1',
        statusListId: listId,
        statusIndex: idx,
        issuedAt,
      });

      it('inserts, gets and lists records, keeping optional fields absent when unset', async () => {
        const a = await stores.statusLists.allocate(random);
        const b = await stores.statusLists.allocate(random);
        const full = {
          ...record('cred-b', b.listId, b.idx, now + 1),
          holderKeyThumbprint: 'thumb',
          expiresAt: now + 3600,
        };
        await stores.credentials.insert(full);
        await stores.credentials.insert(record('cred-a', a.listId, a.idx, now));
        expect(await stores.credentials.get('cred-b')).toEqual(full);
        const plain = await stores.credentials.get('cred-a');
        expect(plain).toEqual(record('cred-a', a.listId, a.idx, now));
        expect(plain && 'expiresAt' in plain).toBe(false);
        expect(await stores.credentials.get('nope')).toBeUndefined();
        expect((await stores.credentials.list()).map((r) => r.id)).toEqual(['cred-a', 'cred-b']);
        expect((await stores.credentials.list({ limit: 1, offset: 1 })).map((r) => r.id)).toEqual(['cred-b']);
      });

      it('refuses a duplicate id and a second credential on one status entry', async () => {
        const a = await stores.statusLists.allocate(random);
        const b = await stores.statusLists.allocate(random);
        await stores.credentials.insert(record('cred-1', a.listId, a.idx, now));
        await rejectsWithCode(stores.credentials.insert(record('cred-1', b.listId, b.idx, now)), 'DUPLICATE');
        await rejectsWithCode(stores.credentials.insert(record('cred-2', a.listId, a.idx, now)), 'DUPLICATE');
        expect(await stores.credentials.list()).toHaveLength(1);
      });

      it('refuses a record pointing at an unallocated status entry', async () => {
        const a = await stores.statusLists.allocate(random);
        const free = a.idx === 0 ? 1 : 0;
        await rejectsWithCode(
          stores.credentials.insert(record('cred-1', a.listId, free, now)),
          'STATUS_INDEX_OUT_OF_RANGE',
        );
      });

      it('stores credentials without a status entry, both status fields absent', async () => {
        const bare = { id: 'cred-age-1', vct: 'urn:trieste:xa:age:1', issuerKid: 'kid-1', issuedAt: now };
        await stores.credentials.insert(bare);
        await stores.credentials.insert({ ...bare, id: 'cred-age-2', expiresAt: now + 60 });
        const got = await stores.credentials.get('cred-age-1');
        expect(got).toEqual(bare);
        expect(got && ('statusListId' in got || 'statusIndex' in got)).toBe(false);
        expect((await stores.credentials.list()).map((r) => r.id)).toEqual(['cred-age-1', 'cred-age-2']);
        await rejectsWithCode(stores.credentials.insert(bare), 'DUPLICATE');
      });

      it('refuses a malformed record as a caller bug', async () => {
        await expect(stores.credentials.insert({ ...record('', 'l', 0, now) })).rejects.toThrow(TypeError);
        const half = { id: 'cred-half', vct: 'v', issuerKid: 'k', issuedAt: now };
        await expect(stores.credentials.insert({ ...half, statusListId: 'l' })).rejects.toThrow(TypeError);
        await expect(stores.credentials.insert({ ...half, statusIndex: 0 })).rejects.toThrow(TypeError);
        await expect(stores.credentials.list({ limit: -1 })).rejects.toThrow(TypeError);
      });
    });

    describe('status lists', () => {
      it('hands out 200 concurrent allocations without a repeat, spread over the list', async () => {
        const picks = await Promise.all(
          Array.from({ length: 200 }, () => stores.statusLists.allocate(random)),
        );
        const lists = await stores.statusLists.lists();
        expect(lists).toHaveLength(1);
        expect(lists[0]).toMatchObject({ bits: 2, size: 2 ** 17, allocated: 200, revision: 0 });
        expect(new Set(picks.map((p) => `${p.listId}/${p.idx}`)).size).toBe(200);
        const indices = picks.map((p) => p.idx);
        // Not sequential: uniform picks over 2^17 entries land far apart and out of order.
        expect(Math.max(...indices) - Math.min(...indices)).toBeGreaterThan(2 ** 15);
        const ascending = indices.every((idx, i) => i === 0 || idx > indices[i - 1]!);
        expect(ascending).toBe(false);
      });

      it('opens a new list once the current one reaches the fill threshold', async () => {
        const small = await open({ size: 16, fillThreshold: 0.5 });
        const picks = [];
        for (let i = 0; i < 20; i++) picks.push(await small.statusLists.allocate(random));
        const lists = await small.statusLists.lists();
        // The clock is frozen, so lists tie on createdAt and come back in id order: compare as a multiset.
        expect(lists.map((l) => l.allocated).sort()).toEqual([4, 8, 8]);
        expect(new Set(picks.map((p) => `${p.listId}/${p.idx}`)).size).toBe(20);
        for (const pick of picks) expect(pick.idx).toBeLessThan(16);
        const wide = await small.statusLists.allocate(random, { bits: 8, size: 64 });
        expect(await small.statusLists.getList(wide.listId)).toMatchObject({
          bits: 8,
          size: 64,
          allocated: 1,
        });
      });

      it('creates lists on request and validates their shape', async () => {
        const list = await stores.statusLists.createList({ bits: 1, size: 1024 });
        expect(list).toEqual({ id: list.id, bits: 1, size: 1024, allocated: 0, revision: 0, createdAt: now });
        expect(await stores.statusLists.getList(list.id)).toEqual(list);
        expect(await stores.statusLists.getList('no-such-list')).toBeUndefined();
        await expect(stores.statusLists.createList({ bits: 3 as 1, size: 8 })).rejects.toThrow(TypeError);
        await expect(stores.statusLists.createList({ bits: 1, size: 0 })).rejects.toThrow(TypeError);
      });

      it('sets and reads statuses, counting revisions of real changes only', async () => {
        const { listId, idx } = await stores.statusLists.allocate(random);
        expect(await stores.statusLists.getStatus(listId, idx)).toBe(0);
        expect(await stores.statusLists.setStatus(listId, idx, 2)).toEqual({ previous: 0, revision: 1 });
        expect(await stores.statusLists.setStatus(listId, idx, 2)).toEqual({ previous: 2, revision: 1 });
        expect(await stores.statusLists.setStatus(listId, idx, 1)).toEqual({ previous: 2, revision: 2 });
        expect(await stores.statusLists.getStatus(listId, idx)).toBe(1);
        expect((await stores.statusLists.getList(listId))?.revision).toBe(2);
        await expect(stores.statusLists.setStatus(listId, idx, 4)).rejects.toThrow(TypeError);
      });

      it('refuses unallocated indices and unknown lists', async () => {
        const { listId, idx } = await stores.statusLists.allocate(random);
        const free = idx === 0 ? 1 : 0;
        await rejectsWithCode(stores.statusLists.setStatus(listId, free, 1), 'STATUS_INDEX_OUT_OF_RANGE');
        await rejectsWithCode(stores.statusLists.getStatus(listId, free), 'STATUS_INDEX_OUT_OF_RANGE');
        await rejectsWithCode(stores.statusLists.setStatus(listId, -1, 1), 'STATUS_INDEX_OUT_OF_RANGE');
        await rejectsWithCode(stores.statusLists.setStatus(listId, 2 ** 17, 1), 'STATUS_INDEX_OUT_OF_RANGE');
        await rejectsWithCode(
          stores.statusLists.setStatus('no-such-list', idx, 1),
          'STATUS_INDEX_OUT_OF_RANGE',
        );
        await rejectsWithCode(stores.statusLists.getStatus('no-such-list', idx), 'STATUS_INDEX_OUT_OF_RANGE');
        expect((await stores.statusLists.getList(listId))?.revision).toBe(0);
      });

      it('applies 100 concurrent status changes on distinct entries, revision 100', async () => {
        const picks = [];
        for (let i = 0; i < 100; i++) picks.push(await stores.statusLists.allocate(random));
        const listId = picks[0]!.listId;
        const results = await Promise.all(
          picks.map((p, i) => stores.statusLists.setStatus(p.listId, p.idx, 1 + (i % 3))),
        );
        expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
        expect((await stores.statusLists.getList(listId))?.revision).toBe(100);
        for (const [i, p] of picks.entries())
          expect(await stores.statusLists.getStatus(p.listId, p.idx)).toBe(1 + (i % 3));
      });

      it('serializes concurrent changes of one entry: each sees the one before it', async () => {
        const wide = await open({ bits: 8, size: 256 });
        const { listId, idx } = await wide.statusLists.allocate(random);
        const values = Array.from({ length: 20 }, (_, i) => i + 1);
        const results = await Promise.all(values.map((v) => wide.statusLists.setStatus(listId, idx, v)));
        const chain = values
          .map((v, i) => ({ status: v, ...results[i]! }))
          .sort((a, b) => a.revision - b.revision);
        expect(chain.map((c) => c.revision)).toEqual(values);
        expect(chain[0]!.previous).toBe(0);
        for (let i = 1; i < chain.length; i++) expect(chain[i]!.previous).toBe(chain[i - 1]!.status);
        expect(await wide.statusLists.getStatus(listId, idx)).toBe(chain.at(-1)!.status);
      });

      it('never lets an entry leave a final status, even when changes race', async () => {
        const { listId, idx } = await stores.statusLists.allocate(random);
        const final = { final: [1] } as const;
        // A revocation races with suspensions and reinstatements: once INVALID is in, it stays.
        const outcomes = await Promise.allSettled([
          stores.statusLists.setStatus(listId, idx, 2, final),
          stores.statusLists.setStatus(listId, idx, 1, final),
          ...Array.from({ length: 8 }, (_, i) =>
            stores.statusLists.setStatus(listId, idx, i % 2 === 0 ? 0 : 2, final),
          ),
        ]);
        expect(await stores.statusLists.getStatus(listId, idx)).toBe(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected')
            expect(outcome.reason.code).toBe('STATUS_TRANSITION_NOT_ALLOWED');
        }
        await rejectsWithCode(
          stores.statusLists.setStatus(listId, idx, 0, final),
          'STATUS_TRANSITION_NOT_ALLOWED',
        );
        expect(await stores.statusLists.setStatus(listId, idx, 1, final)).toMatchObject({ previous: 1 });
      });

      it('snapshots the list with its non-zero entries in index order', async () => {
        const small = await open({ size: 64, fillThreshold: 0.5 });
        const picks = [];
        for (let i = 0; i < 10; i++) picks.push(await small.statusLists.allocate(random));
        const listId = picks[0]!.listId;
        const changed = picks.slice(0, 4);
        for (const p of changed) await small.statusLists.setStatus(p.listId, p.idx, p.idx % 2 === 0 ? 1 : 2);
        await small.statusLists.setStatus(listId, changed[0]!.idx, 0);
        const snapshot = await small.statusLists.snapshot(listId);
        expect(snapshot.list).toMatchObject({ id: listId, allocated: 10, revision: 5 });
        const expected = changed
          .slice(1)
          .map((p) => ({ idx: p.idx, status: p.idx % 2 === 0 ? 1 : 2 }))
          .sort((a, b) => a.idx - b.idx);
        expect(snapshot.entries).toEqual(expected);
        await rejectsWithCode(small.statusLists.snapshot('no-such-list'), 'NOT_FOUND');
      });

      it('numbers versions 1, 2, 3… per list, also under concurrency, and never rewrites them', async () => {
        const a = await stores.statusLists.createList({ bits: 2, size: 1024 });
        const b = await stores.statusLists.createList({ bits: 2, size: 1024 });
        expect(await stores.statusLists.latestVersion(a.id)).toBeUndefined();
        const base = { revision: 0, issuedAt: now, expiresAt: now + 86400 };
        const v1 = await stores.statusLists.saveVersion({ listId: a.id, token: 'token-a1', ...base });
        expect(v1).toEqual({ listId: a.id, version: 1, token: 'token-a1', ...base });
        const concurrent = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            stores.statusLists.saveVersion({ listId: a.id, token: `t${i}`, ...base }),
          ),
        );
        expect(concurrent.map((v) => v.version).sort((x, y) => x - y)).toEqual(
          Array.from({ length: 10 }, (_, i) => i + 2),
        );
        expect(
          (await stores.statusLists.saveVersion({ listId: b.id, token: 'token-b1', ...base })).version,
        ).toBe(1);
        const latest = await stores.statusLists.latestVersion(a.id);
        expect(latest?.version).toBe(11);
        if (latest) latest.token = 'tampered';
        expect((await stores.statusLists.latestVersion(a.id))?.token).not.toBe('tampered');
        await rejectsWithCode(
          stores.statusLists.saveVersion({ listId: 'no-such-list', token: 't', ...base }),
          'NOT_FOUND',
        );
        await expect(
          stores.statusLists.saveVersion({ listId: a.id, token: 't', ...base, revision: 5 }),
        ).rejects.toThrow(TypeError);
        if (harness.sql) {
          await expect(harness.sql("UPDATE status_list_versions SET token = 'x'")).rejects.toThrow(
            /append-only/,
          );
          await expect(harness.sql('DELETE FROM status_list_versions')).rejects.toThrow(/append-only/);
        }
      });
    });

    describe('settings', () => {
      it('gets, sets and overwrites values', async () => {
        expect(await stores.settings.get('issuer')).toBeUndefined();
        await stores.settings.set('issuer', 'https://issuer.example');
        await stores.settings.set('issuer', 'https://issuer.example.gov');
        await stores.settings.set('base_url', 'https://trieste.example');
        expect(await stores.settings.get('issuer')).toBe('https://issuer.example.gov');
        expect(await stores.settings.get('base_url')).toBe('https://trieste.example');
      });
    });

    describe('transparency log', () => {
      const entry = (label: string) => utf8Encode(`entry ${label}`);
      const leafHashes = (entries: Uint8Array[]) => entries.map((e) => hashLeaf(hasher, e));

      async function appendAll(labels: string[]): Promise<Uint8Array[]> {
        const entries = labels.map(entry);
        for (const e of entries) await stores.log.append(e);
        return entries;
      }

      it('starts empty: size 0, the root of the empty tree, nothing pending', async () => {
        expect(await stores.log.state()).toEqual({ size: 0, rootHash: emptyRoot(hasher) });
        expect(await stores.log.pending()).toBe(0);
        expect(await stores.log.sequence(hasher)).toEqual({
          size: 0,
          rootHash: emptyRoot(hasher),
          sequenced: 0,
        });
        expect(await stores.log.latestCheckpoint()).toBeUndefined();
      });

      it('sequences queued entries as 0..n-1 in queue order, with the RFC 9162 root', async () => {
        const entries = await appendAll(['a', 'b', 'c', 'd', 'e']);
        expect(await stores.log.pending()).toBe(5);
        const sequenced = await stores.log.sequence(hasher);
        const root = rootFromLeafHashes(hasher, leafHashes(entries));
        expect(sequenced).toEqual({ size: 5, rootHash: root, sequenced: 5 });
        expect(await stores.log.state()).toEqual({ size: 5, rootHash: root });
        expect(await stores.log.pending()).toBe(0);
        expect((await stores.log.entries(0, 5)).map(text)).toEqual(entries.map(text));
        expect(await stores.log.sequence(hasher)).toEqual({ size: 5, rootHash: root, sequenced: 0 });
      });

      it('sequences at most maxBatch entries per call, oldest first', async () => {
        const entries = await appendAll(Array.from({ length: 10 }, (_, i) => String(i)));
        for (const [maxBatch, size] of [
          [3, 3],
          [3, 6],
          [100, 10],
        ] as const) {
          const result = await stores.log.sequence(hasher, { maxBatch });
          expect(result.size).toBe(size);
          expect(result.rootHash).toEqual(rootFromLeafHashes(hasher, leafHashes(entries.slice(0, size))));
        }
        expect((await stores.log.entries(0, 10)).map(text)).toEqual(entries.map(text));
        for (const maxBatch of [0, 1.5, -1, 10_000_000]) {
          await expect(stores.log.sequence(hasher, { maxBatch })).rejects.toThrow(TypeError);
        }
      });

      it('stores every complete subtree, as a MemoryMerkleTree holds it', async () => {
        const reference = new MemoryMerkleTree(hasher);
        const entries = await appendAll(Array.from({ length: 70 }, (_, i) => String(i)));
        for (const leaf of leafHashes(entries)) reference.append(leaf);
        while ((await stores.log.sequence(hasher, { maxBatch: 7 })).sequenced > 0) {}
        expect((await stores.log.state()).rootHash).toEqual(reference.root());
        for (let level = 0; 2 ** level <= 70; level++) {
          const count = Math.floor(70 / 2 ** level);
          const row = await stores.log.nodes(level, 0, count);
          expect(row).toEqual(Array.from({ length: count }, (_, i) => reference.nodeSync(level, i)));
          expect(await stores.log.node(level, count - 1)).toEqual(reference.nodeSync(level, count - 1));
          await rejectsWithCode(stores.log.node(level, count), 'NOT_FOUND');
          await rejectsWithCode(stores.log.nodes(level, 0, count + 1), 'NOT_FOUND');
        }
        await rejectsWithCode(stores.log.node(7, 0), 'NOT_FOUND');
        // The batch read answers in the order asked, and refuses any node not yet complete.
        const addresses = [
          { level: 3, index: 7 },
          { level: 0, index: 69 },
          { level: 6, index: 0 },
          { level: 0, index: 0 },
        ];
        expect(await stores.log.nodesAt!(addresses)).toEqual(
          addresses.map((a) => reference.nodeSync(a.level, a.index)),
        );
        expect(await stores.log.nodesAt!([])).toEqual([]);
        await rejectsWithCode(
          stores.log.nodesAt!([
            { level: 0, index: 1 },
            { level: 0, index: 70 },
          ]),
          'NOT_FOUND',
        );
        await expect(stores.log.nodesAt!([{ level: -1, index: 0 }])).rejects.toThrow(TypeError);
        expect(await stores.log.nodes(3, 2, 5)).toEqual([2, 3, 4].map((i) => reference.nodeSync(3, i)));
        expect((await stores.log.entries(60, 70)).map(text)).toEqual(entries.slice(60).map(text));
        expect(await stores.log.entries(70, 70)).toEqual([]);
        await rejectsWithCode(stores.log.entries(60, 71), 'NOT_FOUND');
        await expect(stores.log.entries(5, 4)).rejects.toThrow(TypeError);
        await expect(stores.log.nodes(-1, 0, 1)).rejects.toThrow(TypeError);
        await expect(stores.log.node(0, 0.5)).rejects.toThrow(TypeError);
      });

      it('refuses an entry an entry bundle cannot carry; takes the largest one and an empty one', async () => {
        await rejectsWithCode(stores.log.append(new Uint8Array(65536)), 'LOG_ENTRY_INVALID');
        await expect(stores.log.append('text' as unknown as Uint8Array)).rejects.toThrow(TypeError);
        const largest = new Uint8Array(65535).fill(7);
        await stores.log.append(largest);
        await stores.log.append(new Uint8Array(0));
        expect((await stores.log.sequence(hasher)).size).toBe(2);
        expect(await stores.log.entries(0, 2)).toEqual([largest, new Uint8Array(0)]);
      });

      it('keeps an append only if its transaction commits, and rolls back a sequence with it', async () => {
        const failure = new Error('work failed');
        await expect(
          stores.transaction(async (tx) => {
            await tx.log.append(entry('dropped'));
            expect(await tx.log.pending()).toBe(1);
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await stores.log.pending()).toBe(0);
        await stores.transaction((tx) => tx.log.append(entry('kept')));
        await expect(
          stores.transaction(async (tx) => {
            expect((await tx.log.sequence(hasher)).size).toBe(1);
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await stores.log.state()).toMatchObject({ size: 0 });
        expect(await stores.log.pending()).toBe(1);
        expect(await stores.log.sequence(hasher)).toMatchObject({ size: 1, sequenced: 1 });
        expect((await stores.log.entries(0, 1)).map(text)).toEqual(['entry kept']);
      });

      it('200 concurrent appends and racing sequencers: every entry once, no gaps', async () => {
        const labels = Array.from({ length: 200 }, (_, i) => `concurrent ${i}`);
        const appends = labels.map((label) => stores.log.append(entry(label)));
        const sequencers = Array.from({ length: 6 }, () => stores.log.sequence(hasher, { maxBatch: 17 }));
        const results = await Promise.all([...appends, ...sequencers]);
        while ((await stores.log.sequence(hasher, { maxBatch: 50 })).sequenced > 0) {}
        const state = await stores.log.state();
        expect(state.size).toBe(200);
        expect(await stores.log.pending()).toBe(0);
        const sequenced = await stores.log.entries(0, 200);
        expect(new Set(sequenced.map(text))).toEqual(new Set(labels.map((l) => `entry ${l}`)));
        expect(state.rootHash).toEqual(rootFromLeafHashes(hasher, leafHashes(sequenced)));
        // Each racing sequencer saw a consistent tree: its size and root belong together.
        for (const result of results.slice(200) as Array<{ size: number; rootHash: Uint8Array }>) {
          expect(result.rootHash).toEqual(
            rootFromLeafHashes(hasher, leafHashes(sequenced.slice(0, result.size))),
          );
        }
      });

      it('saves checkpoints append-only: sizes only grow, each one matches the tree at its size', async () => {
        const signer = await stores.log.signer();
        const note = (size: number, rootHash: Uint8Array) => checkpointNote(size, rootHash, signer);
        const entries = await appendAll(['a', 'b', 'c', 'd']);
        const rootAt = (size: number) => rootFromLeafHashes(hasher, leafHashes(entries.slice(0, size)));
        await stores.log.saveCheckpoint({ size: 0, note: await note(0, emptyRoot(hasher)) });
        // Queued is not sequenced: a checkpoint may only describe what is.
        await rejectsWithCode(
          stores.log.saveCheckpoint({ size: 1, note: await note(1, rootAt(1)) }),
          'LOG_INCONSISTENT',
        );
        await stores.log.sequence(hasher);
        const at2 = await note(2, rootAt(2));
        await stores.log.saveCheckpoint({ size: 2, note: at2 });
        const at4 = await note(4, rootAt(4));
        await stores.log.saveCheckpoint({ size: 4, note: at4 });
        expect(await stores.log.latestCheckpoint()).toEqual({ size: 4, note: at4 });
        await stores.log.saveCheckpoint({ size: 4, note: at4 });
        const otherKey = nodeSigner(generatePrivateJwk('EdDSA'));
        for (const [size, refused] of [
          [2, at2],
          [3, await note(3, rootAt(3))],
          [4, await checkpointNote(4, rootAt(4), otherKey)],
          [5, await note(5, rootAt(4))],
          [4, await note(3, rootAt(3))],
        ] as const) {
          await rejectsWithCode(stores.log.saveCheckpoint({ size, note: refused }), 'LOG_INCONSISTENT');
        }
        await stores.log.append(entry('e'));
        await stores.log.sequence(hasher);
        await rejectsWithCode(
          stores.log.saveCheckpoint({ size: 5, note: await note(5, rootAt(4)) }),
          'LOG_INCONSISTENT',
        );
        for (const malformed of [
          '',
          formatCheckpoint({ origin: ORIGIN, size: 5, rootHash: rootAt(4) }),
          `${ORIGIN}\n05\n\n\u2014 x AAAAAAAA\n`,
        ]) {
          await rejectsWithCode(
            stores.log.saveCheckpoint({ size: 5, note: malformed }),
            'LOG_NOTE_MALFORMED',
          );
        }
        expect(await stores.log.latestCheckpoint()).toEqual({ size: 4, note: at4 });
        if (harness.sql) {
          for (const [table, column] of [
            ['log_checkpoints', 'note'],
            ['log_entries', 'data'],
            ['log_nodes', 'hash'],
          ] as const) {
            await expect(harness.sql(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(
              /append-only/,
            );
            await expect(harness.sql(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
          }
        }
      });

      it('keeps witnesses and their cosignatures of saved checkpoints', async () => {
        const w1 = { name: 'witness.example/one', vkey: 'witness.example/one+0123abcd+BAAA' };
        const w2 = { name: 'witness.example/two', vkey: 'witness.example/two+4567abcd+BAAA' };
        await stores.log.addWitness(w2);
        await stores.log.addWitness(w1);
        await stores.log.addWitness(w1);
        expect(await stores.log.witnesses()).toEqual([w1, w2]);
        await rejectsWithCode(
          stores.log.addWitness({ ...w1, vkey: `${w1.name}+ffffffff+BAAA` }),
          'DUPLICATE',
        );
        await expect(stores.log.addWitness({ name: 'other', vkey: w1.vkey })).rejects.toThrow(TypeError);
        const signer = await stores.log.signer();
        await stores.log.saveCheckpoint({
          size: 0,
          note: await checkpointNote(0, emptyRoot(hasher), signer),
        });
        const line = (w: { name: string }, sig: string) => `\u2014 ${w.name} ${sig}`;
        await stores.log.saveCosignature({ size: 0, witness: w2.name, line: line(w2, 'c2==') });
        await stores.log.saveCosignature({ size: 0, witness: w1.name, line: line(w1, 'c1==') });
        await stores.log.saveCosignature({ size: 0, witness: w1.name, line: line(w1, 'later==') });
        expect(await stores.log.cosignatures(0)).toEqual([
          { witness: w1.name, line: line(w1, 'c1==') },
          { witness: w2.name, line: line(w2, 'c2==') },
        ]);
        expect(await stores.log.cosignatures(1)).toEqual([]);
        await rejectsWithCode(
          stores.log.saveCosignature({ size: 1, witness: w1.name, line: line(w1, 'x==') }),
          'NOT_FOUND',
        );
        await rejectsWithCode(
          stores.log.saveCosignature({ size: 0, witness: 'unknown', line: line(w1, 'x==') }),
          'NOT_FOUND',
        );
        await expect(stores.log.saveCosignature({ size: 0, witness: w1.name, line: 'a\nb' })).rejects.toThrow(
          TypeError,
        );
      });

      it('has one Ed25519 signer, created once, stable across reopen, sealed at rest', async () => {
        const signers = await Promise.all(Array.from({ length: 5 }, () => stores.log.signer()));
        const signer = signers[0]!;
        expect(new Set(signers.map((s) => s.kid)).size).toBe(1);
        expect(signer.alg).toBe('EdDSA');
        expect(Object.keys(signer.publicJwk).sort()).toEqual(['crv', 'kty', 'x']);
        const data = utf8Encode('checkpoint text');
        expect(await crypto.verify('EdDSA', signer.publicJwk, data, await signer.sign(data))).toBe(true);
        const reopened = await open();
        expect((await reopened.log.signer()).kid).toBe(signer.kid);
        expect((await reopened.transaction((tx) => tx.log.signer())).kid).toBe(signer.kid);

        const raw = await harness.rawLogKey();
        expect(raw.kid).toBe(signer.kid);
        const jwk = openSealedPrivateKey(deriveLogKeyEncryptionKey(masterKey), raw.kid, raw.sealed);
        expect(jwk.x).toBe(signer.publicJwk.x);
        for (const form of secretForms(jwk.d)) {
          expect(raw.text).not.toContain(form);
          expect(JSON.stringify(signer)).not.toContain(form);
        }
        expect(JSON.stringify(signer)).not.toMatch(/"d"/);
        // Sealed under its own key: the issuer-key KEK does not open it.
        expect(() =>
          openSealedPrivateKey(deriveIssuerKeyEncryptionKey(masterKey), raw.kid, raw.sealed),
        ).toThrow();
        const other = await harness.open({ masterKey: generateMasterKey(), clock });
        await rejectsWithCode(other.log.signer(), 'MASTER_KEY_INVALID');
      });

      it('logs issuer key changes in their own transaction, in replay order', async () => {
        const logged = async () => {
          const before = (await stores.log.state()).size;
          await stores.log.sequence(hasher);
          const after = (await stores.log.state()).size;
          return (await stores.log.entries(before, after)).map((e) => JSON.parse(text(e)) as unknown);
        };
        const time = Math.floor(now);
        const first = await stores.keys.create('ES256');
        expect(await logged()).toEqual([
          { type: 'issuer-key/created', kid: first.kid, alg: 'ES256', jwk: first.publicJwk, time },
          { type: 'issuer-key/activated', kid: first.kid, time },
        ]);
        const bytes = (await stores.log.entries(0, 1))[0]!;
        expect(text(bytes)).toBe(
          `{"alg":"ES256","jwk":${JSON.stringify(first.publicJwk, ['crv', 'kty', 'x', 'y'])},"kid":"${first.kid}","time":${time},"type":"issuer-key/created"}`,
        );
        now += 10;
        const { created } = await stores.keys.rotate('EdDSA');
        expect(await logged()).toEqual([
          {
            type: 'issuer-key/created',
            kid: created.kid,
            alg: 'EdDSA',
            jwk: created.publicJwk,
            time: time + 10,
          },
          { type: 'issuer-key/retired', kid: first.kid, time: time + 10 },
          { type: 'issuer-key/activated', kid: created.kid, time: time + 10 },
        ]);
        const pending = await stores.keys.create('ES256');
        expect(await logged()).toEqual([
          {
            type: 'issuer-key/created',
            kid: pending.kid,
            alg: 'ES256',
            jwk: pending.publicJwk,
            time: time + 10,
          },
        ]);
        await stores.keys.activate(pending.kid);
        expect(await logged()).toEqual([
          { type: 'issuer-key/retired', kid: created.kid, time: time + 10 },
          { type: 'issuer-key/activated', kid: pending.kid, time: time + 10 },
        ]);
        await expect(
          stores.transaction(async (tx) => {
            await tx.keys.rotate();
            throw new Error('rotation abandoned');
          }),
        ).rejects.toThrow('rotation abandoned');
        expect(await stores.log.pending()).toBe(0);
        for (const e of await stores.log.entries(0, (await stores.log.state()).size)) {
          expect(text(e)).not.toMatch(/"d"/);
        }
      });
    });

    describe('API keys', () => {
      const hashOf = (text: string) => new Uint8Array(crypto.sha256(utf8Encode(text)));
      const record = (id: string, roles = ['registrar']) => ({
        id,
        name: `key ${id}`,
        roles,
        createdAt: now,
      });

      it('finds a key by id with its hash, never anything for an unknown or malformed id', async () => {
        await stores.apiKeys.insert(record('k1', ['admin', 'registrar']), hashOf('secret-1'));
        const found = await stores.apiKeys.find('k1');
        expect(found?.record).toEqual({
          id: 'k1',
          name: 'key k1',
          roles: ['admin', 'registrar'],
          createdAt: now,
        });
        expect(found?.secretHash).toEqual(hashOf('secret-1'));
        expect(await stores.apiKeys.find('k2')).toBeUndefined();
        expect(await stores.apiKeys.find("k1' OR '1'='1")).toBeUndefined();
        expect(await stores.apiKeys.find('x'.repeat(10_000))).toBeUndefined();
      });

      it('refuses a duplicate id and keeps the first key', async () => {
        await stores.apiKeys.insert(record('dup'), hashOf('first'));
        await rejectsWithCode(stores.apiKeys.insert(record('dup'), hashOf('second')), 'DUPLICATE');
        expect((await stores.apiKeys.find('dup'))?.secretHash).toEqual(hashOf('first'));
      });

      it('refuses malformed records as a caller bug', async () => {
        await expect(stores.apiKeys.insert(record('ok'), new Uint8Array(31))).rejects.toThrow(TypeError);
        await expect(stores.apiKeys.insert(record('bad id'), hashOf('s'))).rejects.toThrow(TypeError);
        await expect(stores.apiKeys.insert(record('r', ['Admin']), hashOf('s'))).rejects.toThrow(TypeError);
        expect(await stores.apiKeys.list()).toEqual([]);
      });

      it('revokes for good: revokedAt is set once and the key stays listed', async () => {
        await stores.apiKeys.insert(record('a'), hashOf('a'));
        now += 10;
        await stores.apiKeys.insert(record('b'), hashOf('b'));
        now += 10;
        expect((await stores.apiKeys.revoke('a')).revokedAt).toBe(now);
        now += 10;
        expect((await stores.apiKeys.revoke('a')).revokedAt).toBe(now - 10);
        expect((await stores.apiKeys.find('a'))?.record.revokedAt).toBe(now - 10);
        expect((await stores.apiKeys.list()).map((k) => [k.id, k.revokedAt])).toEqual([
          ['a', now - 10],
          ['b', undefined],
        ]);
        await rejectsWithCode(stores.apiKeys.revoke('nobody'), 'NOT_FOUND');
      });

      it('stores no secret, only its hash, and rolls back with the transaction', async () => {
        await expect(
          stores.transaction(async (tx) => {
            await tx.apiKeys.insert(record('t'), hashOf('t'));
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await stores.apiKeys.find('t')).toBeUndefined();
      });
    });

    describe('presentation requests', () => {
      const request = (id: string, overrides: Partial<PresentationRequestRecord> = {}) =>
        ({
          id,
          nonce: `nonce-${id}-0123456789`,
          state: `state-${id}-0123456789`,
          apiKeyId: 'rp-key',
          query: { credentials: [{ id: 'pid', format: 'dc+sd-jwt', claims: [{ path: ['given_name'] }] }] },
          purpose: 'age check at the door',
          responseMode: 'direct_post.jwt',
          trustedIssuers: ['https://issuer.test'],
          status: 'pending',
          createdAt: now,
          expiresAt: now + 300,
          deleteAt: now + 900,
          ...overrides,
        }) satisfies PresentationRequestRecord;

      it('stores a request and gives it back; unknown or malformed ids are none', async () => {
        const record = request('req-aaaaaaaaaaaaaaaa', { webhookUrl: 'https://rp.test/hook' });
        await stores.presentationRequests.create(record);
        expect(await stores.presentationRequests.get(record.id)).toEqual(record);
        expect(await stores.presentationRequests.get('req-bbbbbbbbbbbbbbbb')).toBeUndefined();
        expect(await stores.presentationRequests.get("x' OR 1=1 --")).toBeUndefined();
        expect(await stores.presentationRequests.encryptionKey(record.id)).toBeUndefined();
      });

      it('keeps transaction data strings exactly, in order, and the template, through completion', async () => {
        const transactionData = ['eyJ0eXBlIjoiYSJ9', 'eyJ0eXBlIjoiYiJ9'];
        const template = { type: 'parental_consent', child: { given_name: 'Amina' }, consent: 'x' };
        const record = request('req-eeeeeeeeeeeeeeee', { transactionData, template });
        await stores.presentationRequests.create(record);
        expect(await stores.presentationRequests.get(record.id)).toEqual(record);
        const done = await stores.presentationRequests.complete(record.id, {
          status: 'failed',
          reason: 'TRANSACTION_DATA_MISMATCH',
          answeredAt: now + 1,
          deleteAt: now + 601,
        });
        expect(done).toMatchObject({ transactionData, template, reason: 'TRANSACTION_DATA_MISMATCH' });
        // A request without them reads back without them (no empty array, no null).
        const plain = request('req-ffffffffffffffff');
        await stores.presentationRequests.create(plain);
        expect(await stores.presentationRequests.get(plain.id)).not.toHaveProperty('transactionData');
        expect(await stores.presentationRequests.get(plain.id)).not.toHaveProperty('template');
      });

      it('refuses malformed transaction data or template as a caller bug (TypeError)', async () => {
        for (const transactionData of [[], ['not base64url!'], ['a', 'b', 'c', 'd', 'e', 'f'], [5]]) {
          await expect(
            stores.presentationRequests.create(
              request('req-gggggggggggggggg', { transactionData: transactionData as string[] }),
            ),
          ).rejects.toThrow(TypeError);
        }
        await expect(
          stores.presentationRequests.create(request('req-gggggggggggggggg', { template: [] as never })),
        ).rejects.toThrow(TypeError);
        expect(await stores.presentationRequests.get('req-gggggggggggggggg')).toBeUndefined();
      });

      it('refuses a duplicate id, nonce or state (a nonce is never valid twice)', async () => {
        await stores.presentationRequests.create(request('req-aaaaaaaaaaaaaaaa'));
        const first = request('req-aaaaaaaaaaaaaaaa');
        await rejectsWithCode(stores.presentationRequests.create(first), 'DUPLICATE');
        await rejectsWithCode(
          stores.presentationRequests.create({ ...request('req-cccccccccccccccc'), nonce: first.nonce }),
          'DUPLICATE',
        );
        await rejectsWithCode(
          stores.presentationRequests.create({ ...request('req-dddddddddddddddd'), state: first.state }),
          'DUPLICATE',
        );
      });

      it('seals the decryption key and the result at rest, and opens them', async () => {
        const key = generatePrivateJwk('ES256');
        const record = request('req-aaaaaaaaaaaaaaaa');
        await stores.presentationRequests.create(record, { encryptionKey: key });
        expect(await stores.presentationRequests.encryptionKey(record.id)).toEqual({
          kty: key.kty,
          crv: key.crv,
          x: key.x,
          ...('y' in key ? { y: key.y } : {}),
          d: key.d,
        });
        let raw = await harness.rawPresentationRequest(record.id);
        for (const form of secretForms(key.d)) expect(raw).not.toContain(form);
        const result = { credentials: { pid: [{ claims: { given_name: 'Zanele-secret-name' } }] } };
        await stores.presentationRequests.complete(record.id, {
          status: 'verified',
          result,
          answeredAt: now + 5,
          deleteAt: now + 605,
        });
        expect(await stores.presentationRequests.result(record.id)).toEqual(result);
        raw = await harness.rawPresentationRequest(record.id);
        expect(raw).not.toContain('Zanele');
        // The decryption key is gone once the request is answered.
        expect(await stores.presentationRequests.encryptionKey(record.id)).toBeUndefined();
      });

      it('completes a pending request exactly once, also under concurrent answers', async () => {
        const record = request('req-aaaaaaaaaaaaaaaa');
        await stores.presentationRequests.create(record);
        const outcomes = await Promise.all(
          [0, 1, 2, 3].map((i) =>
            stores.presentationRequests.complete(record.id, {
              status: i === 0 ? 'verified' : 'failed',
              ...(i === 0 ? {} : { reason: 'KB_NONCE_MISMATCH' }),
              answeredAt: now + i,
              deleteAt: now + 600,
            }),
          ),
        );
        const done = outcomes.filter((o) => o !== undefined);
        expect(done).toHaveLength(1);
        expect(await stores.presentationRequests.get(record.id)).toEqual(done[0]);
        expect(done[0]?.status === 'verified' || done[0]?.reason === 'KB_NONCE_MISMATCH').toBe(true);
        expect(
          await stores.presentationRequests.complete('req-zzzzzzzzzzzzzzzz', {
            status: 'failed',
            answeredAt: now,
            deleteAt: now,
          }),
        ).toBeUndefined();
      });

      it('completes with the record as read exactly as without it, and once', async () => {
        const transactionData = ['eyJ0eXBlIjoiYSJ9'];
        const template = { type: 'parental_consent', child: { given_name: 'Amina' }, consent: 'x' };
        for (const [id, outcome] of [
          [
            'req-hhhhhhhhhhhhhhhh',
            { status: 'verified', result: { a: 1 }, answeredAt: now + 2, deleteAt: now + 602 },
          ],
          [
            'req-iiiiiiiiiiiiiiii',
            { status: 'failed', reason: 'KB_NONCE_MISMATCH', answeredAt: now + 3, deleteAt: now + 603 },
          ],
        ] as const) {
          await stores.presentationRequests.create(request(id, { transactionData, template }));
          const read = await stores.presentationRequests.get(id);
          const done = await stores.presentationRequests.complete(id, outcome, read);
          expect(done).toEqual(await stores.presentationRequests.get(id));
          expect(done).toMatchObject({
            status: outcome.status,
            answeredAt: outcome.answeredAt,
            transactionData,
          });
          // The answer was written once: a second one, with the same record as read, is a replay.
          expect(await stores.presentationRequests.complete(id, outcome, read)).toBeUndefined();
        }
        expect(await stores.presentationRequests.result('req-hhhhhhhhhhhhhhhh')).toEqual({ a: 1 });
      });

      it('records an answer only while the status entries it relies on are valid', async () => {
        const a = await stores.statusLists.allocate(random);
        const b = await stores.statusLists.allocate(random);
        const unallocated = [0, 1, 2].find((i) => i !== a.idx && i !== b.idx)!;
        const outcome = (
          requireValidStatus: ReadonlyArray<{ listId: string; idx: number }>,
        ): PresentationOutcome => ({
          status: 'verified',
          result: { a: 1 },
          answeredAt: now + 1,
          deleteAt: now + 601,
          requireValidStatus,
        });
        for (const [i, id] of ['req-jjjjjjjjjjjjjjjj', 'req-kkkkkkkkkkkkkkkk'].entries()) {
          await stores.presentationRequests.create(request(id, { responseMode: 'direct_post' }));
          // With the record as read (one UPDATE returning the id) and without it (read back).
          const read = i === 0 ? await stores.presentationRequests.get(id) : undefined;
          await stores.statusLists.setStatus(b.listId, b.idx, 2);
          expect(await stores.presentationRequests.complete(id, outcome([a, b, a]), read)).toBeUndefined();
          await stores.statusLists.setStatus(b.listId, b.idx, 1);
          expect(await stores.presentationRequests.complete(id, outcome([b]), read)).toBeUndefined();
          expect(
            await stores.presentationRequests.complete(
              id,
              outcome([{ listId: a.listId, idx: unallocated }]),
              read,
            ),
          ).toBeUndefined();
          expect(
            await stores.presentationRequests.complete(
              id,
              outcome([{ listId: 'no-such-list', idx: 0 }]),
              read,
            ),
          ).toBeUndefined();
          // Nothing was written by the refused answers.
          expect(await stores.presentationRequests.get(id)).toMatchObject({ status: 'pending' });
          expect(await stores.presentationRequests.result(id)).toBeUndefined();
          const done = await stores.presentationRequests.complete(id, outcome([a, a]), read);
          expect(done).toMatchObject({ status: 'verified' });
          expect(await stores.presentationRequests.result(id)).toEqual({ a: 1 });
          await stores.statusLists.setStatus(b.listId, b.idx, 0);
        }
        for (const bad of [[{ listId: 'x y', idx: 0 }], [{ listId: 'a', idx: -1 }], 'a']) {
          await expect(
            stores.presentationRequests.complete('req-jjjjjjjjjjjjjjjj', outcome(bad as never)),
          ).rejects.toThrow(TypeError);
        }
      });

      it('deletes what is past its deleteAt, key and result with it', async () => {
        await stores.presentationRequests.create(request('req-aaaaaaaaaaaaaaaa', { deleteAt: now + 10 }));
        await stores.presentationRequests.create(request('req-bbbbbbbbbbbbbbbb', { deleteAt: now + 20 }));
        expect(await stores.presentationRequests.deleteExpired(now + 9)).toBe(0);
        expect(await stores.presentationRequests.deleteExpired(now + 10)).toBe(1);
        expect(await stores.presentationRequests.get('req-aaaaaaaaaaaaaaaa')).toBeUndefined();
        expect(await stores.presentationRequests.delete('req-bbbbbbbbbbbbbbbb')).toBe(true);
        expect(await stores.presentationRequests.delete('req-bbbbbbbbbbbbbbbb')).toBe(false);
      });

      it('has one ES256 request-signing key, created once, that signs verifiably', async () => {
        const [a, b] = await Promise.all([
          stores.presentationRequests.signer(),
          stores.presentationRequests.signer(),
        ]);
        expect(a.kid).toBe(b.kid);
        expect(a.alg).toBe('ES256');
        const reopened = await open();
        expect((await reopened.presentationRequests.signer()).kid).toBe(a.kid);
        const data = utf8Encode('request object');
        expect(await crypto.verify('ES256', a.publicJwk, data, await a.sign(data))).toBe(true);
      });
    });

    describe('credential offers (OpenID4VCI)', () => {
      const hashOf = (text: string) => new Uint8Array(crypto.sha256(utf8Encode(text)));
      const claims = { given_name: 'Zoë-Secret', address: { locality: 'Villeneuve-Secret' } };
      const offer = (id: string, code = `code-of-${id}-0123456789`) => ({
        id,
        credentialConfigurationId: 'national_identity',
        subject: `subject-${id}`,
        preAuthorizedCodeHash: hashOf(code),
        txCode: { hash: hashOf(`tx-${id}`), length: 6, inputMode: 'numeric' as const },
        createdAt: now,
        expiresAt: now + 600,
      });
      const token = (name: string) => ({ hash: hashOf(name), expiresAt: now + 300 });
      const thumbprint = (n: number) => String(n).padStart(43, 'A');

      it('creates an offer, finds it by code hash, serves its code until redeemed, then by token', async () => {
        await stores.credentialOffers.create(offer('offer-aaaaaaaaaaaa'), {
          preAuthorizedCode: 'code-of-offer-aaaaaaaaaaaa-0123456789',
          claims,
        });
        const found = await stores.credentialOffers.findByPreAuthorizedCodeHash(
          hashOf('code-of-offer-aaaaaaaaaaaa-0123456789'),
        );
        expect(found).toMatchObject({ id: 'offer-aaaaaaaaaaaa', state: 'offered', failedTxCodeAttempts: 0 });
        expect(found?.txCode?.hash).toEqual(hashOf('tx-offer-aaaaaaaaaaaa'));
        expect(await stores.credentialOffers.preAuthorizedCode('offer-aaaaaaaaaaaa', now)).toBe(
          'code-of-offer-aaaaaaaaaaaa-0123456789',
        );
        expect(await stores.credentialOffers.findByPreAuthorizedCodeHash(hashOf('other'))).toBeUndefined();
        expect(await stores.credentialOffers.redeem('offer-aaaaaaaaaaaa', token('t1'), now)).toBe(true);
        expect(await stores.credentialOffers.redeem('offer-aaaaaaaaaaaa', token('t2'), now)).toBe(false);
        expect(await stores.credentialOffers.preAuthorizedCode('offer-aaaaaaaaaaaa', now)).toBeUndefined();
        expect((await stores.credentialOffers.findByAccessTokenHash(hashOf('t1')))?.state).toBe('redeemed');
        expect(await stores.credentialOffers.findByAccessTokenHash(hashOf('t2'))).toBeUndefined();
        expect(await stores.credentialOffers.takeClaims('offer-aaaaaaaaaaaa', now)).toEqual(claims);
        expect(await stores.credentialOffers.takeClaims('offer-aaaaaaaaaaaa', now)).toBeUndefined();
        expect((await stores.credentialOffers.get('offer-aaaaaaaaaaaa'))?.state).toBe('issued');
        await rejectsWithCode(
          stores.credentialOffers.create(offer('offer-aaaaaaaaaaaa'), {
            preAuthorizedCode: 'x'.repeat(20),
            claims,
          }),
          'DUPLICATE',
        );
      });

      it('keeps claims and code sealed at rest and forgets them on issuance', async () => {
        await stores.credentialOffers.create(offer('offer-sealed-000000'), {
          preAuthorizedCode: 'code-of-offer-sealed-000000-0123456789',
          claims,
        });
        const raw = async () =>
          JSON.stringify(await harness.sql?.('SELECT row_to_json(o)::text AS t FROM credential_offers o'));
        if (harness.sql) {
          expect(await raw()).not.toContain('Secret');
          expect(await raw()).not.toContain('code-of-offer');
          expect(await raw()).toMatch(/claims_ciphertext[^,]*x[0-9a-f]{64,}/);
        }
        expect(await stores.credentialOffers.redeem('offer-sealed-000000', token('t'), now)).toBe(true);
        expect(await stores.credentialOffers.takeClaims('offer-sealed-000000', now)).toEqual(claims);
        if (harness.sql) expect(await raw()).toMatch(/claims_ciphertext\\*":null/);
      });

      it('counts wrong transaction codes and locks the offer, claims gone', async () => {
        await stores.credentialOffers.create(offer('offer-locked-000000'), {
          preAuthorizedCode: 'c'.repeat(20),
          claims,
        });
        expect(
          (await stores.credentialOffers.recordFailedTxCode('offer-locked-000000', 3))?.failedTxCodeAttempts,
        ).toBe(1);
        expect((await stores.credentialOffers.recordFailedTxCode('offer-locked-000000', 3))?.state).toBe(
          'offered',
        );
        expect((await stores.credentialOffers.recordFailedTxCode('offer-locked-000000', 3))?.state).toBe(
          'locked',
        );
        expect(await stores.credentialOffers.recordFailedTxCode('offer-locked-000000', 3)).toBeUndefined();
        expect(await stores.credentialOffers.redeem('offer-locked-000000', token('t'), now)).toBe(false);
        expect(await stores.credentialOffers.preAuthorizedCode('offer-locked-000000', now)).toBeUndefined();
      });

      it('refuses expired offers and purges their secrets and expired nonces', async () => {
        await stores.credentialOffers.create(offer('offer-expired-00000'), {
          preAuthorizedCode: 'e'.repeat(20),
          claims,
        });
        await stores.credentialOffers.create(offer('offer-redeemed-0000'), {
          preAuthorizedCode: 'r'.repeat(20),
          claims,
        });
        expect(await stores.credentialOffers.redeem('offer-redeemed-0000', token('r'), now)).toBe(true);
        await stores.credentialOffers.createNonce('nonce-expiring-0000', now + 60);
        now += 600;
        expect(await stores.credentialOffers.redeem('offer-expired-00000', token('e'), now)).toBe(false);
        expect(await stores.credentialOffers.takeClaims('offer-redeemed-0000', now)).toBeUndefined();
        expect(await stores.credentialOffers.purgeExpired(now)).toBe(2);
        expect(await stores.credentialOffers.purgeExpired(now)).toBe(0);
        expect(await stores.credentialOffers.consumeNonce('nonce-expiring-0000', now - 1000)).toBe(false);
        if (harness.sql) {
          const rows = await harness.sql(
            'SELECT count(*)::int AS n FROM credential_offers WHERE claims_ciphertext IS NOT NULL',
          );
          expect(rows).toEqual([{ n: 0 }]);
        }
      });

      it('authorization code grant: a login offer is authorized once, redeemed once, code forgotten', async () => {
        const { preAuthorizedCodeHash: _code, txCode: _tx, ...base } = offer('offer-login-0000000');
        const login = { usernameHash: hashOf('user'), passwordHash: 'scrypt$16384$8$1$salt$hash' };
        await stores.credentialOffers.create({ ...base, login }, { claims });
        const created = await stores.credentialOffers.get('offer-login-0000000');
        expect(created).toMatchObject({ state: 'offered', login });
        expect(created?.preAuthorizedCodeHash).toBeUndefined();
        expect(await stores.credentialOffers.preAuthorizedCode('offer-login-0000000', now)).toBeUndefined();
        const code = {
          hash: hashOf('authorization-code'),
          codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          clientId: 'wallet',
          redirectUri: 'https://wallet.example/cb',
          expiresAt: now + 60,
        };
        // Only an offer with a login can be authorized, and only once.
        await stores.credentialOffers.create(offer('offer-preauth-00000'), {
          preAuthorizedCode: 'code-of-offer-preauth-00000-012345',
          claims,
        });
        expect(await stores.credentialOffers.authorize('offer-preauth-00000', code, now)).toBe(false);
        expect(
          await stores.credentialOffers.redeem('offer-login-0000000', token('a0'), now, 'authorized'),
        ).toBe(false);
        expect(await stores.credentialOffers.authorize('offer-login-0000000', code, now)).toBe(true);
        expect(await stores.credentialOffers.authorize('offer-login-0000000', code, now)).toBe(false);
        const found = await stores.credentialOffers.findByAuthorizationCodeHash(hashOf('authorization-code'));
        expect(found).toMatchObject({
          id: 'offer-login-0000000',
          state: 'authorized',
          authorizationCode: code,
        });
        expect(await stores.credentialOffers.findByAuthorizationCodeHash(hashOf('other'))).toBeUndefined();
        // The pre-authorized path does not redeem an authorized offer.
        expect(await stores.credentialOffers.redeem('offer-login-0000000', token('a1'), now)).toBe(false);
        expect(
          await stores.credentialOffers.redeem('offer-login-0000000', token('a2'), now, 'authorized'),
        ).toBe(true);
        expect(
          await stores.credentialOffers.redeem('offer-login-0000000', token('a3'), now, 'authorized'),
        ).toBe(false);
        expect(
          await stores.credentialOffers.findByAuthorizationCodeHash(hashOf('authorization-code')),
        ).toBeUndefined();
        expect(
          (await stores.credentialOffers.findByAccessTokenHash(hashOf('a2')))?.authorizationCode,
        ).toBeUndefined();
        expect(await stores.credentialOffers.takeClaims('offer-login-0000000', now)).toEqual(claims);
        await expect(
          stores.credentialOffers.create(
            { ...base, id: 'offer-login-0000001', login },
            {
              preAuthorizedCode: 'x'.repeat(20),
              claims,
            },
          ),
        ).rejects.toThrow(TypeError);
        await expect(
          stores.credentialOffers.authorize('offer-login-0000000', { ...code, codeChallenge: 'plain' }, now),
        ).rejects.toThrow(TypeError);
      });

      it('authorization code grant: wrong passwords lock a login offer; expired offers are not authorized', async () => {
        const { preAuthorizedCodeHash: _code, txCode: _tx, ...base } = offer('offer-login-locked0');
        const login = { usernameHash: hashOf('user'), passwordHash: 'h' };
        await stores.credentialOffers.create({ ...base, login }, { claims });
        await stores.credentialOffers.recordFailedTxCode('offer-login-locked0', 2);
        expect((await stores.credentialOffers.recordFailedTxCode('offer-login-locked0', 2))?.state).toBe(
          'locked',
        );
        const code = {
          hash: hashOf('code-2'),
          codeChallenge: 'A'.repeat(43),
          clientId: 'c',
          redirectUri: 'https://w/cb',
          expiresAt: now + 60,
        };
        expect(await stores.credentialOffers.authorize('offer-login-locked0', code, now)).toBe(false);
        await stores.credentialOffers.create({ ...base, id: 'offer-login-expired', login }, { claims });
        expect(await stores.credentialOffers.authorize('offer-login-expired', code, now + 600)).toBe(false);
      });

      it('accepts a nonce once and only before its expiry', async () => {
        await stores.credentialOffers.createNonce('nonce-0123456789abcdef', now + 60);
        await rejectsWithCode(
          stores.credentialOffers.createNonce('nonce-0123456789abcdef', now + 60),
          'DUPLICATE',
        );
        expect(await stores.credentialOffers.consumeNonce('nonce-0123456789abcdef', now)).toBe(true);
        expect(await stores.credentialOffers.consumeNonce('nonce-0123456789abcdef', now)).toBe(false);
        await stores.credentialOffers.createNonce('nonce-late-456789abcdef', now + 60);
        expect(await stores.credentialOffers.consumeNonce('nonce-late-456789abcdef', now + 60)).toBe(false);
        expect(await stores.credentialOffers.consumeNonce('short', now)).toBe(false);
        await expect(stores.credentialOffers.createNonce('short', now)).rejects.toThrow(TypeError);
      });

      it('binds a holder key to one subject for good', async () => {
        expect(await stores.credentialOffers.bindHolderKey(thumbprint(1), 'alice', now)).toBe(true);
        expect(await stores.credentialOffers.bindHolderKey(thumbprint(1), 'alice', now)).toBe(true);
        expect(await stores.credentialOffers.bindHolderKey(thumbprint(1), 'bob', now)).toBe(false);
        expect(await stores.credentialOffers.bindHolderKey(thumbprint(2), 'bob', now)).toBe(true);
        await expect(stores.credentialOffers.bindHolderKey('not a thumbprint', 'bob', now)).rejects.toThrow(
          TypeError,
        );
      });

      it('rolls back with the transaction', async () => {
        await expect(
          stores.transaction(async (tx) => {
            await tx.credentialOffers.create(offer('offer-rolledback-00'), {
              preAuthorizedCode: 'b'.repeat(20),
              claims,
            });
            await tx.credentialOffers.bindHolderKey(thumbprint(3), 'carol', now);
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await stores.credentialOffers.get('offer-rolledback-00')).toBeUndefined();
        expect(await stores.credentialOffers.bindHolderKey(thumbprint(3), 'dave', now)).toBe(true);
      });
    });

    describe('transactions', () => {
      it('commits all writes of a transaction together', async () => {
        const listId = await stores.transaction(async (tx) => {
          await tx.settings.set('issuer', 'https://issuer.example');
          await tx.keys.create('ES256');
          const slot = await tx.statusLists.allocate(random);
          await tx.statusLists.setStatus(slot.listId, slot.idx, 1);
          return slot.listId;
        });
        expect(await stores.settings.get('issuer')).toBe('https://issuer.example');
        expect(await stores.keys.list()).toHaveLength(1);
        expect((await stores.statusLists.getList(listId))?.revision).toBe(1);
      });

      it('rolls back every write when the work fails, leaving nothing behind', async () => {
        await stores.settings.set('issuer', 'before');
        const failure = new Error('work failed');
        await expect(
          stores.transaction(async (tx) => {
            await tx.settings.set('issuer', 'after');
            await tx.keys.create('ES256');
            await tx.log.append(utf8Encode('rolled back'));
            const slot = await tx.statusLists.allocate(random);
            await tx.statusLists.setStatus(slot.listId, slot.idx, 1);
            await tx.credentials.insert({
              id: 'cred-1',
              vct: 'vct',
              issuerKid: 'kid',
              statusListId: slot.listId,
              statusIndex: slot.idx,
              issuedAt: now,
            });
            await tx.statusLists.saveVersion({
              listId: slot.listId,
              revision: 1,
              token: 't',
              issuedAt: now,
              expiresAt: now,
            });
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await stores.settings.get('issuer')).toBe('before');
        expect(await stores.keys.list()).toEqual([]);
        await rejectsWithCode(stores.keys.signer(), 'ISSUER_UNKNOWN');
        expect(await stores.statusLists.lists()).toEqual([]);
        expect(await stores.credentials.get('cred-1')).toBeUndefined();
        expect(await stores.log.pending()).toBe(0);
      });

      it('rolls back a nested transaction alone', async () => {
        await stores.transaction(async (tx) => {
          await tx.settings.set('outer', 'kept');
          await expect(
            tx.transaction(async (inner) => {
              await inner.settings.set('inner', 'dropped');
              throw new Error('inner failed');
            }),
          ).rejects.toThrow('inner failed');
          await tx.settings.set('after', 'kept');
        });
        expect(await stores.settings.get('outer')).toBe('kept');
        expect(await stores.settings.get('inner')).toBeUndefined();
        expect(await stores.settings.get('after')).toBe('kept');
      });

      it('refuses to close stores bound to a transaction', async () => {
        await expect(stores.transaction((tx) => tx.close())).rejects.toThrow(TypeError);
      });
    });
  });
}

/** Every text form a raw store could hold a 32-byte base64url secret in. */
export function secretForms(base64url: string): string[] {
  const bytes = base64urlDecode(base64url);
  return [base64url, Buffer.from(bytes).toString('hex'), Buffer.from(bytes).toString('base64')];
}
