import type { Address, PersonData, PersonName, Place } from '@trieste/core';
import { CliError } from '../../errors.js';

/**
 * The people CSV of `trieste registry import` (docs/registry-cli.md): one header row naming the
 * columns, in any order; any column may be left out, and an empty cell is an absent field. Cells
 * are trimmed. Which fields a row must have is the jurisdiction's rule, checked by the core.
 *
 * Names come per script: `given_name`, `middle_name`, `family_name` in Latin script, and the same
 * with an ISO 15924 suffix for another script (`given_name_arab`, `family_name_cyrl`). Columns
 * starting with `x_` are the exporter's own and are ignored; any other unknown column stops the
 * import before it starts, so a misspelt header cannot drop a field from every row.
 */
export const PEOPLE_CSV_COLUMNS: readonly string[] = [
  'given_name',
  'middle_name',
  'family_name',
  'date_of_birth',
  'date_of_birth_estimated',
  'sex',
  'place_of_birth',
  'place_of_birth_region',
  'place_of_birth_country',
  'nationality',
  'legal_status',
  'address_line_1',
  'address_line_2',
  'address_line_3',
  'address_locality',
  'address_region',
  'address_postal_code',
  'address_country',
  'photo_ref',
  'photo_sha256',
  'guardian_id',
  'guardian_relationship',
];

const SCRIPT_NAME_COLUMN = /^(given_name|middle_name|family_name)_([a-z]{4})$/;
const KNOWN = new Set(PEOPLE_CSV_COLUMNS);

/** A checked header: each column's index, by name. */
export interface PeopleCsvHeader {
  columns: readonly string[];
  /** The scripts names are given in, `Latn` first when present. */
  scripts: readonly string[];
}

/** Checks the header row: known or `x_` columns only, none twice, at least one name column. */
export function checkPeopleCsvHeader(fields: readonly string[]): PeopleCsvHeader {
  const columns = fields.map((f) => f.trim().toLowerCase());
  const seen = new Set<string>();
  const scripts = new Set<string>();
  for (const [i, column] of columns.entries()) {
    if (column === '') throw new CliError('INPUT_INVALID', `header column ${i + 1} has no name`);
    if (seen.has(column)) throw new CliError('INPUT_INVALID', `header column ${column} appears twice`);
    seen.add(column);
    if (column.startsWith('x_')) continue;
    const scripted = SCRIPT_NAME_COLUMN.exec(column);
    if (scripted && scripted[2] !== 'latn') {
      scripts.add(scriptCode(scripted[2]!));
      continue;
    }
    // A header is the file's structure, not personal data: naming the column helps fix it.
    if (!KNOWN.has(column))
      throw new CliError('INPUT_INVALID', `unknown header column ${column.slice(0, 40)}`);
    if (column === 'given_name' || column === 'middle_name' || column === 'family_name') scripts.add('Latn');
  }
  if (scripts.size === 0) {
    throw new CliError('INPUT_INVALID', 'the header names no name column (given_name, family_name…)');
  }
  return {
    columns,
    scripts: [...scripts].sort((a, b) => (a === 'Latn' ? -1 : b === 'Latn' ? 1 : a < b ? -1 : 1)),
  };
}

/** What a row of the people CSV says, or the rules it breaks (as `field code`, never values). */
export type PeopleCsvRow = { data: PersonData } | { errors: string[] };

/**
 * Turns one record of the file into the core's PersonData. Only the CSV's own encodings are
 * checked here (the estimated flag, a guardian id without its relationship); everything else is the
 * jurisdiction's rules, which the core applies to the result.
 */
