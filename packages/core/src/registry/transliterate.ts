/**
 * Names to comparable Latin capitals, for blocking keys and scoring only: what the registry stores
 * and shows is what the person wrote. The tables are ours, chosen for matching (they are not a
 * romanisation standard): they map each letter to the Latin spelling most often seen for it in
 * names, so a name written in Arabic lands near its common Latin spellings.
 */

/**
 * Arabic letters (and the Persian/Urdu ones common in names) → Latin. Short vowels are not written
 * in Arabic; see `transliterateArabic` for how they are supplied. `''` drops the letter.
 */
export const ARABIC_TO_LATIN: Readonly<Record<string, string>> = Object.freeze({
  ا: 'A', // alif: long a
  أ: 'A', // alif with hamza above: a / u at the start (Ahmad, Usama ~ Osama)
  إ: 'I', // alif with hamza below: i (Ibrahim)
  آ: 'A', // alif madda: aa
  ٱ: 'A', // alif wasla
  ء: '', // hamza (glottal stop): not written in Latin names
  ؤ: 'U', // waw with hamza
  ئ: 'I', // ya with hamza (Aisha ~ عائشة)
  ب: 'B',
  ت: 'T',
  ث: 'TH', // also written S or T
  ج: 'J', // G in Egyptian spellings (Gamal)
  ح: 'H',
  خ: 'KH',
  د: 'D',
  ذ: 'DH', // also Z
  ر: 'R',
  ز: 'Z',
  س: 'S',
  ش: 'SH',
  ص: 'S',
  ض: 'D',
  ط: 'T',
  ظ: 'Z',
  ع: 'A', // ayn: no Latin letter; names write the vowel it carries (Ali, Omar, Saad)
  غ: 'GH',
  ف: 'F',
  ق: 'Q', // also K
  ك: 'K',
  ل: 'L',
  م: 'M',
  ن: 'N',
  ه: 'H',
  ة: 'A', // ta marbuta: final -a / -ah
  و: 'W', // consonant w, or long u/o: decided by position below
  ي: 'Y', // consonant y, or long i/e: decided by position below
  ى: 'A', // alif maqsura: final -a (Mustafa, Musa)
  پ: 'P',
  چ: 'CH',
  ژ: 'ZH',
  گ: 'G',
  ک: 'K',
  ی: 'Y',
});

/** Arabic vowel marks (harakat), when a name is written with them. Shadda doubles the consonant. */
const ARABIC_MARKS: Readonly<Record<string, string>> = {
  '\u064E': 'A', // fatha
  '\u064F': 'U', // damma
  '\u0650': 'I', // kasra
  '\u064B': '', // tanween (fathatan, dammatan, kasratan): case endings, not written in names
  '\u064C': '',
  '\u064D': '',
  '\u0652': '', // sukun: no vowel
  '\u0670': 'A', // superscript alif
};
const SHADDA = '\u0651';
const TATWEEL = '\u0640';

/** Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian letters) → Latin, after BGN/PCGN. */
export const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = Object.freeze({
  А: 'A',
  Б: 'B',
  В: 'V',
  Г: 'G',
  Д: 'D',
  Е: 'E',
  Ё: 'E',
  Ж: 'ZH',
  З: 'Z',
  И: 'I',
  Й: 'Y',
  К: 'K',
  Л: 'L',
  М: 'M',
  Н: 'N',
  О: 'O',
  П: 'P',
  Р: 'R',
  С: 'S',
  Т: 'T',
  У: 'U',
  Ф: 'F',
  Х: 'KH',
  Ц: 'TS',
  Ч: 'CH',
  Ш: 'SH',
  Щ: 'SHCH',
  Ъ: '',
  Ы: 'Y',
  Ь: '',
  Э: 'E',
  Ю: 'YU',
  Я: 'YA',
  І: 'I',
  Ї: 'YI',
  Є: 'YE',
  Ґ: 'G',
  Ў: 'U',
  Ђ: 'DJ',
  Ј: 'J',
  Љ: 'LJ',
  Њ: 'NJ',
  Ћ: 'C',
  Џ: 'DZ',
});

/** Latin letters that NFD does not decompose into a base letter and a mark. */
const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  ß: 'SS',
  Æ: 'AE',
  Œ: 'OE',
  Ø: 'O',
  Ł: 'L',
  Đ: 'D',
  Ð: 'D',
  Þ: 'TH',
  Ħ: 'H',
  İ: 'I',
  ı: 'I',
  Ŋ: 'NG',
  ʻ: '',
  ʼ: '',
  ʿ: '', // ayin, in scholarly romanisation ('Abd al-Rahman)
  ʾ: '', // hamza
  '’': '',
  "'": '',
  '`': '',
};

const ARABIC_LETTER = /[\u0600-\u06FF]/;
const CYRILLIC_LETTER = /[\u0400-\u04FF]/;

