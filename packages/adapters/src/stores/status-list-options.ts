/** How `allocate` sizes the lists it opens. */
export interface StatusListOptions {
  /** Bits per entry of new lists: 1, 2, 4 or 8. Default 2, so SUSPENDED (0x02) fits. */
  bits?: 1 | 2 | 4 | 8;
  /**
   * Entries per new list. Default 2^17 (131072): 32 KiB at 2 bits before compression. A larger
   * list hides a credential among more others (draft-ietf-oauth-status-list §12.5, herd privacy).
   */
  size?: number;
  /**
   * Fraction of a list that may be allocated before `allocate` opens a new one, in (0, 0.9].
   * Default 0.5: a random pick then hits a free index at least half the time, so allocation stays
   * cheap and indices stay unpredictable.
   */
  fillThreshold?: number;
}

export interface ResolvedStatusListOptions {
  bits: 1 | 2 | 4 | 8;
  size: number;
  fillThreshold: number;
}

export const DEFAULT_STATUS_LIST_OPTIONS: ResolvedStatusListOptions = {
  bits: 2,
  size: 2 ** 17,
  fillThreshold: 0.5,
};

/** Largest list: 2^24 entries (4 MiB at 2 bits); a bound on memory and on the published token. */
export const MAX_STATUS_LIST_SIZE = 2 ** 24;

export function resolveStatusListOptions(options: StatusListOptions = {}): ResolvedStatusListOptions {
  const resolved = { ...DEFAULT_STATUS_LIST_OPTIONS, ...definedOnly(options) };
  checkBits(resolved.bits);
  checkSize(resolved.size);
  const t = resolved.fillThreshold;
  if (typeof t !== 'number' || !(t > 0 && t <= 0.9)) throw new TypeError('fillThreshold must be in (0, 0.9]');
  return resolved;
}

export function checkBits(bits: unknown): asserts bits is 1 | 2 | 4 | 8 {
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) throw new TypeError('bits must be 1, 2, 4 or 8');
}

export function checkSize(size: unknown): asserts size is number {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_STATUS_LIST_SIZE) {
    throw new TypeError(`size must be an integer in [1, ${MAX_STATUS_LIST_SIZE}]`);
  }
}

/** A status value must be an integer that fits the list's bits; anything else is a caller's bug. */
export function checkStatusValue(status: unknown, bits: number): asserts status is number {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status >= 2 ** bits) {
    throw new TypeError(`status must be an integer in [0, ${2 ** bits - 1}] for a ${bits}-bit list`);
  }
}

/** The number of allocations after which a list counts as full (at least one). */
export function allocationCap(size: number, fillThreshold: number): number {
  return Math.max(1, Math.floor(size * fillThreshold));
}

/** Random picks before giving up on a list; at a fill of 0.9 all of them miss with p < 1e-11. */
export const MAX_INDEX_PICKS = 256;

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
