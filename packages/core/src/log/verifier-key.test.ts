import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectCode, hasher, newSigner, publicKeyOf } from './signed-note.test-util.js';
import { formatVerifierKey, noteKeyHash, parseVerifierKey, signerVerifierKey } from './verifier-key.js';

// golang.org/x/mod/sumdb/note, package documentation and example_test.go (ExampleOpen): the
// PeterNeumann verifier key. (A variant "…+ARpc2QcUPDhMQegwxLcCr37O0tQOgfJ/DN4w9EM8AYMo" that
// circulates is not it: its key ID would be 84dbaa1d.)
const PETER_NEUMANN = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
// transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1NewVerifier): a native
// cosignature/v1 (0x04) witness key, and an Ed25519 key whose base64 contains '+'.
const REMORA = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
const PLUS_IN_BASE64 = 'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6';

describe('parseVerifierKey', () => {
  it('refuses vkeys that do not parse, with LOG_NOTE_MALFORMED', async () => {
    const key = 'ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    const bad = [
      'PeterNeumann',
      'PeterNeumann+c74f20a3',
      `+c74f20a3+${key}`, // empty name
      `Peter Neumann+c74f20a3+${key}`, // a space in the name
      `Peter\u00a0Neumann+c74f20a3+${key}`, // a Unicode space
      `Peter\tNeumann+c74f20a3+${key}`,
      `PeterNeumann+c74f20a+${key}`, // 7 hex digits
      `PeterNeumann+c74f20a3a+${key}`,
      `PeterNeumann+g74f20a3+${key}`,
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq_LDE4izWy10TW', // base64url alphabet
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T', // bad length
      'PeterNeumann+c74f20a3+',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy1A==', // 32 bytes, not 33
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAA==', // 34 bytes
      'PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // wrong key ID
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxLcCr37O0tQOgfJ/DN4w9EM8AYMo', // see above
      `PeterNeumann+c74f20a3+${'A'.repeat(5000)}`,
    ];
    for (const vkey of bad) await expectCode(() => parseVerifierKey(hasher, vkey), 'LOG_NOTE_MALFORMED');
    // Other signature types (signed-note §Signature types) are refused: ECDSA 0x02, RFC 6962 0x05,
    // ML-DSA-44 0x06, an unassigned 0x07; their key IDs are right, so only the type is wrong.
    const pub = publicKeyOf(newSigner());
    for (const alg of [0x00, 0x02, 0x03, 0x05, 0x06, 0x07, 0xff]) {
      const id = Buffer.from(noteKeyHash(hasher, 'k', alg, pub)).toString('hex');
      const vkey = `k+${id}+${Buffer.concat([Buffer.from([alg]), pub]).toString('base64')}`;
      await expectCode(() => parseVerifierKey(hasher, vkey), 'LOG_NOTE_MALFORMED');
    }
    expect(() => parseVerifierKey(hasher, 7 as unknown as string)).toThrow(TypeError);
  });

  it('parses the PeterNeumann key of golang.org/x/mod/sumdb/note', () => {
    const key = parseVerifierKey(hasher, PETER_NEUMANN);
    expect(key).toMatchObject({ name: 'PeterNeumann', alg: 1, type: 'ed25519', vkey: PETER_NEUMANN });
    expect(Buffer.from(key.keyHash).toString('hex')).toBe('c74f20a3');
    expect(Buffer.from(key.publicKey).toString('base64')).toBe(
      Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1).toString('base64'),
    );
    expect(key.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(key.publicKey).toString('base64url'),
    });
  });

  it('parses the cosignature/v1 and "+"-in-base64 keys of transparency-dev/formats', () => {
    expect(parseVerifierKey(hasher, REMORA)).toMatchObject({
      name: 'remora.n621.de',
      alg: 4,
      type: 'cosignature',
    });
    expect(parseVerifierKey(hasher, PLUS_IN_BASE64)).toMatchObject({
      name: 'TEST',
      alg: 1,
      vkey: PLUS_IN_BASE64,
    });
  });

  it('accepts an uppercase key ID and returns the canonical lowercase form', () => {
    const upper = PETER_NEUMANN.replace('c74f20a3', 'C74F20A3');
    expect(parseVerifierKey(hasher, upper).vkey).toBe(PETER_NEUMANN);
  });
});

describe('noteKeyHash', () => {
  it('is SHA-256(name || 0x0A || type || key)[:4] (signed-note §Signatures)', () => {
    const pub = publicKeyOf(newSigner());
    for (const alg of [1, 4]) {
      const expected = createHash('sha256')
        .update('example.com/log\n')
        .update(Buffer.from([alg]))
        .update(pub)
        .digest()
        .subarray(0, 4);
      expect(Buffer.from(noteKeyHash(hasher, 'example.com/log', alg, pub)).equals(expected)).toBe(true);
    }
    expect(() => noteKeyHash(hasher, 'x', 256, pub)).toThrow(TypeError);
  });
});

describe('formatVerifierKey', () => {
  it('round-trips through parseVerifierKey for both key types', () => {
    const signer = newSigner();
    const pub = publicKeyOf(signer);
    const vkey = formatVerifierKey(hasher, 'example.com/log', pub);
    expect(parseVerifierKey(hasher, vkey)).toMatchObject({ name: 'example.com/log', type: 'ed25519', vkey });
    const wkey = formatVerifierKey(hasher, 'witness.example/w1', pub, 'cosignature');
    expect(parseVerifierKey(hasher, wkey)).toMatchObject({ type: 'cosignature', alg: 4 });
    expect(signerVerifierKey(hasher, 'example.com/log', signer)).toBe(vkey);
    expect(signerVerifierKey(hasher, 'witness.example/w1', signer, 'cosignature')).toBe(wkey);
  });

  it('reproduces the PeterNeumann vkey from its public key', () => {
    const pub = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
    expect(formatVerifierKey(hasher, 'PeterNeumann', new Uint8Array(pub))).toBe(PETER_NEUMANN);
  });

  it('refuses invalid names, keys and types as caller bugs', () => {
    const pub = publicKeyOf(newSigner());
    for (const name of ['', 'a b', 'a+b', 'a\nb']) {
      expect(() => formatVerifierKey(hasher, name, pub)).toThrow(TypeError);
    }
    expect(() => formatVerifierKey(hasher, 'a', pub.subarray(1))).toThrow(TypeError);
    expect(() => formatVerifierKey(hasher, 'a', pub, 'mldsa' as 'ed25519')).toThrow(TypeError);
    const ec = { ...newSigner(), alg: 'ES256' as const };
    expect(() => signerVerifierKey(hasher, 'a', ec)).toThrow(TypeError);
  });
});
