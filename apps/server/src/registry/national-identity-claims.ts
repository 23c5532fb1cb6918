import {
  DEFAULT_JURISDICTION_RULES,
  type JsonObject,
  type JurisdictionRules,
  type PersonRecord,
} from '@trieste/core';
import { ageEqualOrOverClaim } from './age-claims.js';

/**
 * The national identity credential's claims from a registry record: the Latin-script name (the
 * first name given when there is none), the date of birth as recorded (it may be partial: `1990`,
 * `1990-04`), `age_equal_or_over` for the jurisdiction's thresholds (`ageThresholds`, as for the
 * proof of age) by the registry's documented rule for partial and estimated dates (never older than
 * the person might be: docs/registry.md), nationality, place of birth, address, and the UIN as the
 * personal identifier. Nothing is derived that the record does not hold.
 */
export function nationalIdentityClaims(
  person: PersonRecord,
  now: number,
  rules: Pick<JurisdictionRules, 'ageThresholds' | 'offsetMinutes'> = DEFAULT_JURISDICTION_RULES,
): JsonObject {
  const { data } = person;
  const name = data.names.find((n) => n.script === 'Latn') ?? data.names[0];
  if (!name || !data.dateOfBirth || !person.uin) {
    throw new TypeError('an active record with a name, a date of birth and a UIN is needed');
  }
  const claims: JsonObject = {
    given_name: [name.given, name.middle].filter(Boolean).join(' '),
    family_name: name.family,
    birthdate: data.dateOfBirth.value,
    age_equal_or_over: ageEqualOrOverClaim(data.dateOfBirth, now, rules),
    personal_identifier: person.uin,
  };
  if (data.nationality && data.nationality.length > 0) claims['nationality'] = data.nationality[0]!;
  if (data.placeOfBirth) {
    claims['place_of_birth'] = compact({
      locality: data.placeOfBirth.locality,
      country: data.placeOfBirth.country,
    });
  }
  if (data.address) {
    claims['address'] = compact({
      street_address: data.address.lines?.join(', '),
      locality: data.address.locality,
      postal_code: data.address.postalCode,
      country: data.address.country,
    });
  }
  return claims;
}

function compact(value: Record<string, string | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined && v !== '') out[key] = v;
  return out;
}
