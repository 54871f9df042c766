/**
 * Working days (工作日) of the mainland China official calendar: Monday to Friday, minus the
 * public holidays, plus the weekend days that the State Council's annual notice turns into working
 * days (调休上班). Dates are plain 'YYYY-MM-DD' strings (Asia/Shanghai calendar days).
 *
 * Outside the years the data covers only the weekday rule applies, so results there ignore any
 * holiday: callers that must be exact check `hasYear` first.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import {
  addDays,
  assertMonth,
  daysInMonth,
  formatDate,
  fromDayNumber,
  isValidDate,
  isWeekend,
  toDayNumber,
} from './dates';

export interface WorkCalendarData {
  /** Days off, weekend days inside a holiday block included. */
  holidays: readonly string[];
  /** Weekend days that are working days (调休). */
  makeUpWorkdays: readonly string[];
  /**
   * Years whose schedule the data holds. When omitted, the years of the listed dates are taken;
   * give it explicitly when a block reaches into a neighbouring year (元旦 2024 starts 2023-12-30).
   */
  years?: readonly number[];
}

export class WorkCalendar {
  private readonly holidays: ReadonlySet<string>;
  private readonly makeUpWorkdays: ReadonlySet<string>;
  /** Sorted ascending. */
  readonly years: readonly number[];

  constructor(data: WorkCalendarData) {
    for (const d of [...data.holidays, ...data.makeUpWorkdays]) toDayNumber(d);
    this.holidays = new Set(data.holidays);
    this.makeUpWorkdays = new Set(data.makeUpWorkdays);
    for (const d of this.makeUpWorkdays) {
      if (this.holidays.has(d)) throw new RangeError(`${d} is both a holiday and a make-up workday`);
    }
    const years = data.years ?? [...this.holidays, ...this.makeUpWorkdays].map((d) => Number(d.slice(0, 4)));
    this.years = [...new Set(years)].sort((a, b) => a - b);
  }

  /** Whether the holiday schedule of `year` is known; outside it only weekends are days off. */
  hasYear(year: number): boolean {
    return this.years.includes(year);
  }

