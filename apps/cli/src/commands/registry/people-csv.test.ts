import { generateSyntheticPopulation, type PersonData } from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../errors.js';
import { CsvParser } from './parse-csv.js';
import {
  checkPeopleCsvHeader,
  formatPeopleCsvRow,
  PEOPLE_CSV_COLUMNS,
  peopleCsvColumns,
  personFromCsvRow,
} from './people-csv.js';

function headerError(fields: string[]): string {
  try {
    checkPeopleCsvHeader(fields);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return `${(error as CliError).code}: ${(error as CliError).message}`;
  }
  throw new Error('the header was accepted');
}

describe('the people CSV header', () => {
  it('refuses unknown, repeated, nameless and name-less headers before anything is read', () => {
    expect(headerError(['given_name', 'family_name', 'date_of_brith'])).toBe(
      'INPUT_INVALID: unknown header column date_of_brith',
    );
    expect(headerError(['given_name', 'Given_Name '])).toBe(
      'INPUT_INVALID: header column given_name appears twice',
    );
    expect(headerError(['given_name', ''])).toBe('INPUT_INVALID: header column 2 has no name');
    expect(headerError(['date_of_birth', 'sex'])).toMatch(/^INPUT_INVALID: the header names no name column/);
    // Latin names have their own columns: a `_latn` twin would make two Latin names.
    expect(headerError(['given_name_latn'])).toBe('INPUT_INVALID: unknown header column given_name_latn');
  });

  it('takes known columns in any order, names per script, and ignores x_ columns', () => {
    const header = checkPeopleCsvHeader([
      'x_agency_ref',
      'family_name_arab',
      'given_name_arab',
      'given_name',
      'SEX',
    ]);
    expect(header.scripts).toEqual(['Latn', 'Arab']);
    expect(header.columns).toEqual([
      'x_agency_ref',
      'family_name_arab',
      'given_name_arab',
      'given_name',
      'sex',
    ]);
    expect(checkPeopleCsvHeader(PEOPLE_CSV_COLUMNS).scripts).toEqual(['Latn']);
  });
});

describe('a people CSV row', () => {
  const header = checkPeopleCsvHeader(peopleCsvColumns(['Latn', 'Arab']));
  const row = (cells: Record<string, string>) => header.columns.map((c) => cells[c] ?? '');

  it('reports its own encodings broken as `field code`, never the values', () => {
    expect(
      personFromCsvRow(
        header,
        row({ given_name: 'Amina', date_of_birth: '1990', date_of_birth_estimated: 'maybe' }),
      ),
    ).toEqual({
      errors: ['dateOfBirth.estimated format'],
    });
    expect(personFromCsvRow(header, row({ given_name: 'Amina', date_of_birth_estimated: 'yes' }))).toEqual({
      errors: ['dateOfBirth required'],
    });
    expect(
      personFromCsvRow(header, row({ given_name: 'Amina', guardian_id: 'w25WBBEfYxW6WEqGuGsxoA' })),
    ).toEqual({
      errors: ['guardians format'],
    });
    expect(personFromCsvRow(header, row({ given_name: 'Amina', photo_sha256: 'x' }))).toEqual({
      errors: ['photo required'],
    });
  });

  it('becomes the core PersonData: trimmed cells, empty cells absent, names per script', () => {
    expect(
      personFromCsvRow(
        header,
        row({
          given_name: ' Amina ',
          family_name: 'Haddad',
          given_name_arab: 'أمينة',
          family_name_arab: 'حداد',
          date_of_birth: '1990',
          date_of_birth_estimated: 'TRUE',
          sex: 'female',
          place_of_birth: 'Port Azure',
          place_of_birth_country: 'XA',
          nationality: 'XA; SY',
          legal_status: 'refugee',
          address_line_1: '12 Harbour Road',
          address_line_3: 'Flat 2',
          address_postal_code: '1000',
          guardian_id: 'w25WBBEfYxW6WEqGuGsxoA',
          guardian_relationship: 'mother',
        }),
      ),
    ).toEqual({
      data: {
        names: [
          { script: 'Latn', given: 'Amina', family: 'Haddad' },
          { script: 'Arab', given: 'أمينة', family: 'حداد' },
        ],
        dateOfBirth: { value: '1990', estimated: true },
        sex: 'female',
        placeOfBirth: { locality: 'Port Azure', country: 'XA' },
        nationality: ['XA', 'SY'],
        legalStatus: 'refugee',
        address: { lines: ['12 Harbour Road', 'Flat 2'], postalCode: '1000' },
        guardians: [{ personId: 'w25WBBEfYxW6WEqGuGsxoA', relationship: 'mother' }],
      },
    });
  });

  it('reads back what formatPeopleCsvRow wrote, for the whole synthetic population', () => {
    const columns = peopleCsvColumns(['Latn', 'Arab', 'Cyrl']);
    const records = generateSyntheticPopulation({ people: 400, seed: 8 }).map((r) => r.data);
    const extra: PersonData = {
      names: [{ script: 'Latn', given: 'Jean-Luc', middle: 'Marie', family: 'O\'Neil, "Jr"' }],
      dateOfBirth: { value: '1961-07' },
      address: {
        lines: ['1 Quai, Bât. "B"', 'line\ntwo'],
        locality: 'Lyon',
        country: 'FR',
        postalCode: '69001',
      },
      photo: { ref: 'photos/1.jpg', sha256: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg' },
    };
    const text = [columns.join(','), ...[...records, extra].map((d) => formatPeopleCsvRow(columns, d))].join(
      '\r\n',
    );
    const parser = new CsvParser();
    const [head, ...rows] = [...parser.push(text), ...parser.end()];
    const header = checkPeopleCsvHeader(head!.fields);
    expect(rows.map((r) => personFromCsvRow(header, r.fields))).toEqual(
      [...records, extra].map((data) => ({ data })),
    );
  });

  it('will not write what the format cannot hold', () => {
    expect(() =>
      formatPeopleCsvRow(PEOPLE_CSV_COLUMNS, { names: [], address: { lines: ['1', '2', '3', '4'] } }),
    ).toThrow(TypeError);
  });
});
