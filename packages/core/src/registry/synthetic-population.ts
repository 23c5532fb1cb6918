import type { PersonData, PersonName, Sex } from './person.js';
import {
  ARABIC_FAMILY,
  ARABIC_FEMALE,
  ARABIC_MALE,
  CYRILLIC_FAMILY,
  CYRILLIC_FEMALE,
  CYRILLIC_MALE,
  LATIN_FAMILY,
  LATIN_FEMALE,
  LATIN_MALE,
  type NameEntry,
  PLACES,
} from './synthetic-names.js';
import { tailFamilyName } from './synthetic-surnames.js';

/**
 * A seeded synthetic population with known duplicates, to measure the matcher (docs/registry.md
 * says what it models and what it does not). The same options and seed give the same records.
 */
export interface SyntheticPopulationOptions {
  /** Distinct people. */
  people: number;
  /** Fraction of people enrolled more than once (default 0.2); a tenth of those three times. */
  duplicateRate?: number;
  /** Fraction of people who are a sibling of an earlier person: same father's and family name, place (default 0.15). */
  siblingRate?: number;
  seed?: number;
  /** Birth years drawn uniformly from this range (default 1940–2023). */
  birthYears?: readonly [number, number];
  /**
   * Share of people whose family name comes from the tables of common family names (default
   * 0.35); the others get a rarer one from the long tail (`synthetic-surnames.ts`). 1 draws every
   * family name from the tables, as the generator did before (far more namesakes than a real
   * population has: docs/registry.md).
   */
  commonFamilyNameShare?: number;
}

export interface SyntheticRecord {
  /** The true person: records with the same number are the same person. */
  person: number;
  /** 0 for the first record of the person in enrolment order, 1, 2… for later ones. */
  occurrence: number;
  data: PersonData;
}

type Group = 'arabic' | 'latin' | 'cyrillic';

interface Identity {
  group: Group;
  sex: 'female' | 'male';
  given: NameEntry;
  middle?: NameEntry;
  family: NameEntry;
  year: number;
  month: number;
  day: number;
  /** How well the birth date is documented: the first record shows it at this precision. */
  precision: 'full' | 'month' | 'year' | 'jan1';
  country: string;
  place: readonly string[];
  /** Siblings share a household: no two of them get the same given name. */
  household: Set<NameEntry>;
}

