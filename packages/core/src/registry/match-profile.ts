import { doubleMetaphone } from 'double-metaphone';
import { type DateParts, parsePartialDate } from './partial-date.js';
import type { PersonData, PersonName, Sex } from './person.js';
import { placeAliases } from './place-names.js';
import { latinReadings } from './transliterate.js';

/** Which field a name part was written in. */
export type NameRole = 'given' | 'middle' | 'family';

/** One name part as the matcher sees it: its spellings and their Double Metaphone codes. */
export interface NameToken {
  forms: string[];
  codes: string[];
  role: NameRole;
  /**
   * Family names only: the Latin spellings folded over the letters that transliterations of one
   * Arabic name disagree on (`foldTransliteration`); empty for other parts and other scripts.
   */
  folded: string[];
  /** Folding changed a spelling: `folded` is not just `forms`. */
  foldChanges: boolean;
}

/**
 * One reading of one of the person's names: its parts in written order. `latin` is a name written
 * in Latin script, `reading` the Latin reading of a name in another script (compared with names
 * in other scripts), `native` that name in its own script, normalised (compared with names in the
 * same script: two Arabic spellings compare better as Arabic than through invented vowels).
 */
export interface NameVariant {
  script: string;
  kind: 'latin' | 'reading' | 'native';
  tokens: NameToken[];
}

/** What the matcher compares of a person, computed once per record. */
export interface MatchProfile {
  names: NameVariant[];
  birth?: DateParts;
  sex?: Sex;
  placeOfBirth?: { country?: string; locality?: Locality };
}

// Connectors that carry no identity of their own ("Mohammed bin Salman", "Ali al-Hassan").
const PARTICLES = new Set(['AL', 'EL', 'UL', 'BIN', 'IBN', 'BINT', 'BNT', 'BEN', 'BENT']);
// "Abd" (servant of) written with its article: Abdul, Abdel, Abd al-, Abdur-…
const ABD = new Set(['ABD', 'ABDUL', 'ABDEL', 'ABDAL', 'ABDOUL', 'ABDOL', 'ABDU', 'ABDO', 'ABDUR', 'ABDER']);
const MAX_TOKENS = 6;

/** The name's parts, each in one reading: split, connectors dropped, "Abd" compounds joined. */
export function nameParts(reading: string): string[] {
  const raw = reading.split(/[^A-Z]+/).filter(Boolean);
  const parts: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let token = raw[i]!;
    // A particle is dropped unless it is the whole name ("Ben" alone is a given name).
    if (PARTICLES.has(token) && raw.length > 1 && !(token === 'BEN' && i === 0)) continue;
    if (ABD.has(token) && i + 1 < raw.length) {
      let next = raw[++i]!;
      while (PARTICLES.has(next) && i + 1 < raw.length) next = raw[++i]!;
      token = `ABD${stripArticle(next)}`;
    } else if (token.startsWith('ABD') && token.length > 5) {
      token = `ABD${collapseLead(token.slice(3).replace(/^(?:OU|U|E|A|O)L?/, ''))}`;
    }
    parts.push(token);
  }
  return parts;
}

function stripArticle(token: string): string {
  return /^(?:AL|EL|UL)[A-Z]{3,}/.test(token) ? collapseLead(token.slice(2)) : token;
}

// A sun letter assimilates the article and is written doubled (ar-Rahman → Abdurrahman).
function collapseLead(token: string): string {
  return token.length > 2 && token[0] === token[1] ? token.slice(1) : token;
}

function tokenOf(forms: string[], role: NameRole): NameToken {
  const all = new Set<string>();
  for (const form of forms) {
    all.add(form);
    // The article fused to a name (Alhassan, Elhassan): compare without it too.
    if (/^(?:AL|EL)[A-Z]{3,}$/.test(form)) all.add(collapseLead(form.slice(2)));
    // Initial J and Y before a vowel spell one sound across languages (Josef / Yosef, Jasmin /
    // Yasmin, Jusuf / Yusuf): compare the J spelling too.
    if (/^Y[AEIOU]/.test(form)) all.add(`J${form.slice(1)}`);
  }
  const codes = new Set<string>();
  for (const form of all) for (const code of phoneticCodes(form)) codes.add(code);
  const folded = role === 'family' ? [...new Set([...all].map(foldTransliteration))] : [];
  const foldChanges = folded.some((form) => !all.has(form));
  return { forms: [...all], codes: [...codes], role, folded, foldChanges };
}

/**
 * A Latin spelling with the letters folded that romanisations of one Arabic name write
 * differently: ث as th, s or t (Othman / Osman), ذ as dh or z, ج as j, g or dj (Hijazi / Hegazi),
 * ق as q or k, ش as sh or the French ch, long u as ou or oo, long i as ee, and doubled letters
 * (shadda written or not). Majbouth / Magbus and Kathan / Kasan fold to one spelling.
 */
export function foldTransliteration(form: string): string {
  return form
    .replace(/(.)\1+/g, '$1')
    .replace(/TH/g, 'S')
    .replace(/DH/g, 'Z')
    .replace(/DJ/g, 'J')
    .replace(/J/g, 'G')
    .replace(/Q/g, 'K')
    .replace(/CH/g, 'SH')
    .replace(/OU|OO/g, 'U')
    .replace(/EE/g, 'I')
    .replace(/(.)\1+/g, '$1');
}

