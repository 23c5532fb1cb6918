import { fail } from '../errors.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import type { PublicJwk } from '../jwk/types.js';
import { type DecodedJws, decodeCompactJws } from '../jws/decode-compact.js';
import { verifyJwsSignature } from '../jws/verify-compact.js';
import type { Hasher, SignatureVerifier } from '../ports.js';
import { parseJurisdiction, parseTrustList } from './parse-trust-list.js';
import { TRUST_LIST_JWT_TYP, TRUST_LIST_LIMITS, type TrustList } from './trust-list.js';

export interface DecodedTrustList {
  jws: DecodedJws;
  /** The header `kid`: which operator key claims to have signed. */
  kid: string;
}

export interface VerifiedTrustList {
  list: TrustList;
  /** RFC 7638 thumbprint of the operator key that verified the signature. */
  signedBy: string;
  /** The JWS payload part as received: two lists with the same payload say the same thing. */
  payloadPart: string;
}

/**
 * Splits a trust list JWS and checks its envelope, without verifying it: size bound, our
 * algorithm allowlist (decodeCompactJws), `typ` and a string `kid`.
 */
export function decodeTrustListJws(jws: string): DecodedTrustList {
  if (typeof jws !== 'string') throw fail('MALFORMED', 'trust list is not a string');
  if (jws.length > TRUST_LIST_LIMITS.maxJwsLength) throw fail('MALFORMED', 'trust list is too large');
  const decoded = decodeCompactJws(jws, 'trust list');
  if (!isTrustListTyp(decoded.header['typ'])) {
    throw fail('TYP_INVALID', `trust list typ is not ${TRUST_LIST_JWT_TYP}`);
  }
  const kid = decoded.header['kid'];
  if (typeof kid !== 'string' || kid === '') throw fail('MALFORMED', 'trust list header has no kid');
  return { jws: decoded, kid };
}

/**
 * The jurisdiction a list claims, read before its signature is checked: only to choose which keys
 * to check it with. Nothing else is read from an unverified list.
 */
export function claimedJurisdiction(decoded: DecodedTrustList): string {
  const operator = decoded.jws.payload['operator'];
  const jurisdiction =
    operator !== null && typeof operator === 'object' && !Array.isArray(operator)
      ? operator['jurisdiction']
      : undefined;
  return parseJurisdiction(jurisdiction, 'trust list operator jurisdiction');
}

/**
 * Verifies a trust list against the operator keys the caller trusts for it (configured for its own
 * jurisdiction, or the keys its own list recognises for another), then reads it strictly. A `kid`
 * that names none of them is TRUST_LIST_OPERATOR_UNTRUSTED (signed by someone else, or by a key
 * the verifier was not told about); a bad signature is SIGNATURE_INVALID. The signing key must
 * also be among the operator keys the list itself announces (MALFORMED otherwise).
 */
export async function verifyTrustList(
  jws: string | DecodedTrustList,
  options: { keys: ReadonlyArray<PublicJwk & { kid?: string }>; crypto: SignatureVerifier & Hasher },
): Promise<VerifiedTrustList> {
  const decoded = typeof jws === 'string' ? decodeTrustListJws(jws) : jws;
  const { crypto } = options;
  // The header kid is a hint: it selects among keys the caller already trusts, by their own kid
  // or their RFC 7638 thumbprint (every Trieste kid is one).
  const key = options.keys.find(
    (candidate) => candidate.kid === decoded.kid || jwkThumbprint(candidate, crypto) === decoded.kid,
  );
  if (!key)
    throw fail('TRUST_LIST_OPERATOR_UNTRUSTED', 'the trust list is not signed by a trusted operator key');
  await verifyJwsSignature(decoded.jws, key, crypto);
  const list = parseTrustList(decoded.jws.payload);
  const signedBy = jwkThumbprint(key, crypto);
  if (!list.operator.keys.some((announced) => jwkThumbprint(announced, crypto) === signedBy)) {
    throw fail('MALFORMED', 'the trust list is signed by a key it does not announce');
  }
  const payloadPart = decoded.jws.signingInput.slice(decoded.jws.signingInput.indexOf('.') + 1);
  return { list, signedBy, payloadPart };
}

/**
 * Reads a trust list WITHOUT verifying its signature: for showing what a file holds. Never trust
 * what this returns.
 */
export function readUnverifiedTrustList(jws: string): { list: TrustList; kid: string } {
  const decoded = decodeTrustListJws(jws);
  return { list: parseTrustList(decoded.jws.payload), kid: decoded.kid };
}

// RFC 7515 §4.1.9: "application/" may be omitted from typ, and media types compare case-insensitively.
function isTrustListTyp(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === TRUST_LIST_JWT_TYP || lower === `application/${TRUST_LIST_JWT_TYP}`;
}
