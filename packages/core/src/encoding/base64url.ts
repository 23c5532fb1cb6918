import { fail } from '../errors.js';

// RFC 4648 §5 base64url without padding, as JWS (RFC 7515 §2) requires. Written out rather than
// going through atob/btoa because it is on every hot path (every disclosure, every JWS part):
// a table of all 4096 two-character pairs turns 3 bytes into 2 lookups.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PAIRS: string[] = new Array(4096);
for (let i = 0; i < 4096; i++) PAIRS[i] = ALPHABET[i >> 6]! + ALPHABET[i & 63]!;
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const textEncoder = new TextEncoder();

export function base64urlEncode(bytes: Uint8Array): string {
  const n = bytes.length;
  let out = '';
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += PAIRS[v >> 12]! + PAIRS[v & 4095]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += PAIRS[v >> 12]!;
    if (i + 1 < n) out += ALPHABET[(v >> 6) & 63]!;
  }
  return out;
}

const NON_ASCII = /[\u0080-\uffff]/;
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

/**
 * base64url of the UTF-8 encoding of `text` (a disclosure's JSON, a JWS header or payload). ASCII
 * text, the common case, is already its own UTF-8 and Latin-1 form, so the platform's native
 * `btoa` encodes it; other text takes the byte path.
 */
export function base64urlEncodeUtf8(text: string): string {
  if (!NON_ASCII.test(text)) return toUrlAlphabet(btoa(text));
  return base64urlEncodeUtf8Slow(text);
}

/**
 * The UTF-8 text that `text` (base64url) encodes: a JWS header or payload, a disclosure. As strict
 * as base64urlDecode (the alphabet, the length, canonical trailing bits), then the platform's
 * native `atob`; text with bytes over 0x7f goes through a fatal UTF-8 decoder.
 */
export function base64urlDecodeUtf8(text: string, what = 'value'): string {
  if (typeof text !== 'string') throw fail('MALFORMED', `${what} is not a string`);
  const tail = text.length % 4;
  if (tail === 1 || !BASE64URL_TEXT.test(text)) throw fail('MALFORMED', `${what} is not base64url`);
  if (tail > 0) {
    // atob ignores unused trailing bits; we refuse them (one encoding per byte string).
    const last = DECODE[text.charCodeAt(text.length - 1)]!;
    if ((tail === 2 ? last & 0x0f : last & 0x03) !== 0) {
      throw fail('MALFORMED', `${what} is not canonical base64url`);
    }
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  if (!NON_ASCII.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8Decoder(bytes, what);
}

function toUrlAlphabet(base64: string): string {
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 61 /* = */) end--;
  return base64.slice(0, end).replace(/\+/g, '-').replace(/\//g, '_');
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function utf8Decoder(bytes: Uint8Array, what: string): string {
  try {
    return fatalDecoder.decode(bytes);
  } catch (cause) {
    throw fail('MALFORMED', `${what} is not valid UTF-8`, cause);
  }
}

function base64urlEncodeUtf8Slow(text: string): string {
  const n = text.length;
  let out = '';
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    if ((a | b | c) > 0x7f) return out + base64urlEncode(textEncoder.encode(text.slice(i)));
    const v = (a << 16) | (b << 8) | c;
    out += PAIRS[v >> 12]! + PAIRS[v & 4095]!;
  }
  if (i < n) {
    if (i + 1 < n ? (text.charCodeAt(i) | text.charCodeAt(i + 1)) > 0x7f : text.charCodeAt(i) > 0x7f) {
      return out + base64urlEncode(textEncoder.encode(text.slice(i)));
    }
    const v = (text.charCodeAt(i) << 16) | ((i + 1 < n ? text.charCodeAt(i + 1) : 0) << 8);
    out += PAIRS[v >> 12]!;
    if (i + 1 < n) out += ALPHABET[(v >> 6) & 63]!;
  }
  return out;
}

/**
 * Strict decoder: rejects padding, whitespace, characters outside the URL-safe alphabet, an
 * impossible length and non-zero trailing bits (so each byte string has exactly one encoding,
 * which matters when encodings are hashed or compared).
 */
export function base64urlDecode(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw fail('MALFORMED', `${what} is not a string`);
  const n = text.length;
  const tail = n % 4;
  if (tail === 1) throw fail('MALFORMED', `${what} is not base64url`);
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  const full = n - tail;
  let o = 0;
  // Four characters to three bytes per step; a character outside the alphabet (or beyond Latin-1,
  // which indexes past the table) makes the OR of the four lookups negative.
  for (let i = 0; i < full; i += 4) {
    const v =
      (lookup(text.charCodeAt(i)) << 18) |
      (lookup(text.charCodeAt(i + 1)) << 12) |
      (lookup(text.charCodeAt(i + 2)) << 6) |
      lookup(text.charCodeAt(i + 3));
    if (v < 0) throw fail('MALFORMED', `${what} is not base64url`);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (tail > 0) {
    const a = lookup(text.charCodeAt(full));
    const b = lookup(text.charCodeAt(full + 1));
    const c = tail === 3 ? lookup(text.charCodeAt(full + 2)) : 0;
    if ((a | b | c) < 0) throw fail('MALFORMED', `${what} is not base64url`);
    const v = (a << 18) | (b << 12) | (c << 6);
    // Unused low bits must be zero: otherwise two encodings would decode to the same bytes.
    if ((tail === 2 ? v & 0xffff : v & 0xff) !== 0)
      throw fail('MALFORMED', `${what} is not canonical base64url`);
    out[o++] = v >> 16;
    if (tail === 3) out[o++] = (v >> 8) & 0xff;
  }
  return out;
}

function lookup(code: number): number {
  // Any negative result poisons the OR above: -1 for a character outside the alphabet.
  return code < 256 ? DECODE[code]! : -1;
}
