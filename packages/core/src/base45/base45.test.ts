import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TriesteError } from '../errors.js';
import { base45Decode, base45Encode, isBase45Text } from './base45.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('base45Encode / base45Decode (RFC 9285)', () => {
  // RFC 9285 §4.3 examples, and §4.3's decoding example "QED8WEX0" → "ietf!".
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('RFC 9285 §4.3: %j ↔ %j', (plain, encoded) => {
    expect(base45Encode(text(plain))).toBe(encoded);
    expect(new TextDecoder().decode(base45Decode(encoded))).toBe(plain);
  });

  it('encodes the empty string as itself and the extremes of each group', () => {
    expect(base45Encode(new Uint8Array())).toBe('');
    expect(base45Decode('')).toEqual(new Uint8Array());
    expect(base45Encode(new Uint8Array([0xff, 0xff]))).toBe('FGW');
    expect(base45Decode('FGW')).toEqual(new Uint8Array([0xff, 0xff]));
    expect(base45Encode(new Uint8Array([0xff]))).toBe('U5');
    expect(base45Decode('U5')).toEqual(new Uint8Array([0xff]));
  });

  it('refuses characters outside the alphabet, impossible lengths and out-of-range groups', () => {
    for (const bad of [
      'GGW', // RFC 9285 §6: 65536
      ':::', // 91124
      'V5', // 256 in a final pair
      '::', // 2024 in a final pair
      'A', // length 3k+1
      'BB8A',
      'bb8', // lower case is not in the alphabet
      'BB8\n',
      'BB\t',
      'BBé',
      'BB8=',
    ]) {
      expect(() => base45Decode(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    }
    expect(() => base45Decode(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'MALFORMED' }),
    );
  });

  it('never echoes the input in its message', () => {
    try {
      base45Decode('SECRET-NAME;');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET');
    }
  });

  it('round-trips every byte string, and one text per byte string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = base45Encode(bytes);
        expect(isBase45Text(encoded)).toBe(true);
        expect(encoded.length).toBe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
        expect(base45Decode(encoded)).toEqual(bytes);
      }),
    );
  });

  it('decodes hostile text to bytes or a coded MALFORMED, never anything else', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    const base45ish = fc
      .array(fc.constantFrom(...alphabet.split('')), { maxLength: 60 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), base45ish), (input) => {
        try {
          const bytes = base45Decode(input);
          // Whatever decodes re-encodes to exactly the same text: the decoding is canonical.
          expect(base45Encode(bytes)).toBe(input);
        } catch (error) {
          expect(error).toBeInstanceOf(TriesteError);
          expect((error as TriesteError).code).toBe('MALFORMED');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
