import { fail } from '../errors.js';
import type { RandomSource } from '../ports.js';
import { verhoeffCheckDigit, verhoeffValid } from './verhoeff.js';

/**
 * The shape rules of a random identity number (UIN or VID), after MOSIP's UIN filters
 * (kernel-idgenerator `UinFilterUtil`, properties `mosip.kernel.uin.*`): a number that reads like a
 * pattern is easy to mistype, to guess or to remember as someone else's, so it is never issued.
 * The last digit is a Verhoeff check digit and the filters apply to the whole number with it. A
 * limit of 0 turns its filter off.
 */
export interface IdNumberPolicy {
  /** Digits, check digit included. */
  length: number;
  /** No ascending or descending run of this many digits, cyclic (`123`, `987`, `901`). */
  sequenceLimit: number;
  /** A digit may not repeat within this distance: with 2, neither `11` nor `1x1`. */
  repeatingLimit: number;
  /** No block of this many digits or more appears twice (`48xx48`). */
  repeatingBlockLimit: number;
  /** No run of this many adjacent even digits from 2, 4, 6, 8 (MOSIP "conjugative even digits"). */
  conjugativeEvenDigitsLimit: number;
  /** The first N digits differ from the last N (`4345643456` is refused with 5). */
  digitsGroupLimit: number;
  /** The first N digits differ from the last N reversed (`4345665434` is refused with 5). */
  reverseDigitsGroupLimit: number;
  /** Prefixes a number may not start with (MOSIP: 0 and 1). */
  notStartWith: readonly string[];
  /** Digit strings a number may not contain anywhere (MOSIP's default: 786 and 666). */
  restrictedNumbers: readonly string[];
  /** Refuse numbers containing a cyclic number's digits (142857, 0588235294117647, …). */
  cyclicNumbers: boolean;
}

/** MOSIP's default UIN filters (length 10). */
export const DEFAULT_UIN_POLICY: IdNumberPolicy = Object.freeze({
  length: 10,
  sequenceLimit: 3,
  repeatingLimit: 2,
  repeatingBlockLimit: 2,
  conjugativeEvenDigitsLimit: 3,
  digitsGroupLimit: 5,
  reverseDigitsGroupLimit: 5,
  notStartWith: Object.freeze(['0', '1']),
  restrictedNumbers: Object.freeze(['786', '666']),
  cyclicNumbers: true,
});

/**
 * Virtual IDs: 16 digits like MOSIP's VIDs, so a VID is never mistaken for a UIN. With 16 digits a
 * 2-digit block almost always recurs, so the block filter looks at blocks of 3; the other filters
 * are the UIN's.
 */
export const DEFAULT_VID_POLICY: IdNumberPolicy = Object.freeze({
  ...DEFAULT_UIN_POLICY,
  length: 16,
  repeatingBlockLimit: 3,
  digitsGroupLimit: 0,
  reverseDigitsGroupLimit: 0,
});

const SEQ_ASC = '01234567890123456789';
const SEQ_DESC = '98765432109876543210';
// The cyclic numbers MOSIP refuses (full reptend primes 7, 17, 19, 23, 29, 47, 59, 61, 97).
const CYCLIC = [
  '142857',
  '0588235294117647',
  '052631578947368421',
  '0434782608695652173913',
  '0344827586206896551724137931',
  '0212765957446808510638297872340425531914893617',
  '0169491525423728813559322033898305084745762711864406779661',
  '016393442622950819672131147540983606557377049180327868852459',
  '010309278350515463917525773195876288659793814432989690721649484536082474226804123711340206185567',
];

export type IdNumberFilter =
  | 'length'
  | 'check_digit'
  | 'sequence'
  | 'repeating'
  | 'repeating_block'
  | 'even_digits'
  | 'digits_group'
  | 'reverse_digits_group'
  | 'not_start_with'
  | 'restricted_number'
  | 'cyclic_number';

const compiled = new WeakMap<IdNumberPolicy, { repeating?: RegExp; block?: RegExp; even?: RegExp }>();

function patterns(policy: IdNumberPolicy) {
  let p = compiled.get(policy);
  if (!p) {
    p = {
      repeating:
        policy.repeatingLimit > 0 ? new RegExp(`(\\d)\\d{0,${policy.repeatingLimit - 1}}\\1`) : undefined,
      block:
        policy.repeatingBlockLimit > 0
          ? new RegExp(`(\\d{${policy.repeatingBlockLimit},}).*?\\1`)
          : undefined,
      even:
        policy.conjugativeEvenDigitsLimit > 0
          ? new RegExp(`[2468]{${policy.conjugativeEvenDigitsLimit}}`)
          : undefined,
    };
    compiled.set(policy, p);
  }
  return p;
}

