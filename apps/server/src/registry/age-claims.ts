import {
  ageEqualOrOver,
  DEFAULT_JURISDICTION_RULES,
  type JsonObject,
  type JurisdictionRules,
  type PersonRecord,
} from '@trieste/core';
import { ServerError } from '../http/errors.js';

/**
 * The proof-of-age credential's claims from a registry record: `age_equal_or_over` for each of the
 * jurisdiction's thresholds (XA: 13, 16, 18, 21), true and false alike, so a relying party gets a
 * verified "no" as well as a "yes". Derived now from the recorded date of birth by the registry's
 * rule for partial and estimated dates (never older than the person might be: docs/registry.md).
 * Nothing else about the person: no name, no date, no identifier (docs/age-assurance.md).
 */
export function ageClaims(
  person: PersonRecord,
  now: number,
  rules: Pick<JurisdictionRules, 'ageThresholds' | 'offsetMinutes'> = DEFAULT_JURISDICTION_RULES,
): JsonObject {
  if (person.state !== 'active') {
    throw new ServerError('VALIDATION_FAILED', 'only an active record can receive a credential');
  }
  const dateOfBirth = person.data.dateOfBirth;
  if (!dateOfBirth) {
    throw new ServerError('VALIDATION_FAILED', 'a record without a date of birth cannot prove an age');
  }
  const thresholds = rules.ageThresholds ?? DEFAULT_JURISDICTION_RULES.ageThresholds ?? [];
  if (thresholds.length === 0) throw new TypeError('the jurisdiction defines no age threshold');
  const offset = rules.offsetMinutes === undefined ? {} : { offsetMinutes: rules.offsetMinutes };
  return {
    age_equal_or_over: Object.fromEntries(
      thresholds.map((years) => [String(years), ageEqualOrOver(dateOfBirth, years, now, offset)]),
    ),
  };
}