// Names repeat (a few given names cover much of a population), and Double Metaphone is most of
// the cost of reading a record: remember the codes of recent spellings. Bounded, so hostile
// input cannot grow it; cleared whole when full (simpler than LRU, and refilled at once).
const PHONETIC_CACHE_SIZE = 20_000;
const phoneticCache = new Map<string, readonly string[]>();

function phoneticCodes(form: string): readonly string[] {
  let codes = phoneticCache.get(form);
  if (!codes) {
    const [primary, secondary] = doubleMetaphone(form);
    codes = [primary, secondary].filter((c, i, all): c is string => !!c && all.indexOf(c) === i);
    if (phoneticCache.size >= PHONETIC_CACHE_SIZE) phoneticCache.clear();
    phoneticCache.set(form, codes);
  }
  return codes;
}

const ROLES: readonly NameRole[] = ['given', 'middle', 'family'];

function variantsOf(name: PersonName): NameVariant[] {
  const fields = [name.given ?? '', name.middle ?? '', name.family ?? ''];
  const script = scriptOf(fields.join(' '), name.script);
  const kind = script === 'Latn' ? 'latin' : 'reading';
  const tokens: NameToken[] = [];
  const native: NameToken[] = [];
  fields.forEach((text, f) => {
    const role = ROLES[f]!;
    const readings = latinReadings(text, script).map(nameParts);
    const first = readings[0] ?? [];
    // The readings of one text split alike: each part gets every reading's spelling.
    first.forEach((_, i) => {
      tokens.push(
        tokenOf(
          readings.filter((r) => r.length === first.length).map((r) => r[i]!),
          role,
        ),
      );
    });
    if (script !== 'Latn') {
      for (const form of nativeParts(text, script))
        native.push({ forms: [form], codes: [], role, folded: [], foldChanges: false });
    }
  });
  const variants: NameVariant[] = [];
  if (tokens.length > 0) variants.push({ script, kind, tokens: tokens.slice(0, MAX_TOKENS) });
  if (native.length > 0) variants.push({ script, kind: 'native', tokens: native.slice(0, MAX_TOKENS) });
  return variants;
}

const ARABIC = /[\u0600-\u06FF]/;
const CYRILLIC = /[\u0400-\u04FF]/;

/** The script the text is actually written in: a name's letters outrank its label. */
function scriptOf(text: string, declared: string): string {
  if (ARABIC.test(text)) return 'Arab';
  if (CYRILLIC.test(text)) return 'Cyrl';
  if (/[A-Za-z]/.test(text)) return 'Latn';
  return declared;
}

// Arabic orthographic variants that do not change a name: hamza seats on alif, ta marbuta and ha,
// alif maqsura and ya, hamza on waw and ya; vowel marks and tatweel.
const ARABIC_NORMAL: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u064B-\u0652\u0670\u0640]/g, ''],
  [/[أإآٱ]/g, 'ا'],
  [/ة/g, 'ه'],
  [/ى/g, 'ي'],
  [/ؤ/g, 'و'],
  [/ئ/g, 'ي'],
  [/ی/g, 'ي'],
  [/ک/g, 'ك'],
];
const ARABIC_PARTICLES = new Set(['بن', 'ابن', 'بنت']);

/** The name's parts in its own script, normalised, with connectors dropped and "Abd" compounds joined. */
export function nativeParts(text: string, script: string): string[] {
  if (script === 'Arab') {
    let normal = text;
    for (const [pattern, replacement] of ARABIC_NORMAL) normal = normal.replace(pattern, replacement);
    const words = normal.split(/[^\u0621-\u064A]+/).filter(Boolean);
    const parts: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (ARABIC_PARTICLES.has(word) && words.length > 1) continue;
      if (word === 'عبد' && i + 1 < words.length) parts.push(`عبد${words[++i]!.replace(/^ال(?=..)/, '')}`);
      else parts.push(word.replace(/^ال(?=...)/, ''));
    }
    return parts;
  }
  return text
    .toUpperCase()
    .replace(/Ё/g, 'Е')
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
}

/** A place of birth as the matcher compares it. */
export interface Locality {
  /** The name as written, in capital Latin letters only. */
  name: string;
  codes: string[];
  /** Other names of the same place, from the gazetteer (`place-names.ts`): Halab for Aleppo. */
  aliases: readonly string[];
}

function localityOf(text: string): Locality {
  const name = (latinReadings(text, 'Latn')[0] ?? '').replace(/[^A-Z]/g, '');
  const codes = name ? [...phoneticCodes(name)] : [];
  return { name, codes, aliases: placeAliases(name) };
}

/** The matcher's view of a person: Latin name readings with phonetic codes, birth date parts, sex, place. */
export function matchProfile(data: PersonData): MatchProfile {
  const names: NameVariant[] = [];
  for (const name of data.names ?? []) names.push(...variantsOf(name));
  const birth = data.dateOfBirth
    ? parsePartialDate(data.dateOfBirth.value, data.dateOfBirth.estimated === true)
    : undefined;
  const place = data.placeOfBirth;
  return {
    names,
    ...(birth ? { birth } : {}),
    ...(data.sex ? { sex: data.sex } : {}),
    ...(place
      ? {
          placeOfBirth: {
            ...(place.country ? { country: place.country.toUpperCase() } : {}),
            ...(place.locality ? { locality: localityOf(place.locality) } : {}),
          },
        }
      : {}),
  };
}
