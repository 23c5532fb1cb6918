import { TriesteError } from '../errors.js';
import { ageEqualOrOver } from './age-equal-or-over.js';
import { calendarDate, parsePartialDate } from './partial-date.js';
import { GUARDIAN_RELATIONSHIPS, LEGAL_STATUSES, type PersonData, SEXES } from './person.js';

/** Fields a jurisdiction may require beyond a name. */
export type RequirableField =
  | 'family'
  | 'middle'
  | 'dateOfBirth'
  | 'sex'
  | 'placeOfBirth'
  | 'address'
  | 'nationality'
  | 'legalStatus'
  | 'photo';

/**
 * A jurisdiction's field rules, as plain data (a JSON file per jurisdiction, say). The registry
 * applies them at enrolment and update; what is not required may still be given.
 */
export interface JurisdictionRules {
  /** Fields every record must have. */
  required: readonly RequirableField[];
  /** ISO 15924 codes of the scripts names may be written in. */
  scripts: readonly string[];
  /** Scripts every record must have a name in (e.g. the official script). */
  requiredScripts?: readonly string[];
  /** Longest name field, in characters (default 100). */
  maxNameLength?: number;
  /** ISO 3166-1 alpha-2 codes accepted for countries and nationality; default: any two capitals. */
  countries?: readonly string[];
  /** Postal code format (a regular expression source, matched whole). */
  postalCode?: string;
  /** Under this age a record needs at least one guardian link (default: none required). */
  guardianRequiredUnder?: number;
  /** The earliest birth year accepted (default 1880). */
  earliestBirthYear?: number;
  /** The jurisdiction's offset from UTC in minutes, for "today" (default 0). */
  offsetMinutes?: number;
  /** The ages its credentials attest as `age_equal_or_over` claims (docs/age-assurance.md). */
  ageThresholds?: readonly number[];
  /** The age of majority: a guardian credential ends when the child reaches it. */
  ageOfMajority?: number;
}

/** The demo jurisdiction XA: Latin and Arabic names, a birth date and sex required, guardians under 18. */
export const DEFAULT_JURISDICTION_RULES: JurisdictionRules = Object.freeze({
  required: Object.freeze(['family', 'dateOfBirth', 'sex'] as const),
  scripts: Object.freeze(['Latn', 'Arab', 'Cyrl']),
  requiredScripts: Object.freeze([]),
  maxNameLength: 100,
  guardianRequiredUnder: 18,
  earliestBirthYear: 1880,
  ageThresholds: Object.freeze([13, 16, 18, 21]),
  ageOfMajority: 18,
});

export type FieldErrorCode =
  | 'required'
  | 'type'
  | 'too_long'
  | 'format'
  | 'unknown_value'
  | 'script_not_allowed'
  | 'script_mismatch'
  | 'script_missing'
  | 'script_repeated'
  | 'in_future'
  | 'too_early'
  | 'guardian_required'
  | 'guardian_self';

/** One broken rule: where (a path like `names[1].given`) and which rule. Never the value. */
export interface FieldError {
  field: string;
  code: FieldErrorCode;
}

/** PERSON_INVALID with the broken rules, so a caller can show them field by field. */
export class PersonValidationError extends TriesteError {
  readonly fields: readonly FieldError[];

  constructor(fields: readonly FieldError[]) {
    super(
      'PERSON_INVALID',
      `person record breaks the field rules: ${fields.map((f) => `${f.field} ${f.code}`).join(', ')}`,
    );
    this.fields = fields;
  }
}

// ISO 15924 code → Unicode script property, for the scripts a registry is likely to meet.
const UNICODE_SCRIPTS: Readonly<Record<string, string>> = {
  Latn: 'Latin',
  Arab: 'Arabic',
  Cyrl: 'Cyrillic',
  Grek: 'Greek',
  Hebr: 'Hebrew',
  Armn: 'Armenian',
  Geor: 'Georgian',
  Ethi: 'Ethiopic',
  Deva: 'Devanagari',
  Beng: 'Bengali',
  Thai: 'Thai',
  Hani: 'Han',
  Hang: 'Hangul',
  Tfng: 'Tifinagh',
  Syrc: 'Syriac',
};

