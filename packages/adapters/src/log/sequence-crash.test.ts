// Crash safety of the log's storage: sequencers are killed with SIGKILL at random moments, in the
// middle of appends, sequencing and checkpoints, and the log must come back whole.
//
// The children run the BUILT packages (plain Node 20 cannot run the TypeScript sources), so
// beforeAll builds core and adapters with `tsc -b` (incremental: about a second when they are up
// to date, and `npm test` builds first anyway). A stale dist would test old code.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  type Hasher,
  hashLeaf,
  MemoryMerkleTree,
  parseCheckpoint,
  parseNote,
  rootFromLeafHashes,
  type Stores,
  utf8Decode,
} from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import type { Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate-database.js';
import { openPgliteDatabase } from '../db/open-pglite-database.js';
import { openPostgresDatabase } from '../db/open-postgres-database.js';
import { createServerTestDatabase } from '../db/test-databases.test-util.js';
import { parseMasterKey } from '../keys/parse-master-key.js';
import { openStores } from '../stores/sql/open-stores.js';
import { MAX_LOG_RANGE } from './check-log-input.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./sequence-crash-child.test-util.mjs', import.meta.url));
const crypto = nodeCrypto();
const hasher: Hasher = { sha256: (data) => new Uint8Array(crypto.sha256(data)) };
const masterKeyHex = randomBytes(32).toString('hex');

/** What the children reported before they died. */
interface Reports {
  /** Entries whose transaction committed. */
  acked: Set<string>;
  /** Entries of transactions that were rolled back. */
  rolledBack: Set<string>;
  checkpoints: number;
}

function spawnChild(
  target: string[],
  label: string,
  reports: Reports,
): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, [CHILD, ...target, label], {
    cwd: ROOT,
    env: { ...process.env, TRIESTE_TEST_MASTER_KEY: masterKeyHex },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const [kind, ...ids] = line.split(' ');
    if (kind === 'READY') markReady();
    else if (kind === 'A') for (const id of ids) reports.acked.add(id);
    else if (kind === 'R') for (const id of ids) reports.rolledBack.add(id);
    else if (kind === 'C') reports.checkpoints++;
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child ${label} exited with ${code ?? signal} before it was killed: ${stderr}`));
    });
  });
  // A child that dies early rejects `ready` through `exited`.
  return { child, ready: Promise.race([ready, exited.then(() => undefined)]), exited };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `rounds` rounds of `parallel` children, each killed with SIGKILL at a random moment. */
async function crashRepeatedly(target: string[], rounds: number, parallel: number): Promise<Reports> {
  const reports: Reports = { acked: new Set(), rolledBack: new Set(), checkpoints: 0 };
  for (let round = 0; round < rounds; round++) {
    const children = Array.from({ length: parallel }, (_, i) =>
      spawnChild(target, `r${round}w${i}`, reports),
    );
    await Promise.all(children.map((c) => c.ready));
    await Promise.all(
      children.map(async ({ child }) => {
        await pause(150 + Math.random() * 700);
        child.kill('SIGKILL');
      }),
    );
    await Promise.all(children.map((c) => c.exited));
  }
  return reports;
}

async function readAll(stores: Stores, size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let start = 0; start < size; start += MAX_LOG_RANGE) {
    out.push(...(await stores.log.entries(start, Math.min(size, start + MAX_LOG_RANGE))));
  }
  return out;
}

/** Everything the log must still be after the crashes (the test's checks, in one place). */
async function checkRecovered(database: Database, reports: Reports): Promise<void> {
  const stores = await openStores({ database, masterKey: parseMasterKey(masterKeyHex) });
  const idOf = (entry: Uint8Array) => (JSON.parse(utf8Decode(entry)) as { id: string }).id;
  const { size, rootHash } = await stores.log.state();
  expect(size).toBeGreaterThan(0);
  expect(reports.acked.size).toBeGreaterThan(0);

  // Every index 0..size-1 holds exactly one entry, and no entry is both sequenced and pending.
  const entries = await readAll(stores, size);
  expect(entries).toHaveLength(size);
  const pendingRows = await database.query<{ data: Uint8Array }>('SELECT data FROM log_pending ORDER BY id');
  const sequencedIds = entries.map(idOf);
  const pendingIds = pendingRows.map((row) => idOf(row.data));
  const all = [...sequencedIds, ...pendingIds];
  expect(new Set(all).size).toBe(all.length);
  // No committed append lost, no rolled-back one kept.
  const present = new Set(all);
  expect([...reports.acked].filter((id) => !present.has(id))).toEqual([]);
  expect([...reports.rolledBack].filter((id) => present.has(id))).toEqual([]);

  // The stored root and every stored node are those of the tree recomputed from the leaves.
  const leaves = entries.map((entry) => hashLeaf(hasher, entry));
  expect(rootHash).toEqual(rootFromLeafHashes(hasher, leaves));
  const reference = new MemoryMerkleTree(hasher);
  for (const leaf of leaves) reference.append(leaf);
  for (let level = 0; 2 ** level <= size; level++) {
    const count = Math.floor(size / 2 ** level);
    const start = Math.max(0, count - 300);
    const stored = await stores.log.nodes(level, start, count);
    expect(stored).toEqual(
      Array.from({ length: count - start }, (_, i) => reference.nodeSync(level, start + i)),
    );
  }

  // Every checkpoint saved before a crash is one of this tree: same root at its size.
  const checkpoints = await database.query<{ note: string }>(
    'SELECT note FROM log_checkpoints ORDER BY size',
  );
  expect(checkpoints.length).toBeGreaterThan(0);
  for (const { note } of checkpoints) {
    const checkpoint = parseCheckpoint(parseNote(note).text);
    expect(checkpoint.size).toBeLessThanOrEqual(size);
    expect(checkpoint.rootHash).toEqual(reference.root(checkpoint.size));
  }

  // The survivors sequence on: every committed entry ends up in the log exactly once.
  while ((await stores.log.sequence(hasher)).sequenced > 0) {}
  const final = await stores.log.state();
  expect(final.size).toBe(all.length);
  const finalIds = (await readAll(stores, final.size)).map(idOf);
  expect(finalIds.slice(0, size)).toEqual(sequencedIds);
  expect(finalIds.slice(size)).toEqual(pendingIds);
  expect(await stores.log.pending()).toBe(0);
}

describe('the log survives SIGKILLed sequencers', () => {
  beforeAll(() => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', 'packages/core', 'packages/adapters'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }, 180_000);

  describe('on PGlite (one process at a time, as PGlite allows)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'trieste-crash-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('keeps every committed entry exactly once, the root and every checkpoint', async () => {
      const dataDir = join(dir, 'data');
      const reports = await crashRepeatedly(['--data-dir', dataDir], 4, 1);
      const database = await openPgliteDatabase({ dataDir });
      try {
        await migrateDatabase(database);
        await checkRecovered(database, reports);
      } finally {
        await database.close();
      }
    }, 30_000);
  });

  describe('on a PostgreSQL server (two racing sequencer processes)', () => {
    let server: Awaited<ReturnType<typeof createServerTestDatabase>>;
    beforeAll(async () => {
      server = await createServerTestDatabase();
    });
    afterAll(() => server.drop());

    it('keeps every committed entry exactly once, the root and every checkpoint', async () => {
      const reports = await crashRepeatedly(['--database-url', server.url], 5, 2);
      const database = await openPostgresDatabase({ databaseUrl: server.url });
      try {
        await checkRecovered(database, reports);
      } finally {
        await database.close();
      }
    }, 30_000);
  });
});
