// Shared syntax of c2sp.org/signed-note (and the formats built on it): key names, the character
// rules, strict base64 and the limits that keep a hostile note from costing us unbounded work.
// Internal to log/: not exported from the package.
import { base64Decode } from '../encoding/base64.js';
import { base64urlDecode } from '../encoding/base64url.js';
import { utf8Decode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import type { Signer } from '../ports.js';

/**
 * Upper bound on a note's length (UTF-16 code units, never fewer than its UTF-8 bytes / 3).
 * signed-note §Format: verifiers SHOULD limit a note's size but MUST accept 16 signatures, and
 * post-quantum ones are up to ~5 kB each; 128 KiB leaves room for that and a long text.
 */
export const MAX_NOTE_LENGTH = 128 * 1024;

/** signed-note §Format: at least 16 must be accepted; golang.org/x/mod/sumdb/note stops at 100. */
export const MAX_NOTE_SIGNATURES = 100;

/** U+2014 EM DASH, U+0020 SPACE: the start of every signature line (signed-note §Format). */
export const SIGNATURE_PREFIX = '\u2014 ';

/** Signature type identifier bytes (signed-note §Signature types). */
export const ALG_ED25519 = 0x01;
export const ALG_COSIGNATURE_V1 = 0x04;

// signed-note §Format: "MUST NOT contain any Unicode spaces or plus (U+002B)". Unicode's
// White_Space property is what Go's unicode.IsSpace tests in the reference implementation.
const NOT_IN_NAME = /[\p{White_Space}+]/u;

export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' && name.length > 0 && !NOT_IN_NAME.test(name) && hasOnlyNoteCharacters(name)
  );
}

/**
 * signed-note §Format: no ASCII control character but newline. A lone surrogate is refused too:
 * such a string has no UTF-8 encoding, so it cannot be the text that was signed.
 */
export function hasOnlyNoteCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x0a) return false;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/** Accepts a note as text or as bytes (which must be UTF-8) and applies the length bound. */
export function noteText(input: string | Uint8Array, what: string, maxLength = MAX_NOTE_LENGTH): string {
  if (input instanceof Uint8Array) {
    if (input.length > maxLength * 3) throw fail('LOG_NOTE_MALFORMED', `${what} is too long`);
    try {
      input = utf8Decode(input, what);
    } catch (cause) {
      throw fail('LOG_NOTE_MALFORMED', `${what} is not valid UTF-8`, cause);
    }
  }
  if (typeof input !== 'string') throw new TypeError(`${what} must be a string or a Uint8Array`);
  if (input.length > maxLength) throw fail('LOG_NOTE_MALFORMED', `${what} is too long`);
  if (!hasOnlyNoteCharacters(input)) {
    throw fail('LOG_NOTE_MALFORMED', `${what} contains a control character or invalid UTF-16`);
  }
  return input;
}

/** RFC 4648 §4 base64, strictly decoded; a failure is LOG_NOTE_MALFORMED. */
export function decodeNoteBase64(text: string, what: string): Uint8Array {
  try {
    return base64Decode(text, what);
  } catch (cause) {
    throw fail('LOG_NOTE_MALFORMED', `${what} is not base64`, cause);
  }
}

/** ASCII decimal with no leading zeroes (tlog-checkpoint §Note text, tlog-proof §Format). */
export function parseDecimal(text: string, what: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) throw fail('LOG_NOTE_MALFORMED', `${what} is not a decimal`);
  const value = Number(text);
  // The formats allow uint64; beyond 2^53 - 1 a JavaScript number would silently round.
  if (!Number.isSafeInteger(value)) throw fail('LOG_NOTE_MALFORMED', `${what} is too large`);
  return value;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The raw 32-byte Ed25519 public key of a Signer; anything else is a caller's bug. */
export function ed25519PublicKey(signer: Signer, what: string): Uint8Array {
  if (signer?.alg !== 'EdDSA' || signer.publicJwk?.kty !== 'OKP' || signer.publicJwk.crv !== 'Ed25519') {
    throw new TypeError(`${what} must be an Ed25519 (EdDSA) signer`);
  }
  const key = base64urlDecode(signer.publicJwk.x, `${what} public key`);
  if (key.length !== 32) throw new TypeError(`${what} public key is not 32 bytes`);
  return key;
}

/** Signs with an Ed25519 Signer and checks it kept the port's contract (a raw 64-byte signature). */
export async function signEd25519(signer: Signer, data: Uint8Array, what: string): Promise<Uint8Array> {
  const signature = await signer.sign(data);
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new TypeError(`${what} returned a signature that is not 64 bytes`);
  }
  return signature;
}
