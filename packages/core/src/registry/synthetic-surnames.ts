import type { NameEntry } from './synthetic-names.js';

/**
 * The long tail of family names for the synthetic population (docs/registry.md, "What the
 * synthetic population models"). The tables of `synthetic-names.ts` hold a population's most
 * common family names; real populations also have thousands of rarer ones, which together cover
 * most people (in most countries the hundred commonest family names cover well under half of
 * the population). A population drawn from the tables alone has far more namesakes than a real
 * one: at 100,000 people, many different people share given name, family name, birth year and
 * place. This file makes family names the way the languages make them, so each is rare:
 *
 * - Arabic: a three-consonant root in one of the common noun patterns (faʿʿāl Haddad, faʿlān
 *   Hamdan, faʿīl Karim, faʿūl, mafʿūl Mansour), sometimes with the article (Al-), written in
 *   Arabic script and in its usual Latin spelling, for half of them also a variant (ق as Q or
 *   K, ث as Th or S, ج as J or G, long vowels as ou/u, i/ee…). These spellings come from this
 *   file's own table, not the matcher's transliteration table.
 * - Cyrillic: a stem (consonant, vowel, consonant) with a Ukrainian or Russian suffix (-енко,
 *   -ук, -чук, -ов, -ин), in Cyrillic and one or two Latin spellings (BGN/PCGN, passports).
 * - Latin: West, Central and East African family names of two or three open syllables with a
 *   common initial (O-, N-, Ka-, Mu-, Ba-, Ko-, Nd-, Mb-), with a French spelling variant where
 *   one exists (ou for w/u).
 */
export function tailFamilyName(group: 'arabic' | 'latin' | 'cyrillic', random: () => number): NameEntry {
  if (group === 'arabic') return arabicTail(random);
  if (group === 'cyrillic') return cyrillicTail(random);
  return latinTail(random);
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

// Arabic consonants with the Latin spellings seen for them on documents (the first is the usual one).
const ARABIC_CONSONANTS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['ب', ['b']],
  ['ت', ['t']],
  ['ث', ['th', 's']],
  ['ج', ['j', 'g']],
  ['ح', ['h']],
  ['خ', ['kh']],
  ['د', ['d']],
  ['ر', ['r']],
  ['ز', ['z']],
  ['س', ['s']],
  ['ش', ['sh', 'ch']],
  ['ص', ['s']],
  ['ط', ['t']],
  ['ع', ['']],
  ['غ', ['gh']],
  ['ف', ['f']],
  ['ق', ['q', 'k']],
  ['ك', ['k']],
  ['ل', ['l']],
  ['م', ['m']],
  ['ن', ['n']],
  ['ه', ['h']],
  ['ي', ['y']],
  ['و', ['w']],
];

type Sound = readonly [string, readonly string[]];
// Noun patterns: Arabic letters around the root, and Latin spellings with the root's letters.
const ARABIC_PATTERNS: ReadonlyArray<
  (c: readonly [Sound, Sound, Sound]) => [string, ReadonlyArray<readonly string[]>]
> = [
  // faʿʿāl: Haddad, Najjar
  ([a, b, c]) => [`${a[0]}${b[0]}ا${c[0]}`, [a[1], ['a'], b[1].map((x) => x + x), ['a'], c[1]]],
  // faʿlān: Hamdan, Sulayman
  ([a, b, c]) => [`${a[0]}${b[0]}${c[0]}ان`, [a[1], ['a'], b[1], c[1], ['an']]],
  // faʿīl: Karim, Said
  ([a, b, c]) => [`${a[0]}${b[0]}ي${c[0]}`, [a[1], ['a'], b[1], ['i', 'ee'], c[1]]],
  // faʿūl: Sabour
  ([a, b, c]) => [`${a[0]}${b[0]}و${c[0]}`, [a[1], ['a'], b[1], ['ou', 'u'], c[1]]],
  // mafʿūl: Mansour, Mahmoud
  ([a, b, c]) => [`م${a[0]}${b[0]}و${c[0]}`, [['m'], ['a'], a[1], b[1], ['ou', 'u'], c[1]]],
  // fāʿil: Hamid, Nasir
  ([a, b, c]) => [`${a[0]}ا${b[0]}${c[0]}`, [a[1], ['a'], b[1], ['i', 'e'], c[1]]],
];

