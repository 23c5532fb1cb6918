import { fail } from '../errors.js';

// ETSI lists write times as ISO 8601 UTC with whole seconds ("2026-01-31T12:00:00Z", the form
// ETSI TS 119 602 prescribes for its JSON binding). Converted here by calendar arithmetic, not by
// the platform's Date: the core takes no time from the environment, and one accepted spelling per
// instant keeps a list's bytes canonical.
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MAX_SECONDS = 253_402_300_799;

/** Parses `YYYY-MM-DDThh:mm:ssZ` into a NumericDate; anything else (offsets, fractions, leap seconds) is MALFORMED. */
export function parseIsoTime(value: unknown, what: string): number {
  if (typeof value !== 'string') throw fail('MALFORMED', `${what} is not a string`);
  const match = ISO_UTC.exec(value);
  if (!match) throw fail('MALFORMED', `${what} is not an ISO 8601 UTC time (YYYY-MM-DDThh:mm:ssZ)`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw fail('MALFORMED', `${what} is not a valid date and time`);
  }
  return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
}

/** Formats whole NumericDate seconds as `YYYY-MM-DDThh:mm:ssZ`. A fraction or out-of-range value is a caller bug. */
export function formatIsoTime(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
    throw new TypeError('a trust list time is whole seconds between 1970 and 9999');
  }
  const days = Math.floor(seconds / 86_400);
  const rest = seconds - days * 86_400;
  const [year, month, day] = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(rest / 3600), 2)}:${pad(
    Math.floor((rest % 3600) / 60),
    2,
  )}:${pad(rest % 60, 2)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar and back (H. Hinnant's
// "chrono-compatible low-level date algorithms": eras of 400 years, March-based years).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
