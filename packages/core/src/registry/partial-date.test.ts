import { describe, expect, it } from 'vitest';
import { calendarDate, parsePartialDate } from './partial-date.js';

describe('partial dates', () => {
  it('parses YYYY, YYYY-MM and YYYY-MM-DD, keeping the estimated flag', () => {
    expect(parsePartialDate('1990')).toEqual({ year: 1990, estimated: false });
    expect(parsePartialDate('1990-04', true)).toEqual({ year: 1990, month: 4, estimated: true });
    expect(parsePartialDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29, estimated: false });
  });

  it.each([
    '',
    '90',
    '1990-4',
    '1990-00',
    '1990-13',
    '1990-04-31',
    '1900-02-29',
    '0000',
    '1990-04-01T00:00',
    ' 1990',
  ])('refuses %j', (value) => {
    expect(parsePartialDate(value)).toBeUndefined();
  });

  it('finds the calendar day of a NumericDate, also before 1970 and across leap days', () => {
    for (const iso of ['1970-01-01', '1969-12-31', '2000-02-29', '2024-12-31', '1900-03-01', '2100-02-28']) {
      const [y, m, d] = iso.split('-').map(Number);
      expect(calendarDate(Date.parse(`${iso}T12:00:00Z`) / 1000)).toEqual({ year: y, month: m, day: d });
    }
    expect(calendarDate(Date.parse('2025-06-14T22:00:00Z') / 1000, 180)).toEqual({
      year: 2025,
      month: 6,
      day: 15,
    });
  });
});
