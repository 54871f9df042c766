/**
 * Reporting periods of a work item, from which the dispatch rules derive the reports they expect.
 * A period keeps its full calendar bounds (a whole week, month, quarter or year) even when the item
 * covers only part of it, so one key names the same period for every item.
 */
import type { Cadence } from '../../modules/plans/domain/types';
import { firstDayOfMonth, formatDate, isoWeek, lastDayOfMonth, addDays, toDayNumber } from './dates';
import type { WorkCalendar } from './working-days';

/** One monthly dispatch cycle (调度周期): the month it covers and the day its reports are due. */
export interface DispatchCycle {
  /** 'YYYY-MM' */
  period: string;
  /** 'YYYY-MM-DD' */
  reportDue: string;
}

export interface ReportingPeriod {
  /** 'YYYY-Www' (ISO week), 'YYYY-MM', 'YYYY-Qn' or 'YYYY'. */
  key: string;
  start: string;
  end: string;
  due: string;
}

export interface PeriodsInput {
  cadence: Cadence;
  /** First day of the item, inclusive. */
  startDate: string;
  /** Last day of the item, inclusive. */
  endDate: string;
  cycles: readonly DispatchCycle[];
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * The reporting periods overlapping [startDate, endDate], in date order.
 *
 * - weekly: ISO weeks (Monday–Sunday), due on the week's last working day; a week without any
 *   working day (春节 2026) is due on the first working day after it, so no week goes unreported.
 * - monthly, once, ongoing: one per dispatch cycle, due on the cycle's `reportDue`.
 * - quarterly: one per quarter, due on the `reportDue` of the quarter's last month's cycle.
 * - annual: one per calendar year, due on the `reportDue` of that year's December cycle.
 *
 * Cycles drive every cadence but weekly: a month, quarter or year whose (closing) cycle does not
 * exist yet yields no period, because no report can be expected before its cycle is opened.
 * `calendar` is only consulted for weekly due dates.
 */
export function periodsFor(input: PeriodsInput, calendar: WorkCalendar): ReportingPeriod[] {
  const from = toDayNumber(input.startDate);
  const to = toDayNumber(input.endDate);
  if (to < from) throw new RangeError(`endDate ${input.endDate} is before startDate ${input.startDate}`);
  const overlaps = (p: { start: string; end: string }) =>
    toDayNumber(p.start) <= to && toDayNumber(p.end) >= from;

  if (input.cadence === 'weekly') return weeks(input.startDate, input.endDate, calendar);

  const cycles = monthlyPeriods(input.cycles);
  switch (input.cadence) {
    case 'monthly':
    case 'once':
    case 'ongoing':
      return cycles.filter(overlaps);
    case 'quarterly':
      return groupCycles(
        cycles,
        (year, month) => (month % 3 === 0 ? `${year}-Q${month / 3}` : null),
        3,
      ).filter(overlaps);
    case 'annual':
      return groupCycles(cycles, (year, month) => (month === 12 ? String(year) : null), 12).filter(overlaps);
  }
}

function weeks(startDate: string, endDate: string, calendar: WorkCalendar): ReportingPeriod[] {
  const result: ReportingPeriod[] = [];
  const last = toDayNumber(endDate);
  for (let monday = isoWeek(startDate).monday; toDayNumber(monday) <= last; monday = addDays(monday, 7)) {
    const { weekYear, week, sunday } = isoWeek(monday);
    const lastWorking = calendar.workingDayOnOrBefore(sunday);
    const due =
      toDayNumber(lastWorking) >= toDayNumber(monday) ? lastWorking : calendar.nextWorkingDay(sunday);
    result.push({ key: `${weekYear}-W${String(week).padStart(2, '0')}`, start: monday, end: sunday, due });
  }
  return result;
}

/** The cycles as month periods, sorted; malformed or repeated cycles are rejected. */
function monthlyPeriods(cycles: readonly DispatchCycle[]): ReportingPeriod[] {
  const seen = new Set<string>();
  return cycles
    .map((c) => {
      const m = PERIOD.exec(c.period);
      if (!m) throw new RangeError(`invalid cycle period "${c.period}", expected YYYY-MM`);
      if (seen.has(c.period)) throw new RangeError(`cycle ${c.period} is listed twice`);
      seen.add(c.period);
      toDayNumber(c.reportDue);
      const [year, month] = [Number(m[1]), Number(m[2])];
      return {
        key: c.period,
        start: firstDayOfMonth(year, month),
        end: lastDayOfMonth(year, month),
        due: c.reportDue,
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * Periods spanning `months` months, one for each closing-month cycle that `keyOf` names; the
 * period runs from the first day `months - 1` months earlier to the closing month's last day.
 */
function groupCycles(
  cycles: ReportingPeriod[],
  keyOf: (year: number, month: number) => string | null,
  months: number,
): ReportingPeriod[] {
  const result: ReportingPeriod[] = [];
  for (const c of cycles) {
    const [year, month] = c.key.split('-').map(Number);
    const key = keyOf(year, month);
    if (key === null) continue;
    result.push({ key, start: formatDate(year, month - months + 1, 1), end: c.end, due: c.due });
  }
  return result;
}
