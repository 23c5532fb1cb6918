import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoTime, parseIsoTime } from './iso-time.js';

const MAX = 253_402_300_799;

describe('ISO 8601 UTC times of trust lists', () => {
  it('formats and parses like the platform Date for every second from 1970 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), (seconds) => {
        const text = formatIsoTime(seconds);
        expect(text).toBe(new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
        expect(parseIsoTime(text, 't')).toBe(seconds);
      }),
      { numRuns: 2000 },
    );
  });

  it('knows leap years and month lengths', () => {
    expect(parseIsoTime('2024-02-29T00:00:00Z', 't')).toBe(Date.UTC(2024, 1, 29) / 1000);
    expect(parseIsoTime('2000-02-29T23:59:59Z', 't')).toBe(Date.UTC(2000, 1, 29, 23, 59, 59) / 1000);
    for (const bad of ['2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2025-04-31T00:00:00Z']) {
      expect(() => parseIsoTime(bad, 't'), bad).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    }
  });

  it('refuses every other spelling as MALFORMED: offsets, fractions, leap seconds, dates alone, before 1970', () => {
    for (const bad of [
      '2026-01-01T00:00:00+00:00',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T24:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01',
      '2026-01-01t00:00:00z',
      ' 2026-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '',
      1_780_000_000,
      null,
    ]) {
      expect(() => parseIsoTime(bad, 't'), String(bad)).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    }
  });

  it('treats a fraction or an out-of-range time given to the formatter as a caller bug', () => {
    expect(() => formatIsoTime(1.5)).toThrow(TypeError);
    expect(() => formatIsoTime(-1)).toThrow(TypeError);
    expect(() => formatIsoTime(MAX + 1)).toThrow(TypeError);
  });
});
