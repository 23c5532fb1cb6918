import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../ports.js';
import { randomIndex } from './allocate-index.js';
import { crypto } from './test-keys.test-util.js';

/** Returns the given 32-bit draws in order, big-endian, then fails the test. */
function draws(...values: number[]): RandomSource & { used: number } {
  const source = {
    used: 0,
    bytes(length: number) {
      expect(length).toBe(4);
      const value = values[source.used++];
      if (value === undefined) throw new Error('ran out of draws');
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, value);
      return out;
    },
  };
  return source;
}

describe('randomIndex', () => {
  it('refuses a size outside [1, 2^32] (TypeError)', () => {
    for (const size of [0, -1, 1.5, Number.NaN, 2 ** 32 + 1, '10'] as unknown[]) {
      expect(() => randomIndex(crypto, size as number)).toThrow(TypeError);
    }
  });

  it('refuses a random source that returns the wrong number of bytes (TypeError)', () => {
    expect(() => randomIndex({ bytes: () => new Uint8Array(3) }, 10)).toThrow(TypeError);
  });

  it('fails loudly, instead of looping, on a source stuck above the acceptance limit', () => {
    expect(() => randomIndex({ bytes: () => new Uint8Array([0xff, 0xff, 0xff, 0xff]) }, 3)).toThrow(
      /not random/,
    );
  });

  it('rejects draws at or above the largest multiple of size: no modulo bias', () => {
    // size = 3 * 2^30: [0, 2^32) holds one full copy of [0, size) plus 2^30 extra values that a
    // bare modulo would fold onto [0, 2^30), doubling their odds. Those draws must be redrawn.
    const size = 3 * 2 ** 30;
    const source = draws(size, 2 ** 32 - 1, 7);
    expect(randomIndex(source, size)).toBe(7);
    expect(source.used).toBe(3);
    expect(randomIndex(draws(size - 1), size)).toBe(size - 1);
  });

  it('uses the draw itself below the limit, and handles the edges 1 and 2^32', () => {
    expect(randomIndex(draws(12345), 10)).toBe(5);
    expect(randomIndex(draws(2 ** 32 - 1), 1)).toBe(0);
    expect(randomIndex(draws(2 ** 32 - 1), 2 ** 32)).toBe(2 ** 32 - 1);
  });

  it('is uniform (chi-square over 7 buckets, 70 000 draws from the real source)', () => {
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[randomIndex(crypto, 7)]!++;
    const chi = counts.reduce((sum, count) => sum + (count - 10_000) ** 2 / 10_000, 0);
    // 6 degrees of freedom: P(chi^2 > 27.9) < 1e-4.
    expect(chi).toBeLessThan(27.9);
  });
});
