import {
  ageEqualOrOver,
  ageReachedAt,
  DEFAULT_JURISDICTION_RULES,
  type JsonObject,
  type JurisdictionRules,
  type PersonRecord,
} from '@trieste/core';
import { ServerError } from '../http/errors.js';

export interface GuardianCredentialClaims {
  claims: JsonObject;
  /** The child's majority (NumericDate): the credential's latest possible `exp`. */
  expiresAt: number;
}

/**
 * The guardian credential's claims, from the registry's guardian link: the child's Latin-script
 * name and recorded date of birth, and `relationship: "guardian"`. Nothing about the guardian (the
 * credential is bound to the guardian's wallet key instead). Only for a real link: the child's
 * record must name `guardian` among its guardians, both records must be active and the child a
 * minor. It ends at the child's majority, by the registry's youngest-possible rule for partial
 * dates (`ageReachedAt`): a date of birth known only as `2012` ends it on 2030-12-31, never later.
 */
export function guardianClaims(
  guardian: PersonRecord,
  child: PersonRecord,
  now: number,
  rules: Pick<JurisdictionRules, 'ageOfMajority' | 'offsetMinutes'> = DEFAULT_JURISDICTION_RULES,
): GuardianCredentialClaims {
  if (guardian.state !== 'active') {
    throw new ServerError('VALIDATION_FAILED', 'only an active record can receive a credential');
  }
  if (child.id === guardian.id || !child.data.guardians?.some((link) => link.personId === guardian.id)) {
    throw new ServerError('VALIDATION_FAILED', 'the child’s record does not name this person as a guardian');
  }
  if (child.state !== 'active') {
    throw new ServerError('VALIDATION_FAILED', 'the child’s record is not active');
  }
  const dateOfBirth = child.data.dateOfBirth;
  const name = child.data.names.find((n) => n.script === 'Latn') ?? child.data.names[0];
  if (!dateOfBirth || !name) {
    throw new ServerError('VALIDATION_FAILED', 'the child’s record needs a name and a date of birth');
  }
  const majority = rules.ageOfMajority ?? DEFAULT_JURISDICTION_RULES.ageOfMajority ?? 18;
  const offset = rules.offsetMinutes === undefined ? {} : { offsetMinutes: rules.offsetMinutes };
  if (ageEqualOrOver(dateOfBirth, majority, now, offset)) {
    throw new ServerError(
      'VALIDATION_FAILED',
      'the child has come of age: there is no guardianship to attest',
    );
  }
  return {
    claims: {
      child: {
        given_name: [name.given, name.middle].filter(Boolean).join(' '),
        family_name: name.family,
        birthdate: dateOfBirth.value,
      },
      relationship: 'guardian',
    },
    expiresAt: ageReachedAt(dateOfBirth, majority, offset),
  };
}
