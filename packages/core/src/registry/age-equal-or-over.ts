import {
  calendarDate,
  compareDates,
  type DateParts,
  daysInMonth,
  isLeapYear,
  parsePartialDate,
} from './partial-date.js';
import type { PartialDate } from './person.js';

/**
 * Whether a person born on `dateOfBirth` is at least `years` old at `now` (NumericDate), for
 * `age_equal_or_over` claims. The rule never declares a person older than they might be:
 *
 * - a partial date counts from the latest day it allows: `1990` from 1990-12-31, `1990-02` from
 *   1990-02-28 (29 in a leap year);
 * - an estimated date counts like a stated one of the same precision (the estimate is the best
 *   the registry has; its precision already says how much is unknown);
 * - a person born on 29 February turns N on 1 March in years without one (the later of the
 *   two customary readings);
 * - the day is the calendar day at `offsetMinutes` from UTC (the jurisdiction's time zone), so
 *   the birthday begins at local midnight, not at UTC midnight.
 *
 * A malformed date or age is the caller's bug (TypeError): records are validated at enrolment.
 */
export function ageEqualOrOver(
  dateOfBirth: PartialDate | string,
  years: number,
  now: number,
  options: { offsetMinutes?: number } = {},
): boolean {
  const value = typeof dateOfBirth === 'string' ? dateOfBirth : dateOfBirth?.value;
  const parts = parsePartialDate(value as string);
  if (!parts) throw new TypeError('dateOfBirth must be YYYY, YYYY-MM or YYYY-MM-DD');
  if (!Number.isSafeInteger(years) || years < 0) throw new TypeError('years must be an integer >= 0');
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('now must be a NumericDate');
  return compareDates(calendarDate(now, options.offsetMinutes ?? 0), anniversary(parts, years)) >= 0;
}

/**
 * The first instant (NumericDate) at which `ageEqualOrOver(dateOfBirth, years, t)` holds: local
 * midnight (at `offsetMinutes`) of the latest anniversary the date allows, by the same rule. For a
 * guardian credential this is the child's majority, the credential's last possible moment: a
 * partial date never lets it outlive the youngest the child may be.
 */
export function ageReachedAt(
  dateOfBirth: PartialDate | string,
  years: number,
  options: { offsetMinutes?: number } = {},
): number {
  const value = typeof dateOfBirth === 'string' ? dateOfBirth : dateOfBirth?.value;
  const parts = parsePartialDate(value as string);
  if (!parts) throw new TypeError('dateOfBirth must be YYYY, YYYY-MM or YYYY-MM-DD');
  if (!Number.isSafeInteger(years) || years < 0) throw new TypeError('years must be an integer >= 0');
  const date = anniversary(parts, years);
  return daysFromCivil(date.year, date.month, date.day) * 86_400 - (options.offsetMinutes ?? 0) * 60;
}

function anniversary(parts: DateParts, years: number): { year: number; month: number; day: number } {
  const month = parts.month ?? 12;
  const day = parts.day ?? daysInMonth(parts.year, month);
  const year = parts.year + years;
  if (month === 2 && day === 29 && !isLeapYear(year)) return { year, month: 3, day: 1 };
  return { year, month, day };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
