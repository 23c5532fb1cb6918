import { type CborMap, type CborValue, decodeCbor } from '../cose/decode-cbor.js';
import { fail } from '../errors.js';

/** RFC 8392 §3.1 claim keys. */
export const CWT_ISS = 1;
export const CWT_SUB = 2;
export const CWT_AUD = 3;
export const CWT_EXP = 4;
export const CWT_NBF = 5;
export const CWT_IAT = 6;
export const CWT_CTI = 7;

/** The registered CWT claims, type-checked, and every claim as decoded (for the profile's own keys). */
export interface CwtClaims {
  iss?: string;
  sub?: string;
  aud?: string;
  /** NumericDates (RFC 8392 §2): seconds since the epoch, integer or floating point. */
  exp?: number;
  nbf?: number;
  iat?: number;
  cti?: Uint8Array;
  claims: CborMap;
}

/**
 * Decodes an untrusted CWT payload (RFC 8392 §7.2 steps 8–9: a CBOR map of claims) and checks the
 * types of the registered claims strictly: iss, sub and aud text, exp, nbf and iat finite numbers,
 * cti a byte string. Anything else is MALFORMED, so a later check never compares a date with a
 * string. Whether a claim must be present is the profile's decision, not this function's.
 */
export function decodeCwtClaims(payload: Uint8Array): CwtClaims {
  const claims = decodeCbor(payload, { what: 'CWT payload' });
  if (!(claims instanceof Map)) throw fail('MALFORMED', 'CWT payload is not a map of claims');
  const out: CwtClaims = { claims };
  const iss = text(claims, CWT_ISS, 'iss');
  if (iss !== undefined) out.iss = iss;
  const sub = text(claims, CWT_SUB, 'sub');
  if (sub !== undefined) out.sub = sub;
  const aud = text(claims, CWT_AUD, 'aud');
  if (aud !== undefined) out.aud = aud;
  const exp = numericDate(claims, CWT_EXP, 'exp');
  if (exp !== undefined) out.exp = exp;
  const nbf = numericDate(claims, CWT_NBF, 'nbf');
  if (nbf !== undefined) out.nbf = nbf;
  const iat = numericDate(claims, CWT_IAT, 'iat');
  if (iat !== undefined) out.iat = iat;
  if (claims.has(CWT_CTI)) {
    const cti = claims.get(CWT_CTI);
    if (!(cti instanceof Uint8Array)) throw fail('MALFORMED', 'CWT claim cti is not a byte string');
    out.cti = cti;
  }
  return out;
}

function text(claims: CborMap, key: number, name: string): string | undefined {
  if (!claims.has(key)) return undefined;
  const value: CborValue = claims.get(key);
  if (typeof value !== 'string') throw fail('MALFORMED', `CWT claim ${name} is not a text string`);
  return value;
}

function numericDate(claims: CborMap, key: number, name: string): number | undefined {
  if (!claims.has(key)) return undefined;
  const value: CborValue = claims.get(key);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw fail('MALFORMED', `CWT claim ${name} is not a NumericDate`);
  }
  return value;
}
