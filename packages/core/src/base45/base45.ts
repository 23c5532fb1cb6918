import { fail } from '../errors.js';

// RFC 9285 Base45: the QR alphanumeric mode's 45 characters, two bytes per three characters. The
// EU DCC ("HC1:") and Claim 169 QR codes carry their zlib-compressed COSE this way. Written here
// rather than taken from base45-js because that package works on Node's Buffer, which the core
// may not use (it runs in the browser verifier too), and because its decoder is lenient where we
// must not be (see base45Decode).
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** RFC 9285 §4: each pair of bytes n = a·256 + b becomes c d e with n = c + 45·d + 2025·e; a last odd byte becomes c d. */
export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let v = (bytes[i]! << 8) | bytes[i + 1]!;
    const c = v % 45;
    v = (v - c) / 45;
    const d = v % 45;
    out += ALPHABET[c]! + ALPHABET[d]! + ALPHABET[(v - d) / 45]!;
  }
  if (i < n) {
    const v = bytes[i]!;
    out += ALPHABET[v % 45]! + ALPHABET[Math.floor(v / 45)]!;
  }
  return out;
}

/**
 * Strict RFC 9285 §4.2 decoding of untrusted text. Refused with MALFORMED, never skipped or
 * repaired (a lenient decoder would let two texts stand for one payload, or hide junk appended to a
 * code): a character outside the alphabet (lower case, other white space), a length of 3k+1, a
 * triple whose value passes 65535 (e.g. "GGW", §6) and a final pair whose value passes 255.
 * Messages never quote the text.
 */
export function base45Decode(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw fail('MALFORMED', `${what} is not a string`);
  const length = text.length;
  if (length % 3 === 1) throw fail('MALFORMED', `${what} is not Base45: impossible length`);
  const out = new Uint8Array(Math.floor(length / 3) * 2 + (length % 3 === 2 ? 1 : 0));
  let at = 0;
  for (let i = 0; i < length; i += 3) {
    const c = digit(text, i, what);
    const d = digit(text, i + 1, what);
    if (i + 2 < length) {
      const value = c + d * 45 + digit(text, i + 2, what) * 2025;
      if (value > 0xffff) throw fail('MALFORMED', `${what} is not Base45: a triple exceeds 65535`);
      out[at++] = value >> 8;
      out[at++] = value & 0xff;
    } else {
      const value = c + d * 45;
      if (value > 0xff) throw fail('MALFORMED', `${what} is not Base45: a final pair exceeds 255`);
      out[at++] = value;
    }
  }
  return out;
}

function digit(text: string, index: number, what: string): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? DECODE[code]! : -1;
  if (value < 0) throw fail('MALFORMED', `${what} is not Base45: a character is outside the alphabet`);
  return value;
}

/** True when every character is in the Base45 alphabet (a cheap test before trying to decode). */
export function isBase45Text(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || DECODE[code]! < 0) return false;
  }
  return true;
}
