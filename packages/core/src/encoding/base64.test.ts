import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from './base64.js';

describe('base64Decode (RFC 4648 §4)', () => {
  it('refuses missing or extra padding, the URL alphabet, whitespace, non-canonical tails and non-strings', () => {
    for (const bad of [
      'QQ',
      'QQ=',
      'QQ===',
      'Q===',
      'QUJD=',
      'a-b_',
      'ab cd',
      'QR==',
      'QUF=',
      'Q=Q=',
      'é',
      '====',
      '\nQQ==',
    ]) {
      expect(() => base64Decode(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    }
    expect(() => base64Decode(1 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'MALFORMED' }),
    );
  });

  it('round-trips every byte string, as Node encodes it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = base64Encode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(Buffer.from(base64Decode(encoded)).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
    expect(base64Decode('')).toEqual(new Uint8Array(0));
  });
});
