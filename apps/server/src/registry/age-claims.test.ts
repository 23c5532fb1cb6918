import type { PersonData, PersonRecord } from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { ageClaims } from './age-claims.js';

const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const NOW = at('2026-11-30');

function person(
  id: string,
  data: Partial<PersonData>,
  state: PersonRecord['state'] = 'active',
): PersonRecord {
  return {
    id,
    uin: '2345678901',
    state,
    data: { names: [{ script: 'Latn', given: 'Amina', family: 'Haddad' }], ...data },
    version: 1,
    enrolment: { registrar: 'r', office: 'o', at: 0 },
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('ageClaims', () => {
  it('carries only age_equal_or_over, true and false, for the jurisdiction’s thresholds', () => {
    const teen = person('p1', { dateOfBirth: { value: '2011-06-15' }, sex: 'female' });
    expect(ageClaims(teen, NOW)).toEqual({
      age_equal_or_over: { '13': true, '16': false, '18': false, '21': false },
    });
    expect(ageClaims(teen, at('2027-06-15'))).toEqual({
      age_equal_or_over: { '13': true, '16': true, '18': false, '21': false },
    });
    expect(ageClaims(teen, NOW, { ageThresholds: [15, 65] })).toEqual({
      age_equal_or_over: { '15': true, '65': false },
    });
  });

  it('counts a partial, estimated date from its latest day (never older than the person may be)', () => {
    const estimated = person('p2', { dateOfBirth: { value: '2008', estimated: true } });
    expect(ageClaims(estimated, at('2026-12-30'))).toMatchObject({ age_equal_or_over: { '18': false } });
    expect(ageClaims(estimated, at('2026-12-31'))).toMatchObject({ age_equal_or_over: { '18': true } });
  });

  it('refuses a record that is not active or has no date of birth, without a value in the message', () => {
    for (const record of [
      person('p3', { dateOfBirth: { value: '1990-01-01' } }, 'deceased'),
      person('p4', { dateOfBirth: { value: '1990-01-01' } }, 'deactivated'),
      person('p5', {}),
    ]) {
      let error: unknown;
      try {
        ageClaims(record, NOW);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(String((error as Error).message)).not.toContain('1990');
    }
  });
});
