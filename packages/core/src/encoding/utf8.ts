import { fail } from '../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array, what = 'value'): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw fail('MALFORMED', `${what} is not valid UTF-8`, cause);
  }
}
