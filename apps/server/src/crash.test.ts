// Crashes (issue 4): the server process is killed with SIGKILL in the middle of a stream of
// issuance and revocation requests, a few times, and restarted on the same database: the embedded
// one (PGlite in a data directory) and a PostgreSQL server (a fresh database for the test).
// Whatever a client was told happened must still be there, nothing may be half-written, and the
// restarted server carries on.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, nodeCrypto, openPgliteDatabase, openPostgresDatabase } from '@trieste/adapters';
import {
  decodeCompactJws,
  hashLeaf,
  MemoryMerkleTree,
  type PublicJwk,
  proveConsistency,
  STATUS,
  verifyCheckpoint,
  verifyConsistency,
  verifyStatusListToken,
} from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerTestDatabase } from '../../../packages/adapters/src/db/test-databases.test-util.js';
import { walletKey } from './issuer/wallet.test-util.js';
import {
  buildServer,
  createOffer,
  keyProof,
  preAuthorizedCode,
  randomMasterKey,
  requestCredential,
  requestNonce,
  requestToken,
  type ServerProcess,
  startServer,
  statusReference,
} from './server-process.test-util.js';

const ISSUER = 'http://trieste.test';
const ROUNDS = 3;
const crypto = nodeCrypto();
const hasher = { sha256: (data: Uint8Array) => new Uint8Array(crypto.sha256(data)) };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the clients were told before each crash. */
interface Acknowledged {
  /** Credentials received (the 200 of the credential endpoint reached the client). */
  credentials: string[];
  /** Revocations answered with 200: list/index. */
  revoked: Array<{ listId: string; index: number }>;
}

/** Where the installation keeps its data: the environment that points a server at it, and a way in. */
interface Backend {
  env: Record<string, string>;
  /** Opens the database directly, once the servers are stopped, to check what survived. */
  open(): Promise<Database>;
}

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  buildServer();
  dir = await mkdtemp(join(tmpdir(), 'trieste-crash-'));
}, 120_000);
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** One wallet after another, each through offer, token, nonce and credential, until stopped. */
async function issueUntil(
  server: string,
  adminKey: string,
  stop: () => boolean,
  acked: Acknowledged,
  worker: number,
) {
  for (let n = 0; !stop(); n++) {
    try {
      const offer = await createOffer(server, adminKey, `W${worker}N${n}`);
      const token = await requestToken(server, preAuthorizedCode(offer), offer.tx_code);
      const { access_token } = (await token.json()) as { access_token: string };
      const key = await walletKey();
      const proof = await keyProof(key, ISSUER, await requestNonce(server));
      const response = await requestCredential(server, access_token, [proof]);
      if (response.status === 200) {
        const body = (await response.json()) as { credentials: Array<{ credential: string }> };
        acked.credentials.push(...body.credentials.map((c) => c.credential));
      }
    } catch {
      // The connection died with the server: nothing was acknowledged.
    }
  }
}

