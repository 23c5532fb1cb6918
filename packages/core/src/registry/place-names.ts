import { latinReadings } from './transliterate.js';

/**
 * A small gazetteer: places whose names in use differ by more than spelling, so that neither
 * Jaro-Winkler nor a phonetic code can tell they are one place. Exonyms and endonyms (Aleppo /
 * Halab), older official names (Leopoldville / Kinshasa), Russian and Ukrainian forms (Kharkov /
 * Kharkiv). Spelling variants of one name (Basra / Basrah) need no entry: the matcher compares
 * place names as it compares personal names. A deployment extends the list with its own country's
 * places, as a gazetteer such as GeoNames' alternate names lists them.
 */
const GROUPS: ReadonlyArray<readonly string[]> = [
  // Syria
  ['Damascus', 'Dimashq', 'Al-Sham'],
  ['Aleppo', 'Halab'],
  ['Homs', 'Hims'],
  ['Latakia', 'Al-Ladhiqiyah'],
  ['Deir ez-Zor', 'Dayr az-Zawr'],
  // Iraq
  ['Erbil', 'Arbil', 'Hawler'],
  ['Sulaymaniyah', 'Slemani'],
  ['Mosul', 'Al-Mawsil'],
  // Yemen
  ['Hodeidah', 'Al Hudaydah'],
  ['Aden', 'Adan'],
  ['Mukalla', 'Al Mukalla'],
  // Palestine, Jordan, Lebanon, Egypt
  ['Hebron', 'Al-Khalil'],
  ['Gaza', 'Ghazzah'],
  ['Jerusalem', 'Al-Quds'],
  ['Beirut', 'Bayrut'],
  ['Tripoli', 'Tarabulus'],
  ['Cairo', 'Al-Qahirah'],
  ['Alexandria', 'Al-Iskandariyah'],
  // Sudan
  ['Khartoum', 'Al-Khartum'],
  ['Omdurman', 'Umm Durman'],
  ['El Fasher', 'Al Fashir'],
  // Mali
  ['Timbuktu', 'Tombouctou'],
  // DR Congo
  ['Kinshasa', 'Leopoldville'],
  ['Lubumbashi', 'Elisabethville'],
  ['Kisangani', 'Stanleyville'],
  // Ukraine
  ['Kyiv', 'Kiev'],
  ['Kharkiv', 'Kharkov'],
  ['Odesa', 'Odessa'],
  ['Lviv', 'Lvov', 'Lwow'],
  ['Dnipro', 'Dnepropetrovsk', 'Dnipropetrovsk'],
  ['Mykolaiv', 'Nikolaev'],
  ['Chernihiv', 'Chernigov'],
];

function normal(name: string): string {
  return (latinReadings(name, 'Latn')[0] ?? '').replace(/[^A-Z]/g, '');
}

const NONE: readonly string[] = Object.freeze([]);
const ALIASES = new Map<string, readonly string[]>();
for (const group of GROUPS) {
  const names = group.map(normal);
  for (const name of names) ALIASES.set(name, Object.freeze(names.filter((other) => other !== name)));
}

/** The gazetteer's other names for a place, given its name as the matcher writes it (capital A–Z). */
export function placeAliases(name: string): readonly string[] {
  return ALIASES.get(name) ?? NONE;
}
