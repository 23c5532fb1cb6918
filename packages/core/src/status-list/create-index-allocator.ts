import { fail } from '../errors.js';
import type { RandomSource } from '../ports.js';
import { randomIndex } from './allocate-index.js';

export interface IndexAllocator {
  readonly size: number;
  /** Indices handed out so far. */
  readonly allocated: number;
  /** A free index, uniformly at random among the free ones; STATUS_LIST_FULL when none is left. */
  allocate(): number;
}

/**
 * An in-memory allocator for one list (tests, the in-memory store, a single-process issuer):
 * a lazily materialised Fisher-Yates shuffle, so every allocation is O(1), uniform over the
 * indices still free, and never repeats an index (§13, "Default Values and Double Allocation":
 * the Status Issuer "MUST prevent any unintended double allocation"). Indices are never released:
 * re-using an index would let an old credential inherit a new one's status and would link the
 * two. Memory grows with the number of allocations (one Map entry each), not with `size`.
 * A database allocator keeps its state in the database and calls randomIndex itself.
 */
export function createIndexAllocator(options: { size: number; random: RandomSource }): IndexAllocator {
  const { size, random } = options;
  if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 32) {
    throw new TypeError('size must be an integer from 1 to 2^32');
  }
  // Positions [0, remaining) of a virtual array hold the free indices; `moved` records the
  // positions whose value is not their own position.
  const moved = new Map<number, number>();
  let remaining = size;
  return {
    size,
    get allocated() {
      return size - remaining;
    },
    allocate() {
      if (remaining === 0) throw fail('STATUS_LIST_FULL', 'every index of the status list is allocated');
      const position = randomIndex(random, remaining);
      const last = remaining - 1;
      const index = moved.get(position) ?? position;
      if (position !== last) moved.set(position, moved.get(last) ?? last);
      moved.delete(last);
      remaining = last;
      return index;
    },
  };
}
