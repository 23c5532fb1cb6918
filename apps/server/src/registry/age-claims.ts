import {
  ageEqualOrOver,
  DEFAULT_JURISDICTION_RULES,
  type JsonObject,
  type JurisdictionRules,
  type PartialDate,
  type PersonRecord,
} from '@trieste/core';
import { ServerError } from '../http/errors.js';
import type { CredentialConfigurations } from '../issuer/credential-configurations.js';

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
  return { age_equal_or_over: ageEqualOrOverClaim(dateOfBirth, now, rules) };
}

type AgeRules = Pick<JurisdictionRules, 'ageThresholds' | 'offsetMinutes'>;

/** The jurisdiction's age thresholds (XA: 13, 16, 18, 21): the one source of truth for every credential. */
export function ageThresholdsOf(rules: AgeRules = DEFAULT_JURISDICTION_RULES): readonly number[] {
  const thresholds = rules.ageThresholds ?? DEFAULT_JURISDICTION_RULES.ageThresholds ?? [];
  if (thresholds.length === 0) throw new TypeError('the jurisdiction defines no age threshold');
  return thresholds;
}

/**
 * The `age_equal_or_over` object of any credential (the proof of age, the national identity
 * credential): one boolean per jurisdiction threshold, by the registry's rule for partial and
 * estimated dates, "today" in the jurisdiction's offset.
 */
export function ageEqualOrOverClaim(
  dateOfBirth: PartialDate,
  now: number,
  rules: AgeRules = DEFAULT_JURISDICTION_RULES,
): JsonObject {
  const offset = rules.offsetMinutes === undefined ? {} : { offsetMinutes: rules.offsetMinutes };
  return Object.fromEntries(
    ageThresholdsOf(rules).map((years) => [String(years), ageEqualOrOver(dateOfBirth, years, now, offset)]),
  );
}

/**
 * Checked at start: each configuration that carries `age_equal_or_over` declares exactly the
 * jurisdiction's thresholds as its claim paths (`["age_equal_or_over", "16"]`), so the issuer
 * metadata a wallet and a verifier read says what is issued. CONFIG_INVALID names the
 * configuration and the age, never a value.
 */
export function checkDeclaredAgeClaims(
  configurations: CredentialConfigurations,
  configurationIds: readonly string[],
  rules: AgeRules = DEFAULT_JURISDICTION_RULES,
): void {
  const expected = [...ageThresholdsOf(rules)].map(String).sort();
  for (const id of configurationIds) {
    if (!Object.hasOwn(configurations.credential_configurations, id)) continue;
    const claims = configurations.credential_configurations[id]!.credential_metadata.claims;
    if (!claims.some((c) => c.path[0] === 'age_equal_or_over')) continue;
    const declared = claims
      .filter((c) => c.path.length === 2 && c.path[0] === 'age_equal_or_over')
      .map((c) => String(c.path[1]))
      .sort();
    if (declared.join(',') !== expected.join(',')) {
      throw new ServerError(
        'CONFIG_INVALID',
        `credential configuration ${id} declares age_equal_or_over for ${declared.join(', ') || 'no age'}, the jurisdiction's thresholds are ${expected.join(', ')}`,
      );
    }
  }
}
