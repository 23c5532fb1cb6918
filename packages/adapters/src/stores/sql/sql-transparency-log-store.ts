import {
  emptyRoot,
  type LogTreeState,
  type LogWitness,
  type TransparencyLogStore,
  TriesteError,
} from '@trieste/core';
import { nodeCrypto } from '../../crypto/node-crypto.js';
import { ADVISORY_LOCK } from '../../db/advisory-locks.js';
import { type Queryable, toSafeInteger } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import {
  checkCheckpointSize,
  checkCosignature,
  checkLogEntry,
  checkMaxBatch,
  checkNodeAddress,
  checkRange,
  checkWitness,
  DEFAULT_SEQUENCE_BATCH,
} from '../../log/check-log-input.js';
import { hashLogBatch, nodeKey, rightEdge, rootFromEdge } from '../../log/hash-log-batch.js';
import { cachedLogSigner, generateLogKey } from '../../log/log-signing-key.js';
import { readCheckpointBody } from '../../log/read-checkpoint-body.js';
import type { LogStoreContext } from '../log-store-context.js';
import { readOrCreateServiceKey } from './sql-service-key.js';

// RFC 9162 fixes SHA-256; checking a checkpoint against the stored tree needs no caller's hasher.
const sha256 = nodeCrypto();

/**
 * TransparencyLogStore over SQL. The sequencer's lock is the log_state row (FOR UPDATE): two
 * sequencers, in one process or two, run one after the other, and the second sees the first's
 * indices. Appends are plain inserts into log_pending, so they never wait for the sequencer.
 */
