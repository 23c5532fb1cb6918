import { ageEqualOrOver, type JsonObject, type PersonRecord } from '@trieste/core';

/** The age thresholds of the national identity credential (its configuration declares these). */
export const AGE_THRESHOLDS = [13, 16, 18, 21] as const;

/**
 * The national identity credential's claims from a registry record: the Latin-script name (the
 * first name given when there is none), the date of birth as recorded (it may be partial: `1990`,
 * `1990-04`), `age_equal_or_over` by the registry's documented rule for partial and estimated dates
 * (never older than the person might be: docs/registry.md), nationality, place of birth, address,
 * and the UIN as the personal identifier. Nothing is derived that the record does not hold.
 */
export function nationalIdentityClaims(person: PersonRecord, now: number): JsonObject {
  const { data } = person;
  const name = data.names.find((n) => n.script === 'Latn') ?? data.names[0];
  if (!name || !data.dateOfBirth || !person.uin) {
    throw new TypeError('an active record with a name, a date of birth and a UIN is needed');
  }
  const claims: JsonObject = {
    given_name: [name.given, name.middle].filter(Boolean).join(' '),
    family_name: name.family,
    birthdate: data.dateOfBirth.value,
    age_equal_or_over: Object.fromEntries(
      AGE_THRESHOLDS.map((years) => [String(years), ageEqualOrOver(data.dateOfBirth!, years, now)]),
    ),
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
