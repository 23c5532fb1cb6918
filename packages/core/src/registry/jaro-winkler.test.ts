import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from './jaro-winkler.js';

// Known values from W. E. Winkler, "String Comparator Metrics and Enhanced Decision Rules in the
// Fellegi-Sunter Model of Record Linkage" (1990), as reproduced in the record-linkage literature.
describe('Jaro-Winkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.813],
  ])('%s / %s is %s', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(expected, 3);
  });

  it('gives Jaro for MARTHA / MARHTA 0.944 before the prefix boost', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
  });

  it('is 1 for equal strings, 0 with nothing in common or an empty side', () => {
    expect(jaroWinkler('AMINA', 'AMINA')).toBe(1);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
    expect(jaroWinkler('ABC', '')).toBe(0);
  });

  it('does not boost below the 0.7 threshold', () => {
    const j = jaro('ABCDEFGH', 'AXXXXXXX');
    expect(j).toBeLessThan(0.7);
    expect(jaroWinkler('ABCDEFGH', 'AXXXXXXX')).toBe(j);
  });
});
