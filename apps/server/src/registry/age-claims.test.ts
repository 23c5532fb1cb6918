import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH,
  parseCredentialConfigurations,
} from '../issuer/credential-configurations.js';
import { ageClaims, checkDeclaredAgeClaims } from './age-claims.js';
import { nationalIdentityClaims } from './national-identity-claims.js';
import { at, NOW, person } from './person.test-util.js';

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

describe('one source of truth for the ages: the jurisdiction’s ageThresholds', () => {
  const builtIn = () =>
    parseCredentialConfigurations(readFileSync(DEFAULT_CREDENTIAL_CONFIGURATIONS_PATH, 'utf8'));

  it('the national identity credential attests the same thresholds, by the same rule, as the proof of age', () => {
    const teen = person('p6', { dateOfBirth: { value: '2011-06-15' }, sex: 'female' });
    expect(nationalIdentityClaims(teen, NOW)['age_equal_or_over']).toEqual(
      ageClaims(teen, NOW)['age_equal_or_over'],
    );
    const rules = { ageThresholds: [15, 65] };
    expect(nationalIdentityClaims(teen, NOW, rules)['age_equal_or_over']).toEqual({
      '15': true,
      '65': false,
    });
    // "Today" is the jurisdiction's: 2027-06-14 23:30 UTC is already the 16th birthday at UTC+1.
    const evening = at('2027-06-14') + 23 * 3600 + 1800;
    expect(nationalIdentityClaims(teen, evening)['age_equal_or_over']).toMatchObject({ '16': false });
    expect(
      nationalIdentityClaims(teen, evening, { ageThresholds: [16], offsetMinutes: 60 })['age_equal_or_over'],
    ).toEqual({ '16': true });
  });

  it('the built-in configurations declare exactly XA’s thresholds; another set of thresholds is CONFIG_INVALID', () => {
    const configurations = builtIn();
    expect(() =>
      checkDeclaredAgeClaims(configurations, ['national_identity_xa', 'age_xa', 'guardian_xa']),
    ).not.toThrow();
    for (const id of ['national_identity_xa', 'age_xa']) {
      let error: unknown;
      try {
        checkDeclaredAgeClaims(configurations, [id], { ageThresholds: [13, 16, 18, 21, 25] });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain(id);
    }
    // A configuration that drops a declared age (the metadata would hide what is issued) is refused.
    const dropped = builtIn();
    const age = dropped.credential_configurations['age_xa']!.credential_metadata;
    age.claims = age.claims.filter((c) => !(c.path[0] === 'age_equal_or_over' && c.path[1] === '21'));
    expect(() => checkDeclaredAgeClaims(dropped, ['age_xa'])).toThrow(/age_xa/);
  });
});
