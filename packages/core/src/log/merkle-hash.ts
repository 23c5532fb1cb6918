import type { Hasher } from '../ports.js';

// RFC 9162 §2.1.1 (RFC 6962 §2.1): leaves and interior nodes are hashed with distinct one-byte
// prefixes, so no leaf can be passed off as an interior node (second-preimage resistance).
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({d(0)}) = HASH(0x00 || d(0)): the hash of one log entry. */
export function hashLeaf(hasher: Hasher, data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return hasher.sha256(input);
}

/** HASH(0x01 || left || right): an interior node. */
export function hashChildren(hasher: Hasher, left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hasher.sha256(input);
}

/** MTH({}) = HASH(): the root of the empty tree. */
export function emptyRoot(hasher: Hasher): Uint8Array {
  return hasher.sha256(new Uint8Array(0));
}
