import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../encoding/json.js';
import { fail, TriesteError } from '../errors.js';
import { parsePublicJwk } from '../jwk/parse-public-jwk.js';
import type { PublicJwk } from '../jwk/types.js';
import { decodeCompactJws } from '../jws/decode-compact.js';
import { verifyJwsSignature } from '../jws/verify-compact.js';
import type { Clock, CryptoPort, IssuerKeyResolver, StatusResolver } from '../ports.js';
import { asCoded, parseDisclosure, SD_ALG, setMember } from './disclosures.js';
import { resolveDisclosures } from './resolve-disclosures.js';
import { splitSdJwt } from './split-sd-jwt.js';
import { checkTransactionDataHashes } from './transaction-data-hashes.js';
import { KB_JWT_TYP, LEGACY_SD_JWT_VC_TYP, SD_JWT_VC_TYP } from './types.js';

export interface VerifySdJwtVcOptions {
  /** Expected KB-JWT `nonce` (the verifier's challenge, RFC 9901 §7.3 step 5). */
  nonce?: string;
  /** Expected KB-JWT `aud` (the verifier's identifier). */
  aud?: string;
  /** Default: true when `nonce` or `aud` is given, since only a KB-JWT can carry them. */
  requireKeyBinding?: boolean;
  /** Oldest acceptable KB-JWT `iat`, in seconds before now. Default 300. */
  kbMaxAgeSeconds?: number;
  /** Tolerated clock difference for exp, nbf, iat and the KB-JWT's iat. Default 60. */
  clockSkewSeconds?: number;
  /** NumericDate to verify at. Default ctx.clock.now(). */
  now?: number;
  /** Refuse any other credential type (TYP_INVALID). */
  expectedVct?: string;
  /** Look the status up when the credential has a status reference. Default true. */
  checkStatus?: boolean;
  /**
   * The transaction_data strings of the request that this credential answers (OpenID4VP 1.0
   * §8.4), as sent: the KB-JWT must carry their hashes, in this order (TRANSACTION_DATA_MISMATCH
   * otherwise). Implies key binding.
   */
  transactionData?: readonly string[];
}

export interface VerifySdJwtVcContext {
  crypto: CryptoPort;
  issuerKeys: IssuerKeyResolver;
  status?: StatusResolver;
  clock: Clock;
}

export interface VerifiedSdJwtVc {
  issuer: string;
  vct: string;
  kid?: string;
  /** Disclosed subject claims only: no registered claim reported below, no `_sd`, `_sd_alg` or `...`. */
  claims: JsonObject;
  issuedAt?: number;
  expiresAt?: number;
  notBefore?: number;
  holderKey?: PublicJwk;
  /** True when a KB-JWT was present and verified. */
  keyBound: boolean;
  /** Present when the credential has a status reference and it was checked. */
  status?: { uri: string; idx: number; value: number };
}

/** Names reported as fields of VerifiedSdJwtVc (or structural), so not repeated in `claims`. */
const NOT_SUBJECT_CLAIMS = new Set(['iss', 'vct', 'iat', 'exp', 'nbf', 'cnf', 'status', '_sd', '_sd_alg']);

const STATUS_INVALID = 1;
const STATUS_SUSPENDED = 2;

/**
 * Verifies an SD-JWT VC presentation (RFC 9901 §7.1, §7.3; draft-ietf-oauth-sd-jwt-vc-25 §3.2,
 * §4). Every failure is a TriesteError with a code; the choice of code for each check is written
 * beside it. Order: cheap structural checks, the issuer signature, then everything that relies on
 * signed content, and the status lookup (the only I/O) last.
 */
export async function verifySdJwtVc(
  presentation: string,
  options: VerifySdJwtVcOptions,
  ctx: VerifySdJwtVcContext,
): Promise<VerifiedSdJwtVc> {
  checkOptions(options);
  const now = options.now ?? ctx.clock.now();
  const skew = options.clockSkewSeconds ?? 60;
  try {
    return await verify(presentation, options, ctx, now, skew);
  } catch (error) {
    throw asCoded(error);
  }
}

