import { describe, expect, it } from 'vitest';
import { blockingKeys, storedBlockingKeys } from './blocking-keys.js';
import { matchProfile } from './match-profile.js';
import { generateSyntheticPopulation } from './synthetic-population.js';

describe('storedBlockingKeys', () => {
  it('gives exactly the stored keys of blockingKeys, for every kind of record and option', () => {
    const records = generateSyntheticPopulation({ people: 1500, seed: 41 });
    const optionSets = [{}, { yearWindow: 1, codesPerPart: 2, undated: false }];
    let compared = 0;
    for (const record of records) {
      const profile = matchProfile(record.data);
      for (const options of optionSets) {
        const full = blockingKeys(profile, options);
        expect(storedBlockingKeys(profile, options)).toEqual(full.stored);
        compared += full.stored.length;
      }
    }
    // Records of every shape were compared: dated and undated, two and three name parts.
    expect(compared).toBeGreaterThan(records.length * 10);
  });

  it('computes no lookup keys, and an undated record is still stored under its `-` keys', () => {
    const profile = matchProfile({
      names: [{ script: 'Latn', given: 'Amina', family: 'Okafor' }],
      sex: 'female',
    });
    const stored = storedBlockingKeys(profile);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((k) => k.endsWith(':-'))).toBe(true);
    expect(stored).toEqual(blockingKeys(profile).stored);
  });
});
