import { fail } from '../errors.js';
import { base64urlDecode, base64urlEncode } from './base64url.js';

// RFC 4648 §4 base64 (standard alphabet, padded): the encoding of C2SP signed notes, checkpoints
// and tlog proofs. Built on the base64url codec, which is strict: no whitespace, and non-zero
// trailing bits are refused, so every byte string has exactly one accepted encoding.
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

export function base64Encode(bytes: Uint8Array): string {
  const url = base64urlEncode(bytes);
  return url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (url.length % 4)) % 4);
}

/** Strict decoder: the standard alphabet, padding to a multiple of four, canonical trailing bits. */
export function base64Decode(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw fail('MALFORMED', `${what} is not a string`);
  if (text.length % 4 !== 0 || !BASE64_TEXT.test(text)) throw fail('MALFORMED', `${what} is not base64`);
  // With the length a multiple of four and at most two '=', the padding always fits the tail.
  const unpadded = text.replace(/=+$/, '');
  return base64urlDecode(unpadded.replace(/\+/g, '-').replace(/\//g, '_'), what);
}
