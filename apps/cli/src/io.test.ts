import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant, toPointer } from './io.js';

describe('parseDuration', () => {
  it('refuses what is not a positive duration, with USAGE', () => {
    for (const bad of ['', 'soon', '10', '-1d', '0s', 'P', 'PT', 'P0D', '1.5h', 'P1.5Y', '1d2h']) {
      expect(() => parseDuration(bad), bad).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });
  it('reads short forms and ISO 8601 durations', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('12h')).toBe(43200);
    expect(parseDuration('30d')).toBe(2592000);
    expect(parseDuration('2w')).toBe(1209600);
    expect(parseDuration('1y')).toBe(31536000);
    expect(parseDuration('P1Y')).toBe(31536000);
    expect(parseDuration('P1M')).toBe(2592000);
    expect(parseDuration('PT12H')).toBe(43200);
    expect(parseDuration('P1DT1H1M1S')).toBe(90061);
  });
});

describe('parseInstant', () => {
  it('refuses what is not an ISO 8601 instant', () => {
    for (const bad of ['tomorrow', '2030-13-45T00:00:00Z', '1700000000', '2030/01/01']) {
      expect(() => parseInstant(bad), bad).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });
  it('reads dates and times with zones', () => {
    expect(parseInstant('2030-01-01T00:00:00Z')).toBe(1893456000);
    expect(parseInstant('2030-01-01T01:00:00+01:00')).toBe(1893456000);
  });
});

describe('toPointer', () => {
  it('turns dotted paths into RFC 6901 pointers, escaping ~ and /', () => {
    expect(toPointer('given_name')).toBe('/given_name');
    expect(toPointer('address.locality')).toBe('/address/locality');
    expect(toPointer('nationalities.0')).toBe('/nationalities/0');
    expect(toPointer('a/b~c')).toBe('/a~1b~0c');
    expect(toPointer('/already/a/pointer')).toBe('/already/a/pointer');
    expect(() => toPointer('  ')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
