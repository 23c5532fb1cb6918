import { describe, expect, it } from 'vitest';
import { newRegistryId } from './registry-context.js';

describe('newRegistryId', () => {
  it('draws again when the id would start with "-", which a command line reads as an option', () => {
    // 0xF8 = 111110.. : base64url 62, '-'; then 0x00 bytes: 'A…'.
    const draws = [new Uint8Array(16).fill(0xf8), new Uint8Array(16)];
    let calls = 0;
    const id = newRegistryId({ bytes: (n: number) => draws[calls++]!.slice(0, n) });
    expect(calls).toBe(2);
    expect(id).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('is 128 random bits in base64url, never with a leading "-"', () => {
    let seed = 1;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed & 0xff;
    };
    const random = { bytes: (n: number) => Uint8Array.from({ length: n }, next) };
    for (let i = 0; i < 2000; i++) expect(newRegistryId(random)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
