import { describe, expect, it } from 'vitest';
import { webCrypto } from '../crypto/web-crypto.js';
import { fromHex, hex, nodeHasher, REFERENCE_LEAVES } from './merkle.test-util.js';
import { emptyRoot, hashChildren, hashLeaf } from './merkle-hash.js';
import { EMPTY_ROOT, REFERENCE_ROOTS } from './merkle-known-answers.test-util.js';

describe.each([
  ['node:crypto', nodeHasher],
  ['webCrypto (noble)', webCrypto()],
])('RFC 9162 §2.1.1 hashing through the %s Hasher', (_name, hasher) => {
  it('hashes the empty tree as SHA-256("")', () => {
    expect(hex(emptyRoot(hasher))).toBe(EMPTY_ROOT);
  });

  it('hashes a leaf as SHA-256(0x00 || data): the one-leaf tree root of the reference data', () => {
    expect(hex(hashLeaf(hasher, REFERENCE_LEAVES[0]!))).toBe(REFERENCE_ROOTS[0]);
    expect(hex(hashLeaf(hasher, fromHex('00')))).toBe(hex(hasher.sha256(fromHex('0000'))));
  });

  it('hashes a node as SHA-256(0x01 || left || right): the two-leaf tree root', () => {
    const left = hashLeaf(hasher, REFERENCE_LEAVES[0]!);
    const right = hashLeaf(hasher, REFERENCE_LEAVES[1]!);
    expect(hex(hashChildren(hasher, left, right))).toBe(REFERENCE_ROOTS[1]);
    expect(hex(hashChildren(hasher, right, left))).not.toBe(REFERENCE_ROOTS[1]);
  });
});
