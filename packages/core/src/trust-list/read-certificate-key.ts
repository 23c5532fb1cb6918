import { X509Certificate } from '@peculiar/x509';
import { base64urlEncode } from '../encoding/base64url.js';
import { fail } from '../errors.js';
import type { PublicJwk } from '../jwk/types.js';

// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of the two key types Trieste verifies with, up to the
// key bytes: id-ecPublicKey with namedCurve prime256v1 and an uncompressed point (RFC 5480), and
// id-Ed25519 (RFC 8410). Any other SPKI is refused, so no curve or encoding is guessed.
const P256_SPKI_PREFIX = hex('3059301306072a8648ce3d020106082a8648ce3d03010703420004');
const ED25519_SPKI_PREFIX = hex('302a300506032b6570032100');

export interface CertificateKey {
  jwk: PublicJwk;
  /** The certificate's validity (RFC 5280 §4.1.2.5), NumericDates. */
  notBefore: number;
  notAfter: number;
}

/**
 * Reads the public key and validity of a DER certificate a trust list vouches for. The list is the
 * trust anchor (ETSI TS 119 612 "service digital identity"): the certificate's own signature and
 * chain are not what makes it trusted, so they are not checked here. A certificate that does not
 * parse, or holds a key other than P-256 or Ed25519, is KEY_INVALID.
 */
export function readCertificateKey(der: Uint8Array, what: string): CertificateKey {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Uint8Array.from(der));
  } catch (cause) {
    throw fail('KEY_INVALID', `${what} is not an X.509 certificate`, cause);
  }
  const spki = new Uint8Array(certificate.publicKey.rawData);
  let jwk: PublicJwk;
  if (spki.length === P256_SPKI_PREFIX.length + 64 && startsWith(spki, P256_SPKI_PREFIX)) {
    const point = spki.subarray(P256_SPKI_PREFIX.length);
    jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: base64urlEncode(point.subarray(0, 32)),
      y: base64urlEncode(point.subarray(32)),
    };
  } else if (spki.length === ED25519_SPKI_PREFIX.length + 32 && startsWith(spki, ED25519_SPKI_PREFIX)) {
    jwk = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(spki.subarray(ED25519_SPKI_PREFIX.length)) };
  } else {
    throw fail('KEY_INVALID', `${what} holds a key that is not P-256 or Ed25519`);
  }
  const notBefore = Math.floor(certificate.notBefore.getTime() / 1000);
  const notAfter = Math.floor(certificate.notAfter.getTime() / 1000);
  if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter) || notAfter < notBefore) {
    throw fail('KEY_INVALID', `${what} has an invalid validity period`);
  }
  return { jwk, notBefore, notAfter };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}