async function verify(
  presentation: string,
  options: VerifySdJwtVcOptions,
  ctx: VerifySdJwtVcContext,
  now: number,
  skew: number,
): Promise<VerifiedSdJwtVc> {
  const parts = splitSdJwt(presentation);
  // decodeCompactJws refuses `none`, HMAC and unknown algorithms with ALG_NOT_ALLOWED (RFC 8725 §3.1).
  const jws = decodeCompactJws(parts.jws, 'SD-JWT');
  const typ = jws.header['typ'];
  // Explicit typing (RFC 8725 §3.11) stops another kind of JWT signed by the same issuer key from
  // being accepted as a credential.
  if (typ !== SD_JWT_VC_TYP && typ !== LEGACY_SD_JWT_VC_TYP)
    throw fail('TYP_INVALID', 'SD-JWT typ is not dc+sd-jwt');
  const payload = jws.payload;
  const iss = payload['iss'];
  const vct = payload['vct'];
  if (typeof iss !== 'string' || iss === '') throw fail('CLAIM_MISSING', 'SD-JWT VC has no iss');
  if (typeof vct !== 'string' || vct === '') throw fail('CLAIM_MISSING', 'SD-JWT VC has no vct');
  const kid = jws.header['kid'];
  if (kid !== undefined && typeof kid !== 'string') throw fail('MALFORMED', 'SD-JWT kid is not a string');

  let issuerKey: PublicJwk | undefined;
  try {
    issuerKey = await ctx.issuerKeys.resolve(
      kid === undefined ? { iss, alg: jws.header.alg, vct } : { iss, kid, alg: jws.header.alg, vct },
    );
  } catch (cause) {
    if (cause instanceof TriesteError) throw cause;
    throw fail('ISSUER_UNKNOWN', 'issuer key could not be resolved', cause);
  }
  if (issuerKey === undefined) throw fail('ISSUER_UNKNOWN', 'no trusted key for this issuer');
  await verifyJwsSignature(jws, issuerKey, ctx.crypto);

  // Only now is the payload the issuer's word.
  if (options.expectedVct !== undefined && vct !== options.expectedVct) {
    throw fail('TYP_INVALID', 'SD-JWT VC is not of the expected credential type');
  }
  const sdAlg = payload['_sd_alg'];
  // Absent means sha-256 (RFC 9901 §4.1.1). Anything else is refused rather than negotiated.
  if (sdAlg !== undefined && sdAlg !== SD_ALG) throw fail('ALG_NOT_ALLOWED', 'SD-JWT _sd_alg is not sha-256');
  const issuedAt = numericDate(payload['iat'], 'iat');
  const expiresAt = numericDate(payload['exp'], 'exp');
  const notBefore = numericDate(payload['nbf'], 'nbf');
  if (expiresAt !== undefined && now - skew >= expiresAt)
    throw fail('CREDENTIAL_EXPIRED', 'SD-JWT VC has expired');
  if (notBefore !== undefined && now + skew < notBefore)
    throw fail('CREDENTIAL_NOT_YET_VALID', 'SD-JWT VC is not valid yet');
  if (issuedAt !== undefined && now + skew < issuedAt) {
    throw fail('CREDENTIAL_NOT_YET_VALID', 'SD-JWT VC is issued in the future');
  }
  const cnf = payload['cnf'];
  const status = payload['status'];

  const disclosures = parts.disclosures.map((encoded) => parseDisclosure(encoded, ctx.crypto));
  const resolved = resolveDisclosures(payload, disclosures);

  let holderKey: PublicJwk | undefined;
  if (cnf !== undefined) {
    if (!isJsonObject(cnf)) throw fail('MALFORMED', 'SD-JWT VC cnf is not an object');
    if (cnf['jwk'] !== undefined) holderKey = parsePublicJwk(cnf['jwk'], 'cnf key');
  }

  const requireKeyBinding =
    options.transactionData !== undefined ||
    (options.requireKeyBinding ?? (options.nonce !== undefined || options.aud !== undefined));
  let keyBound = false;
  if (parts.kbJwt !== undefined || requireKeyBinding) {
    // Without a cnf key there is nothing a KB-JWT could prove (RFC 9901 §7.3 step 5).
    if (holderKey === undefined) throw fail('HOLDER_KEY_MISSING', 'SD-JWT VC is not bound to a holder key');
    if (parts.kbJwt === undefined) throw fail('KB_MISSING', 'presentation has no Key Binding JWT');
    await verifyKeyBinding(parts.kbJwt, parts.withoutKb, holderKey, options, ctx.crypto, now, skew);
    keyBound = true;
  }

  const claims: JsonObject = {};
  for (const name of Object.keys(resolved)) {
    if (!NOT_SUBJECT_CLAIMS.has(name)) setMember(claims, name, resolved[name]!);
  }
  const result: VerifiedSdJwtVc = { issuer: iss, vct, claims, keyBound };
  if (kid !== undefined) result.kid = kid;
  if (issuedAt !== undefined) result.issuedAt = issuedAt;
  if (expiresAt !== undefined) result.expiresAt = expiresAt;
  if (notBefore !== undefined) result.notBefore = notBefore;
  if (holderKey !== undefined) result.holderKey = holderKey;

  if (status !== undefined && options.checkStatus !== false) {
    result.status = await checkStatus(status, iss, ctx.status, now);
  }
  return result;
}

