import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../ports.js';
import { DEFAULT_UIN_POLICY, DEFAULT_VID_POLICY, idNumberViolation } from './id-number-policy.js';
import { generateUin, generateVid, isValidUin, isValidVid } from './uin.js';
import { verhoeffCheckDigit, verhoeffValid } from './verhoeff.js';

const random: RandomSource = { bytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)) };
const withCheck = (body: string) => body + verhoeffCheckDigit(body);

describe('Verhoeff', () => {
  // The worked example of the algorithm (236 → 3) and Aadhaar-style checks.
  it('computes the check digit of 236 as 3 and validates 2363', () => {
    expect(verhoeffCheckDigit('236')).toBe('3');
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffCheckDigit('12345')).toBe('1');
    expect(verhoeffValid('123451')).toBe(true);
  });

  it('catches every single-digit error and every adjacent transposition of a number', () => {
    const number = withCheck('482519736');
    expect(verhoeffValid(number)).toBe(true);
    for (let i = 0; i < number.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === number[i]) continue;
        expect(verhoeffValid(number.slice(0, i) + d + number.slice(i + 1))).toBe(false);
      }
      if (i + 1 < number.length && number[i] !== number[i + 1]) {
        expect(verhoeffValid(number.slice(0, i) + number[i + 1] + number[i] + number.slice(i + 2))).toBe(
          false,
        );
      }
    }
  });

  it('rejects what is not digits, and refuses to compute over it (a caller bug)', () => {
    expect(verhoeffValid('12a4')).toBe(false);
    expect(verhoeffValid('')).toBe(false);
    expect(() => verhoeffCheckDigit('12a')).toThrow(TypeError);
  });
});

describe('UIN', () => {
  it('draws 10-digit numbers with a valid check digit that pass every filter, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const uin = generateUin(random);
      expect(uin).toMatch(/^[2-9]\d{9}$/);
      expect(isValidUin(uin)).toBe(true);
      seen.add(uin);
    }
    // About 58 million 10-digit numbers pass the default filters, so 500 truly random draws repeat
    // one with a chance of ~0.2% (CI saw it once): one repeat is allowed, two (~2 in a million by
    // chance) say the draws are not random.
    expect(seen.size).toBeGreaterThanOrEqual(499);
  });

  // Negative cases first: each filter refuses its pattern (MOSIP's UinFilterUtil examples).
  it.each([
    ['length', '234567'],
    ['sequence', withCheck('123508642')],
    ['sequence', withCheck('298765304')],
    ['sequence', withCheck('589012473')],
    ['repeating', withCheck('255836493')],
    ['repeating', withCheck('252836493')],
    ['repeating_block', withCheck('248397248')],
    ['even_digits', withCheck('248397051')],
    ['not_start_with', withCheck('102938475')],
    ['not_start_with', withCheck('039485720')],
    ['restricted_number', withCheck('378659023')],
    ['restricted_number', withCheck('947863051')],
  ])('refuses a %s number (%s)', (filter, uin) => {
    expect(idNumberViolation(uin, DEFAULT_UIN_POLICY)).toBe(filter);
    expect(isValidUin(uin)).toBe(false);
  });

  it('refuses the first five digits repeated or mirrored at the end (4345643456, 4345665434)', () => {
    // Only these two filters on; find numbers of each shape whose check digit completes it.
    const off = {
      sequenceLimit: 0,
      repeatingLimit: 0,
      repeatingBlockLimit: 0,
      conjugativeEvenDigitsLimit: 0,
    };
    const policy = { ...DEFAULT_UIN_POLICY, ...off };
    const find = (shape: (five: string) => string) => {
      for (let n = 23456; n < 99999; n++) {
        const number = shape(String(n));
        if (verhoeffCheckDigit(number.slice(0, 9)) === number[9]) return number;
      }
      throw new Error('no number of this shape');
    };
    const repeated = find((five) => five + five);
    const mirrored = find((five) => five + [...five].reverse().join(''));
    expect(idNumberViolation(repeated, policy)).toBe('digits_group');
    expect(idNumberViolation(mirrored, policy)).toBe('reverse_digits_group');
    expect(idNumberViolation(repeated, { ...policy, digitsGroupLimit: 0 })).toBeUndefined();
  });

  it('refuses a wrong check digit, and a length other than the policy’s', () => {
    const uin = generateUin(random);
    const wrong = uin.slice(0, 9) + String((Number(uin[9]) + 1) % 10);
    expect(idNumberViolation(wrong, DEFAULT_UIN_POLICY)).toBe('check_digit');
    expect(isValidUin(uin, { ...DEFAULT_UIN_POLICY, length: 12 })).toBe(false);
  });

  it('follows a configured length and restricted numbers', () => {
    const policy = { ...DEFAULT_UIN_POLICY, length: 12, restrictedNumbers: ['42'] };
    for (let i = 0; i < 50; i++) {
      const uin = generateUin(random, policy);
      expect(uin).toHaveLength(12);
      expect(uin).not.toContain('42');
      expect(isValidUin(uin, policy)).toBe(true);
    }
  });

  it('gives up with UIN_UNAVAILABLE on a policy nothing passes, and refuses a malformed policy', () => {
    const impossible = { ...DEFAULT_UIN_POLICY, restrictedNumbers: ['2', '3', '4', '5', '6', '7', '8', '9'] };
    expect(() => generateUin(random, impossible)).toThrow(
      expect.objectContaining({ code: 'UIN_UNAVAILABLE' }),
    );
    expect(() => generateUin(random, { ...DEFAULT_UIN_POLICY, length: 40 })).toThrow(TypeError);
  });
});

describe('VID', () => {
  it('draws 16-digit numbers of their own shape, never valid as UINs', () => {
    for (let i = 0; i < 50; i++) {
      const vid = generateVid(random);
      expect(vid).toMatch(/^[2-9]\d{15}$/);
      expect(isValidVid(vid)).toBe(true);
      expect(isValidUin(vid)).toBe(false);
    }
    expect(idNumberViolation('4825197360417853', DEFAULT_VID_POLICY)).toBeDefined();
  });
});