  isWorkingDay(date: string): boolean {
    toDayNumber(date);
    if (this.holidays.has(date)) return false;
    if (this.makeUpWorkdays.has(date)) return true;
    return !isWeekend(date);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    let d = addDays(date, 1);
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): string {
    let d = addDays(date, -1);
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /** `date` itself when it is a working day, else the next one (a deadline on a day off moves forward). */
  workingDayOnOrAfter(date: string): string {
    return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
  }

  /** `date` itself when it is a working day, else the previous one. */
  workingDayOnOrBefore(date: string): string {
    return this.isWorkingDay(date) ? date : this.previousWorkingDay(date);
  }

  /**
   * Moves by working days: n > 0 gives the n-th working day after `date` (not counting `date`),
   * n < 0 the |n|-th working day before it. n = 0 gives `date` when it is a working day, else
   * the next working day, the same roll-forward as `workingDayOnOrAfter`.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`working-day offset must be an integer, got ${n}`);
    if (n === 0) return this.workingDayOnOrAfter(date);
    let d = date;
    for (let i = 0; i < Math.abs(n); i++) d = n > 0 ? this.nextWorkingDay(d) : this.previousWorkingDay(d);
    return d;
  }

  /**
   * Working days in (from, to]: `from` excluded, `to` included, so Monday → Wednesday of an ordinary
   * week is 2 and a day to itself is 0. When to < from the result is minus the count in (to, from],
   * which makes it antisymmetric and reads as "working days overdue" for a past deadline.
   * For n > 0, workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(from: string, to: string): number {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    if (b < a) return -this.workingDaysBetween(to, from);
    // Working days up to and including each day, per year, built once: the reminder scan and the
    // roll-up explain this for every item, and a day-by-day walk made the calendar their hot spot.
    const ya = Number(from.slice(0, 4));
    const yb = Number(to.slice(0, 4));
    let count = this.upTo(yb, b) - this.upTo(ya, a);
    for (let y = ya; y < yb; y++) count += this.yearCounts(y).total;
    return count;
  }

  private readonly counts = new Map<number, { first: number; cumulative: Uint16Array; total: number }>();

  /** Working days from 1 January of `year` up to and including `day` (a day number within that year). */
  private upTo(year: number, day: number): number {
    const c = this.yearCounts(year);
    return c.cumulative[day - c.first];
  }

  private yearCounts(year: number) {
    let c = this.counts.get(year);
    if (!c) {
      const first = toDayNumber(formatDate(year, 1, 1));
      const days = toDayNumber(formatDate(year, 12, 31)) - first + 1;
      const cumulative = new Uint16Array(days);
      let n = 0;
      for (let i = 0; i < days; i++) {
        const date = fromDayNumber(first + i);
        if (this.holidays.has(date) ? false : this.makeUpWorkdays.has(date) ? true : !isWeekend(date)) n++;
        cumulative[i] = n;
      }
      c = { first, cumulative, total: n };
      this.counts.set(year, c);
    }
    return c;
  }

  /** All working days of a month in order (month 1–12). */
  workingDaysOfMonth(year: number, month: number): string[] {
    assertMonth(year, month);
    const days: string[] = [];
    for (let day = 1; day <= daysInMonth(year, month); day++) {
      const d = formatDate(year, month, day);
      if (this.isWorkingDay(d)) days.push(d);
    }
    return days;
  }

  /**
   * The n-th working day of a month: n = 1 is the first, n = -1 the last, n = -2 the one before it.
   * Throws a RangeError for n = 0 or when the month has fewer than |n| working days, rather than
   * spilling into a neighbouring month.
   */
  nthWorkingDayOfMonth(year: number, month: number, n: number): string {
    if (!Number.isInteger(n) || n === 0) throw new RangeError(`n must be a non-zero integer, got ${n}`);
    const days = this.workingDaysOfMonth(year, month);
    const picked = n > 0 ? days[n - 1] : days[days.length + n];
    if (picked === undefined) {
      throw new RangeError(`${formatDate(year, month, 1).slice(0, 7)} has only ${days.length} working days`);
    }
    return picked;
  }

  lastWorkingDayOfMonth(year: number, month: number): string {
    return this.nthWorkingDayOfMonth(year, month, -1);
  }

  /**
   * The working day n working days before the month's last working day ("月末前n个工作日"), i.e.
   * addWorkingDays(lastWorkingDayOfMonth, -n): n = 0 is the last working day itself, n = 3 leaves
   * three working days between the result (exclusive) and the last working day (inclusive).
   * For "the 3rd working day counting back, the last being the 1st" use nthWorkingDayOfMonth(y, m, -3).
   * Throws a RangeError when the result would fall in the previous month.
   */
  workingDaysBeforeMonthEnd(year: number, month: number, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    return this.nthWorkingDayOfMonth(year, month, -(n + 1));
  }
}

/** One named block of days off, as the State Council notice lists it. */
export interface HolidayGroup {
  name: string;
  dates: string[];
}

export interface MakeUpWorkday {
  name: string;
  date: string;
}

export interface CalendarYear {
  year: number;
  holidays: HolidayGroup[];
  makeUpWorkdays: MakeUpWorkday[];
}

/**
 * Parses the `years:` document of seeds/data/calendar.yaml into its years, sorted ascending.
 * Throws an Error naming the offending entry (e.g. `years.2022.holidays[1] (春节)`).
 * Unquoted dates, which js-yaml reads as Date objects at UTC midnight, are accepted too.
 */
export function parseCalendarYaml(text: string): CalendarYear[] {
  const doc: unknown = load(text);
  if (!isRecord(doc) || !isRecord(doc.years))
    throw new Error('calendar: expected a top-level "years" mapping');
  const result: CalendarYear[] = [];
  for (const [key, value] of Object.entries(doc.years)) {
    const where = `years.${key}`;
    if (!/^\d{4}$/.test(key)) throw new Error(`calendar: ${where}: year must be four digits`);
    const year = Number(key);
    if (!isRecord(value)) throw new Error(`calendar: ${where}: expected holidays and makeUpWorkdays`);
    const holidays = list(value.holidays, `${where}.holidays`).map((entry, i): HolidayGroup => {
      const at = `${where}.holidays[${i}]`;
      const name = entryName(entry, at);
      const label = `${at} (${name})`;
      if (!isRecord(entry) || !Array.isArray(entry.dates) || entry.dates.length === 0) {
        throw new Error(`calendar: ${label}: expected a non-empty "dates" list`);
      }
      return { name, dates: entry.dates.map((d: unknown) => entryDate(d, year, label)) };
    });
    const makeUpWorkdays = list(value.makeUpWorkdays, `${where}.makeUpWorkdays`).map(
      (entry, i): MakeUpWorkday => {
        const at = `${where}.makeUpWorkdays[${i}]`;
        const name = entryName(entry, at);
        const label = `${at} (${name})`;
        const date = entryDate(isRecord(entry) ? entry.date : undefined, year, label);
        if (!isWeekend(date)) throw new Error(`calendar: ${label}: ${date} is not a Saturday or Sunday`);
        return { name, date };
      },
    );
    result.push({ year, holidays, makeUpWorkdays });
  }
  const off = new Map<string, string>();
  for (const y of result)
    for (const g of y.holidays) for (const d of g.dates) off.set(d, `${y.year} ${g.name}`);
  for (const y of result) {
    for (const w of y.makeUpWorkdays) {
      const clash = off.get(w.date);
      if (clash) throw new Error(`calendar: ${y.year} ${w.name} ${w.date} is also a holiday (${clash})`);
    }
  }
  return result.sort((a, b) => a.year - b.year);
}

/** A calendar from stored day rows (table calendar_days): `year` is the notice the day belongs to. */
export function calendarFromDays(
  rows: readonly { date: string; year: number; kind: string }[],
): WorkCalendar {
  return new WorkCalendar({
    holidays: rows.filter((r) => r.kind === 'holiday').map((r) => r.date),
    makeUpWorkdays: rows.filter((r) => r.kind === 'workday').map((r) => r.date),
    years: [...new Set(rows.map((r) => r.year))],
  });
}

/**
 * An organization's effective calendar: the national days (calendar_days) with the organization's
 * own exceptions laid over them, a local day replacing the national entry of the same date (a local
 * workday on a national holiday, a local holiday on a working day). The years whose schedule is known
 * stay the national notices'.
 */
export function overlayCalendar(
  national: readonly { date: string; year: number; kind: string }[],
  local: readonly { date: string; kind: string }[],
): WorkCalendar {
  const kinds = new Map(national.map((r) => [r.date, r.kind]));
  for (const r of local) kinds.set(r.date, r.kind);
  const days = [...kinds];
  return new WorkCalendar({
    holidays: days.filter(([, k]) => k === 'holiday').map(([d]) => d),
    makeUpWorkdays: days.filter(([, k]) => k === 'workday').map(([d]) => d),
    years: [...new Set(national.map((r) => r.year))],
  });
}

/** The YAML calendar flattened for `new WorkCalendar(...)`; `years` are the document's year keys. */
export function loadCalendarYaml(text: string): WorkCalendarData {
  const years = parseCalendarYaml(text);
  return {
    years: years.map((y) => y.year),
    holidays: years.flatMap((y) => y.holidays.flatMap((g) => g.dates)),
    makeUpWorkdays: years.flatMap((y) => y.makeUpWorkdays.map((w) => w.date)),
  };
}

/** Reads a calendar YAML file (e.g. seeds/data/calendar.yaml); the caller resolves the path. */
export function loadCalendarFile(path: string): WorkCalendar {
  return new WorkCalendar(loadCalendarYaml(readFileSync(path, 'utf8')));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function list(value: unknown, where: string): unknown[] {
  // An empty section is legal (a year with no make-up workday), YAML gives null for it.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`calendar: ${where}: expected a list`);
  return value;
}

function entryName(entry: unknown, where: string): string {
  if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.trim() === '') {
    throw new Error(`calendar: ${where}: expected a "name"`);
  }
  return entry.name;
}

function entryDate(value: unknown, year: number, where: string): string {
  const date = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof date !== 'string' || !isValidDate(date)) {
    throw new Error(`calendar: ${where}: invalid date ${JSON.stringify(value)}, expected "YYYY-MM-DD"`);
  }
  // A notice's block may reach into the neighbouring year (元旦), never further.
  const y = Number(date.slice(0, 4));
  if (Math.abs(y - year) > 1) throw new Error(`calendar: ${where}: ${date} is not near ${year}`);
  return date;
}
