import { describe, expect, it } from 'vitest';
import { integerArrayLiteral, keyHash, LookupKeyIndex, sortDistinct } from './registry-store-helpers.js';

describe('LookupKeyIndex', () => {
  it('lists each asked hash once, ascending, and names the lookups that asked it', () => {
    const lookups = [['a', 'b', 'c'], [], ['b'], ['c', 'd', 'c'], ['a']];
    const index = new LookupKeyIndex(lookups);
    const hashes = [...index.hashes];
    expect(hashes).toEqual(
      [...new Set(['a', 'b', 'c', 'd'].map((k) => Number(keyHash(k))))].sort((x, y) => x - y),
    );
    expect(index.literal()).toBe(`{${hashes.join(',')}}`);
    const of = (key: string) => [...index.lookupsOf(keyHash(key))].sort((x, y) => x - y);
    expect(of('a')).toEqual([0, 4]);
    expect(of('b')).toEqual([0, 2]);
    // A lookup that asks a key twice is named twice; callers keep each match once (sortDistinct).
    expect(of('c')).toEqual([0, 3, 3]);
    expect(of('d')).toEqual([3]);
    expect(of('never asked')).toEqual([]);
  });

  it('handles no lookups and lookups without keys', () => {
    expect(new LookupKeyIndex([]).hashes.length).toBe(0);
    const empty = new LookupKeyIndex([[], []]);
    expect(empty.literal()).toBe('{}');
    expect([...empty.lookupsOf(keyHash('x'))]).toEqual([]);
  });

  it('matches a brute-force search over thousands of lookups', () => {
    const lookups = Array.from({ length: 2000 }, (_, q) =>
      Array.from({ length: 1 + (q % 9) }, (_, k) => `p:${(q * 31 + k * 17) % 1500}:${k % 3}`),
    );
    const index = new LookupKeyIndex(lookups);
    for (const key of ['p:0:0', 'p:17:1', 'p:1499:2', 'p:777:1', 'p:5:0']) {
      const expected = lookups.flatMap((keys, q) => keys.filter((k) => k === key).map(() => q));
      expect([...index.lookupsOf(keyHash(key))].sort((x, y) => x - y)).toEqual(expected);
    }
  });
});

describe('sortDistinct', () => {
  it('sorts each list ascending and drops repeats, in place', () => {
    const lists = [[3, 1, 3, 2, 1], [], [5], [2, 2]];
    sortDistinct(lists);
    expect(lists).toEqual([[1, 2, 3], [], [5], [2]]);
  });
});

describe('integerArrayLiteral', () => {
  it('writes whole numbers up to 2^53 - 1 as JavaScript does, leading zeros of the low digits kept', () => {
    const values = [
      0,
      7,
      10,
      99_999_999,
      100_000_000,
      100_000_001,
      1_000_000_007,
      1_234_500_000_012,
      2 ** 31,
      2 ** 32 + 5,
      9_007_199_254_740_991,
    ];
    expect(integerArrayLiteral(new Float64Array(values))).toBe(`{${values.join(',')}}`);
    expect(integerArrayLiteral(new Float64Array(0))).toBe('{}');
    const hashes = Float64Array.from({ length: 5000 }, (_, i) => Number(keyHash(`k${i}`)));
    expect(integerArrayLiteral(hashes)).toBe(`{${hashes.join(',')}}`);
  });

  it('refuses what is not a whole number below 2^53', () => {
    for (const bad of [-1, 0.5, 2 ** 53, Number.NaN]) {
      expect(() => integerArrayLiteral(new Float64Array([bad]))).toThrow(RangeError);
    }
  });
});
