import { exportLogTiles, nodeCrypto } from '@trieste/adapters';
import {
  addCosignature,
  base64Decode,
  base64Encode,
  encodeLogEntry,
  formatTlogProof,
  type LogContext,
  logVerifierKey,
  parseTlogProof,
  parseVerifierKey,
  proveConsistency,
  proveInclusion,
  publishCheckpoint,
  TriesteError,
  verifyCheckpoint,
  verifyConsistency,
  verifyTlogProof,
} from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, print } from '../io.js';
import type { Runtime } from '../runtime.js';

function context(runtime: Runtime): LogContext {
  return runtime.log;
}

/**
 * Appends an entry and publishes a checkpoint that includes it. Text becomes an `operator/note`
 * entry (canonical JSON); `--raw` appends the bytes as given, for tests and other tools.
 */
export async function logAppend(
  runtime: Runtime,
  out: Output,
  data: Uint8Array,
  raw: boolean,
): Promise<void> {
  const entry = raw ? data : encodeLogEntry('operator/note', { note: new TextDecoder().decode(data) });
  const before = (await runtime.stores.log.state()).size;
  await runtime.stores.log.append(entry);
  const published = await publishCheckpoint(context(runtime));
  // Other writers may have queued entries too: find ours among those sequenced since `before`.
  const entries = await runtime.stores.log.entries(before, published.size);
  const offset = entries.findIndex((candidate) => equalBytes(candidate, entry));
  const index = offset < 0 ? null : before + offset;
  print(out, `appended at index ${index}; checkpoint size ${published.size}`, {
    index,
    size: published.size,
  });
}

export async function logCheckpoint(runtime: Runtime, out: Output): Promise<void> {
  const published = await publishCheckpoint(context(runtime));
  print(out, published.note.trimEnd(), { size: published.size, note: published.note });
}

export async function logVkey(runtime: Runtime, out: Output): Promise<void> {
  const vkey = await logVerifierKey(context(runtime));
  print(out, vkey, { origin: runtime.log.origin, vkey });
}

/** Writes a c2sp.org/tlog-proof for an entry, carrying the entry itself as its `extra` data. */
export async function logProof(runtime: Runtime, out: Output, index: number): Promise<string> {
  const published = await publishCheckpoint(context(runtime));
  if (index >= published.size) throw new CliError('INPUT_INVALID', `the log has ${published.size} entries`);
  const [entry] = await runtime.stores.log.entries(index, index + 1);
  const proof = await proveInclusion(index, published.size, runtime.stores.log, runtime.crypto);
  const text = formatTlogProof({ index, proof, checkpointNote: published.note, extra: entry });
  print(out, text.trimEnd(), { index, size: published.size, proof: text });
  return text;
}

export interface LogPolicyOptions {
  key?: string;
  /** Print the consistency proof in human output too. */
  showProof?: boolean;
  witnesses?: string[];
  quorum?: number;
}

async function policyFor(runtime: Runtime | undefined, options: LogPolicyOptions) {
  const logKey = options.key ?? (runtime ? await logVerifierKey(context(runtime)) : undefined);
  if (!logKey)
    throw new CliError('USAGE', 'give the log key with --key (no local installation to read it from)');
  return { logKey, witnesses: options.witnesses ?? [], quorum: options.quorum, now: Date.now() / 1000 };
}

/**
 * Verifies a tlog-proof offline: the checkpoint's signatures against the log key (and witness
 * policy), then the entry's inclusion. The entry is the file given with --entry, else the proof's
 * `extra` data (authenticated only by the inclusion proof itself).
 */
export async function logVerifyInclusion(
  runtime: Runtime | undefined,
  out: Output,
  proofText: string,
  entry: Uint8Array | undefined,
  options: LogPolicyOptions,
): Promise<void> {
  const crypto = runtime?.crypto ?? nodeCrypto();
  const policy = await policyFor(runtime, options);
  const data = entry ?? parseTlogProof(proofText).extra;
  if (!data) throw new CliError('USAGE', 'the proof carries no entry: give it with --entry');
  const result = await verifyTlogProof(proofText, data, policy, { crypto });
  print(
    out,
    `VALID: entry ${result.index} is in ${result.checkpoint.origin} at size ${result.checkpoint.size}` +
      (result.cosignedBy.length > 0 ? `, cosigned by ${result.cosignedBy.join(', ')}` : ''),
    {
      valid: true,
      index: result.index,
      origin: result.checkpoint.origin,
      size: result.checkpoint.size,
      cosignedBy: result.cosignedBy,
    },
  );
}