function arabicTail(random: () => number): NameEntry {
  const root = [
    pick(random, ARABIC_CONSONANTS),
    pick(random, ARABIC_CONSONANTS),
    pick(random, ARABIC_CONSONANTS),
  ] as const;
  const [native, parts] = pick(random, ARABIC_PATTERNS)(root);
  const article = random() < 0.3;
  const spellings = new Set<string>();
  // The usual spelling, and for half of the names a variant seen on some documents (each sound
  // taking any of its spellings), as the tables have one to a few spellings per name.
  const variants = random() < 0.5 ? 2 : 1;
  for (let i = 0; i < variants; i++) {
    const word = parts.map((options) => (i === 0 ? options[0]! : pick(random, options))).join('');
    const name = capitalise(word);
    spellings.add(article ? (i === 1 ? `El ${name}` : `Al-${name}`) : name);
  }
  return { native: `${article ? 'ال' : ''}${native}`, latin: [...spellings] };
}

const CYRILLIC_ONSETS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Б', ['B']],
  ['В', ['V']],
  ['Г', ['H', 'G']],
  ['Д', ['D']],
  ['Ж', ['Zh']],
  ['З', ['Z']],
  ['К', ['K']],
  ['Л', ['L']],
  ['М', ['M']],
  ['Н', ['N']],
  ['П', ['P']],
  ['Р', ['R']],
  ['С', ['S']],
  ['Т', ['T']],
  ['Х', ['Kh', 'H']],
  ['Ч', ['Ch']],
  ['Ш', ['Sh']],
];
const CYRILLIC_VOWELS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['а', ['a']],
  ['о', ['o']],
  ['у', ['u']],
  ['и', ['y', 'i']],
  ['е', ['e']],
];
const CYRILLIC_SUFFIXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['енко', ['enko']],
  ['ук', ['uk']],
  ['чук', ['chuk']],
  ['ов', ['ov']],
  ['ин', ['in', 'yn']],
];

function cyrillicTail(random: () => number): NameEntry {
  const inner = pick(random, CYRILLIC_ONSETS);
  // A stem of consonant, vowel, consonant (Krav-, Bond-, Tkach-), then the suffix.
  const sounds: Sound[] = [
    pick(random, CYRILLIC_ONSETS),
    pick(random, CYRILLIC_VOWELS),
    [inner[0].toLowerCase(), inner[1].map((x) => x.toLowerCase())],
  ];
  const suffix = pick(random, CYRILLIC_SUFFIXES);
  const native = sounds.map((s) => s[0]).join('') + suffix[0];
  const spellings = new Set<string>();
  const variants = random() < 0.5 ? 2 : 1;
  for (let i = 0; i < variants; i++) {
    spellings.add(
      sounds.map((s) => (i === 0 ? s[1][0]! : pick(random, s[1]))).join('') +
        (i === 0 ? suffix[1][0]! : pick(random, suffix[1])),
    );
  }
  return { native, latin: [...spellings] };
}

const LATIN_INITIALS = ['O', 'N', 'Ka', 'Mu', 'Ba', 'Ko', 'Nd', 'Mb', 'A', 'Se', 'Tu', 'Ki'];
const LATIN_CONSONANTS = [
  'b',
  'd',
  'g',
  'k',
  'l',
  'm',
  'n',
  'ng',
  'ny',
  'r',
  's',
  't',
  'w',
  'y',
  'z',
  'j',
  'ch',
  'sh',
];
const LATIN_VOWELS = ['a', 'e', 'i', 'o', 'u'];

function latinTail(random: () => number): NameEntry {
  let word = pick(random, LATIN_INITIALS);
  const syllables = random() < 0.6 ? 2 : 3;
  for (let i = 0; i < syllables; i++) word += pick(random, LATIN_CONSONANTS) + pick(random, LATIN_VOWELS);
  const spellings = [word];
  // French usage writes the w of an English spelling as ou (Kwame / Kouame).
  if (word.includes('w') && random() < 0.5) spellings.push(word.replace(/w/g, 'ou'));
  return { latin: spellings };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
