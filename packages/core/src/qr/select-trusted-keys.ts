import { base64Encode } from '../encoding/base64.js';
import { fail } from '../errors.js';
import type { PreparedKey, PreparedTrust } from './trust-material.js';

export interface TrustedKeyRequest {
  /** The credential type asked for: `hc1`, `claim169` or a `vct`. */
  type: string;
  /** The message's algorithm: only keys of the one type that goes with it are candidates. */
  alg: string;
  kid?: Uint8Array;
  iss?: string;
  /** Only keys usable by our JWS code (P-256, Ed25519 JWKs), for SD-JWT. */
  jws?: boolean;
}

/**
 * The trusted keys that may have signed a message, exact kid matches first. A key is a candidate
 * when its algorithm is the message's, its issuer (if it names one) is the message's, and its kid
 * equals the message's — or the message names no kid, or the key is a JWK given without kid (the
 * operator vouched for that key whatever name a header gives it). The EU DCC's kids are 8 bytes
 * and may collide, so every match is returned and tried (DCC spec §3.3.1). None is ISSUER_UNKNOWN;
 * none because the only matches are limited to other credential types is CREDENTIAL_TYPE_NOT_ALLOWED.
 */
export function selectTrustedKeys(trust: PreparedTrust, request: TrustedKeyRequest): PreparedKey[] {
  const exact: PreparedKey[] = [];
  const others: PreparedKey[] = [];
  const kidText = request.kid === undefined ? undefined : asciiText(request.kid);
  let typeRefused = false;
  for (const key of trust.keys) {
    if (key.alg !== request.alg) continue;
    if (request.jws && key.publicJwk === undefined) continue;
    if (key.iss !== undefined && key.iss !== request.iss) continue;
    let isExact = false;
    if (request.kid !== undefined) {
      isExact =
        (key.kidBytes !== undefined && equalBytes(key.kidBytes, request.kid)) ||
        (key.thumbprint !== undefined && key.thumbprint === kidText);
      if (!isExact && !(key.source === 'jwk' && key.kidBytes === undefined)) continue;
    }
    if (key.types !== undefined && !key.types.includes(request.type)) {
      typeRefused = true;
      continue;
    }
    (isExact ? exact : others).push(key);
  }
  const found = [...exact, ...others];
  if (found.length === 0) {
    if (typeRefused)
      throw fail('CREDENTIAL_TYPE_NOT_ALLOWED', `the trusted key may not sign ${request.type} credentials`);
    throw fail(
      'ISSUER_UNKNOWN',
      request.kid === undefined
        ? 'no trusted key for this issuer and algorithm'
        : `no trusted key with kid ${displayKid(request.kid)}`,
    );
  }
  return found;
}

/** A kid for people: its text when it is printable ASCII, else base64 (as EU DCC lists write kids). */
export function displayKid(kid: Uint8Array): string {
  return asciiText(kid) ?? base64Encode(kid);
}

function asciiText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes.length > 256) return undefined;
  let out = '';
  for (const byte of bytes) {
    if (byte < 0x21 || byte > 0x7e) return undefined;
    out += String.fromCharCode(byte);
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
