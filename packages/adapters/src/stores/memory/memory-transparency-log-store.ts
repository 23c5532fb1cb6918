import { type TransparencyLogStore, TriesteError } from '@trieste/core';
import { nodeCrypto } from '../../crypto/node-crypto.js';
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
import type { MemoryLog, MemoryScope } from './memory-store-data.js';

const sha256 = nodeCrypto();

/** The same rules as the SQL store; every operation is one synchronous section, so atomic. */
export function memoryTransparencyLogStore(
  scope: MemoryScope,
  context: LogStoreContext,
): TransparencyLogStore {
  const { clock, encryptionKey, signers } = context;
  const notSequenced = () => new AdapterError('NOT_FOUND', 'the log has not sequenced that far');
  const inconsistent = (message: string) => new TriesteError('LOG_INCONSISTENT', message);
  const edgeOf = (log: MemoryLog, size: number) =>
    new Map(rightEdge(size).map(({ level, index }) => [nodeKey(level, index), log.nodes[level]![index]!]));

  return {
    async append(entry) {
      checkLogEntry(entry);
      const data = Uint8Array.from(entry);
      await scope.run((state) => void state.log.pending.push({ data, queuedAt: clock.now() }));
    },

    async sequence(hasher, options = {}) {
      const maxBatch = checkMaxBatch(options.maxBatch ?? DEFAULT_SEQUENCE_BATCH);
      return scope.run(({ log }) => {
        const size = log.entries.length;
        const taken = log.pending.slice(0, maxBatch).map((pending) => pending.data);
        // Everything is computed before anything changes, so a failure leaves the log as it was.
        const batch = hashLogBatch(hasher, size, edgeOf(log, size), taken);
        log.pending.splice(0, taken.length);
        for (const entry of taken) log.entries.push(entry);
        for (const node of batch.nodes) {
          const row = log.nodes[node.level] ?? [];
          row[node.index] = copy(node.hash);
          log.nodes[node.level] = row;
        }
        log.rootHash = copy(batch.rootHash);
        return { size: log.entries.length, rootHash: copy(batch.rootHash), sequenced: taken.length };
      });
    },

    state: () => scope.run(({ log }) => ({ size: log.entries.length, rootHash: copy(log.rootHash) })),

    pending: () => scope.run(({ log }) => log.pending.length),

    async entries(start, end) {
      checkRange(start, end);
      return scope.run(({ log }) => {
        if (start === end) return [];
        if (end > log.entries.length) throw notSequenced();
        return log.entries.slice(start, end).map(copy);
      });
    },

    async node(level, index) {
      checkNodeAddress(level, index);
      return scope.run(({ log }) => {
        const hash = log.nodes[level]?.[index];
        if (!hash) throw notSequenced();
        return copy(hash);
      });
    },

    async nodesAt(addresses) {
      for (const { level, index } of addresses) checkNodeAddress(level, index);
      return scope.run(({ log }) =>
        addresses.map(({ level, index }) => {
          const hash = log.nodes[level]?.[index];
          if (!hash) throw notSequenced();
          return copy(hash);
        }),
      );
    },

    async nodes(level, start, end) {
      checkNodeAddress(level, start);
      checkRange(start, end);
      return scope.run(({ log }) => {
        if (start === end) return [];
        const row = log.nodes[level];
        if (!row || end > row.length) throw notSequenced();
        return row.slice(start, end).map(copy);
      });
    },

    async saveCheckpoint({ size, note }) {
      checkCheckpointSize(size);
      const body = readCheckpointBody(note);
      if (body.size !== size) throw inconsistent('the checkpoint note is for another size');
      await scope.run(({ log }) => {
        const latest = log.checkpoints.at(-1);
        if (latest && size < latest.size)
          throw inconsistent('a checkpoint of a larger size is saved already');
        if (latest && size === latest.size) {
          if (note === latest.note) return;
          throw inconsistent('another checkpoint of this size is saved already');
        }
        if (size > log.entries.length) throw inconsistent('the checkpoint is ahead of the sequenced log');
        if (!Buffer.from(rootFromEdge(sha256, size, edgeOf(log, size))).equals(body.rootHash)) {
          throw inconsistent('the checkpoint root hash is not the log root at its size');
        }
        log.checkpoints.push({ size, note, createdAt: clock.now() });
      });
    },

    latestCheckpoint: () =>
      scope.run(({ log }) => {
        const latest = log.checkpoints.at(-1);
        return latest && { size: latest.size, note: latest.note };
      }),

    async signer() {
      const stored = await scope.run(({ log }) => {
        log.key ??= generateLogKey(encryptionKey, clock.now()).stored;
        return structuredClone(log.key);
      });
      return cachedLogSigner(signers, encryptionKey, stored);
    },

    async addWitness(witness) {
      checkWitness(witness);
      const { name, vkey } = witness;
      await scope.run(({ log }) => {
        const existing = log.witnesses.get(name);
        if (existing !== undefined && existing !== vkey) {
          throw new AdapterError('DUPLICATE', 'a witness of this name is configured with another key');
        }
        log.witnesses.set(name, vkey);
      });
    },

    witnesses: () =>
      scope.run(({ log }) =>
        [...log.witnesses]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, vkey]) => ({ name, vkey })),
      ),

    async saveCosignature(cosignature) {
      checkCosignature(cosignature);
      const { size, witness, line } = cosignature;
      await scope.run(({ log }) => {
        if (!log.witnesses.has(witness) || !log.checkpoints.some((c) => c.size === size)) {
          throw new AdapterError('NOT_FOUND', 'no such checkpoint size or witness');
        }
        const lines = log.cosignatures.get(size) ?? new Map<string, string>();
        // A witness's first cosignature of a size is kept, as on SQL.
        if (!lines.has(witness)) lines.set(witness, line);
        log.cosignatures.set(size, lines);
      });
    },

    async cosignatures(size) {
      checkCheckpointSize(size);
      return scope.run(({ log }) =>
        [...(log.cosignatures.get(size) ?? [])]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([witness, line]) => ({ witness, line })),
      );
    },
  };
}

/** A plain Uint8Array copy, so no caller can alter what is stored (Buffer.slice would be a view). */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
