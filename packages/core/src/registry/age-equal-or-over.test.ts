import { describe, expect, it } from 'vitest';
import { ageEqualOrOver, ageReachedAt } from './age-equal-or-over.js';

const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

describe('ageEqualOrOver', () => {
  it('counts a full date from that day', () => {
    expect(ageEqualOrOver('2007-06-15', 18, at('2025-06-14'))).toBe(false);
    expect(ageEqualOrOver('2007-06-15', 18, at('2025-06-15'))).toBe(true);
  });

  it('counts a year-only date from 31 December, so nobody is declared older than they may be', () => {
    expect(ageEqualOrOver({ value: '2007', estimated: true }, 18, at('2025-12-30'))).toBe(false);
    expect(ageEqualOrOver({ value: '2007', estimated: true }, 18, at('2025-12-31'))).toBe(true);
  });

  it('counts a year-and-month date from the last day of that month (29 February in a leap year)', () => {
    expect(ageEqualOrOver('2009-02', 18, at('2027-02-27'))).toBe(false);
    expect(ageEqualOrOver('2009-02', 18, at('2027-02-28'))).toBe(true);
    expect(ageEqualOrOver('2004-02', 18, at('2022-02-28'))).toBe(false);
    expect(ageEqualOrOver('2004-02', 18, at('2022-03-01'))).toBe(true);
  });

  it('lets a person born on 29 February turn N on 1 March in other years', () => {
    expect(ageEqualOrOver('2004-02-29', 21, at('2025-02-28'))).toBe(false);
    expect(ageEqualOrOver('2004-02-29', 21, at('2025-03-01'))).toBe(true);
    expect(ageEqualOrOver('2004-02-29', 20, at('2024-02-29'))).toBe(true);
  });

  it('takes the day in the jurisdiction’s time zone', () => {
    const lateEvening = at('2025-06-14') + 22 * 3600; // 22:00 UTC, already 15 June at UTC+3
    expect(ageEqualOrOver('2007-06-15', 18, lateEvening)).toBe(false);
    expect(ageEqualOrOver('2007-06-15', 18, lateEvening, { offsetMinutes: 180 })).toBe(true);
  });

  it('refuses malformed input as a caller bug', () => {
    expect(() => ageEqualOrOver('2007-13', 18, at('2025-01-01'))).toThrow(TypeError);
    expect(() => ageEqualOrOver('2023-02-29', 18, at('2025-01-01'))).toThrow(TypeError);
    expect(() => ageEqualOrOver('2007', -1, at('2025-01-01'))).toThrow(TypeError);
    expect(() => ageEqualOrOver('2007', 18, Number.NaN)).toThrow(TypeError);
  });
});

describe('ageReachedAt', () => {
  it('is the first instant at which ageEqualOrOver holds, by the same partial-date rule', () => {
    const cases: Array<[string, number, string]> = [
      ['2010-06-15', 18, '2028-06-15'],
      ['2010', 18, '2028-12-31'],
      ['2010-02', 18, '2028-02-28'],
      ['2008-02', 18, '2026-03-01'],
      ['2009-02', 18, '2027-02-28'],
      ['2008-02-29', 18, '2026-03-01'],
      ['1960-01-01', 18, '1978-01-01'],
    ];
    for (const [dob, years, iso] of cases) {
      const t = ageReachedAt(dob, years);
      expect(t).toBe(at(iso));
      expect(ageEqualOrOver(dob, years, t)).toBe(true);
      expect(ageEqualOrOver(dob, years, t - 1)).toBe(false);
    }
  });

  it('takes local midnight in the jurisdiction’s time zone', () => {
    const t = ageReachedAt('2010-06-15', 18, { offsetMinutes: 180 });
    expect(t).toBe(at('2028-06-15') - 180 * 60);
    expect(ageEqualOrOver('2010-06-15', 18, t, { offsetMinutes: 180 })).toBe(true);
    expect(ageEqualOrOver('2010-06-15', 18, t - 1, { offsetMinutes: 180 })).toBe(false);
  });

  it('refuses a malformed date or age as a caller bug', () => {
    expect(() => ageReachedAt('2010-13', 18)).toThrow(TypeError);
    expect(() => ageReachedAt('2010', -1)).toThrow(TypeError);
  });
});
