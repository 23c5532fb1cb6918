// Fixtures for the trust list tests: keys generated per run with WebCrypto (no key material is
// checked in), lists built in code, certificates made with @peculiar/x509 over the same keys.
import * as x509 from '@peculiar/x509';
import { generateWebCryptoKeyPair, webCrypto, webCryptoSigner } from '../crypto/web-crypto.js';
import { base64Encode } from '../encoding/base64.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import type { PublicJwk, SignatureAlg } from '../jwk/types.js';
import type { Signer } from '../ports.js';
import { signTrustList } from './sign-trust-list.js';
import type { Recognition, TrustedIssuer, TrustList } from './trust-list.js';

export const crypto = webCrypto();
x509.cryptoProvider.set(globalThis.crypto);

export interface TestKey {
  signer: Signer;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicJwk;
  /** The JWK with its RFC 7638 thumbprint as kid, as lists carry operator keys. */
  kidJwk: PublicJwk & { kid: string };
}

export async function newKey(alg: SignatureAlg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicJwk } = await generateWebCryptoKeyPair(alg, { extractable: true });
  const signer = await webCryptoSigner(privateKey, publicJwk, crypto);
  const publicKey = await globalThis.crypto.subtle.importKey(
    'jwk',
    publicJwk,
    alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' },
    true,
    ['verify'],
  );
  return {
    signer,
    privateKey,
    publicKey,
    publicJwk,
    kidJwk: { ...publicJwk, kid: jwkThumbprint(publicJwk, crypto) },
  };
}

/** A self-signed certificate over `key`, base64 DER as `x5c` carries it. */
export async function certificateFor(
  key: TestKey,
  validity: { notBefore: number; notAfter: number },
  name = 'CN=Test issuer, C=XA',
): Promise<string> {
  const ec = key.signer.alg === 'ES256';
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    notBefore: new Date(validity.notBefore * 1000),
    notAfter: new Date(validity.notAfter * 1000),
    signingAlgorithm: ec ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' },
    keys: { privateKey: key.privateKey, publicKey: key.publicKey },
  });
  return base64Encode(new Uint8Array(certificate.rawData));
}

export const T0 = 1_780_000_000;
export const DAY = 86_400;

export function issuer(id: string, key: TestKey, overrides: Partial<TrustedIssuer> = {}): TrustedIssuer {
  return {
    id,
    name: `Issuer ${id}`,
    keys: [{ kid: key.kidJwk.kid, jwk: key.publicJwk }],
    credentialTypes: ['urn:trieste:id:1'],
    validFrom: T0 - 365 * DAY,
    status: 'granted',
    statusStartingTime: T0 - 365 * DAY,
    history: [],
    ...overrides,
  };
}

export function recognition(
  jurisdiction: string,
  operator: TestKey,
  overrides: Partial<Recognition> = {},
): Recognition {
  return {
    jurisdiction,
    operatorName: `Trust list operator of ${jurisdiction}`,
    listUri: `https://${jurisdiction.toLowerCase()}.example/trust/list`,
    operatorKeys: [operator.kidJwk],
    credentialTypes: ['urn:trieste:id:1'],
    purposes: ['identity_verification'],
    ...overrides,
  };
}

export function list(jurisdiction: string, operator: TestKey, overrides: Partial<TrustList> = {}): TrustList {
  return {
    version: 1,
    sequenceNumber: 1,
    operator: {
      name: `Trust list operator of ${jurisdiction}`,
      jurisdiction,
      uri: `https://${jurisdiction.toLowerCase()}.example`,
      keys: [operator.kidJwk],
    },
    listUri: `https://${jurisdiction.toLowerCase()}.example/trust/list`,
    issuedAt: T0,
    nextUpdate: T0 + DAY,
    issuers: [],
    recognitions: [],
    ...overrides,
  };
}

export function sign(value: TrustList, operator: TestKey): Promise<string> {
  return signTrustList(value, { signer: operator.signer, hasher: crypto });
}
