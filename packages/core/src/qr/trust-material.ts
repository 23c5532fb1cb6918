import { sha256 } from '@noble/hashes/sha2.js';
import {
  ALGORITHM_FOR_KEY_TYPE,
  type CoseAlgorithm,
  type CoseKeyType,
  MIN_RSA_MODULUS_BITS,
} from '../cose/cose-algorithms.js';
import { importCoseKey } from '../cose/import-cose-key.js';
import { base64Encode } from '../encoding/base64.js';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { isJsonObject, type JsonObject } from '../encoding/json.js';
import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import { dccKid } from '../hc1/dcc-kid.js';
import type { PublicJwk } from '../jwk/types.js';

/**
 * Credential types a trusted key may be limited to: `hc1` (EU DCC / WHO DDCC "HC1:" codes),
 * `claim169` (MOSIP identity QR codes), or an SD-JWT VC `vct` value.
 */
export type QrCredentialType = 'hc1' | 'claim169' | (string & {});

/** A public key given as a JWK: EC P-256 or P-384, OKP Ed25519, or RSA (2048 bits or more). */
export interface QrTrustedJwk {
  jwk: JsonObject;
  /** The key's identifier; defaults to the JWK's own `kid`. Matched against a message's kid as text. */
  kid?: string;
  /** The issuer (CWT/JWT `iss`) this key is trusted for; any issuer when absent. */
  iss?: string;
  /** Credential types this key may sign; any when absent. */
  types?: readonly QrCredentialType[];
  /** Where it came from (a file name, a trust list entry), reported back, never interpreted. */
  label?: string;
}

/**
 * An X.509 certificate (DER) whose public key is trusted as it is — the certificate chain, its
 * issuer and revocation are the trust material provider's business (a national backend's DSC list,
 * a trust list). Its kid is derived by the EU DCC rule (first 8 bytes of SHA-256 of the DER); its
 * validity period is enforced.
 */
export interface QrTrustedCertificate {
  certificate: Uint8Array;
  iss?: string;
  types?: readonly QrCredentialType[];
  label?: string;
}

export type QrTrustedKey = QrTrustedJwk | QrTrustedCertificate;

/**
 * What an offline QR verifier trusts: a list of keys, each with what it may vouch for. The verifier
 * is handed this; it fetches nothing. Fill it from a trust list or from a directory of files
 * (@trieste/adapters `loadTrustDirectory`).
 */
export interface QrTrustMaterial {
  keys: readonly QrTrustedKey[];
}

/** One trusted key as prepared: what `prepareQrTrust` reports per entry. */
export interface QrTrustSummary {
  label?: string;
  source: 'jwk' | 'x509';
  /** Text kid, or base64 of a binary one (the form EU DCC lists use). */
  kid?: string;
  alg?: CoseAlgorithm;
  usable: boolean;
  /** Why an entry cannot be used (an algorithm we do not verify, a short RSA key). */
  reason?: string;
  certificateSubject?: string;
  notBefore?: number;
  notAfter?: number;
}

/** @internal A trusted key ready to verify with. */
export interface PreparedKey {
  summary: QrTrustSummary;
  source: 'jwk' | 'x509';
  alg: CoseAlgorithm;
  keyType: CoseKeyType;
  /** x509: the DCC kid; jwk: the UTF-8 of its kid. Undefined for a JWK without kid. */
  kidBytes?: Uint8Array;
  /** RFC 7638 thumbprint (JWK entries). */
  thumbprint?: string;
  iss?: string;
  types?: readonly string[];
  /** For the JWS path (SD-JWT): the key as our JWS code takes it (P-256 and Ed25519 only). */
  publicJwk?: PublicJwk;
  certificate?: { subject: string; notBefore: number; notAfter: number; sha256: string };
  cryptoKey(subtle: SubtleCrypto): Promise<CryptoKey>;
}

/** @internal */
export interface PreparedTrust {
  keys: PreparedKey[];
  summaries: QrTrustSummary[];
}

const cache = new WeakMap<QrTrustMaterial, Promise<PreparedTrust>>();

/**
 * Validates trust material once and keeps the result for later verifications with the same
 * object. A malformed entry (a certificate that does not parse, a JWK with private members or
 * impossible members) is KEY_INVALID: trust material is configuration, and a broken one must stop
 * the verifier rather than quietly trust less. An entry with a key type we cannot verify with is
 * kept but reported unusable.
 */
export async function prepareQrTrust(material: QrTrustMaterial): Promise<QrTrustSummary[]> {
  return (await preparedTrust(material)).summaries;
}

