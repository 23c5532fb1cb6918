import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  type JsonWebKey,
  type KeyObject,
  randomFillSync,
  sign,
  verify,
} from 'node:crypto';
import {
  type CryptoPort,
  jwkThumbprint,
  type PrivateJwk,
  type PublicJwk,
  parsePrivateJwk,
  parsePublicJwk,
  type SignatureAlg,
  type Signer,
  TriesteError,
  toPublicJwk,
} from '@trieste/core';

/**
 * The CryptoPort on node:crypto: synchronous one-shot sign/verify (no WebCrypto promise hop), and
 * a bounded cache of imported public keys so a verifier does not re-parse the issuer key for every
 * credential. Gives the same answers as the core's webCrypto(); the contract test checks that.
 */
export function nodeCrypto(options: { keyCacheSize?: number } = {}): CryptoPort {
  const maxKeys = options.keyCacheSize ?? 1024;
  const keys = new Map<string, KeyObject>();
  return {
    sha256,
    // One-shot hashing of a string straight to base64url: no Hash object, no Buffer, no encoder.
    sha256Base64url: (text) => hash('sha256', text, 'base64url'),
    bytes: randomBytesFromPool,
    async verify(alg, key, data, signature) {
      const id = key.kty === 'EC' ? `E${key.x}.${key.y}` : `O${key.x}`;
      let keyObject = keys.get(id);
      if (!keyObject) {
        keyObject = importPublicKey(key);
        if (keys.size >= maxKeys) keys.delete(keys.keys().next().value as string);
        keys.set(id, keyObject);
      }
      return verifyWith(alg, keyObject, data, signature);
    },
  };
}

function verifyWith(alg: SignatureAlg, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (alg === 'ES256') {
    if (key.asymmetricKeyType !== 'ec' || signature.length !== 64) return false;
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  }
  if (key.asymmetricKeyType !== 'ed25519' || signature.length !== 64) return false;
  return verify(null, data, key, signature);
}

// Small requests (salts: one call per credential) are served from a pool refilled from the
// CSPRNG, as node:crypto's randomUUID does: a system call per credential costs more than the
// hashing. Every byte is handed out once and the pool is never reused after being served.
const POOL_SIZE = 16 * 1024;
let pool = new Uint8Array(0);
let poolOffset = 0;

function randomBytesFromPool(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new TypeError('length must be a non-negative integer');
  if (length > POOL_SIZE / 4) {
    const out = new Uint8Array(length);
    randomFillSync(out);
    return out;
  }
  if (poolOffset + length > pool.length) {
    pool = new Uint8Array(POOL_SIZE);
    randomFillSync(pool);
    poolOffset = 0;
  }
  // A copy, so a caller that keeps or changes its bytes cannot see or touch another caller's.
  const out = pool.slice(poolOffset, poolOffset + length);
  poolOffset += length;
  return out;
}

// A Buffer is a Uint8Array; returning it as is avoids a copy on the hottest path.
function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}

export function importPublicKey(jwk: PublicJwk): KeyObject {
  const pub = toPublicJwk(parsePublicJwk(jwk));
  try {
    return createPublicKey({ key: pub as unknown as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    // Off-curve points and the like: a coded failure, never an uncoded crash.
    throw new TriesteError('KEY_INVALID', 'public key cannot be imported', { cause });
  }
}

export function importPrivateKey(jwk: PrivateJwk): KeyObject {
  const priv = parsePrivateJwk(jwk);
  try {
    return createPrivateKey({ key: priv as unknown as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw new TriesteError('KEY_INVALID', 'private key cannot be imported', { cause });
  }
}

/** A Signer over a private key held in this process (custody adapters decrypt into one). */
export function nodeSigner(jwk: PrivateJwk): Signer {
  const key = importPrivateKey(jwk);
  const publicJwk = toPublicJwk(jwk);
  const alg: SignatureAlg = publicJwk.kty === 'EC' ? 'ES256' : 'EdDSA';
  return {
    alg,
    kid: jwkThumbprint(publicJwk, { sha256 }),
    publicJwk,
    async sign(data) {
      const sig =
        alg === 'ES256' ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }) : sign(null, data, key);
      return new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength);
    },
  };
}

/** Generates a key pair and returns its private JWK (for custody to encrypt at rest). */
export function generatePrivateJwk(alg: SignatureAlg): PrivateJwk {
  // The key leaves the generator as PKCS#8 bytes and is re-imported before the JWK export: on
  // Node 20.20, exporting the KeyObject that generateKeyPairSync returns can deadlock the process
  // when a garbage collection during the export finalises that key's generator job (both take the
  // key's mutex). A few thousand keys in a row were enough to hang the benchmark and the server.
  const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding, publicKeyEncoding })
      : generateKeyPairSync('ed25519', { privateKeyEncoding, publicKeyEncoding });
  const key = createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' });
  return parsePrivateJwk(key.export({ format: 'jwk' }) as Record<string, unknown>);
}