const patternCache = new Map<string, RegExp>();
/** Letters of the script, marks, and the punctuation names use (space, hyphen, apostrophes, dot). */
function scriptPattern(script: string): RegExp | undefined {
  const name = UNICODE_SCRIPTS[script];
  if (!name) return undefined;
  let pattern = patternCache.get(script);
  if (!pattern) {
    pattern = new RegExp(`^[\\p{Script=${name}}\\p{M} '’ʼʻ.\\-]*$`, 'u');
    patternCache.set(script, pattern);
  }
  return pattern;
}

const COUNTRY = /^[A-Z]{2}$/;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a person record against the rules at `now`. Returns every broken rule (empty when the
 * record is valid). Untrusted input: any shape is answered with errors, never an exception.
 */
export function validatePerson(input: unknown, rules: JurisdictionRules, now: number): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: FieldErrorCode) => errors.push({ field, code });
  if (!isObject(input)) return [{ field: '', code: 'type' }];
  const data = input as Partial<PersonData> & Record<string, unknown>;
  const required = new Set(rules.required);
  const maxLength = rules.maxNameLength ?? 100;
  const countryOk = (c: unknown) =>
    typeof c === 'string' &&
    COUNTRY.test(c) &&
    (!rules.countries || rules.countries.includes(c) || c === 'XX');

  // Names: at least one, one per script, in an allowed script, written in that script.
  if (!Array.isArray(data.names) || data.names.length === 0) {
    add('names', 'required');
  } else {
    const seen = new Set<string>();
    for (const [i, name] of (data.names as unknown[]).entries()) {
      const at = `names[${i}]`;
      if (!isObject(name)) {
        add(at, 'type');
        continue;
      }
      const script = name['script'];
      if (typeof script !== 'string' || !/^[A-Z][a-z]{3}$/.test(script)) {
        add(`${at}.script`, 'format');
        continue;
      }
      if (!rules.scripts.includes(script)) add(`${at}.script`, 'script_not_allowed');
      if (seen.has(script)) add(`${at}.script`, 'script_repeated');
      seen.add(script);
      const pattern = scriptPattern(script);
      for (const part of ['given', 'middle', 'family'] as const) {
        const value = name[part];
        if (value === undefined || value === '') {
          // A given name always; a family or middle name where the jurisdiction requires one.
          if (part === 'given' || required.has(part)) add(`${at}.${part}`, 'required');
          continue;
        }
        if (typeof value !== 'string') {
          add(`${at}.${part}`, 'type');
          continue;
        }
        if (value.length > maxLength) add(`${at}.${part}`, 'too_long');
        if (value.trim() === '') add(`${at}.${part}`, 'required');
        else if (pattern && !pattern.test(value.normalize('NFC'))) add(`${at}.${part}`, 'script_mismatch');
      }
    }
    for (const script of rules.requiredScripts ?? []) {
      if (!seen.has(script)) add('names', 'script_missing');
    }
  }

  // Date of birth: a real, possibly partial date, not in the future, not before the earliest year.
  let age: { minor: boolean } | undefined;
  if (data.dateOfBirth === undefined) {
    if (required.has('dateOfBirth')) add('dateOfBirth', 'required');
  } else if (!isObject(data.dateOfBirth) || typeof data.dateOfBirth.value !== 'string') {
    add('dateOfBirth', 'type');
  } else {
    const dob = data.dateOfBirth;
    const parts = parsePartialDate(dob.value as string);
    if (dob.estimated !== undefined && typeof dob.estimated !== 'boolean')
      add('dateOfBirth.estimated', 'type');
    if (!parts) add('dateOfBirth', 'format');
    else {
      const today = calendarDate(now, rules.offsetMinutes ?? 0);
      // The earliest day the partial date allows must not be after today.
      const earliest = { year: parts.year, month: parts.month ?? 1, day: parts.day ?? 1 };
      if (
        earliest.year > today.year ||
        (earliest.year === today.year &&
          (earliest.month > today.month || (earliest.month === today.month && earliest.day > today.day)))
      ) {
        add('dateOfBirth', 'in_future');
      } else if (parts.year < (rules.earliestBirthYear ?? 1880)) {
        add('dateOfBirth', 'too_early');
      } else if (rules.guardianRequiredUnder !== undefined) {
        age = {
          minor: !ageEqualOrOver(dob.value as string, rules.guardianRequiredUnder, now, {
            offsetMinutes: rules.offsetMinutes ?? 0,
          }),
        };
      }
    }
  }

  if (data.sex === undefined) {
    if (required.has('sex')) add('sex', 'required');
  } else if (!SEXES.includes(data.sex)) add('sex', 'unknown_value');

  const place = (value: unknown, field: string, isAddress: boolean) => {
    if (value === undefined) {
      if (required.has(isAddress ? 'address' : 'placeOfBirth')) add(field, 'required');
      return;
    }
    if (!isObject(value)) return add(field, 'type');
    for (const key of ['locality', 'region'] as const) {
      const v = value[key];
      if (v !== undefined && (typeof v !== 'string' || v.length > 200))
        add(`${field}.${key}`, typeof v === 'string' ? 'too_long' : 'type');
    }
    if (value['country'] !== undefined && !countryOk(value['country'])) add(`${field}.country`, 'format');
    if (isAddress) {
      const lines = value['lines'];
      if (
        lines !== undefined &&
        (!Array.isArray(lines) ||
          lines.length > 5 ||
          lines.some((l) => typeof l !== 'string' || l.length > 200))
      ) {
        add(`${field}.lines`, 'format');
      }
      const postal = value['postalCode'];
      if (postal !== undefined) {
        if (typeof postal !== 'string' || postal.length > 20) add(`${field}.postalCode`, 'format');
        else if (rules.postalCode && !new RegExp(`^(?:${rules.postalCode})$`).test(postal))
          add(`${field}.postalCode`, 'format');
      }
    }
  };
  place(data.placeOfBirth, 'placeOfBirth', false);
  place(data.address, 'address', true);

  if (data.nationality === undefined) {
    if (required.has('nationality')) add('nationality', 'required');
  } else if (!Array.isArray(data.nationality) || data.nationality.length > 5) add('nationality', 'format');
  else {
    for (const [i, c] of (data.nationality as unknown[]).entries())
      if (!countryOk(c)) add(`nationality[${i}]`, 'format');
  }

  if (data.legalStatus === undefined) {
    if (required.has('legalStatus')) add('legalStatus', 'required');
  } else if (!LEGAL_STATUSES.includes(data.legalStatus)) add('legalStatus', 'unknown_value');

  if (data.photo === undefined) {
    if (required.has('photo')) add('photo', 'required');
  } else if (
    !isObject(data.photo) ||
    typeof data.photo.ref !== 'string' ||
    data.photo.ref === '' ||
    data.photo.ref.length > 500
  ) {
    add('photo', 'format');
  } else if (
    data.photo.sha256 !== undefined &&
    (typeof data.photo.sha256 !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(data.photo.sha256))
  ) {
    add('photo.sha256', 'format');
  }

  if (data.guardians !== undefined) {
    if (!Array.isArray(data.guardians) || data.guardians.length > 4) add('guardians', 'format');
    else
      data.guardians.forEach((g: unknown, i) => {
        if (
          !isObject(g) ||
          typeof g['personId'] !== 'string' ||
          !/^[A-Za-z0-9_-]{16,64}$/.test(g['personId'] as string)
        ) {
          add(`guardians[${i}]`, 'format');
        } else if (!GUARDIAN_RELATIONSHIPS.includes(g['relationship'] as never))
          add(`guardians[${i}].relationship`, 'unknown_value');
      });
  }
  if (age?.minor && (!Array.isArray(data.guardians) || data.guardians.length === 0))
    add('guardians', 'guardian_required');

  const known = new Set([
    'names',
    'dateOfBirth',
    'sex',
    'placeOfBirth',
    'address',
    'nationality',
    'legalStatus',
    'photo',
    'guardians',
  ]);
  for (const key of Object.keys(data)) if (!known.has(key)) add(key, 'unknown_value');
  return errors;
}

/** Throws PersonValidationError (PERSON_INVALID) unless the record is valid. */
export function assertValidPerson(
  input: unknown,
  rules: JurisdictionRules,
  now: number,
): asserts input is PersonData {
  const errors = validatePerson(input, rules, now);
  if (errors.length > 0) throw new PersonValidationError(errors);
}
