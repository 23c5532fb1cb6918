import { describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import { createIndexAllocator } from './create-index-allocator.js';
import { crypto } from './test-keys.test-util.js';

describe('createIndexAllocator', () => {
  it('refuses a size outside [1, 2^32] (TypeError)', () => {
    for (const size of [0, 1.5, 2 ** 32 + 1])
      expect(() => createIndexAllocator({ size, random: crypto })).toThrow(TypeError);
  });

  it('hands out every index exactly once, then STATUS_LIST_FULL', () => {
    const allocator = createIndexAllocator({ size: 1000, random: crypto });
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(allocator.allocate());
    expect(seen.size).toBe(1000);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(999);
    expect(allocator.allocated).toBe(1000);
    let code: string | undefined;
    try {
      allocator.allocate();
    } catch (error) {
      code = isTriesteError(error) ? error.code : 'uncoded';
    }
    expect(code).toBe('STATUS_LIST_FULL');
  });

  it('reveals no issuance order: allocations are not increasing and spread over the list', () => {
    const allocator = createIndexAllocator({ size: 1_000_000, random: crypto });
    const first = Array.from({ length: 50 }, () => allocator.allocate());
    const increasing = first.every((value, i) => i === 0 || value > first[i - 1]!);
    expect(increasing).toBe(false);
    expect(first.filter((value) => value >= 500_000).length).toBeGreaterThan(10);
  });

  it('picks uniformly: the second allocation of a 5-slot list is uniform over all 5 (chi-square)', () => {
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const allocator = createIndexAllocator({ size: 5, random: crypto });
      allocator.allocate();
      counts[allocator.allocate()]!++;
    }
    const chi = counts.reduce((sum, count) => sum + (count - 4000) ** 2 / 4000, 0);
    expect(chi).toBeLessThan(23.5); // 4 degrees of freedom, P < 1e-4
  });
});
