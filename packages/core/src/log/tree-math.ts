import { fail } from '../errors.js';

// Integer arithmetic on tree sizes and indices. They are JS numbers (safe integers, up to 2^53 − 1),
// so the bit tricks of 64-bit implementations (x >> 1, x & 1, bits.Len64) are written with
// division: JS bitwise operators truncate to 32 bits and would silently corrupt sizes ≥ 2^31.

/** SHA-256 output size: every Merkle hash in RFC 9162 §2.1 with SHA-256. */
export const HASH_SIZE = 32;

/**
 * A Merkle tree over safe integers is at most 53 levels deep, so no valid inclusion or consistency
 * proof is longer than this; checking it first bounds the work an attacker can ask of a verifier.
 */
export const MAX_PROOF_LENGTH = 64;

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Sizes and indices our own code passes: anything else is a caller bug (TypeError). */
export function assertCount(value: number, what: string, min = 0): void {
  if (!isCount(value) || value < min) throw new TypeError(`${what} must be a safe integer ≥ ${min}`);
}

export function assertHash(value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new TypeError(`${what} must be a ${HASH_SIZE}-byte Uint8Array`);
  }
}

export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/** x >> 1 for a safe integer. */
export function half(x: number): number {
  return Math.floor(x / 2);
}

export function isPowerOfTwo(n: number): boolean {
  // Math.log2 is exact on powers of two; for any other n, 2^round(log2 n) differs from n.
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** Largest power of two ≤ n (n ≥ 1). */
export function floorPowerOfTwo(n: number): number {
  let p = 2 ** Math.floor(Math.log2(n));
  // log2 rounds up just below large powers of two (log2(2^53 − 1) === 53): correct both ways.
  while (p > n) p /= 2;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** RFC 9162 §2.1.1: "k be the largest power of two smaller than n" (n ≥ 2). */
export function splitPoint(n: number): number {
  return floorPowerOfTwo(n - 1);
}

/** A complete subtree: (level, index) covers leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/**
 * The complete subtrees that tile [start, end), largest first where alignment allows. For a range
 * that is a subtree of RFC 9162 §2.1.1's MTH recursion (its start is a multiple of the power of two
 * its size rounds up to), MTH(D[start:end]) is these hashes combined from the right.
 */
export function completeSubtrees(start: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  while (start < end) {
    let size = floorPowerOfTwo(end - start);
    while (start % size !== 0) size /= 2;
    out.push({ level: Math.round(Math.log2(size)), index: start / size });
    start += size;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Hashes are public, so there is no timing to hide.
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A proof is a short array of 32-byte hashes; anything else is refused before any hashing. */
export function checkProofShape(proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw invalidProof('proof is not an array of hashes');
  if (proof.length > MAX_PROOF_LENGTH) throw invalidProof('proof is longer than any tree allows');
  for (const hash of proof) {
    if (!isHash(hash)) throw invalidProof('proof holds a value that is not a 32-byte hash');
  }
}

function invalidProof(message: string) {
  return fail('LOG_PROOF_INVALID', message);
}
