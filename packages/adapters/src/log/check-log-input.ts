import { TriesteError } from '@trieste/core';

/** tlog-tiles entry bundles give each entry a 2-byte length (c2sp.org/tlog-tiles §Log entries). */
export const MAX_LOG_ENTRY_BYTES = 65535;

/** Default and largest batch of one `sequence` call: bounds its transaction's time and memory. */
export const DEFAULT_SEQUENCE_BATCH = 10_000;
export const MAX_SEQUENCE_BATCH = 100_000;

/** Largest range one `entries` or `nodes` call reads: 256 full tiles. */
export const MAX_LOG_RANGE = 65_536;

/** An entry must be bytes (else a caller bug) that fit an entry bundle (else LOG_ENTRY_INVALID). */
export function checkLogEntry(entry: unknown): asserts entry is Uint8Array {
  if (!(entry instanceof Uint8Array)) throw new TypeError('a log entry must be a Uint8Array');
  if (entry.length > MAX_LOG_ENTRY_BYTES) {
    throw new TriesteError('LOG_ENTRY_INVALID', `a log entry is at most ${MAX_LOG_ENTRY_BYTES} bytes`);
  }
}

export function checkMaxBatch(maxBatch: unknown): number {
  if (!Number.isInteger(maxBatch) || (maxBatch as number) < 1 || (maxBatch as number) > MAX_SEQUENCE_BATCH) {
    throw new TypeError(`maxBatch must be an integer in [1, ${MAX_SEQUENCE_BATCH}]`);
  }
  return maxBatch as number;
}

/** [start, end) of at most MAX_LOG_RANGE items; whether they are sequenced is the store's answer. */
export function checkRange(start: unknown, end: unknown): asserts start is number {
  if (!isCount(start) || !isCount(end) || end < start) {
    throw new TypeError('a log range must be safe integers with 0 <= start <= end');
  }
  if (end - start > MAX_LOG_RANGE) throw new TypeError(`a log range holds at most ${MAX_LOG_RANGE} items`);
}

export function checkNodeAddress(level: unknown, index: unknown): void {
  if (!Number.isInteger(level) || (level as number) < 0 || (level as number) > 62 || !isCount(index)) {
    throw new TypeError('a node is addressed by an integer level in [0, 62] and a safe integer index');
  }
}

export function checkCheckpointSize(size: unknown): asserts size is number {
  if (!isCount(size)) throw new TypeError('a checkpoint size must be a safe integer >= 0');
}

export function checkWitness(witness: { name: unknown; vkey: unknown }): void {
  const { name, vkey } = witness;
  if (typeof name !== 'string' || name === '' || typeof vkey !== 'string') {
    throw new TypeError('a witness has a non-empty name and a vkey');
  }
  // c2sp.org/signed-note §Verifier keys: <name>+<hex key ID>+<base64 key>. The caller parses and
  // checks the key; here only that it is the named witness's key, so a row cannot mix two witnesses.
  if (!vkey.startsWith(`${name}+`)) throw new TypeError("a witness's vkey must start with its name and '+'");
}

export function checkCosignature(cosignature: { size: unknown; witness: unknown; line: unknown }): void {
  checkCheckpointSize(cosignature.size);
  if (typeof cosignature.witness !== 'string' || cosignature.witness === '') {
    throw new TypeError('a cosignature names its witness');
  }
  if (typeof cosignature.line !== 'string' || cosignature.line === '' || cosignature.line.includes('\n')) {
    throw new TypeError('a cosignature is one signature line');
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