/** Folds Latin diacritics and ligatures to A–Z capitals: "Ömer Çelik" → "OMER CELIK". */
export function foldLatin(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x300 && code <= 0x36f) continue; // combining marks
    const upper = ch.toUpperCase();
    const special = LATIN_SPECIAL[ch] ?? LATIN_SPECIAL[upper];
    out += special ?? upper;
  }
  return out;
}

/** Cyrillic → Latin capitals with `CYRILLIC_TO_LATIN`; other characters pass through `foldLatin`. */
export function transliterateCyrillic(text: string): string {
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    const mapped = CYRILLIC_TO_LATIN[upper];
    out += mapped ?? foldLatin(ch);
  }
  return out;
}

const isVowel = (s: string) => s === 'A' || s === 'E' || s === 'I' || s === 'O' || s === 'U';

/**
 * Arabic → Latin capitals, in two readings because Arabic script does not write short vowels:
 * `voweled` supplies an A between two consonants (محمد → MAHAMAD, near Mohammed/Muhammad), `bare`
 * supplies none (أحمد → AHMD, near Ahmed). Neither is right for every name, so the matcher keeps
 * both and takes the closer. Waw and ya are consonants (W, Y) at the start of a word or before a
 * vowel, and long vowels (U, I) otherwise. Written vowel marks, when present, are used as written.
 * عبد, "servant of" in compound names, is always ABD.
 */
export function transliterateArabic(text: string): { voweled: string; bare: string } {
  const words = text.replace(new RegExp(TATWEEL, 'g'), '').split(/\s+/).filter(Boolean);
  const voweled: string[] = [];
  const bare: string[] = [];
  for (const word of words) {
    if (!ARABIC_LETTER.test(word)) {
      const folded = foldLatin(word);
      voweled.push(folded);
      bare.push(folded);
      continue;
    }
    if (word === 'عبد') {
      voweled.push('ABD');
      bare.push('ABD');
      continue;
    }
    // Units: each letter's Latin, whether it is a vowel, and whether a mark gave it a vowel.
    const units: Array<{ latin: string; vowel: boolean; marked: boolean }> = [];
    const chars = [...word];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === SHADDA) {
        const last = units[units.length - 1];
        if (last && !last.vowel) units.push({ latin: last.latin, vowel: false, marked: true });
        continue;
      }
      const mark = ARABIC_MARKS[ch];
      if (mark !== undefined) {
        if (mark !== '') units.push({ latin: mark, vowel: true, marked: true });
        else if (units.length > 0) units[units.length - 1]!.marked = true;
        continue;
      }
      let latin = ARABIC_TO_LATIN[ch];
      if (latin === undefined) latin = ARABIC_LETTER.test(ch) ? '' : foldLatin(ch);
      if (latin === '') continue;
      if (ch === 'و' || ch === 'ي' || ch === 'ی') {
        const next = chars[i + 1];
        const nextIsVowel = next !== undefined && /[اأآىة\u064E\u064F\u0650]/.test(next);
        const atStart = units.length === 0;
        if (!atStart && !nextIsVowel) latin = ch === 'و' ? 'U' : 'I';
      }
      units.push({ latin, vowel: isVowel(latin), marked: false });
    }
    let v = '';
    let b = '';
    // The article ال is written joined to its word: no vowel goes between it and the word.
    const article = chars.length > 3 && chars[0] === 'ا' && chars[1] === 'ل' ? 2 : 0;
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!;
      v += unit.latin;
      b += unit.latin;
      const next = units[i + 1];
      // Between two consonants with no written vowel, and not inside a doubled consonant.
      if (
        next &&
        i + 1 !== article &&
        !unit.vowel &&
        !next.vowel &&
        !unit.marked &&
        next.latin !== unit.latin
      )
        v += 'A';
    }
    voweled.push(v);
    bare.push(b);
  }
  return { voweled: voweled.join(' '), bare: bare.join(' ') };
}

/**
 * Every Latin reading of `text` written in `script` (ISO 15924), in capitals: one for Latin and
 * Cyrillic, two for Arabic (see `transliterateArabic`). Text in a script without a table is read
 * by its letters' own script (a Latin name tagged `Arab` is still read as Latin); characters of
 * other scripts are dropped, so such a name does not take part in matching.
 */
export function latinReadings(text: string, script: string): string[] {
  if (script === 'Arab' || ARABIC_LETTER.test(text)) {
    const { voweled, bare } = transliterateArabic(text);
    return voweled === bare ? [voweled] : [voweled, bare];
  }
  if (script === 'Cyrl' || CYRILLIC_LETTER.test(text)) {
    // Г is G in Russian and H in Ukrainian and Belarusian (Olga / Olha, Sergei / Serhiy).
    const g = transliterateCyrillic(text);
    return /[Гг]/.test(text)
      ? [g, transliterateCyrillic(text.replace(/Г/g, 'Х').replace(/г/g, 'х')).replace(/KH/g, 'H')]
      : [g];
  }
  return [foldLatin(text)];
}
