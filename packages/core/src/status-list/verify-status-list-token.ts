import type { JsonObject } from '../encoding/json.js';
import { fail } from '../errors.js';
import type { PublicJwk } from '../jwk/types.js';
import { decodeCompactJws } from '../jws/decode-compact.js';
import { verifyJwsSignature } from '../jws/verify-compact.js';
import type { IssuerKeyResolver, SignatureVerifier } from '../ports.js';
import { decodeStatusList } from './decode-status-list.js';
import { STATUS_LIST_JWT_TYP } from './sign-status-list-token.js';
import type { StatusList } from './status-list.js';

/** Where the verification key comes from: a key the caller already trusts, or the issuer's keys. */
export type StatusListKeySource =
  | { key: PublicJwk }
  /**
   * `issuer` is the `iss` of the credential that points at this list, never a value read from
   * the list token itself: the list must be signed by a key that issuer is trusted to use.
   */
  | { issuer: string; issuerKeys: IssuerKeyResolver };

export type VerifyStatusListTokenOptions = StatusListKeySource & {
  /** The `uri` from the credential's `status.status_list`; the token's `sub` must equal it. */
  uri: string;
  /** Verification time, a NumericDate. */
  now: number;
  crypto: SignatureVerifier;
  /** Tolerated clock difference for `iat`, `nbf` and `exp`, in seconds (default 60). */
  clockSkewSeconds?: number;
  /** Relying-party freshness policy (§8.3 step 4b): refuse a list issued longer ago than this. */
  maxAgeSeconds?: number;
  /** Decompression bomb limit, passed to decodeStatusList. */
  maxDecompressedBytes?: number;
};

export interface VerifiedStatusListToken {
  uri: string;
  issuedAt: number;
  expiresAt?: number;
  /** Seconds the list may be cached (`ttl`), as the token states it: bound it before use (§11). */
  ttl?: number;
  /** The token's own `iss`, if any; informational, trust comes from the key. */
  issuer?: string;
  kid?: string;
  list: StatusList;
  aggregationUri?: string;
}

/**
 * Verifies a Status List Token in JWT form (§5.1, §8.3 step 3-5). JWT only: a CWT is refused as
 * malformed. Failures and their codes:
 * - not a compact JWS, a claim of the wrong type, a bad `status_list`: MALFORMED;
 * - `alg` none, HMAC or anything outside our allowlist, or not the key's algorithm:
 *   ALG_NOT_ALLOWED (RFC 8725 §3.1; a MAC would let every verifier holding the key forge lists);
 * - `typ` other than statuslist+jwt: TYP_INVALID (RFC 8725 §3.11, no cross-JWT confusion: an
 *   access token or a credential must not pass as a status list);
 * - no key for the credential's issuer: ISSUER_UNKNOWN; a bad signature: SIGNATURE_INVALID;
 * - missing `sub`, `iat` or `status_list`: CLAIM_MISSING;
 * - `sub` not the expected URI (a list for other tokens, served in place of ours), expired,
 *   not yet valid, or older than `maxAgeSeconds`: STATUS_UNAVAILABLE, since no valid list is at
 *   hand, which is how the resolver port reports it.
 */
