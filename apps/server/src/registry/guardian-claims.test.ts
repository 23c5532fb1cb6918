import type { PersonRecord } from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { guardianClaims } from './guardian-claims.js';
import { at, NOW, person } from './person.test-util.js';

describe('guardianClaims', () => {
  const guardian = person('guardian-0000000001', { dateOfBirth: { value: '1985-03-02' } });
  const child = (dob: string, guardians = [{ personId: guardian.id, relationship: 'mother' as const }]) =>
    person('child-000000000001', {
      names: [
        { script: 'Arab', given: 'أمينة', family: 'حداد' },
        { script: 'Latn', given: 'Lina', middle: 'Maria', family: 'Haddad' },
      ],
      dateOfBirth: { value: dob },
      guardians,
    });

  it('names the child and the relationship, nothing about the guardian, and ends at majority', () => {
    const result = guardianClaims(guardian, child('2015-04-12'), NOW);
    expect(result.claims).toEqual({
      child: { given_name: 'Lina Maria', family_name: 'Haddad', birthdate: '2015-04-12' },
      relationship: 'guardian',
    });
    expect(result.expiresAt).toBe(at('2033-04-12'));
    expect(JSON.stringify(result.claims)).not.toContain('1985');
  });

  it('ends on the youngest-possible majority for a partial date, in the jurisdiction’s time zone', () => {
    expect(guardianClaims(guardian, child('2015'), NOW).expiresAt).toBe(at('2033-12-31'));
    expect(guardianClaims(guardian, child('2016-02'), NOW).expiresAt).toBe(at('2034-03-01'));
    expect(guardianClaims(guardian, child('2015-04-12'), NOW, { offsetMinutes: 60 }).expiresAt).toBe(
      at('2033-04-12') - 3600,
    );
  });

  it('refuses a non-guardian, an adult child, an inactive child or guardian', () => {
    const cases: Array<[PersonRecord, PersonRecord]> = [
      [guardian, child('2015-04-12', [])],
      [guardian, child('2015-04-12', [{ personId: 'someone-else-00001', relationship: 'father' }])],
      [guardian, child('2008-11-29')],
      [guardian, { ...child('2015-04-12'), state: 'deceased' }],
      [{ ...guardian, state: 'deactivated' }, child('2015-04-12')],
      [guardian, guardian],
    ];
    for (const [g, c] of cases) {
      expect(() => guardianClaims(g, c, NOW)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    // The day before majority still works, and ends the next midnight.
    expect(guardianClaims(guardian, child('2008-12-01'), NOW).expiresAt).toBe(at('2026-12-01'));
  });
});
