import { base64urlDecode } from '../encoding/base64url.js';
import { isJsonObject } from '../encoding/json.js';
import { fail } from '../errors.js';
import type { PrivateJwk, PublicJwk, SignatureAlg } from './types.js';

/**
 * Validates an untrusted JWK (from a `cnf` claim, a file, a trust list) and returns only its
 * public members. A JWK that carries `d` is refused unless the caller asks for the private key:
 * a private key must never travel where a public key is expected.
 */
export function parsePublicJwk(value: unknown, what = 'key'): PublicJwk {
  if (!isJsonObject(value)) throw fail('KEY_INVALID', `${what} is not a JWK object`);
  if ('d' in value) throw fail('KEY_INVALID', `${what} contains private key material`);
  return pickPublic(value, what);
}

export function parsePrivateJwk(value: unknown, what = 'key'): PrivateJwk {
  if (!isJsonObject(value)) throw fail('KEY_INVALID', `${what} is not a JWK object`);
  const pub = pickPublic(value, what);
  const d = value['d'];
  if (typeof d !== 'string') throw fail('KEY_INVALID', `${what} has no private part`);
  checkLength(d, 32, what);
  return { ...pub, d };
}

function pickPublic(value: Record<string, unknown>, what: string): PublicJwk {
  const { kty, crv, x, y } = value;
  if (kty === 'EC' && crv === 'P-256' && typeof x === 'string' && typeof y === 'string') {
    checkLength(x, 32, what);
    checkLength(y, 32, what);
    return { kty, crv, x, y };
  }
  if (kty === 'OKP' && crv === 'Ed25519' && typeof x === 'string') {
    checkLength(x, 32, what);
    return { kty, crv, x };
  }
  throw fail('KEY_INVALID', `${what} is not a P-256 or Ed25519 JWK`);
}

function checkLength(member: string, bytes: number, what: string): void {
  let decoded: Uint8Array;
  try {
    decoded = base64urlDecode(member, what);
  } catch (cause) {
    throw fail('KEY_INVALID', `${what} has a member that is not base64url`, cause);
  }
  if (decoded.length !== bytes) throw fail('KEY_INVALID', `${what} has a member of the wrong length`);
}

/** The one algorithm a key may be used with: no algorithm confusion across key types. */
export function algForJwk(jwk: PublicJwk): SignatureAlg {
  return jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
}

/** Removes private members and library extras (`key_ops`, `ext`, `kid`) for `cnf.jwk`. */
export function toPublicJwk(jwk: PublicJwk | PrivateJwk): PublicJwk {
  return jwk.kty === 'EC'
    ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y }
    : { kty: 'OKP', crv: jwk.crv, x: jwk.x };
}