/** The first rule `number` breaks, or undefined if it is a well-formed number under `policy`. */
export function idNumberViolation(number: string, policy: IdNumberPolicy): IdNumberFilter | undefined {
  if (typeof number !== 'string' || number.length !== policy.length || !/^\d+$/.test(number)) return 'length';
  if (!verhoeffValid(number)) return 'check_digit';
  return filterViolation(number, policy);
}

function filterViolation(id: string, policy: IdNumberPolicy): IdNumberFilter | undefined {
  const n = policy.sequenceLimit;
  if (n > 0) {
    for (let i = 0; i + n <= id.length; i++) {
      // Only a run of digits each one up (or down) from the one before can be part of SEQ_ASC (or
      // SEQ_DESC): the others are not cut out and searched (UIN draws test most numbers here).
      if (!cyclicRun(id, i, n)) continue;
      const part = id.slice(i, i + n);
      if (SEQ_ASC.includes(part) || SEQ_DESC.includes(part)) return 'sequence';
    }
  }
  const p = patterns(policy);
  if (p.repeating?.test(id)) return 'repeating';
  if (p.block?.test(id)) return 'repeating_block';
  if (p.even?.test(id)) return 'even_digits';
  const g = policy.digitsGroupLimit;
  if (g > 0 && id.length >= g && id.slice(0, g) === id.slice(id.length - g)) return 'digits_group';
  const r = policy.reverseDigitsGroupLimit;
  if (r > 0 && id.length >= r && id.slice(0, r) === [...id.slice(id.length - r)].reverse().join('')) {
    return 'reverse_digits_group';
  }
  if (policy.notStartWith.some((prefix) => prefix !== '' && id.startsWith(prefix))) return 'not_start_with';
  if (policy.restrictedNumbers.some((digits) => digits !== '' && id.includes(digits)))
    return 'restricted_number';
  if (policy.cyclicNumbers && CYCLIC.some((cyclic) => cyclic.length <= id.length && id.includes(cyclic))) {
    return 'cyclic_number';
  }
  return undefined;
}

/** Whether `id[at..at + n)` goes up by one digit each step (9 to 0 too), or down likewise. */
function cyclicRun(id: string, at: number, n: number): boolean {
  let up = true;
  let down = true;
  for (let i = at + 1; i < at + n && (up || down); i++) {
    const step = (id.charCodeAt(i) - id.charCodeAt(i - 1) + 10) % 10;
    if (step !== 1) up = false;
    if (step !== 9) down = false;
  }
  return up || down;
}

/** Checks a policy's shape: a wrong one is the caller's bug. */
export function checkIdNumberPolicy(policy: IdNumberPolicy): void {
  if (typeof policy !== 'object' || policy === null) throw new TypeError('policy must be an object');
  if (!Number.isInteger(policy.length) || policy.length < 6 || policy.length > 18) {
    // 18 digits keep every number below 2^63 (a PostgreSQL bigint), whatever the store does with it.
    throw new TypeError('policy length must be an integer in [6, 18]');
  }
  for (const name of [
    'sequenceLimit',
    'repeatingLimit',
    'repeatingBlockLimit',
    'conjugativeEvenDigitsLimit',
    'digitsGroupLimit',
    'reverseDigitsGroupLimit',
  ] as const) {
    if (!Number.isInteger(policy[name]) || policy[name] < 0)
      throw new TypeError(`policy ${name} must be >= 0`);
  }
  for (const list of [policy.notStartWith, policy.restrictedNumbers]) {
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || !/^\d*$/.test(s))) {
      throw new TypeError('policy notStartWith and restrictedNumbers must be digit strings');
    }
  }
}

/** At most this many draws: a policy so strict that this is reached refuses everything in practice. */
const MAX_DRAWS = 100_000;

/**
 * Draws a random number under `policy`: `length - 1` uniform random digits (from the RandomSource,
 * never from personal data, never sequential), the Verhoeff check digit, and a new draw until the
 * whole number passes every filter. Uniqueness is the store's (a UNIQUE constraint and a retry).
 */
export function generateIdNumber(random: RandomSource, policy: IdNumberPolicy): string {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const body = randomDigits(random, policy.length - 1);
    const number = body + verhoeffCheckDigit(body);
    if (filterViolation(number, policy) === undefined) return number;
  }
  throw fail('UIN_UNAVAILABLE', 'the number policy refused every drawn number');
}

function randomDigits(random: RandomSource, count: number): string {
  let out = '';
  while (out.length < count) {
    const bytes = random.bytes(count * 2);
    for (let i = 0; i < bytes.length && out.length < count; i++) {
      // Rejection sampling: 250 = 25 * 10, so bytes below it give uniform digits.
      if (bytes[i]! < 250) out += String(bytes[i]! % 10);
    }
  }
  return out;
}