/** @internal */
export function preparedTrust(material: QrTrustMaterial): Promise<PreparedTrust> {
  if (typeof material !== 'object' || material === null || !Array.isArray(material.keys)) {
    throw new TypeError('trust material must be an object with a keys array');
  }
  let prepared = cache.get(material);
  if (!prepared) {
    prepared = prepare(material);
    cache.set(material, prepared);
    // A failed preparation is not cached: the caller may fix the material object and retry.
    prepared.catch(() => cache.delete(material));
  }
  return prepared;
}

async function prepare(material: QrTrustMaterial): Promise<PreparedTrust> {
  const keys: PreparedKey[] = [];
  const summaries: QrTrustSummary[] = [];
  for (const [index, entry] of material.keys.entries()) {
    const what = entry.label ?? `trusted key ${index}`;
    const prepared = 'certificate' in entry ? await prepareCertificate(entry, what) : prepareJwk(entry, what);
    summaries.push(prepared.summary);
    if (!prepared.summary.usable) continue;
    // Imported now, so a key WebCrypto refuses (a point off its curve) stops the verifier here
    // rather than failing every later verification.
    const subtle = globalThis.crypto?.subtle;
    if (subtle) await prepared.cryptoKey(subtle);
    keys.push(prepared as PreparedKey);
  }
  return { keys, summaries };
}

type Candidate = Omit<PreparedKey, 'alg' | 'keyType'> & { alg?: CoseAlgorithm; keyType?: CoseKeyType };

function prepareJwk(entry: QrTrustedJwk, what: string): Candidate {
  const jwk = entry.jwk;
  if (!isJsonObject(jwk)) throw fail('KEY_INVALID', `${what} is not a JWK object`);
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
    if (member in jwk) throw fail('KEY_INVALID', `${what} contains private or secret key material`);
  }
  const kid = entry.kid ?? (typeof jwk['kid'] === 'string' ? jwk['kid'] : undefined);
  const { keyType, importJwk, thumbprintInput, publicJwk } = readJwk(jwk, what);
  const thumbprint = base64urlEncode(sha256(utf8Encode(thumbprintInput)));
  const summary: QrTrustSummary = { source: 'jwk', kid: kid ?? thumbprint, usable: true };
  if (entry.label !== undefined) summary.label = entry.label;
  const alg = ALGORITHM_FOR_KEY_TYPE[keyType];
  summary.alg = alg;
  const out: Candidate = {
    summary,
    source: 'jwk',
    alg,
    keyType,
    thumbprint,
    cryptoKey: importOnce({ jwk: importJwk }, alg),
  };
  if (kid !== undefined) out.kidBytes = utf8Encode(kid);
  if (publicJwk) out.publicJwk = publicJwk;
  scope(out, entry);
  return out;
}

// RFC 7517/7518 members per key type, with their lengths checked, and the RFC 7638 thumbprint input
// (required members only, in lexicographic order).
function readJwk(
  jwk: JsonObject,
  what: string,
): { keyType: CoseKeyType; importJwk: JsonWebKey; thumbprintInput: string; publicJwk?: PublicJwk } {
  const { kty, crv, x, y, n, e } = jwk;
  if (
    kty === 'EC' &&
    (crv === 'P-256' || crv === 'P-384') &&
    typeof x === 'string' &&
    typeof y === 'string'
  ) {
    const size = crv === 'P-256' ? 32 : 48;
    member(x, size, what);
    member(y, size, what);
    const out = {
      keyType: (crv === 'P-256' ? 'EC P-256' : 'EC P-384') as CoseKeyType,
      importJwk: { kty, crv, x, y },
      thumbprintInput: `{"crv":"${crv}","kty":"EC","x":"${x}","y":"${y}"}`,
    };
    return crv === 'P-256' ? { ...out, publicJwk: { kty, crv, x, y } } : out;
  }
  if (kty === 'OKP' && crv === 'Ed25519' && typeof x === 'string') {
    member(x, 32, what);
    return {
      keyType: 'OKP Ed25519',
      importJwk: { kty, crv, x },
      thumbprintInput: `{"crv":"Ed25519","kty":"OKP","x":"${x}"}`,
      publicJwk: { kty, crv, x },
    };
  }
  if (kty === 'RSA' && typeof n === 'string' && typeof e === 'string') {
    const modulus = member(n, undefined, what);
    member(e, undefined, what);
    if (modulus.length * 8 < MIN_RSA_MODULUS_BITS || modulus[0] === 0) {
      throw fail('KEY_INVALID', `${what} is an RSA key shorter than ${MIN_RSA_MODULUS_BITS} bits`);
    }
    return {
      keyType: 'RSA',
      importJwk: { kty, n, e },
      thumbprintInput: `{"e":"${e}","kty":"RSA","n":"${n}"}`,
    };
  }
  throw fail('KEY_INVALID', `${what} is not an EC P-256/P-384, Ed25519 or RSA public JWK`);
}

