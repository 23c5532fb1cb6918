import { describe, expect, it } from 'vitest';
import { base64urlDecode } from './base64url.js';
import { randomId } from './random-id.js';

describe('randomId', () => {
  it('is 128 random bits in base64url, drawn again when it would start with -', () => {
    // The first draw starts with 0xF8 (base64url '-'), the second does not.
    const draws = [new Uint8Array(16).fill(0xf8), new Uint8Array(16).fill(0x07)];
    let calls = 0;
    const id = randomId({ bytes: (n: number) => draws[calls++]!.slice(0, n) });
    expect(calls).toBe(2);
    expect(id[0]).not.toBe('-');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(base64urlDecode(id)).toEqual(draws[1]);
  });
});
