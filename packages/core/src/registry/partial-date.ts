/** A partial date split into numbers; `month` and `day` are absent at lower precision. */
export interface DateParts {
  year: number;
  month?: number;
  day?: number;
  estimated: boolean;
}

const FORMAT = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar date, proleptic Gregorian); undefined
 * for anything else, including 2023-02-29 and year 0000.
 */
export function parsePartialDate(value: string, estimated = false): DateParts | undefined {
  if (typeof value !== 'string') return undefined;
  const match = FORMAT.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 1) return undefined;
  if (match[2] === undefined) return { year, estimated };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  if (match[3] === undefined) return { year, month, estimated };
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day, estimated };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The UTC calendar date of a NumericDate, shifted by `offsetMinutes` (the jurisdiction's local time). */
export function calendarDate(now: number, offsetMinutes = 0): { year: number; month: number; day: number } {
  // Days since 1970-01-01, then the civil-from-days algorithm (H. Hinnant, "chrono-Compatible
  // Low-Level Date Algorithms"): no Date object in the core, and exact for any year.
  const days = Math.floor((now + offsetMinutes * 60) / 86400);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Compares two calendar dates: negative, zero or positive. */
export function compareDates(
  a: { year: number; month: number; day: number },
  b: { year: number; month: number; day: number },
): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
