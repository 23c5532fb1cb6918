import { fail } from '../errors.js';
import type { Hasher } from '../ports.js';
import { hashChildren } from './merkle-hash.js';
import { checkProofShape, equalBytes, half, isCount, isHash } from './tree-math.js';

export interface InclusionProofInput {
  /** The leaf's index, 0-based. */
  index: number;
  /** The size of the tree whose root is `root`. */
  size: number;
  /** HASH(0x00 || entry), computed by the verifier from the entry it cares about. */
  leafHash: Uint8Array;
  /** Sibling hashes from the leaf up, as proveInclusion returns them. */
  proof: readonly Uint8Array[];
  /** The root of a checkpoint the caller has already verified. */
  root: Uint8Array;
}

/**
 * Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`, by the
 * algorithm of RFC 9162 §2.1.3.2. Every field but `root` comes from the log or a third party, so
 * all of them are parsed as hostile: any failure, a malformed field included, is LOG_PROOF_INVALID.
 *
 * Take `size` and `root` from the same verified checkpoint: the proof does not bind a size to a
 * root (leaf 0's proof in a tree of 3 also verifies as one in a tree of 4, against the same root).
 */
export function verifyInclusion(hasher: Hasher, input: InclusionProofInput): void {
  const { index, size, leafHash, proof, root } = input;
  if (!isCount(index) || !isCount(size)) throw invalid('leaf index and tree size must be safe integers ≥ 0');
  // Step 1: "If leaf_index is greater than or equal to tree_size, then fail".
  if (index >= size) throw invalid('leaf index is not below the tree size');
  if (!isHash(leafHash)) throw invalid('leaf hash is not 32 bytes');
  if (!isHash(root)) throw invalid('root hash is not 32 bytes');
  checkProofShape(proof);

  // Step 2–3: fn = leaf_index, sn = tree_size − 1, r = hash.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  // Step 4.
  for (const p of proof) {
    // 4a: a proof longer than the path to the root.
    if (sn === 0) throw invalid('inclusion proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(hasher, p, r);
      if (fn % 2 === 0) {
        // The node is the last on its level with no right sibling: climb until it is a right child.
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(hasher, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  if (sn !== 0) throw invalid('inclusion proof is too short');
  if (!equalBytes(r, root)) throw invalid('inclusion proof does not lead to the root');
}

function invalid(message: string) {
  return fail('LOG_PROOF_INVALID', message);
}
