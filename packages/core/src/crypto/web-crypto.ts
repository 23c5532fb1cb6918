import { sha256 } from '@noble/hashes/sha2.js';
import { fail } from '../errors.js';
import { parsePrivateJwk, parsePublicJwk, toPublicJwk } from '../jwk/parse-public-jwk.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import type { PrivateJwk, PublicJwk, SignatureAlg } from '../jwk/types.js';
import type { CryptoPort, Signer } from '../ports.js';

/**
 * The portable CryptoPort: WebCrypto (browser and Node) for signatures and randomness, and
 * @noble/hashes for SHA-256 because WebCrypto's digest is asynchronous. Node services use the
 * faster node:crypto port from @trieste/adapters; both must give the same answers.
 */
export function webCrypto(subtle: SubtleCrypto = globalThis.crypto.subtle): CryptoPort {
  const cache = new Map<string, Promise<CryptoKey>>();
  return {
    sha256: (data) => sha256(data),
    bytes(length) {
      const out = new Uint8Array(length);
      // getRandomValues fills at most 65536 bytes per call.
      for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, i + 65536));
      return out;
    },
    async verify(alg, key, data, signature) {
      const id = `${alg}:${key.kty}:${key.x}:${key.kty === 'EC' ? key.y : ''}`;
      let imported = cache.get(id);
      if (!imported) {
        imported = importPublic(subtle, alg, key);
        if (cache.size > 1000) cache.clear();
        cache.set(id, imported);
      }
      let cryptoKey: CryptoKey;
      try {
        cryptoKey = await imported;
      } catch (cause) {
        cache.delete(id);
        throw fail('KEY_INVALID', 'public key cannot be imported', cause);
      }
      return subtle.verify(params(alg), cryptoKey, signature as BufferSource, data as BufferSource);
    },
  };
}

function params(alg: SignatureAlg): AlgorithmIdentifier | EcdsaParams {
  return alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' };
}

function importParams(alg: SignatureAlg): EcKeyImportParams | AlgorithmIdentifier {
  return alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' };
}

function importPublic(subtle: SubtleCrypto, alg: SignatureAlg, key: PublicJwk): Promise<CryptoKey> {
  const jwk = toPublicJwk(parsePublicJwk(key));
  return subtle.importKey('jwk', jwk as JsonWebKey, importParams(alg), false, ['verify']);
}

/** A Signer over a WebCrypto private key (a wallet's non-extractable holder key, for instance). */
export async function webCryptoSigner(
  privateKey: CryptoKey,
  publicJwk: PublicJwk,
  crypto: Pick<CryptoPort, 'sha256'>,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<Signer> {
  const pub = toPublicJwk(parsePublicJwk(publicJwk));
  const alg: SignatureAlg = pub.kty === 'EC' ? 'ES256' : 'EdDSA';
  return {
    alg,
    kid: jwkThumbprint(pub, crypto),
    publicJwk: pub,
    async sign(data) {
      return new Uint8Array(await subtle.sign(params(alg), privateKey, data as BufferSource));
    },
  };
}

/** Imports a private JWK (e.g. a holder key file) as a WebCrypto Signer. */
export async function signerFromPrivateJwk(
  jwk: PrivateJwk,
  crypto: Pick<CryptoPort, 'sha256'>,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<Signer> {
  const key = parsePrivateJwk(jwk);
  const alg: SignatureAlg = key.kty === 'EC' ? 'ES256' : 'EdDSA';
  let privateKey: CryptoKey;
  try {
    privateKey = await subtle.importKey('jwk', key as JsonWebKey, importParams(alg), false, ['sign']);
  } catch (cause) {
    throw fail('KEY_INVALID', 'private key cannot be imported', cause);
  }
  return webCryptoSigner(privateKey, toPublicJwk(key), crypto, subtle);
}

/** Generates a key pair with WebCrypto; `extractable: false` keeps the private key on the device. */
export async function generateWebCryptoKeyPair(
  alg: SignatureAlg,
  options: { extractable?: boolean; subtle?: SubtleCrypto } = {},
): Promise<{ privateKey: CryptoKey; publicJwk: PublicJwk }> {
  const subtle = options.subtle ?? globalThis.crypto.subtle;
  const pair = (await subtle.generateKey(importParams(alg) as EcKeyGenParams, options.extractable ?? false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const exported = await subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: toPublicJwk(parsePublicJwk(stripExtras(exported))) };
}

function stripExtras(jwk: JsonWebKey): Record<string, unknown> {
  const { key_ops: _k, ext: _e, ...rest } = jwk;
  return rest;
}
