import type { PersonData, PersonRecord } from '@trieste/core';

/** Seconds since the epoch at midnight UTC of an ISO date. */
export const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

/** The claims builders' tests' "now". */
export const NOW = at('2026-11-30');

/** A registry record for the claims builders' tests: Amina Haddad unless `data` says otherwise. */
export function person(
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
