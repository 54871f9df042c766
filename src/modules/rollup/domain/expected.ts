/**
 * 序时进度: how far an item should have got by a given day. Linear in working days by default; an item's
 * monthly milestones (月度节点), when it has any, replace the line with a step function.
 */
import { addDays, isValidDate, lastDayOfMonth } from '../../../core/calendar/dates';
import type { WorkCalendar } from '../../../core/calendar/working-days';
import { round2 } from './types';

/** "By the end of `month` the item should be at `percent`." */
export interface Milestone {
  /** 'YYYY-MM' */
  month: string;
  /** 0..100 */
  percent: number;
}

export interface ExpectedInput {
  /** First day of the item, inclusive. */
  startDate: string;
  /** 完成时限 in force (after any approved extension), inclusive. */
  deadline: string;
  milestones?: readonly Milestone[];
  /** Asia/Shanghai calendar day 'YYYY-MM-DD'. */
  today: string;
  calendar: WorkCalendar;
}

/**
 * - before_start: today is before the start, 0;
 * - after_deadline: today is the deadline or later, 100;
 * - linear: working days elapsed / working days of the item;
 * - milestone: the percent of `milestone`, the latest one whose month has ended (0 when none has, milestone null).
 */
export type ExpectedBasis = 'before_start' | 'after_deadline' | 'linear' | 'milestone';

export interface ExpectedProgress {
  /** 0..100, two decimals. */
  percent: number;
  basis: ExpectedBasis;
  milestone: Milestone | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function assertMilestone(m: Milestone): void {
  if (!MONTH.test(m.month)) throw new RangeError(`invalid milestone month "${m.month}", expected YYYY-MM`);
  if (!Number.isFinite(m.percent) || m.percent < 0 || m.percent > 100) {
    throw new RangeError(`milestone ${m.month}: percent must be within 0..100, got ${m.percent}`);
  }
}

function monthEnd(month: string): string {
  return lastDayOfMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
}

/**
 * Expected progress on `today`.
 *
 * Linear: working days in [startDate, today] ÷ working days in [startDate, deadline], both ends counted, so
 * a day's work is expected once the day is over and the last working day before the deadline already reads
 * 100 (a deadline on a holiday has no working time of its own). An item without any working day in its span
 * expects 0 until the deadline.
 *
 * Milestones: a step function. On `today` the expected value is the percent of the latest milestone whose
 * month has ended on or before today (its last calendar day ≤ today), 0 before the first one has ended.
 * Steps rather than interpolation because milestones are checked at the monthly dispatch, after the month.
 * The deadline still wins: 100 from the deadline on, whatever the milestones say.
 */
export function expectedProgress(input: ExpectedInput): ExpectedProgress {
  const { startDate, deadline, today, calendar } = input;
  for (const d of [startDate, deadline, today]) {
    if (!isValidDate(d)) throw new RangeError(`invalid date "${d}", expected YYYY-MM-DD`);
  }
  if (deadline < startDate) throw new RangeError(`deadline ${deadline} is before start ${startDate}`);
  const milestones = input.milestones ?? [];
  milestones.forEach(assertMilestone);

  if (today < startDate) return { percent: 0, basis: 'before_start', milestone: null };
  if (today >= deadline) return { percent: 100, basis: 'after_deadline', milestone: null };

  if (milestones.length > 0) {
    let latest: Milestone | null = null;
    for (const m of milestones) {
      if (monthEnd(m.month) <= today && (latest === null || m.month >= latest.month)) latest = m;
    }
    return { percent: latest === null ? 0 : round2(latest.percent), basis: 'milestone', milestone: latest };
  }

  const dayBefore = addDays(startDate, -1);
  const total = calendar.workingDaysBetween(dayBefore, deadline);
  const elapsed = calendar.workingDaysBetween(dayBefore, today);
  const percent = total === 0 ? 0 : round2((elapsed / total) * 100);
  return { percent, basis: 'linear', milestone: null };
}
