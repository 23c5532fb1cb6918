import type { JsonValue } from '@trieste/core';
import type { TFunction } from 'i18next';
import type { CredentialDisplay, DisplayName } from './lib/wallet-db';

/** The issuer's name for the holder's language: exact locale, then its base language. */
export function localName(names: readonly DisplayName[], language: string): string | undefined {
  const base = language.toLowerCase().split('-')[0];
  return (
    names.find((n) => n.locale?.toLowerCase() === language.toLowerCase())?.name ??
    names.find((n) => n.locale?.toLowerCase().split('-')[0] === base)?.name
  );
}

/** Any name: English first (the metadata's usual default), else the first given. */
function anyName(names: readonly DisplayName[]): string | undefined {
  return localName(names, 'en') ?? names.find((n) => n.locale === undefined)?.name ?? names[0]?.name;
}

export function issuerName(display: CredentialDisplay, issuer: string, language: string): string {
  return localName(display.issuer, language) ?? anyName(display.issuer) ?? hostOf(issuer);
}

export function credentialName(display: CredentialDisplay, vct: string, language: string): string {
  return localName(display.credential, language) ?? anyName(display.credential) ?? vct;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const KNOWN = new Set([
  'given_name',
  'family_name',
  'birthdate',
  'nationality',
  'nationalities',
  'personal_identifier',
  'place_of_birth',
  'address',
  'street_address',
  'locality',
  'region',
  'postal_code',
  'country',
  'sex',
]);

function metadataMatch(display: CredentialDisplay, path: ReadonlyArray<string | number>) {
  return display.claims.find(
    (claim) =>
      claim.path.length === path.length &&
      claim.path.every((step, i) => step === path[i] || (step === null && typeof path[i] === 'number')),
  );
}

/**
 * A claim's label in the holder's language: the issuer's label in that language, then the wallet's
 * own label for a claim it knows (wallet.json `claims`), then the issuer's label in any language,
 * then the path itself.
 */
export function claimLabel(
  display: CredentialDisplay | undefined,
  path: ReadonlyArray<string | number>,
  t: TFunction,
  language: string,
): string {
  const entry = display ? metadataMatch(display, path) : undefined;
  const local = entry ? localName(entry.display, language) : undefined;
  if (local) return local;
  const own = ownLabel(path, t);
  if (own) return own;
  const other = entry ? anyName(entry.display) : undefined;
  return other ?? path.map(String).join(' › ');
}

function ownLabel(path: ReadonlyArray<string | number>, t: TFunction): string | undefined {
  const [first, second] = path;
  if (first === 'age_equal_or_over' && path.length === 2 && second !== undefined)
    return t('claims.age_equal_or_over', { ns: 'wallet', age: String(second) });
  const parts: string[] = [];
  for (const step of path) {
    if (typeof step === 'number') parts.push(String(step + 1));
    else if (KNOWN.has(step)) parts.push(t(`claims.${step}`, { ns: 'wallet' }));
    else return undefined;
  }
  return parts.join(' › ');
}

/** A claim value as text: yes/no for booleans, nested values as "label: value" pairs. */
export function formatValue(value: JsonValue, t: TFunction, language: string, depth = 0): string {
  if (value === true) return t('value.yes', { ns: 'wallet' });
  if (value === false) return t('value.no', { ns: 'wallet' });
  if (value === null || value === '') return t('value.empty', { ns: 'wallet' });
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Intl.NumberFormat(language).format(value);
  if (depth > 4) return '…';
  if (Array.isArray(value)) return value.map((v) => formatValue(v, t, language, depth + 1)).join(', ');
  return Object.entries(value)
    .map(([key, v]) => `${ownLabel([key], t) ?? key}: ${formatValue(v, t, language, depth + 1)}`)
    .join('; ');
}

/**
 * The claims of a credential as rows: one per top-level claim, age thresholds one per age, in the
 * order the issuer's metadata lists them (claims it does not list come last, as they came).
 */
export function claimRows(
  claims: Record<string, JsonValue>,
  display?: CredentialDisplay,
): Array<{ path: Array<string | number>; value: JsonValue }> {
  const rows: Array<{ path: Array<string | number>; value: JsonValue }> = [];
  for (const [name, value] of Object.entries(claims)) {
    if (
      name === 'age_equal_or_over' &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value)
    ) {
      for (const [age, v] of Object.entries(value)) rows.push({ path: [name, age], value: v });
    } else {
      rows.push({ path: [name], value });
    }
  }
  if (!display) return rows;
  const rank = (path: ReadonlyArray<string | number>) => {
    const index = display.claims.findIndex(
      (claim) =>
        claim.path.length === path.length &&
        claim.path.every((step, i) => step === path[i] || (step === null && typeof path[i] === 'number')),
    );
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  // Array.prototype.sort is stable: unlisted claims keep their order.
  return rows.sort((a, b) => rank(a.path) - rank(b.path));
}

export function formatTime(seconds: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(seconds * 1000),
  );
}

export function formatDate(seconds: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(new Date(seconds * 1000));
}
