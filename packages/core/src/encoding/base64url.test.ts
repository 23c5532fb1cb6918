import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlDecodeUtf8, base64urlEncode, base64urlEncodeUtf8 } from './base64url.js';

describe('base64urlDecode', () => {
  it('refuses padding, other alphabets, impossible lengths, non-canonical tails and non-strings', () => {
    for (const bad of ['QQ==', 'a+b/', 'ab cd', 'A', 'AAAAA', 'QR', 'QUF', 'é', 'ĀĀĀĀ', '\u0000AAA']) {
      expect(() => base64urlDecode(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    }
    expect(() => base64urlDecode(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'MALFORMED' }),
    );
  });

  it('never echoes the input in its message', () => {
    try {
      base64urlDecode('secret-value!', 'token');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret');
    }
  });

  it('round-trips every byte string, as Node decodes it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = base64urlEncode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect(Array.from(base64urlDecode(encoded))).toEqual(Array.from(bytes));
      }),
    );
  });
});

describe('base64urlEncodeUtf8', () => {
  it('encodes the UTF-8 bytes of any string, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ maxLength: 20 }), (a, b) => {
        const text = a + b;
        expect(base64urlEncodeUtf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
      }),
    );
    expect(base64urlEncodeUtf8('ab€')).toBe(Buffer.from('ab€').toString('base64url'));
    expect(base64urlEncodeUtf8('a€')).toBe(Buffer.from('a€').toString('base64url'));
  });
});

describe('base64urlDecodeUtf8', () => {
  it('is as strict as base64urlDecode, and refuses invalid UTF-8', () => {
    for (const bad of ['QQ==', 'a+b/', 'ab cd', 'A', 'QR', 'QUF', 'é', 'ĀĀĀĀ', '\u0000AAA', 'gA']) {
      expect(() => base64urlDecodeUtf8(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    }
    expect(() => base64urlDecodeUtf8(7 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'MALFORMED' }),
    );
  });

  it('decodes what base64urlEncodeUtf8 encodes, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(base64urlDecodeUtf8(base64urlEncodeUtf8(text))).toBe(text);
      }),
    );
  });
});
