import type { RandomSource } from '../ports.js';

const TWO_32 = 2 ** 32;
// With an honest generator, 64 rejections in a row happen with probability below 2^-64.
const MAX_ATTEMPTS = 64;

/**
 * A uniformly random index in [0, size), for a new credential's status list entry.
 *
 * Why random: a sequential index reveals issuance order and, with a few samples, issuance rate and
 * time to anyone holding two credentials or watching a list fill (§12, "Observability of
 * Outsiders" and "Unlinkability" both recommend "non-sequential, pseudo-random or random
 * indices").
 * Why rejection sampling: `u % size` over 32 random bits favours the low indices whenever size
 * does not divide 2^32; discarding draws at or above the largest multiple of size removes that
 * bias exactly. At most half the draws are discarded, so the expected cost is under two draws.
 *
 * `random` must be a cryptographically secure source (the RandomSource contract): the index is
 * only as unpredictable as it is.
 */
export function randomIndex(random: RandomSource, size: number): number {
  if (!Number.isSafeInteger(size) || size < 1 || size > TWO_32) {
    throw new TypeError('size must be an integer from 1 to 2^32');
  }
  const limit = TWO_32 - (TWO_32 % size);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const bytes = random.bytes(4);
    if (!(bytes instanceof Uint8Array) || bytes.length !== 4) {
      throw new TypeError('random.bytes(4) must return 4 bytes');
    }
    const draw = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    if (draw < limit) return draw % size;
  }
  // A broken port, not hostile input: fail loudly rather than loop forever.
  throw new Error('random source keeps returning out-of-range values; it is not random');
}
