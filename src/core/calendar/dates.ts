/**
 * Arithmetic on plain 'YYYY-MM-DD' calendar days. A day is handled as its number of days since
 * 1970-01-01, computed in UTC only so that no time zone or daylight-saving rule can shift it.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a well-formed 'YYYY-MM-DD' string naming a real day (no 2023-02-29). */
export function isValidDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Days since 1970-01-01; throws a RangeError for anything that is not a real 'YYYY-MM-DD' day. */
export function toDayNumber(date: string): number {
  if (!isValidDate(date)) throw new RangeError(`invalid date "${date}", expected YYYY-MM-DD`);
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function firstDayOfMonth(year: number, month: number): string {
  assertMonth(year, month);
  return formatDate(year, month, 1);
}

export function lastDayOfMonth(year: number, month: number): string {
  assertMonth(year, month);
  return formatDate(year, month, daysInMonth(year, month));
}

export function yearOf(date: string): number {
  toDayNumber(date);
  return Number(date.slice(0, 4));
}

/** The ISO 8601 week of a day: the week-year can differ from the calendar year around 1 January. */
export function isoWeek(date: string): { weekYear: number; week: number; monday: string; sunday: string } {
  const day = toDayNumber(date);
  const monday = day - (isoWeekday(date) - 1);
  // The week belongs to the year that holds its Thursday.
  const thursday = fromDayNumber(monday + 3);
  const weekYear = Number(thursday.slice(0, 4));
  const week = Math.floor((monday + 3 - toDayNumber(formatDate(weekYear, 1, 1))) / 7) + 1;
  return { weekYear, week, monday: fromDayNumber(monday), sunday: fromDayNumber(monday + 6) };
}

export function assertMonth(year: number, month: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`invalid year ${year}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`invalid month ${month}`);
}
