import { createHmac, hkdfSync } from 'node:crypto';
import type {
  AdjudicationCase,
  ImportRowResult,
  NewPerson,
  PersonChange,
  PreparedQueries,
  VidRecord,
} from '@trieste/core';
import { deriveIssuerKeyEncryptionKey, type MasterKey } from '../keys/master-key.js';

/**
 * The key that digests VIDs for storage (HMAC-SHA-256): HKDF from the master key's issuer KEK with
 * its own label, so the database alone cannot link a VID to its row or test a guess.
 */
export function deriveVidDigestKey(masterKey: MasterKey): Uint8Array {
  return new Uint8Array(
    hkdfSync(
      'sha256',
      deriveIssuerKeyEncryptionKey(masterKey),
      new Uint8Array(0),
      'trieste/registry-vids/v1',
      32,
    ),
  );
}

export function vidDigest(key: Uint8Array, vid: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(vid, 'utf8').digest());
}

/**
 * A blocking key as stored: a 53-bit hash of it (cyrb53, a public-domain string hash), as text for
 * a bigint column. Not cryptographic and need not be: keys are no secret (they are derived from
 * names and dates the row holds anyway), and two keys that collide only merge two blocks, which
 * scoring sorts out. A bulk import hashes tens of thousands of keys per batch, where a SHA-256 per
 * key cost more than the database work. Changing it needs a migration that rehashes the table.
 */
export function keyHash(key: string): string {
  return String(cyrb53(key, 0));
}

/**
 * The keys of many lookups (a bulk import batch, one lookup per row), hashed as `keyHash` does, for
 * one statement over all of them and back: `hashes` are the distinct hashes in ascending order, and
 * `lookupsOf` names the lookups that asked a hash the statement found. Typed arrays, not a map of
 * strings: a batch asks about 150,000 keys, and building a map of that many hashes as text cost
 * more than the statement itself.
 */
export class LookupKeyIndex implements PreparedQueries {
  /** How many lookups. */
  readonly lookups: number;
  /** The distinct hashes, ascending. */
  readonly hashes: Float64Array;
  /** For the hash at position p, its lookups are `lookupsAt[start[p]..start[p + 1])`. */
  private readonly start: Int32Array;
  private readonly lookupsAt: Int32Array;
  #literal: string | undefined;

  constructor(keysOfLookups: ReadonlyArray<readonly string[]>) {
    this.lookups = keysOfLookups.length;
    let total = 0;
    for (const keys of keysOfLookups) total += keys.length;
    const hashOf = new Float64Array(total);
    const lookupOf = new Int32Array(total);
    let at = 0;
    keysOfLookups.forEach((keys, lookup) => {
      for (const key of keys) {
        hashOf[at] = cyrb53(key, 0);
        lookupOf[at] = lookup;
        at++;
      }
    });
    const sorted = hashOf.slice().sort();
    let distinct = 0;
    for (let i = 0; i < total; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
    }
    this.hashes = sorted.subarray(0, distinct);
    // Counting sort of the (hash, lookup) entries by the hash's position.
    const position = new Int32Array(total);
    const start = new Int32Array(distinct + 1);
    for (let i = 0; i < total; i++) {
      const p = this.positionOf(hashOf[i]!);
      position[i] = p;
      start[p + 1] = start[p + 1]! + 1;
    }
    for (let p = 0; p < distinct; p++) start[p + 1] = start[p + 1]! + start[p]!;
    const next = start.slice(0, distinct);
    this.lookupsAt = new Int32Array(total);
    for (let i = 0; i < total; i++) {
      const p = position[i]!;
      this.lookupsAt[next[p]!] = lookupOf[i]!;
      next[p] = next[p]! + 1;
    }
    this.start = start;
  }

  /** The hashes as one PostgreSQL array literal (decimal digits), written once. */
  literal(): string {
    this.#literal ??= integerArrayLiteral(this.hashes);
    return this.#literal;
  }

  /** The lookups that asked `hash` (decimal digits, as the database returns a bigint as text). */
  lookupsOf(hash: string): Int32Array {
    const p = this.positionOf(Number(hash));
    return p < 0 ? new Int32Array(0) : this.lookupsAt.subarray(this.start[p]!, this.start[p + 1]!);
  }

  private positionOf(hash: number): number {
    let low = 0;
    let high = this.hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.hashes[middle]!;
      if (value < hash) low = middle + 1;
      else if (value > hash) high = middle - 1;
      else return middle;
    }
    return -1;
  }
}

/**
 * Whole numbers from 0 to 2^53 - 1 as one PostgreSQL array literal (`{1,22,333}`), written digit by
 * digit into one buffer: `Float64Array.join` formats each double through the general
 * number-to-text path, twice the time for the ~150,000 hashes of an import batch.
 */
