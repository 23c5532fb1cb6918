import type { CborMap, CborValue } from '../cose/decode-cbor.js';
import { fail } from '../errors.js';

/** The claim keys of the health certificate inside the CWT (DCC spec §3.3.1: hcert −260, eu_dgc_v1 1). */
export const CWT_HCERT = -260;
export const HCERT_EU_DCC_V1 = 1;

const SEMVER = /^\d+\.\d+\.\d+$/;
const STANDARDISED_NAME = /^[A-Z<]*$/;
// DCC.Core.Types "dob" (schema 1.3.0): empty, YYYY, YYYY-MM or YYYY-MM-DD.
const DATE_OF_BIRTH = /^((19|20)\d\d(-\d\d){0,2}){0,1}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

const ENTRY_FIELDS: Record<'v' | 't' | 'r', { required: string[]; optional: string[]; dates: string[] }> = {
  // DCC.Types.schema.json (1.3.0) vaccination_entry, test_entry, recovery_entry.
  v: { required: ['tg', 'vp', 'mp', 'ma', 'dt', 'co', 'is', 'ci'], optional: [], dates: ['dt'] },
  t: { required: ['tg', 'tt', 'sc', 'co', 'is', 'ci', 'tr'], optional: ['nm', 'ma', 'tc'], dates: [] },
  r: { required: ['tg', 'fr', 'co', 'is', 'df', 'du', 'ci'], optional: [], dates: ['fr', 'df', 'du'] },
};

/**
 * A structural check of the EU DCC payload (claim −260 → 1) against the required structure of the
 * DCC JSON schema 1.3.0 (ehn-dcc-development/ehn-dcc-schema), written by hand rather than running
 * a JSON Schema validator in the browser verifier: `ver` (semantic version), `nam` with `fnt`
 * (ICAO 9303 transliteration, A–Z and "<", at most 80), `dob` (empty, YYYY, YYYY-MM or YYYY-MM-DD)
 * and exactly one of `v`, `t`, `r`, an array of exactly one entry with that entry's required
 * members as text (`dn`, `sd`: integers 1–9; dates where the schema has dates; `sc` a date-time).
 * Value sets (disease, vaccine, country codes) are not checked: they change, and that is business
 * rules' work. A violation is SCHEMA_INVALID naming the member, never its value.
 */
export function checkDccStructure(value: CborValue): void {
  const dcc = map(value, 'DCC payload');
  const ver = dcc.get('ver');
  if (typeof ver !== 'string' || !SEMVER.test(ver)) throw schema('DCC ver is missing or not a version');
  const nam = map(dcc.get('nam'), 'DCC nam');
  const fnt = nam.get('fnt');
  if (typeof fnt !== 'string' || fnt.length > 80 || !STANDARDISED_NAME.test(fnt)) {
    throw schema('DCC nam.fnt is missing or not a standardised name');
  }
  const gnt = nam.get('gnt');
  if (gnt !== undefined && (typeof gnt !== 'string' || gnt.length > 80 || !STANDARDISED_NAME.test(gnt))) {
    throw schema('DCC nam.gnt is not a standardised name');
  }
  for (const name of ['fn', 'gn']) {
    const member = nam.get(name);
    if (member !== undefined && (typeof member !== 'string' || member.length > 80))
      throw schema(`DCC nam.${name} is not a name`);
  }
  const dob = dcc.get('dob');
  if (typeof dob !== 'string' || !DATE_OF_BIRTH.test(dob)) throw schema('DCC dob is missing or not a date');

  const groups = (['v', 't', 'r'] as const).filter((group) => dcc.has(group));
  if (groups.length !== 1) throw schema('DCC must hold exactly one of v, t and r');
  const group = groups[0]!;
  const entries = dcc.get(group);
  if (!Array.isArray(entries) || entries.length !== 1)
    throw schema(`DCC ${group} is not an array of one entry`);
  const entry = map(entries[0], `DCC ${group}[0]`);
  const fields = ENTRY_FIELDS[group];
  for (const name of [...fields.required, ...fields.optional]) {
    const member = entry.get(name);
    if (member === undefined) {
      if (fields.required.includes(name)) throw schema(`DCC ${group}[0].${name} is missing`);
      continue;
    }
    if (typeof member !== 'string' || member.length > 80) throw schema(`DCC ${group}[0].${name} is not text`);
    if (fields.dates.includes(name) && !DATE.test(member))
      throw schema(`DCC ${group}[0].${name} is not a date`);
  }
  if (group === 'v') {
    for (const name of ['dn', 'sd']) {
      const member = entry.get(name);
      if (typeof member !== 'number' || !Number.isInteger(member) || member < 1 || member > 9) {
        throw schema(`DCC v[0].${name} is missing or not an integer 1-9`);
      }
    }
  }
  if (group === 't' && !DATE_TIME.test(entry.get('sc') as string))
    throw schema('DCC t[0].sc is not a date-time');
}

function map(value: CborValue, what: string): CborMap {
  if (!(value instanceof Map)) throw schema(`${what} is missing or not a map`);
  return value;
}

function schema(message: string) {
  return fail('SCHEMA_INVALID', message);
}
