import { base64urlDecode } from '../encoding/base64url.js';
import { decodeJsonObjectPart, type JsonObject } from '../encoding/json.js';
import { type CoreErrorCode, fail } from '../errors.js';
import { isSignatureAlg, type SignatureAlg } from '../jwk/types.js';

export interface DecodedJws {
  header: JsonObject & { alg: SignatureAlg };
  payload: JsonObject;
  /** The exact bytes that were signed: ASCII `header.payload`. */
  signingInput: string;
  signature: Uint8Array;
}

/**
 * Splits and decodes an untrusted compact JWS without verifying it. Refuses `alg: none`, HMAC and
 * every algorithm not in our allowlist (RFC 8725 §3.1, algorithm confusion), unsupported `crit`
 * extensions (RFC 7515 §4.1.11) and unencoded payloads (RFC 7797 `b64: false`).
 */
export function decodeCompactJws(
  jws: string,
  what = 'JWS',
  malformed: CoreErrorCode = 'MALFORMED',
): DecodedJws {
  if (typeof jws !== 'string') throw fail(malformed, `${what} is not a string`);
  const first = jws.indexOf('.');
  const second = first < 0 ? -1 : jws.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || jws.indexOf('.', second + 1) !== -1) {
    throw fail(malformed, `${what} is not a compact JWS`);
  }
  const headerPart = jws.slice(0, first);
  const payloadPart = jws.slice(first + 1, second);
  const signaturePart = jws.slice(second + 1);
  let header: JsonObject;
  let payload: JsonObject;
  let signature: Uint8Array;
  try {
    header = decodeJsonObjectPart(headerPart, `${what} header`);
    payload = decodeJsonObjectPart(payloadPart, `${what} payload`);
    signature = base64urlDecode(signaturePart, `${what} signature`);
  } catch (cause) {
    throw fail(malformed, `${what} does not decode`, cause);
  }
  const alg = header['alg'];
  if (!isSignatureAlg(alg)) throw fail('ALG_NOT_ALLOWED', `${what} uses an algorithm that is not allowed`);
  if (header['crit'] !== undefined)
    throw fail(malformed, `${what} has critical header extensions we do not support`);
  if (header['b64'] !== undefined) throw fail(malformed, `${what} uses an unencoded payload`);
  return {
    header: header as JsonObject & { alg: SignatureAlg },
    payload,
    signingInput: `${headerPart}.${payloadPart}`,
    signature,
  };
}