/**
 * RFC 9901 §7.3: the KB-JWT must be signed by the cnf key, typed kb+jwt, bound to this exact
 * presentation (sd_hash), to this verifier (aud) and this request (nonce), and fresh (iat), so a
 * captured presentation cannot be replayed elsewhere or later.
 */
async function verifyKeyBinding(
  kbJwt: string,
  withoutKb: string,
  holderKey: PublicJwk,
  options: VerifySdJwtVcOptions,
  crypto: CryptoPort,
  now: number,
  skew: number,
): Promise<void> {
  const kb = decodeCompactJws(kbJwt, 'KB-JWT', 'KB_MALFORMED');
  if (kb.header['typ'] !== KB_JWT_TYP) throw fail('KB_MALFORMED', 'KB-JWT typ is not kb+jwt');
  await verifyJwsSignature(kb, holderKey, crypto, { invalid: 'KB_SIGNATURE_INVALID' });
  const sdHash = kb.payload['sd_hash'];
  if (typeof sdHash !== 'string') throw fail('KB_MALFORMED', 'KB-JWT has no sd_hash');
  if (sdHash !== sha256Base64url(crypto, withoutKb)) {
    throw fail('KB_SD_HASH_MISMATCH', 'KB-JWT sd_hash does not match the presentation');
  }
  if (options.nonce !== undefined && kb.payload['nonce'] !== options.nonce) {
    throw fail('KB_NONCE_MISMATCH', 'KB-JWT nonce is not the expected one');
  }
  if (options.aud !== undefined && !audienceMatches(kb.payload['aud'], options.aud)) {
    throw fail('KB_AUDIENCE_MISMATCH', 'KB-JWT aud is not the expected one');
  }
  const iat = kb.payload['iat'];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw fail('KB_MALFORMED', 'KB-JWT has no iat');
  const maxAge = options.kbMaxAgeSeconds ?? 300;
  // Both directions are KB_STALE: a KB-JWT from the future is as unusable for freshness as an old one.
  if (iat > now + skew || iat < now - maxAge - skew)
    throw fail('KB_STALE', 'KB-JWT iat is outside the accepted window');
  if (options.transactionData !== undefined)
    checkTransactionDataHashes(crypto, kb.payload, options.transactionData);
}

function audienceMatches(aud: JsonValue | undefined, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected));
}

/**
 * draft-ietf-oauth-status-list §6.2 reference. Statuses 1 (INVALID) and 2 (SUSPENDED) refuse the
 * credential; any other value is returned for the caller's policy. No resolver, or a resolver
 * that fails, is STATUS_UNAVAILABLE: a verifier that was told to check must not fail open.
 */
async function checkStatus(
  status: JsonValue,
  iss: string,
  resolver: StatusResolver | undefined,
  now: number,
): Promise<{ uri: string; idx: number; value: number }> {
  const list = isJsonObject(status) ? status['status_list'] : undefined;
  if (!isJsonObject(list)) throw fail('MALFORMED', 'SD-JWT VC status has no status_list');
  const { uri, idx } = list;
  if (typeof uri !== 'string' || uri === '') throw fail('MALFORMED', 'status_list uri is not a string');
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
    throw fail('MALFORMED', 'status_list idx is not a non-negative integer');
  }
  if (resolver === undefined) throw fail('STATUS_UNAVAILABLE', 'no status resolver to check the status');
  let value: number;
  try {
    value = await resolver.resolve({ uri, idx, iss }, now);
  } catch (cause) {
    throw fail('STATUS_UNAVAILABLE', 'status could not be resolved', cause);
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw fail('STATUS_UNAVAILABLE', 'status resolver gave no status');
  if (value === STATUS_INVALID) throw fail('STATUS_REVOKED', 'credential is revoked');
  if (value === STATUS_SUSPENDED) throw fail('STATUS_SUSPENDED', 'credential is suspended');
  return { uri, idx, value };
}

function numericDate(value: JsonValue | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw fail('MALFORMED', `SD-JWT VC ${name} is not a NumericDate`);
  return value;
}

function checkOptions(options: VerifySdJwtVcOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const name of ['nonce', 'aud', 'expectedVct'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string')
      throw new TypeError(`${name} must be a string`);
  }
  for (const name of ['kbMaxAgeSeconds', 'clockSkewSeconds'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      throw new TypeError(`${name} must be a non-negative number`);
  }
  if (options.now !== undefined && !Number.isFinite(options.now))
    throw new TypeError('now must be a NumericDate');
  const data = options.transactionData;
  if (
    data !== undefined &&
    (!Array.isArray(data) || data.length === 0 || data.some((d) => typeof d !== 'string'))
  )
    throw new TypeError('transactionData must be a non-empty array of strings');
}