function member(value: string, bytes: number | undefined, what: string): Uint8Array {
  let decoded: Uint8Array;
  try {
    decoded = base64urlDecode(value, what);
  } catch (cause) {
    throw fail('KEY_INVALID', `${what} has a member that is not base64url`, cause);
  }
  if (decoded.length === 0 || (bytes !== undefined && decoded.length !== bytes)) {
    throw fail('KEY_INVALID', `${what} has a member of the wrong length`);
  }
  return decoded;
}

async function prepareCertificate(entry: QrTrustedCertificate, what: string): Promise<Candidate> {
  if (!(entry.certificate instanceof Uint8Array)) throw fail('KEY_INVALID', `${what} is not DER bytes`);
  // Loaded on first use: certificate parsing is needed only by verifiers given X.509 material, and
  // the library is large for a browser bundle.
  const { X509Certificate } = await import('@peculiar/x509');
  let certificate: InstanceType<typeof X509Certificate>;
  let algorithm: { name?: string; namedCurve?: string; modulusLength?: number };
  let spki: Uint8Array;
  try {
    certificate = new X509Certificate(new Uint8Array(entry.certificate));
    algorithm = certificate.publicKey.algorithm as typeof algorithm;
    spki = new Uint8Array(certificate.publicKey.rawData);
  } catch (cause) {
    throw fail('KEY_INVALID', `${what} is not an X.509 certificate`, cause);
  }
  const kidBytes = dccKid(entry.certificate);
  const summary: QrTrustSummary = {
    source: 'x509',
    kid: base64Encode(kidBytes),
    usable: false,
    certificateSubject: certificate.subject,
    notBefore: Math.floor(certificate.notBefore.getTime() / 1000),
    notAfter: Math.floor(certificate.notAfter.getTime() / 1000),
  };
  if (entry.label !== undefined) summary.label = entry.label;
  const keyType = certificateKeyType(algorithm);
  const out: Candidate = {
    summary,
    source: 'x509',
    kidBytes,
    certificate: {
      subject: certificate.subject,
      notBefore: summary.notBefore!,
      notAfter: summary.notAfter!,
      sha256: hex(sha256(entry.certificate)),
    },
    cryptoKey: () => Promise.reject(fail('KEY_INVALID', `${what} cannot be used`)),
  };
  scope(out, entry);
  if (typeof keyType !== 'string' || !(keyType in ALGORITHM_FOR_KEY_TYPE)) {
    summary.reason = typeof keyType === 'object' ? keyType.reason : 'a key type we do not verify with';
    return out;
  }
  const alg = ALGORITHM_FOR_KEY_TYPE[keyType];
  summary.usable = true;
  summary.alg = alg;
  out.alg = alg;
  out.keyType = keyType;
  out.cryptoKey = importOnce({ spki }, alg);
  return out;
}

function certificateKeyType(algorithm: {
  name?: string;
  namedCurve?: string;
  modulusLength?: number;
}): CoseKeyType | { reason: string } {
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'EC P-256';
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-384') return 'EC P-384';
  if (algorithm.name === 'Ed25519') return 'OKP Ed25519';
  if (algorithm.name?.startsWith('RSA')) {
    return (algorithm.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS
      ? 'RSA'
      : { reason: `an RSA key shorter than ${MIN_RSA_MODULUS_BITS} bits` };
  }
  return { reason: 'a key type we do not verify with (EC P-256/P-384, Ed25519 and RSA only)' };
}

function scope(out: Candidate, entry: { iss?: string; types?: readonly string[] }): void {
  if (entry.iss !== undefined) {
    if (typeof entry.iss !== 'string') throw new TypeError('a trusted key iss must be a string');
    out.iss = entry.iss;
  }
  if (entry.types !== undefined) {
    if (!Array.isArray(entry.types) || !entry.types.every((type) => typeof type === 'string'))
      throw new TypeError('a trusted key types must be an array of strings');
    out.types = [...entry.types];
  }
}

// One import per key and WebCrypto implementation, shared by every verification that uses it.
function importOnce(source: Parameters<typeof importCoseKey>[0], alg: CoseAlgorithm) {
  const imported = new WeakMap<SubtleCrypto, Promise<CryptoKey>>();
  return (subtle: SubtleCrypto): Promise<CryptoKey> => {
    let key = imported.get(subtle);
    if (!key) {
      key = importCoseKey(source, alg, subtle);
      imported.set(subtle, key);
    }
    return key;
  };
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
