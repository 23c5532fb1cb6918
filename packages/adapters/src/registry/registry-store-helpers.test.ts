import { describe, expect, it } from 'vitest';
import { keyHash, LookupKeyIndex, sortDistinct } from './registry-store-helpers.js';

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
