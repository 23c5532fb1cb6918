import { fail } from '../errors.js';
import type { Hasher } from '../ports.js';
import { hashChildren } from './merkle-hash.js';
import { checkProofShape, equalBytes, half, isCount, isHash, isPowerOfTwo } from './tree-math.js';

export interface ConsistencyProofInput {
  oldSize: number;
  newSize: number;
  /** Root of the tree of `oldSize` leaves, from a checkpoint the caller has verified. */
  oldRoot: Uint8Array;
  /** Root of the tree of `newSize` leaves, from a checkpoint the caller has verified. */
  newRoot: Uint8Array;
  /** As proveConsistency returns it. */
  proof: readonly Uint8Array[];
}

/**
 * Checks that the tree of `newSize` leaves with root `newRoot` extends the tree of `oldSize` leaves
 * with root `oldRoot` (the log is append-only between them), by the algorithm of RFC 9162
 * §2.1.4.2. Sizes and proof come from the log: any failure is LOG_PROOF_INVALID.
 *
 * Take each size and root from the same verified checkpoint: the proof does not bind a size to a
 * root (a proof for 4 → 43 also verifies as 4 → 33 with the same two roots).
 *
 * Equal sizes are consistent when the proof is empty and the roots are equal. A proof from the
 * empty tree is refused: it proves nothing, and a caller with no earlier tree has nothing to check
 * (transparency-dev/merkle's test data expects the refusal).
 */
export function verifyConsistency(hasher: Hasher, input: ConsistencyProofInput): void {
  const { oldSize, newSize, oldRoot, newRoot, proof } = input;
  if (!isCount(oldSize) || !isCount(newSize)) throw invalid('tree sizes must be safe integers ≥ 0');
  if (oldSize > newSize) throw invalid('the old tree is larger than the new one');
  if (oldSize === 0) throw invalid('a consistency proof from the empty tree proves nothing');
  checkProofShape(proof);
  if (oldSize === newSize) {
    if (proof.length !== 0) throw invalid('equal tree sizes take an empty proof');
    if (!(oldRoot instanceof Uint8Array && newRoot instanceof Uint8Array) || !equalBytes(oldRoot, newRoot)) {
      throw invalid('equal tree sizes with different roots');
    }
    return;
  }
  if (!isHash(oldRoot) || !isHash(newRoot)) throw invalid('root hash is not 32 bytes');
  // Step 1.
  if (proof.length === 0) throw invalid('consistency proof is empty');

  // Step 2: if the old tree is complete (a power of two), its root is the first node of the path.
  const prepend = isPowerOfTwo(oldSize);
  const pathLength = proof.length + (prepend ? 1 : 0);
  const at = (i: number): Uint8Array => (prepend ? (i === 0 ? oldRoot : proof[i - 1]!) : proof[i]!);

  // Step 3–4: fn = first − 1, sn = second − 1, shifted right past fn's trailing ones.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr = at(0);
  let sr = fr;
  // Step 6.
  for (let i = 1; i < pathLength; i++) {
    const c = at(i);
    if (sn === 0) throw invalid('consistency proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(hasher, c, fr);
      sr = hashChildren(hasher, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(hasher, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  if (sn !== 0) throw invalid('consistency proof is too short');
  if (!equalBytes(fr, oldRoot)) throw invalid('consistency proof does not lead to the old root');
  if (!equalBytes(sr, newRoot)) throw invalid('consistency proof does not lead to the new root');
}

function invalid(message: string) {
  return fail('LOG_PROOF_INVALID', message);
}
