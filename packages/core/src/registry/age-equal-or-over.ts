import { calendarDate, compareDates, daysInMonth, isLeapYear, parsePartialDate } from './partial-date.js';
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
  const month = parts.month ?? 12;
  const day = parts.day ?? daysInMonth(parts.year, month);
  let anniversary = { year: parts.year + years, month, day };
  if (month === 2 && day === 29 && !isLeapYear(anniversary.year)) {
    anniversary = { year: anniversary.year, month: 3, day: 1 };
  }
  return compareDates(calendarDate(now, options.offsetMinutes ?? 0), anniversary) >= 0;
}