export function integerArrayLiteral(values: Float64Array): string {
  // At most 16 digits (below 2^53) and a comma a value, and the braces.
  const out = Buffer.allocUnsafe(values.length * 17 + 2);
  const digits = new Uint8Array(16);
  let at = 0;
  out[at++] = 0x7b; // {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('not a whole number below 2^53');
    if (i > 0) out[at++] = 0x2c; // ,
    // Two parts below 2^31, so the digits come from integer arithmetic.
    let high = Math.floor(value / 1e8);
    let low = value - high * 1e8;
    let n = 0;
    if (high === 0) {
      do {
        digits[n++] = 0x30 + (low % 10);
        low = (low / 10) | 0;
      } while (low > 0);
    } else {
      for (let k = 0; k < 8; k++) {
        digits[n++] = 0x30 + (low % 10);
        low = (low / 10) | 0;
      }
      do {
        digits[n++] = 0x30 + (high % 10);
        high = (high / 10) | 0;
      } while (high > 0);
    }
    while (n > 0) out[at++] = digits[--n]!;
  }
  out[at++] = 0x7d; // }
  return out.toString('latin1', 0, at);
}

/** Each list sorted ascending with its repeats removed, in place. */
export function sortDistinct(lists: number[][]): void {
  for (const list of lists) {
    if (list.length < 2) continue;
    list.sort((a, b) => a - b);
    let kept = 1;
    for (let i = 1; i < list.length; i++) if (list[i] !== list[kept - 1]) list[kept++] = list[i]!;
    list.length = kept;
  }
}

/** The lock stripe of a blocking key: 16 bits of an independent hash of it. */
export function keyStripe(key: string): number {
  return cyrb53(key, 0x5f3759df) & 0xffff;
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export const STRIPES = 65536;
/** How many UINs an insert draws before giving up (UIN_UNAVAILABLE): the space holds ~58 million. */
export const UIN_DRAWS = 20;

const ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Shape checks shared by both stores: a malformed argument is the caller's bug (TypeError). */
export function checkId(id: unknown, name: string): asserts id is string {
  if (typeof id !== 'string' || !ID.test(id)) throw new TypeError(`${name} must be a 128-bit base64url id`);
}

export function checkNewPerson(person: NewPerson): void {
  checkId(person?.id, 'person id');
  if (person.state !== 'pending' && person.state !== 'active')
    throw new TypeError('a new person is pending or active');
  if (typeof person.data !== 'object' || person.data === null)
    throw new TypeError('person data must be an object');
  if (
    !person.enrolment ||
    typeof person.enrolment.registrar !== 'string' ||
    typeof person.enrolment.office !== 'string'
  ) {
    throw new TypeError('person enrolment must name registrar and office');
  }
  if (!Number.isFinite(person.enrolment.at)) throw new TypeError('enrolment time must be a number');
  checkKeys(person.blockingKeys);
}

export function checkListPersons(options: { after?: string; limit: number }): void {
  if (!Number.isSafeInteger(options?.limit) || options.limit < 1 || options.limit > 10_000) {
    throw new TypeError('limit must be a whole number from 1 to 10,000');
  }
  if (options.after !== undefined && typeof options.after !== 'string')
    throw new TypeError('after must be an id');
}

export function checkKeys(keys: readonly string[]): void {
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === '' || k.length > 200)) {
    throw new TypeError('blocking keys must be non-empty strings');
  }
}

export function checkChange(change: PersonChange): void {
  if (typeof change !== 'object' || change === null) throw new TypeError('change must be an object');
  if (change.blockingKeys !== undefined) checkKeys(change.blockingKeys);
  if (change.state === 'merged' && !change.mergedInto)
    throw new TypeError('a merge names the surviving record');
  if (change.mergedInto !== undefined) checkId(change.mergedInto, 'mergedInto');
}

export function checkCase(record: AdjudicationCase): void {
  checkId(record?.id, 'case id');
  checkId(record.subjectId, 'case subject');
  if (!Array.isArray(record.candidates)) throw new TypeError('case candidates must be an array');
  if (record.state !== 'pending') throw new TypeError('a new case is pending');
}

export function checkVid(record: VidRecord, vid: string): void {
  checkId(record?.id, 'VID id');
  checkId(record.personId, 'VID person');
  if (typeof vid !== 'string' || !/^\d{6,32}$/.test(vid)) throw new TypeError('vid must be digits');
  if (typeof record.service !== 'string' || record.service === '')
    throw new TypeError('VID service must be a string');
}

export function checkImportRows(importId: string, rows: readonly ImportRowResult[]): void {
  if (typeof importId !== 'string' || importId === '' || importId.length > 200)
    throw new TypeError('importId must be a string');
  for (const row of rows) {
    if (typeof row?.rowKey !== 'string' || row.rowKey === '' || row.rowKey.length > 200)
      throw new TypeError('rowKey must be a string');
  }
}

/** Page bounds: default 100, at most 1000. */
export function page(options: { limit?: number; offset?: number } = {}): { limit: number; offset: number } {
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
    throw new TypeError('limit must be an integer in [0, 1000]');
  if (!Number.isSafeInteger(offset) || offset < 0) throw new TypeError('offset must be an integer >= 0');
  return { limit, offset };
}
