import { fail } from '../errors.js';

// RFC 4648 §5 base64url without padding, as JWS (RFC 7515 §2) requires. Written out rather than
// going through atob/btoa because it is on every hot path (every disclosure, every JWS part).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENCODE = new Uint8Array(64);
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  const c = ALPHABET.charCodeAt(i);
  ENCODE[i] = c;
  DECODE[c] = i;
}
const textDecoder = new TextDecoder();

export function base64urlEncode(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[v >> 18]!;
    out[o++] = ENCODE[(v >> 12) & 63]!;
    out[o++] = ENCODE[(v >> 6) & 63]!;
    out[o++] = ENCODE[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out[o++] = ENCODE[v >> 18]!;
    out[o++] = ENCODE[(v >> 12) & 63]!;
    if (i + 1 < n) out[o++] = ENCODE[(v >> 6) & 63]!;
  }
  return textDecoder.decode(out.subarray(0, o));
}

/**
 * Strict decoder: rejects padding, whitespace, characters outside the URL-safe alphabet, an
 * impossible length and non-zero trailing bits (so each byte string has exactly one encoding,
 * which matters when encodings are hashed or compared).
 */
export function base64urlDecode(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw fail('MALFORMED', `${what} is not a string`);
  const n = text.length;
  if (n % 4 === 1) throw fail('MALFORMED', `${what} is not base64url`);
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const v = c < 256 ? DECODE[c]! : -1;
    if (v < 0) throw fail('MALFORMED', `${what} is not base64url`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0)
    throw fail('MALFORMED', `${what} is not canonical base64url`);
  return out;
}
