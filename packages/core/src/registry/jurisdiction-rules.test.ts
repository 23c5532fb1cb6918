import { describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import {
  assertValidPerson,
  DEFAULT_JURISDICTION_RULES,
  type JurisdictionRules,
  type PersonValidationError,
  validatePerson,
} from './jurisdiction-rules.js';
import type { PersonData } from './person.js';

const now = Date.parse('2025-06-01T00:00:00Z') / 1000;
const rules = DEFAULT_JURISDICTION_RULES;
const valid: PersonData = {
  names: [
    { script: 'Latn', given: 'Amina', family: 'Haddad' },
    { script: 'Arab', given: 'أمينة', family: 'حداد' },
  ],
  dateOfBirth: { value: '1990-04-01' },
  sex: 'female',
  placeOfBirth: { locality: 'Aleppo', country: 'SY' },
  nationality: ['SY'],
  legalStatus: 'refugee',
};

describe('jurisdiction field rules', () => {
  it('accepts a complete record, and a partial estimated date of birth', () => {
    expect(validatePerson(valid, rules, now)).toEqual([]);
    expect(validatePerson({ ...valid, dateOfBirth: { value: '1990', estimated: true } }, rules, now)).toEqual(
      [],
    );
  });

  // Negative cases first: every rule answers with a coded error naming the field, never the value.
  it.each([
    ['no names', { ...valid, names: [] }, [{ field: 'names', code: 'required' }]],
    [
      'a missing given name',
      { ...valid, names: [{ script: 'Latn', given: '', family: 'Haddad' }] },
      [{ field: 'names[0].given', code: 'required' }],
    ],
    [
      'a missing family name',
      { ...valid, names: [{ script: 'Latn', given: 'Amina', family: '' }] },
      [{ field: 'names[0].family', code: 'required' }],
    ],
    [
      'a script not allowed',
      { ...valid, names: [{ script: 'Grek', given: 'Αμίνα', family: 'Χαντάντ' }] },
      [{ field: 'names[0].script', code: 'script_not_allowed' }],
    ],
    [
      'Arabic letters tagged Latn',
      { ...valid, names: [{ script: 'Latn', given: 'أمينة', family: 'Haddad' }] },
      [{ field: 'names[0].given', code: 'script_mismatch' }],
    ],
    [
      'two Latin names',
      { ...valid, names: [valid.names[0]!, valid.names[0]!] },
      [{ field: 'names[1].script', code: 'script_repeated' }],
    ],
    [
      'a too long name',
      { ...valid, names: [{ script: 'Latn', given: 'A'.repeat(101), family: 'Haddad' }] },
      [{ field: 'names[0].given', code: 'too_long' }],
    ],
    ['no date of birth', { ...valid, dateOfBirth: undefined }, [{ field: 'dateOfBirth', code: 'required' }]],
    [
      'an impossible date',
      { ...valid, dateOfBirth: { value: '1990-02-30' } },
      [{ field: 'dateOfBirth', code: 'format' }],
    ],
    [
      'a future date',
      { ...valid, dateOfBirth: { value: '2025-07' } },
      [{ field: 'dateOfBirth', code: 'in_future' }],
    ],
    [
      'a date before 1880',
      { ...valid, dateOfBirth: { value: '1850' } },
      [{ field: 'dateOfBirth', code: 'too_early' }],
    ],
    ['an unknown sex', { ...valid, sex: 'unknown' }, [{ field: 'sex', code: 'unknown_value' }]],
    [
      'a bad country',
      { ...valid, placeOfBirth: { country: 'Syria' } },
      [{ field: 'placeOfBirth.country', code: 'format' }],
    ],
    [
      'an unknown legal status',
      { ...valid, legalStatus: 'tourist' },
      [{ field: 'legalStatus', code: 'unknown_value' }],
    ],
    ['an unknown field', { ...valid, religion: 'x' }, [{ field: 'religion', code: 'unknown_value' }]],
    [
      'a minor without a guardian',
      { ...valid, dateOfBirth: { value: '2015-01-01' } },
      [{ field: 'guardians', code: 'guardian_required' }],
    ],
    [
      'a malformed guardian link',
      { ...valid, guardians: [{ personId: 'x', relationship: 'mother' }] },
      [{ field: 'guardians[0]', code: 'format' }],
    ],
  ])('refuses %s', (_name, data, expected) => {
    const errors = validatePerson(data, rules, now);
    expect(errors).toEqual(expected);
    expect(JSON.stringify(errors)).not.toMatch(/Amina|Haddad|Syria|tourist|1990-02-30/);
  });

  it('answers junk with errors, never an exception', () => {
    for (const junk of [
      null,
      42,
      'text',
      [],
      { names: 'Amina' },
      { names: [null] },
      { names: [{ script: 7 }] },
    ]) {
      expect(validatePerson(junk, rules, now).length).toBeGreaterThan(0);
    }
  });

  it('applies a jurisdiction’s own rules: required scripts and fields, countries, postal codes', () => {
    const strict: JurisdictionRules = {
      required: ['family', 'dateOfBirth', 'sex', 'address', 'photo'],
      scripts: ['Latn', 'Arab'],
      requiredScripts: ['Arab'],
      countries: ['XA', 'SY'],
      postalCode: '[0-9]{5}',
    };
    const errors = validatePerson(
      { ...valid, names: [valid.names[0]!], nationality: ['FR'], address: { postalCode: 'ABC' } },
      strict,
      now,
    );
    expect(errors).toEqual([
      { field: 'names', code: 'script_missing' },
      { field: 'address.postalCode', code: 'format' },
      { field: 'nationality[0]', code: 'format' },
      { field: 'photo', code: 'required' },
    ]);
  });

  it('throws PERSON_INVALID with the fields from assertValidPerson', () => {
    try {
      assertValidPerson({ ...valid, sex: 'x' }, rules, now);
      expect.unreachable();
    } catch (error) {
      expect(isTriesteError(error) && error.code).toBe('PERSON_INVALID');
      expect((error as PersonValidationError).fields).toEqual([{ field: 'sex', code: 'unknown_value' }]);
    }
  });
});
