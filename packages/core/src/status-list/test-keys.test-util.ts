import { Buffer } from 'node:buffer';
import { generateWebCryptoKeyPair, webCrypto, webCryptoSigner } from '../crypto/web-crypto.js';
import type { PublicJwk, SignatureAlg } from '../jwk/types.js';
import type { IssuerKeyResolver, Signer } from '../ports.js';

export const crypto = webCrypto();

export interface TestKey {
  signer: Signer;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

/** A fresh key pair per call; the private key is extractable only so jose can sign with it too. */
export async function newKey(alg: SignatureAlg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicJwk } = await generateWebCryptoKeyPair(alg, { extractable: true });
  return { signer: await webCryptoSigner(privateKey, publicJwk, crypto), privateKey, publicJwk };
}

/** Trusts exactly the given keys for exactly the given issuers, and records what it was asked. */
export function keysFor(trusted: Record<string, PublicJwk>): IssuerKeyResolver & { requests: unknown[] } {
  const requests: unknown[] = [];
  return {
    requests,
    async resolve(request) {
      requests.push(request);
      return Object.hasOwn(trusted, request.iss) ? trusted[request.iss] : undefined;
    },
  };
}

export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