export function personFromCsvRow(header: PeopleCsvHeader, fields: readonly string[]): PeopleCsvRow {
  const cell = new Map<string, string>();
  for (const [i, column] of header.columns.entries()) {
    const value = (fields[i] ?? '').trim();
    if (value !== '') cell.set(column, value);
  }
  const errors: string[] = [];
  const data: PersonData = { names: [] };

  for (const script of header.scripts) {
    const suffix = script === 'Latn' ? '' : `_${script.toLowerCase()}`;
    const given = cell.get(`given_name${suffix}`);
    const middle = cell.get(`middle_name${suffix}`);
    const family = cell.get(`family_name${suffix}`);
    if (given === undefined && middle === undefined && family === undefined) continue;
    const name: PersonName = { script, given: given ?? '', family: family ?? '' };
    if (middle !== undefined) name.middle = middle;
    data.names.push(name);
  }

  const dob = cell.get('date_of_birth');
  const estimated = cell.get('date_of_birth_estimated');
  const flag = estimated === undefined ? false : parseFlag(estimated);
  if (flag === undefined) errors.push('dateOfBirth.estimated format');
  if (dob !== undefined) data.dateOfBirth = { value: dob, ...(flag ? { estimated: true } : {}) };
  else if (flag) errors.push('dateOfBirth required');

  const sex = cell.get('sex');
  if (sex !== undefined) data.sex = sex as PersonData['sex'];

  const birthPlace: Place = {};
  setIf(birthPlace, 'locality', cell.get('place_of_birth'));
  setIf(birthPlace, 'region', cell.get('place_of_birth_region'));
  setIf(birthPlace, 'country', cell.get('place_of_birth_country'));
  if (Object.keys(birthPlace).length > 0) data.placeOfBirth = birthPlace;

  const nationality = cell.get('nationality');
  if (nationality !== undefined) data.nationality = nationality.split(/[;\s]+/).filter((c) => c !== '');

  const legalStatus = cell.get('legal_status');
  if (legalStatus !== undefined) data.legalStatus = legalStatus as PersonData['legalStatus'];

  const address: Address = {};
  const lines = ['address_line_1', 'address_line_2', 'address_line_3']
    .map((c) => cell.get(c))
    .filter((l): l is string => l !== undefined);
  if (lines.length > 0) address.lines = lines;
  setIf(address, 'locality', cell.get('address_locality'));
  setIf(address, 'region', cell.get('address_region'));
  setIf(address, 'postalCode', cell.get('address_postal_code'));
  setIf(address, 'country', cell.get('address_country'));
  if (Object.keys(address).length > 0) data.address = address;

  const photo = cell.get('photo_ref');
  const photoHash = cell.get('photo_sha256');
  if (photo !== undefined) data.photo = { ref: photo, ...(photoHash ? { sha256: photoHash } : {}) };
  else if (photoHash !== undefined) errors.push('photo required');

  const guardian = cell.get('guardian_id');
  const relationship = cell.get('guardian_relationship');
  if (guardian !== undefined && relationship !== undefined) {
    data.guardians = [
      {
        personId: guardian,
        relationship: relationship as NonNullable<PersonData['guardians']>[number]['relationship'],
      },
    ];
  } else if (guardian !== undefined || relationship !== undefined) {
    errors.push('guardians format');
  }

  return errors.length > 0 ? { errors } : { data };
}

/** `true`/`false`, `yes`/`no`, `1`/`0`, any case; undefined for anything else. */
function parseFlag(text: string): boolean | undefined {
  const value = text.toLowerCase();
  if (value === 'true' || value === 'yes' || value === '1') return true;
  if (value === 'false' || value === 'no' || value === '0') return false;
  return undefined;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** `arab` → `Arab`: ISO 15924 codes are written with a capital. */
function scriptCode(suffix: string): string {
  return suffix[0]!.toUpperCase() + suffix.slice(1);
}

/**
 * The people CSV columns for records with names in `scripts` (Latin first, then e.g. `Arab`): the
 * header an export writes.
 */
export function peopleCsvColumns(scripts: readonly string[]): string[] {
  const names = scripts.flatMap((script) => {
    const suffix = script === 'Latn' ? '' : `_${script.toLowerCase()}`;
    return [`given_name${suffix}`, `middle_name${suffix}`, `family_name${suffix}`];
  });
  return [...names, ...PEOPLE_CSV_COLUMNS.filter((c) => !/^(given|middle|family)_name$/.test(c))];
}

/**
 * One line of the people CSV (no line end) for a record, under `columns` (`peopleCsvColumns`): the
 * inverse of `personFromCsvRow`, for exports, tests and the benchmark. A record with more than
 * three address lines or one guardian cannot be written (TypeError): the format has no room.
 */
export function formatPeopleCsvRow(columns: readonly string[], data: PersonData): string {
  if ((data.address?.lines?.length ?? 0) > 3 || (data.guardians?.length ?? 0) > 1) {
    throw new TypeError('the people CSV holds at most three address lines and one guardian');
  }
  const byScript = new Map(data.names.map((n) => [n.script, n]));
  const value = (column: string): string | undefined => {
    const name = /^(given|middle|family)_name(?:_([a-z]{4}))?$/.exec(column);
    if (name) {
      const entry = byScript.get(name[2] ? scriptCode(name[2]) : 'Latn');
      return entry?.[name[1] as 'given' | 'middle' | 'family'];
    }
    switch (column) {
      case 'date_of_birth':
        return data.dateOfBirth?.value;
      case 'date_of_birth_estimated':
        return data.dateOfBirth?.estimated ? 'true' : undefined;
      case 'sex':
        return data.sex;
      case 'place_of_birth':
        return data.placeOfBirth?.locality;
      case 'place_of_birth_region':
        return data.placeOfBirth?.region;
      case 'place_of_birth_country':
        return data.placeOfBirth?.country;
      case 'nationality':
        return data.nationality?.join(';');
      case 'legal_status':
        return data.legalStatus;
      case 'address_line_1':
      case 'address_line_2':
      case 'address_line_3':
        return data.address?.lines?.[Number(column.slice(-1)) - 1];
      case 'address_locality':
        return data.address?.locality;
      case 'address_region':
        return data.address?.region;
      case 'address_postal_code':
        return data.address?.postalCode;
      case 'address_country':
        return data.address?.country;
      case 'photo_ref':
        return data.photo?.ref;
      case 'photo_sha256':
        return data.photo?.sha256;
      case 'guardian_id':
        return data.guardians?.[0]?.personId;
      case 'guardian_relationship':
        return data.guardians?.[0]?.relationship;
      default:
        return undefined;
    }
  };
  return columns.map((column) => csvField(value(column) ?? '')).join(',');
}

/** RFC 4180 §2 rules 5–7: quoted when it holds a separator, a quote or a line end; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
