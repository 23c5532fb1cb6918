import { describe, expect, it } from 'vitest';
import { matchProfile } from './match-profile.js';
import { MatchProfileCache } from './match-profile-cache.js';

const profile = matchProfile({
  names: [{ script: 'Latn', given: 'Amina', family: 'Haddad' }],
  dateOfBirth: { value: '1990-04-12' },
  sex: 'female',
  legalStatus: 'citizen',
  nationality: ['XA'],
});

describe('MatchProfileCache', () => {
  it('answers only for the version it holds', () => {
    const cache = new MatchProfileCache();
    cache.set('a', 1, profile);
    expect(cache.has('a', 1)).toBe(true);
    expect(cache.get('a', 1)).toBe(profile);
    expect(cache.has('a', 2)).toBe(false);
    expect(cache.get('a', 2)).toBeUndefined();
    expect(cache.has('b', 1)).toBe(false);
    cache.set('a', 2, profile);
    expect(cache.has('a', 1)).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new MatchProfileCache(2);
    cache.set('a', 1, profile);
    cache.set('b', 1, profile);
    cache.get('a', 1);
    cache.set('c', 1, profile);
    expect(cache.has('a', 1)).toBe(true);
    expect(cache.has('b', 1)).toBe(false);
    expect(cache.has('c', 1)).toBe(true);
    expect(cache.size).toBe(2);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new MatchProfileCache(bad)).toThrow(TypeError);
  });
});
