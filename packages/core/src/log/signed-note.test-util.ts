// Fixtures shared by the signed-note, checkpoint, cosignature and tlog-proof tests.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { expect } from 'vitest';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import { webCrypto } from '../crypto/web-crypto.js';
import type { PrivateJwk } from '../jwk/types.js';
import type { CryptoPort, Signer } from '../ports.js';

/** Every CryptoPort the verifiers must agree across. */
export const PORTS: Array<[string, CryptoPort]> = [
  ['nodeCrypto', nodeCrypto()],
  ['webCrypto', webCrypto()],
];

export const hasher = nodeCrypto();

export function newSigner(): Signer {
  return nodeSigner(generatePrivateJwk('EdDSA'));
}

export function publicKeyOf(signer: Signer): Uint8Array {
  return new Uint8Array(Buffer.from(signer.publicJwk.x, 'base64url'));
}

// golang.org/x/mod/sumdb/note package documentation and example_test.go (ExampleSign,
// ExampleOpen): the signer key PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz
// (0x01 || Ed25519 seed), its verifier key, and the note it signs (Ed25519 is deterministic,
// RFC 8032 §5.1.6, so the signature is reproducible).
const PETER_NEUMANN_SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
export const PETER_NEUMANN_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
export const PETER_NEUMANN_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
export const PETER_NEUMANN_NOTE = `${PETER_NEUMANN_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
// The same documentation: the note re-signed by a second key, EnochRoot, whose vkey it does not give.
export const ENOCH_ROOT_LINE =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=';

export function peterNeumann(): Signer {
  const x = Buffer.from(PETER_NEUMANN_VKEY.split('+')[2]!, 'base64').subarray(1).toString('base64url');
  return nodeSigner({
    kty: 'OKP',
    crv: 'Ed25519',
    x,
    d: PETER_NEUMANN_SEED.toString('base64url'),
  } as PrivateJwk);
}

/** Asserts that `work` rejects (or throws) a TriesteError with `code`. */
export async function expectCode(work: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  const promise = typeof work === 'function' ? Promise.resolve().then(work) : work;
  await expect(promise).rejects.toMatchObject({ name: 'TriesteError', code });
}

/** Replaces one base64 character of the signature on line `lineIndex` of the signature block. */
export function tamperSignature(note: string, lineIndex = 0): string {
  const split = note.lastIndexOf('\n\n');
  const lines = note.slice(split + 2, -1).split('\n');
  const line = lines[lineIndex]!;
  const bytes = Buffer.from(line.slice(line.lastIndexOf(' ') + 1), 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  lines[lineIndex] = `${line.slice(0, line.lastIndexOf(' ') + 1)}${bytes.toString('base64')}`;
  return `${note.slice(0, split + 2)}${lines.join('\n')}\n`;
}

/**
 * An independent verifier written from the spec text alone, with node:crypto and no code of
 * ours: c2sp.org/signed-note §Format, §Signatures, §Ed25519 signatures and §Verifier keys, and
 * c2sp.org/tlog-cosignature §Format, §Ed25519 signed message. Returns the names whose signature
 * verifies; throws on a failing signature by a known key.
 */
export function independentVerify(note: string, vkeys: string[]): string[] {
  const keys = vkeys.map((vkey) => {
    const [name, hash, ...rest] = vkey.split('+');
    const data = Buffer.from(rest.join('+'), 'base64');
    const id = createHash('sha256').update(`${name}\n`).update(data).digest().subarray(0, 4);
    if (id.toString('hex') !== hash) throw new Error('key ID mismatch');
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), data.subarray(1)]);
    return {
      name: name!,
      id,
      alg: data[0]!,
      key: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
    };
  });
  const split = note.lastIndexOf('\n\n');
  const text = Buffer.from(note.slice(0, split + 1), 'utf8');
  const verified: string[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith('\u2014 ')) throw new Error('not a signature line');
    const [name, b64] = line.slice(2).split(' ');
    const sig = Buffer.from(b64!, 'base64');
    const key = keys.find((k) => k.name === name && k.id.equals(sig.subarray(0, 4)));
    if (!key) continue;
    let ok: boolean;
    if (key.alg === 0x01) {
      ok = verify(null, text, key.key, sig.subarray(4));
    } else {
      const time = sig.readBigUInt64BE(4);
      const message = Buffer.concat([Buffer.from(`cosignature/v1\ntime ${time}\n`), text]);
      ok = verify(null, message, key.key, sig.subarray(12));
    }
    if (!ok) throw new Error(`signature by ${name} fails`);
    verified.push(name!);
  }
  return verified;
}
