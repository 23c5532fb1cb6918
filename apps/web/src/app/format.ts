import { useTranslation } from 'react-i18next';

/** Dates and times in the interface language; the server speaks NumericDate seconds. */
export function useFormat() {
  const { i18n, t } = useTranslation('common');
  const language = i18n.resolvedLanguage ?? i18n.language;
  return {
    dateTime: (seconds: number) =>
      new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(seconds * 1000),
    date: (seconds: number) =>
      new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(seconds * 1000),
    yesNo: (value: boolean) => (value ? t('yes') : t('no')),
    country: (code: string) => countryName(code, language, t('demoCountry')),
  };
}

/** ISO 3166-1 alpha-2 codes; `XA` is the demo jurisdiction (a user-assigned code). */
export const COUNTRY_CODES = (
  'XA AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY ' +
  'BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM ' +
  'JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ' +
  'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE ' +
  'RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT ' +
  'TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const displayNames = new Map<string, Intl.DisplayNames>();

export function countryName(code: string, language: string, demoName: string): string {
  if (code === 'XA') return demoName;
  let names = displayNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' });
    displayNames.set(language, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Countries for a select, sorted by their name in the interface language (the demo country first). */
export function useCountryOptions(emptyLabel: string) {
  const { i18n, t } = useTranslation('common');
  const language = i18n.resolvedLanguage ?? i18n.language;
  const collator = new Intl.Collator(language);
  const rest = COUNTRY_CODES.slice(1)
    .map((code) => ({ value: code, label: countryName(code, language, code) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  return [{ value: '', label: emptyLabel }, { value: 'XA', label: t('demoCountry') }, ...rest];
}