/**
 * Checks that `newer` extends `older`: both checkpoints signed by the log key, and a consistency
 * proof (given with --proof as base64 lines, or built from this installation's log).
 */
export async function logVerifyConsistency(
  runtime: Runtime | undefined,
  out: Output,
  olderNote: string,
  newerNote: string,
  proofText: string | undefined,
  options: LogPolicyOptions,
): Promise<void> {
  const crypto = runtime?.crypto ?? nodeCrypto();
  const policy = await policyFor(runtime, options);
  const older = (await verifyCheckpoint(olderNote, policy, { crypto })).checkpoint;
  const newer = (await verifyCheckpoint(newerNote, policy, { crypto })).checkpoint;
  if (newer.size < older.size) throw new TriesteError('LOG_INCONSISTENT', 'the newer checkpoint is smaller');
  let proof: Uint8Array[];
  if (proofText !== undefined) {
    proof = proofText
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => base64Decode(line));
  } else if (runtime && older.size > 0 && older.size < newer.size) {
    proof = await proveConsistency(older.size, newer.size, runtime.stores.log, crypto);
  } else {
    proof = [];
  }
  if (older.size === newer.size || older.size === 0) {
    // Nothing to prove from an empty tree; equal sizes must have equal roots.
    if (older.size === newer.size && base64Encode(older.rootHash) !== base64Encode(newer.rootHash)) {
      throw new TriesteError(
        'LOG_INCONSISTENT',
        'two checkpoints of one size with different roots: the log forked',
      );
    }
  } else {
    try {
      verifyConsistency(crypto, {
        oldSize: older.size,
        newSize: newer.size,
        oldRoot: older.rootHash,
        newRoot: newer.rootHash,
        proof,
      });
    } catch (cause) {
      throw new TriesteError('LOG_INCONSISTENT', 'the newer checkpoint does not extend the older one', {
        cause,
      });
    }
  }
  const hashes = proof.map((hash) => base64Encode(hash));
  const human = [`CONSISTENT: size ${older.size} → ${newer.size}`, ...(options.showProof ? hashes : [])].join(
    '\n',
  );
  print(out, human, {
    consistent: true,
    oldSize: older.size,
    newSize: newer.size,
    proof: hashes,
  });
}

/** Writes the log as static files (c2sp.org/tlog-tiles) that any web server or CDN can serve. */
export async function logServeDir(runtime: Runtime, out: Output, dir: string): Promise<void> {
  const published = await publishCheckpoint(context(runtime));
  const written = await exportLogTiles(runtime.stores.log, dir, { checkpointNote: published.note });
  print(out, `wrote the log at size ${published.size} to ${dir}`, { dir, size: published.size, written });
}

export async function logWitnessAdd(runtime: Runtime, out: Output, vkey: string): Promise<void> {
  const parsed = parseVerifierKey(runtime.crypto, vkey);
  if (parsed.type !== 'cosignature') {
    throw new CliError('INPUT_INVALID', 'a witness key must be a cosignature/v1 (0x04) verifier key');
  }
  await runtime.stores.log.addWitness({ name: parsed.name, vkey });
  print(out, `witness ${parsed.name} added`, { name: parsed.name, vkey });
}

export async function logWitnessList(runtime: Runtime, out: Output): Promise<void> {
  const witnesses = await runtime.stores.log.witnesses();
  print(out, witnesses.length === 0 ? 'no witnesses' : witnesses.map((w) => w.vkey).join('\n'), witnesses);
}

export async function logCosign(runtime: Runtime, out: Output, line: string): Promise<void> {
  const published = await addCosignature(context(runtime), line);
  print(out, published.note.trimEnd(), { size: published.size, note: published.note });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