/** mulberry32: a small, fast, seedable PRNG (not for anything secret: the population is public test data). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf weights (s = 0.9) over a list ordered by frequency: the first names are the most common. */
function zipfPicker(length: number): (r: number) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < length; i++) {
    total += 1 / (i + 1) ** 0.9;
    cumulative.push(total);
  }
  return (r) => {
    const target = r * total;
    let lo = 0;
    let hi = length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const TABLES: Record<
  Group,
  { male: readonly NameEntry[]; female: readonly NameEntry[]; family: readonly NameEntry[] }
> = {
  arabic: { male: ARABIC_MALE, female: ARABIC_FEMALE, family: ARABIC_FAMILY },
  latin: { male: LATIN_MALE, female: LATIN_FEMALE, family: LATIN_FAMILY },
  cyrillic: { male: CYRILLIC_MALE, female: CYRILLIC_FEMALE, family: CYRILLIC_FAMILY },
};

const COUNTRIES: Record<Group, readonly string[]> = {
  arabic: ['SY', 'SY', 'IQ', 'IQ', 'SD', 'YE', 'PS', 'XA'],
  latin: ['ML', 'CD', 'XA', 'XA'],
  cyrillic: ['UA', 'UA', 'XA'],
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

class Generator {
  readonly #random: () => number;
  readonly #pickers = new Map<number, (r: number) => number>();

  readonly #commonFamily: number;

  constructor(seed: number, commonFamilyNameShare: number) {
    this.#random = prng(seed);
    this.#commonFamily = commonFamilyNameShare;
  }

  r(): number {
    return this.#random();
  }

  int(n: number): number {
    return Math.floor(this.#random() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  zipf<T>(list: readonly T[]): T {
    let picker = this.#pickers.get(list.length);
    if (!picker) {
      picker = zipfPicker(list.length);
      this.#pickers.set(list.length, picker);
    }
    return list[picker(this.#random())]!;
  }

  identity(birthYears: readonly [number, number]): Identity {
    const x = this.r();
    const group: Group = x < 0.7 ? 'arabic' : x < 0.9 ? 'latin' : 'cyrillic';
    const sex = this.r() < 0.5 ? 'female' : 'male';
    const table = TABLES[group];
    const p = this.r();
    const year = birthYears[0] + this.int(birthYears[1] - birthYears[0] + 1);
    const month = 1 + this.int(12);
    const country = this.pick(COUNTRIES[group]);
    return {
      group,
      sex,
      given: this.zipf(sex === 'male' ? table.male : table.female),
      ...(group === 'arabic' ? (this.r() < 0.85 ? { middle: this.zipf(ARABIC_MALE) } : {}) : {}),
      ...(group === 'latin' && this.r() < 0.2
        ? { middle: this.pick(sex === 'male' ? table.male : table.female) }
        : {}),
      // Family names are spread more evenly than given names; most people have one of the long tail.
      family:
        this.#commonFamily >= 1 || this.r() < this.#commonFamily
          ? this.pick(table.family)
          : tailFamilyName(group, () => this.r()),
      year,
      month,
      day: 1 + this.int(daysIn(year, month)),
      precision: p < 0.82 ? 'full' : p < 0.87 ? 'month' : p < 0.97 ? 'year' : 'jan1',
      country,
      place: this.pick(PLACES[country]!),
      household: new Set(),
    };
  }

  sibling(of: Identity, lastYear: number): Identity {
    const table = TABLES[of.group];
    const sex = this.r() < 0.5 ? 'female' : 'male';
    const names = sex === 'male' ? table.male : table.female;
    of.household.add(of.given);
    let given = this.zipf(names);
    for (let tries = 0; of.household.has(given) && tries < 100; tries++) given = this.zipf(names);
    if (of.household.has(given)) return this.identity([of.year, of.year]);
    of.household.add(given);
    const twin = this.r() < 0.03;
    const year = twin ? of.year : of.year + (this.r() < 0.5 ? -1 : 1) * (1 + this.int(8));
    if (year > lastYear) return this.sibling(of, lastYear);
    const month = twin ? of.month : 1 + this.int(12);
    return {
      ...of,
      sex,
      given,
      year,
      month,
      day: twin ? of.day : 1 + this.int(daysIn(year, month)),
      precision: twin ? of.precision : this.r() < 0.82 ? 'full' : 'year',
    };
  }

  /** One enrolment record of `who`; `noisy` records carry the errors of a repeat enrolment. */
  record(who: Identity, noisy: boolean, lastYear: number): PersonData {
    const latinOf = (entry: NameEntry, female: boolean) => {
      let form = this.pick(entry.latin);
      if (female && who.group === 'cyrillic' && /(ov|ev|in)$/.test(form)) form += 'a';
      return form;
    };
    const nativeOf = (entry: NameEntry, female: boolean) => {
      let form = entry.native ?? '';
      if (female && who.group === 'cyrillic' && /(ов|ев|ин)$/.test(form)) form += 'а';
      return form;
    };
    const female = who.sex === 'female';
    let given = who.given;
    let family = who.family;
    let middle = who.middle;
    if (noisy && middle && this.r() < 0.25) middle = undefined;
    // Given and family name recorded the wrong way round.
    if (noisy && this.r() < 0.08) [given, family] = [family, given];
    const names: PersonName[] = [];
    const scriptChoice = this.r();
    const withLatin = who.group === 'latin' || scriptChoice < 0.8;
    const withNative = who.group !== 'latin' && (scriptChoice < 0.5 || scriptChoice >= 0.8);
    if (withLatin) {
      const parts = {
        given: latinOf(given, female),
        middle: middle ? latinOf(middle, false) : undefined,
        family: latinOf(family, female),
      };
      if (noisy && this.r() < 0.2) {
        const fields: Array<'given' | 'middle' | 'family'> = parts.middle
          ? ['given', 'family', 'middle']
          : ['given', 'family'];
        const key = this.pick(fields);
        parts[key] = this.typo(parts[key]!);
      }
      names.push({
        script: 'Latn',
        given: parts.given,
        ...(parts.middle ? { middle: parts.middle } : {}),
        family: parts.family,
      });
    }
    if (withNative) {
      let g = nativeOf(given, female);
      let m = middle ? nativeOf(middle, false) : undefined;
      let f = nativeOf(family, female);
      if (noisy && who.group === 'arabic' && this.r() < 0.3) {
        g = arabicSpellingVariant(g);
        f = arabicSpellingVariant(f);
        if (m) m = arabicSpellingVariant(m);
      }
      names.push({
        script: who.group === 'arabic' ? 'Arab' : 'Cyrl',
        given: g,
        ...(m ? { middle: m } : {}),
        family: f,
      });
    }
    const data: PersonData = {
      names,
      dateOfBirth: this.birth(who, noisy, lastYear),
      sex: noisy && this.r() < 0.03 ? 'not_stated' : (who.sex as Sex),
    };
    if (!noisy || this.r() >= 0.25) {
      let locality = this.pick(who.place);
      if (noisy && this.r() < 0.1) locality = this.typo(locality);
      data.placeOfBirth = { locality, country: who.country };
    }
    data.nationality = [who.country === 'XA' ? 'XA' : who.country];
    data.legalStatus =
      who.country === 'XA' ? 'citizen' : this.pick(['refugee', 'asylum_seeker', 'resident'] as const);
    return data;
  }

  birth(who: Identity, noisy: boolean, lastYear: number): PersonData['dateOfBirth'] {
    const iso = (y: number, m?: number, d?: number) =>
      [String(y).padStart(4, '0'), m && String(m).padStart(2, '0'), d && String(d).padStart(2, '0')]
        .filter(Boolean)
        .join('-');
    let precision = who.precision;
    let { year, month, day } = who;
    // A shifted year stays a real date and not in the future (29 February moves to the 28th).
    const shift = (by: number) => {
      year = Math.min(lastYear, year + by);
      day = Math.min(day, daysIn(year, month));
    };
    if (precision === 'year' || precision === 'jan1') {
      // An estimated age: a later estimate is often a year or two off.
      if (noisy) {
        const x = this.r();
        shift(x < 0.6 ? 0 : x < 0.9 ? (this.r() < 0.5 ? -1 : 1) : this.r() < 0.5 ? -2 : 2);
      }
      return precision === 'year'
        ? { value: iso(year), estimated: true }
        : { value: iso(year, 1, 1), estimated: true };
    }
    if (precision === 'month') {
      // Known to the month only: a later record has the same, or only the year.
      if (noisy && this.r() < 0.2) return { value: iso(year), estimated: true };
      return { value: iso(year, month) };
    }
    if (noisy) {
      const x = this.r();
      if (x < 0.6) {
        // as documented
      } else if (x < 0.7 && day <= 12 && day !== month) {
        [day, month] = [month, day];
      } else if (x < 0.8) {
        day = Math.min(daysIn(year, month), Math.max(1, day + (this.r() < 0.5 ? -1 : 1) * (1 + this.int(3))));
      } else if (x < 0.85) {
        shift(this.r() < 0.5 ? -1 : 1);
      } else {
        precision = this.r() < 0.7 ? 'year' : 'month';
        // Only the year, estimated: usually the documented one, a year off in one case in ten.
        if (precision === 'year' && this.r() < 0.1) shift(this.r() < 0.5 ? -1 : 1);
      }
    }
    if (precision === 'month') return { value: iso(year, month) };
    if (precision === 'year') return { value: iso(year), estimated: true };
    return { value: iso(year, month, day) };
  }

  /** One keyboard-style error: a letter substituted, dropped, doubled or swapped with its neighbour. */
  typo(text: string): string {
    if (text.length < 3) return text;
    const i = 1 + this.int(text.length - 2);
    const kind = this.int(4);
    if (kind === 0) return text.slice(0, i) + this.pick([...LETTERS]) + text.slice(i + 1);
    if (kind === 1) return text.slice(0, i) + text.slice(i + 1);
    if (kind === 2) return text.slice(0, i) + text[i] + text.slice(i);
    return text.slice(0, i - 1) + text[i] + text[i - 1] + text.slice(i + 1);
  }
}

/** Common Arabic spelling variation: hamza forms on alif dropped, final ta marbuta as ha, final ya as alif maqsura. */
function arabicSpellingVariant(text: string): string {
  return text
    .replace(/[أإآ]/g, 'ا')
    .replace(/ة(?=\s|$)/g, 'ه')
    .replace(/ي(?=\s|$)/g, 'ى');
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Records in enrolment order: every person once, some again (with the errors of a repeat
 * enrolment: another spelling or script, a typo, a dropped middle name, swapped name order, a
 * shifted, swapped or less precise birth date, a missing place), shuffled so a person's records
 * are spread over the sequence. The first record of a person is the one a later one duplicates.
 */
export function generateSyntheticPopulation(options: SyntheticPopulationOptions): SyntheticRecord[] {
  const people = options.people;
  if (!Number.isSafeInteger(people) || people < 1) throw new TypeError('people must be a positive integer');
  const duplicateRate = options.duplicateRate ?? 0.2;
  const siblingRate = options.siblingRate ?? 0.15;
  const birthYears = options.birthYears ?? [1940, 2023];
  const commonFamily = options.commonFamilyNameShare ?? 0.35;
  if (!(commonFamily >= 0 && commonFamily <= 1))
    throw new TypeError('commonFamilyNameShare must be in [0, 1]');
  const g = new Generator(options.seed ?? 1, commonFamily);
  const identities: Identity[] = [];
  for (let i = 0; i < people; i++) {
    identities.push(
      i > 0 && g.r() < siblingRate ? g.sibling(g.pick(identities), birthYears[1]) : g.identity(birthYears),
    );
  }
  const slots: Array<{ person: number; noisy: boolean }> = [];
  for (let person = 0; person < people; person++) {
    slots.push({ person, noisy: false });
    if (g.r() < duplicateRate) {
      slots.push({ person, noisy: true });
      if (g.r() < 0.1) slots.push({ person, noisy: true });
    }
  }
  // Fisher–Yates, then the clean record of each person goes first among its records.
  for (let i = slots.length - 1; i > 0; i--) {
    const j = g.int(i + 1);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  const seen = new Map<number, number>();
  return slots.map(({ person }) => {
    const occurrence = seen.get(person) ?? 0;
    seen.set(person, occurrence + 1);
    return { person, occurrence, data: g.record(identities[person]!, occurrence > 0, birthYears[1]) };
  });
}