export async function verifyStatusListToken(
  token: string,
  options: VerifyStatusListTokenOptions,
): Promise<VerifiedStatusListToken> {
  const { uri, now, crypto } = options;
  const skew = options.clockSkewSeconds ?? 60;
  if (typeof uri !== 'string' || uri === '') throw new TypeError('uri must be a non-empty string');
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('now must be a NumericDate');
  if (!Number.isFinite(skew) || skew < 0) {
    throw new TypeError('clockSkewSeconds must be a non-negative number');
  }
  if (options.maxAgeSeconds !== undefined && !(options.maxAgeSeconds > 0)) {
    throw new TypeError('maxAgeSeconds must be a positive number');
  }
  if (!('key' in options) && !('issuerKeys' in options)) {
    throw new TypeError('give a key or issuer and issuerKeys');
  }

  const jws = decodeCompactJws(token, 'status list token');
  const { header, payload } = jws;
  if (!isStatusListTyp(header['typ'])) {
    throw fail('TYP_INVALID', 'status list token typ is not statuslist+jwt');
  }
  const kid = header['kid'];
  if (kid !== undefined && typeof kid !== 'string') {
    throw fail('MALFORMED', 'status list token kid is not a string');
  }

  let key: PublicJwk | undefined;
  if ('key' in options) {
    key = options.key;
  } else {
    if (typeof options.issuer !== 'string' || options.issuer === '') {
      throw new TypeError('issuer must be a non-empty string');
    }
    // kid and alg are read from the unverified header: the resolver treats them as hints only.
    key = await options.issuerKeys.resolve({
      iss: options.issuer,
      alg: header.alg,
      ...(kid === undefined ? {} : { kid }),
    });
    if (key === undefined) throw fail('ISSUER_UNKNOWN', 'no key of the issuer matches the status list token');
  }
  await verifyJwsSignature(jws, key, crypto);

  // Claims are read only after the signature holds (§8.3 step 3a before step 4).
  const claims = readClaims(payload);
  if (claims.sub !== uri) {
    throw fail('STATUS_UNAVAILABLE', 'status list token sub is not the expected status list URI');
  }
  if (claims.iat > now + skew) throw fail('STATUS_UNAVAILABLE', 'status list token is issued in the future');
  if (claims.nbf !== undefined && claims.nbf > now + skew) {
    throw fail('STATUS_UNAVAILABLE', 'status list token is not yet valid');
  }
  if (claims.exp !== undefined && now > claims.exp + skew) {
    throw fail('STATUS_UNAVAILABLE', 'status list token has expired');
  }
  if (options.maxAgeSeconds !== undefined && now - claims.iat > options.maxAgeSeconds + skew) {
    throw fail('STATUS_UNAVAILABLE', 'status list token is older than the freshness policy allows');
  }

  const decoded = decodeStatusList(
    payload['status_list'],
    options.maxDecompressedBytes === undefined ? {} : { maxDecompressedBytes: options.maxDecompressedBytes },
  );
  const verified: VerifiedStatusListToken = { uri: claims.sub, issuedAt: claims.iat, list: decoded.list };
  if (claims.exp !== undefined) verified.expiresAt = claims.exp;
  if (claims.ttl !== undefined) verified.ttl = claims.ttl;
  if (claims.iss !== undefined) verified.issuer = claims.iss;
  if (kid !== undefined) verified.kid = kid;
  if (decoded.aggregationUri !== undefined) verified.aggregationUri = decoded.aggregationUri;
  return verified;
}

// RFC 7515 §4.1.9: "application/" may be omitted from typ, and media types compare
// case-insensitively, so "application/statuslist+jwt" is the same type.
function isStatusListTyp(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === STATUS_LIST_JWT_TYP || lower === `application/${STATUS_LIST_JWT_TYP}`;
}

interface StatusListClaims {
  sub: string;
  iat: number;
  exp?: number;
  nbf?: number;
  ttl?: number;
  iss?: string;
}

function readClaims(payload: JsonObject): StatusListClaims {
  const { sub, iat, exp, nbf, ttl, iss } = payload;
  if (sub === undefined) throw fail('CLAIM_MISSING', 'status list token has no sub');
  if (iat === undefined) throw fail('CLAIM_MISSING', 'status list token has no iat');
  if (payload['status_list'] === undefined) {
    throw fail('CLAIM_MISSING', 'status list token has no status_list');
  }
  if (typeof sub !== 'string') throw fail('MALFORMED', 'status list token sub is not a string');
  if (!isNumericDate(iat)) throw fail('MALFORMED', 'status list token iat is not a NumericDate');
  if (exp !== undefined && !isNumericDate(exp)) {
    throw fail('MALFORMED', 'status list token exp is not a NumericDate');
  }
  if (nbf !== undefined && !isNumericDate(nbf)) {
    throw fail('MALFORMED', 'status list token nbf is not a NumericDate');
  }
  // §5.1: ttl "MUST be a positive number".
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0)) {
    throw fail('MALFORMED', 'status list token ttl is not a positive number');
  }
  if (iss !== undefined && typeof iss !== 'string') {
    throw fail('MALFORMED', 'status list token iss is not a string');
  }
  const claims: StatusListClaims = { sub, iat };
  if (exp !== undefined) claims.exp = exp;
  if (nbf !== undefined) claims.nbf = nbf;
  if (ttl !== undefined) claims.ttl = ttl;
  if (iss !== undefined) claims.iss = iss;
  return claims;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