/** Revokes credentials received earlier, each once, until stopped. */
async function revokeUntil(
  server: string,
  adminKey: string,
  stop: () => boolean,
  acked: Acknowledged,
  pending: string[],
) {
  while (!stop()) {
    const credential = pending.shift();
    if (!credential) {
      await pause(10);
      continue;
    }
    const ref = statusReference(credential);
    try {
      const response = await fetch(`${server}/admin/credentials/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ list: ref.listId, index: ref.index, status: 'invalid' }),
      });
      if (response.status === 200) acked.revoked.push(ref);
    } catch {
      // Unacknowledged: the revocation may or may not have happened.
    }
  }
}

/**
 * The scenario, on one backend: ROUNDS times, a server is started, four wallets issue and one
 * client revokes credentials of earlier rounds, and the server is SIGKILLed after 0.4 to 1.2 s.
 * Then a last server carries on and stops cleanly, and the database is checked directly.
 */
async function killDuringIssuanceAndRevocation(backend: Backend): Promise<void> {
  const env = {
    ...backend.env,
    TRIESTE_MASTER_KEY: randomMasterKey(),
    TRIESTE_ISSUER: ISSUER,
    TRIESTE_SEQUENCER_INTERVAL_MS: '50',
  };
  const acked: Acknowledged = { credentials: [], revoked: [] };
  const attempted = new Set<string>();
  let adminKey = '';
  let vkey = '';
  for (let round = 0; round < ROUNDS; round++) {
    const server: ServerProcess = await startServer(env);
    if (round === 0) {
      adminKey = server.adminKey!;
      vkey = (await (await fetch(`${server.url}/log/vkey`)).text()).trim();
    }
    let stopped = false;
    const stop = () => stopped;
    // Every other credential of earlier rounds is revoked in this one (each tried once), while
    // new ones are issued.
    const pending = acked.credentials.filter((c, i) => i % 2 === 0 && !attempted.has(c));
    for (const credential of pending) attempted.add(credential);
    const workers = [
      ...[0, 1, 2, 3].map((w) => issueUntil(server.url, adminKey, stop, acked, round * 10 + w)),
      revokeUntil(server.url, adminKey, stop, acked, pending),
    ];
    await pause(400 + Math.random() * 800);
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    stopped = true;
    await Promise.all(workers);
  }
  // The stream really ran: issuance in every round, revocations in the later ones.
  expect(acked.credentials.length).toBeGreaterThan(ROUNDS);
  expect(acked.revoked.length).toBeGreaterThan(0);

  // Restarted on the same data: it carries on issuing and revoking, then stops cleanly.
  const server = await startServer(env);
  const before = acked.credentials.length;
  await issueUntil(server.url, adminKey, () => acked.credentials.length > before, acked, 99);
  const last = acked.credentials.at(-1)!;
  const pending = [last];
  await revokeUntil(server.url, adminKey, () => pending.length === 0, acked, pending);
  expect(acked.revoked.at(-1)).toEqual(statusReference(last));
  await pause(200); // a sequencer round for the last entries
  expect(await server.stop()).toBe(0);

  const database = await backend.open();
  try {
    await checkInvariants(database, acked, vkey);
  } finally {
    await database.close();
  }
}

/** What must hold after the crashes, read straight from the database. */
async function checkInvariants(database: Database, acked: Acknowledged, vkey: string): Promise<void> {
  // Every credential a client received has its issued-credential record.
  const records = await database.query<{ list: string; idx: number | string }>(
    'SELECT status_list_id AS list, status_index AS idx FROM credentials',
  );
  const recorded = new Set(records.map((r) => `${r.list}/${Number(r.idx)}`));
  const received = acked.credentials.map(statusReference).map((r) => `${r.listId}/${r.index}`);
  expect(received.filter((r) => !recorded.has(r))).toEqual([]);

  // The latest version of every list verifies, and says exactly what the store says; every
  // acknowledged revocation is in it.
  const keys = await database.query<{ kid: string; public_jwk: PublicJwk }>(
    'SELECT kid, public_jwk FROM issuer_keys',
  );
  const lists = await database.query<{ id: string }>('SELECT id FROM status_lists');
  for (const { id } of lists) {
    const [latest] = await database.query<{ token: string }>(
      'SELECT token FROM status_list_versions WHERE list_id = $1 ORDER BY version DESC LIMIT 1',
      [id],
    );
    expect(latest, `list ${id} has a published version`).toBeDefined();
    const kid = decodeCompactJws(latest!.token).header['kid'];
    const key = keys.find((k) => k.kid === kid)!.public_jwk;
    const verified = await verifyStatusListToken(latest!.token, {
      key,
      uri: `${ISSUER}/status/${id}`,
      now: Date.now() / 1000,
      crypto,
    });
    const entries = await database.query<{ idx: number | string; status: number }>(
      'SELECT idx, status FROM status_entries WHERE list_id = $1',
      [id],
    );
    for (const entry of entries) expect(verified.list.get(Number(entry.idx))).toBe(entry.status);
    for (const ref of acked.revoked.filter((r) => r.listId === id)) {
      expect(verified.list.get(ref.index)).toBe(STATUS.INVALID);
    }
  }

  // The log: every stored checkpoint verifies, is a tree of the stored entries, and each is
  // consistent with the one before; the stored root is the recomputed root.
  const entries = await database.query<{ data: Uint8Array }>('SELECT data FROM log_entries ORDER BY idx');
  const tree = new MemoryMerkleTree(hasher);
  for (const { data } of entries) tree.append(hashLeaf(hasher, new Uint8Array(data)));
  const [state] = await database.query<{ size: number | string; root_hash: Uint8Array }>(
    'SELECT size, root_hash FROM log_state',
  );
  expect(Number(state!.size)).toBe(entries.length);
  expect(new Uint8Array(state!.root_hash)).toEqual(tree.root());
  const notes = await database.query<{ note: string }>('SELECT note FROM log_checkpoints ORDER BY size');
  let previous: { size: number; rootHash: Uint8Array } | undefined;
  for (const { note } of notes) {
    const { checkpoint } = await verifyCheckpoint(note, { logKey: vkey }, { crypto });
    expect(checkpoint.rootHash).toEqual(tree.root(checkpoint.size));
    if (previous && previous.size > 0) {
      verifyConsistency(hasher, {
        oldSize: previous.size,
        newSize: checkpoint.size,
        oldRoot: previous.rootHash,
        newRoot: checkpoint.rootHash,
        proof: await proveConsistency(previous.size, checkpoint.size, tree, hasher),
      });
    }
    previous = checkpoint;
  }
  expect(previous?.size).toBe(entries.length);
}

describe('SIGKILL in the middle of issuance and revocation', () => {
  it('embedded database: loses no acknowledged record, half-writes no status list, keeps the log whole, and carries on', async () => {
    const dataDir = join(dir, 'data');
    await killDuringIssuanceAndRevocation({
      env: { TRIESTE_DATA_DIR: dataDir },
      open: () => openPgliteDatabase({ dataDir: join(dataDir, 'pg') }),
    });
  }, 90_000);

  it('PostgreSQL server: the same, with the transactions cut by the server dropping the connection', async () => {
    const server = await createServerTestDatabase();
    cleanups.push(() => server.drop());
    await killDuringIssuanceAndRevocation({
      // The data directory stays empty: everything is in PostgreSQL.
      env: { DATABASE_URL: server.url, TRIESTE_DATA_DIR: join(dir, 'unused') },
      open: () => openPostgresDatabase({ databaseUrl: server.url }),
    });
  }, 60_000);
});