export function sqlTransparencyLogStore(db: Queryable, context: LogStoreContext): TransparencyLogStore {
  const { clock, encryptionKey, signers } = context;

  return {
    async append(entry) {
      checkLogEntry(entry);
      await db.query('INSERT INTO log_pending (data, queued_at) VALUES ($1, $2)', [
        toParam(entry),
        clock.now(),
      ]);
    },

    async sequence(hasher, options = {}) {
      const maxBatch = checkMaxBatch(options.maxBatch ?? DEFAULT_SEQUENCE_BATCH);
      return db.transaction(async (tx) => {
        const state = await lockState(tx);
        // Oldest first. SKIP LOCKED never skips anything here (the state lock admits one
        // sequencer), but it keeps a stray row lock from stalling the sequencer.
        const taken = await tx.query<{ id: string | number; data: Uint8Array }>(
          `DELETE FROM log_pending WHERE id IN (
             SELECT id FROM log_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
           ) RETURNING id, data`,
          [maxBatch],
        );
        if (taken.length === 0) return { ...state, sequenced: 0 };
        const queue = taken
          .map((row) => ({ id: toSafeInteger(row.id, 'id'), data: row.data }))
          .sort((a, b) => a.id - b.id);
        const batch = hashLogBatch(
          hasher,
          state.size,
          await readEdge(tx, state.size),
          queue.map((row) => row.data),
        );
        // One statement per table (arrays through UNNEST): batched inserts are ~10x single rows.
        await tx.query(
          `INSERT INTO log_entries (idx, data, leaf_hash)
           SELECT $1::bigint + ord - 1, data, leaf_hash
           FROM unnest($2::bytea[], $3::bytea[]) WITH ORDINALITY AS batch (data, leaf_hash, ord)`,
          [state.size, queue.map((row) => toParam(row.data)), batch.leafHashes.map(toParam)],
        );
        await tx.query(
          `INSERT INTO log_nodes (level, idx, hash)
           SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
          [
            batch.nodes.map((node) => node.level),
            batch.nodes.map((node) => node.index),
            batch.nodes.map((node) => toParam(node.hash)),
          ],
        );
        const size = state.size + queue.length;
        await tx.query('UPDATE log_state SET size = $1, root_hash = $2', [size, toParam(batch.rootHash)]);
        return { size, rootHash: toBytes(batch.rootHash), sequenced: queue.length };
      });
    },

    state: () => readState(db),

    async pending() {
      const rows = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM log_pending');
      return toSafeInteger(rows[0]?.n ?? 0, 'count');
    },

    async entries(start, end) {
      checkRange(start, end);
      if (start === end) return [];
      const rows = await db.query<{ data: Uint8Array }>(
        'SELECT data FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
        [start, end],
      );
      if (rows.length !== end - start) throw notSequenced();
      return rows.map((row) => toBytes(row.data));
    },

    async node(level, index) {
      checkNodeAddress(level, index);
      const rows = await db.query<{ hash: Uint8Array }>(
        'SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2',
        [level, index],
      );
      if (!rows[0]) throw notSequenced();
      return toBytes(rows[0].hash);
    },

    async nodesAt(addresses) {
      for (const { level, index } of addresses) checkNodeAddress(level, index);
      if (addresses.length === 0) return [];
      // One round trip for a whole proof: the addresses in order, joined to the stored nodes.
      const rows = await db.query<{ hash: Uint8Array }>(
        `SELECT n.hash FROM unnest($1::smallint[], $2::bigint[]) WITH ORDINALITY AS a(level, idx, ord)
         JOIN log_nodes n ON n.level = a.level AND n.idx = a.idx ORDER BY a.ord`,
        [addresses.map((a) => a.level), addresses.map((a) => a.index)],
      );
      if (rows.length !== addresses.length) throw notSequenced();
      return rows.map((row) => toBytes(row.hash));
    },

    async nodes(level, start, end) {
      checkNodeAddress(level, start);
      checkRange(start, end);
      if (start === end) return [];
      const rows = await db.query<{ hash: Uint8Array }>(
        'SELECT hash FROM log_nodes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx',
        [level, start, end],
      );
      if (rows.length !== end - start) throw notSequenced();
      return rows.map((row) => toBytes(row.hash));
    },

    async saveCheckpoint({ size, note }) {
      checkCheckpointSize(size);
      const body = readCheckpointBody(note);
      if (body.size !== size) throw inconsistent('the checkpoint note is for another size');
      await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [ADVISORY_LOCK.logCheckpoint]);
        const latest = await readLatestCheckpoint(tx);
        if (latest && size < latest.size)
          throw inconsistent('a checkpoint of a larger size is saved already');
        if (latest && size === latest.size) {
          if (note === latest.note) return;
          throw inconsistent('another checkpoint of this size is saved already');
        }
        const state = await readState(tx);
        if (size > state.size) throw inconsistent('the checkpoint is ahead of the sequenced log');
        const root =
          size === state.size ? state.rootHash : rootFromEdge(sha256, size, await readEdge(tx, size));
        if (!Buffer.from(root).equals(body.rootHash)) {
          throw inconsistent('the checkpoint root hash is not the log root at its size');
        }
        await tx.query('INSERT INTO log_checkpoints (size, note, created_at) VALUES ($1, $2, $3)', [
          size,
          note,
          clock.now(),
        ]);
      });
    },

    latestCheckpoint: () => readLatestCheckpoint(db),

    async signer() {
      const stored = await readOrCreateServiceKey(
        db,
        { table: 'log_keys', alg: 'EdDSA', lock: ADVISORY_LOCK.logKey },
        () => generateLogKey(encryptionKey, clock.now()),
        (signer) => signers.set(signer),
      );
      return cachedLogSigner(signers, encryptionKey, stored);
    },

    async addWitness(witness) {
      checkWitness(witness);
      const inserted = await db.query(
        'INSERT INTO log_witnesses (name, vkey) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name',
        [witness.name, witness.vkey],
      );
      if (inserted.length === 1) return;
      const rows = await db.query<{ vkey: string }>('SELECT vkey FROM log_witnesses WHERE name = $1', [
        witness.name,
      ]);
      if (rows[0]?.vkey !== witness.vkey) {
        throw new AdapterError('DUPLICATE', 'a witness of this name is configured with another key');
      }
    },

    async witnesses() {
      return db.query<LogWitness>('SELECT name, vkey FROM log_witnesses ORDER BY name');
    },

    async saveCosignature(cosignature) {
      checkCosignature(cosignature);
      const { size, witness, line } = cosignature;
      // Checked in the statement, not by a foreign-key error, which would abort a caller's transaction.
      const inserted = await db.query(
        `INSERT INTO log_cosignatures (size, witness, line)
         SELECT $1::bigint, $2::text, $3::text
         WHERE EXISTS (SELECT 1 FROM log_checkpoints WHERE size = $1::bigint)
           AND EXISTS (SELECT 1 FROM log_witnesses WHERE name = $2::text)
         ON CONFLICT (size, witness) DO NOTHING RETURNING size`,
        [size, witness, line],
      );
      if (inserted.length === 1) return;
      // A witness's first cosignature of a size is kept; a later one (another timestamp) is not news.
      const kept = await db.query('SELECT 1 FROM log_cosignatures WHERE size = $1 AND witness = $2', [
        size,
        witness,
      ]);
      if (kept.length === 0) throw new AdapterError('NOT_FOUND', 'no such checkpoint size or witness');
    },

    async cosignatures(size) {
      checkCheckpointSize(size);
      return db.query<{ witness: string; line: string }>(
        'SELECT witness, line FROM log_cosignatures WHERE size = $1 ORDER BY witness',
        [size],
      );
    },
  };
}

/** Locks the state row until commit; creates it if the table was emptied (as the tests do). */
async function lockState(tx: Queryable): Promise<LogTreeState> {
  const select = () => tx.query<StateRow>('SELECT size, root_hash FROM log_state WHERE singleton FOR UPDATE');
  let rows = await select();
  if (rows.length === 0) {
    await tx.query(
      'INSERT INTO log_state (singleton, size, root_hash) VALUES (true, 0, $1) ON CONFLICT DO NOTHING',
      [toParam(emptyRoot(sha256))],
    );
    rows = await select();
  }
  return toState(rows[0]!);
}

async function readState(db: Queryable): Promise<LogTreeState> {
  const rows = await db.query<StateRow>('SELECT size, root_hash FROM log_state WHERE singleton');
  return rows[0] ? toState(rows[0]) : { size: 0, rootHash: toBytes(emptyRoot(sha256)) };
}

/** The right-edge nodes of the tree of `size` leaves, in one primary-key read. */
async function readEdge(db: Queryable, size: number): Promise<Map<string, Uint8Array>> {
  const edge = rightEdge(size);
  const nodes = new Map<string, Uint8Array>();
  if (edge.length === 0) return nodes;
  const rows = await db.query<{ level: number; idx: string | number; hash: Uint8Array }>(
    `SELECT level, idx, hash FROM log_nodes
     WHERE (level, idx) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))`,
    [edge.map((node) => node.level), edge.map((node) => node.index)],
  );
  for (const row of rows) nodes.set(nodeKey(row.level, toSafeInteger(row.idx, 'idx')), toBytes(row.hash));
  return nodes;
}

async function readLatestCheckpoint(db: Queryable): Promise<{ size: number; note: string } | undefined> {
  const rows = await db.query<{ size: string | number; note: string }>(
    'SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1',
  );
  return rows[0] && { size: toSafeInteger(rows[0].size, 'size'), note: rows[0].note };
}

interface StateRow {
  size: string | number;
  root_hash: Uint8Array;
}

function toState(row: StateRow): LogTreeState {
  return { size: toSafeInteger(row.size, 'size'), rootHash: toBytes(row.root_hash) };
}

/** A plain Uint8Array copy: pg returns Buffers that may be views of a shared pool. */
function toBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

/** pg serialises Buffers (also inside arrays) as bytea; PGlite takes them as Uint8Arrays. */
function toParam(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function notSequenced(): AdapterError {
  return new AdapterError('NOT_FOUND', 'the log has not sequenced that far');
}

function inconsistent(message: string): TriesteError {
  return new TriesteError('LOG_INCONSISTENT', message);
}
