/**
 * 红黄绿灯 of one item, with the reasons behind it for the "explain" view. Working-day figures in the reasons
 * come from the WorkCalendar, so holidays and 调休 working weekends are counted the official way.
 */
import { isValidDate } from '../../../core/calendar/dates';
import type { WorkCalendar } from '../../../core/calendar/working-days';
import type { ItemStatus } from '../../plans/domain/types';
import type { ExpectedProgress } from './expected';
import type { Light, LightThresholds, ReportStatus } from './types';
import { DEFAULT_LIGHT_THRESHOLDS, LIGHT_SEVERITY, formatNumber, round2, withDefaults } from './types';

export type LightReasonCode =
  | 'cancelled'
  | 'suspended'
  | 'closed'
  | 'overdue'
  | 'missing_report'
  | 'behind_schedule'
  | 'near_deadline'
  | 'on_track';

export interface LightReason {
  code: LightReasonCode;
  /** The colour this reason leads to; null for the reasons an item gets no light at all. */
  light: Light | null;
  /** Chinese, for the explain view. */
  text: string;
}

export interface ItemLight {
  /** null: the item is cancelled or suspended, has no light and is left out of every roll-up. */
  light: Light | null;
  /** Every rule that fired, worst first; a single explanatory reason when nothing is wrong. */
  reasons: LightReason[];
  /** Working days past the deadline, in (deadline, today]; null when the item is not overdue. */
  overdueWorkdays: number | null;
  /** Working days left after today up to the deadline, in (today, deadline]; null once it has passed. */
  workdaysLeft: number | null;
}

export interface LightInput {
  status: ItemStatus;
  /** 完成时限 in force (after any approved extension). */
  deadline: string;
  /** 完成率, 0..100 (itemCompletion). */
  completion: number;
  /** 序时进度 (expectedProgress). */
  expected: ExpectedProgress;
  /** The reports the item owes so far (expectedReports). */
  reports: readonly ReportStatus[];
  /** Asia/Shanghai calendar day 'YYYY-MM-DD'. */
  today: string;
  calendar: WorkCalendar;
  thresholds?: Partial<LightThresholds>;
}

/** Statuses that take no part in lights and roll-ups: nothing is being asked of such an item right now. */
export function isExcluded(status: ItemStatus): boolean {
  return status === 'cancelled' || status === 'suspended';
}

/**
 * 逾期: the deadline is before today and the item is neither closed nor cancelled nor suspended. The same
 * calendar-day test as the item list's "overdue" filter, so both screens agree; how long it has been overdue
 * is then counted in working days.
 */
export function isOverdue(status: ItemStatus, deadline: string, today: string): boolean {
  return deadline < today && status !== 'closed' && !isExcluded(status);
}

function overdueText(deadline: string, workdays: number): string {
  // A deadline just before a weekend or inside a holiday block is passed before any working day is lost.
  if (workdays === 0) return `已超过完成时限（${deadline}），其后均为休息日，逾期工作日数为 0`;
  return `已超过完成时限（${deadline}）${workdays} 个工作日`;
}

/**
 * The light of one item on `today`:
 * - cancelled, suspended: no light (null);
 * - closed: green;
 * - red: overdue, or any report of a past period missing (ExpectedState 'missing');
 * - yellow: 序时进度 − 完成率 > lagPoints, or at most nearDeadlineWorkdays working days left after today
 *   (deadline not yet passed) with 完成率 < nearDeadlineMinPercent;
 * - green otherwise.
 */
export function itemLight(input: LightInput): ItemLight {
  const { status, deadline, completion, expected, today, calendar } = input;
  for (const d of [deadline, today]) {
    if (!isValidDate(d)) throw new RangeError(`invalid date "${d}", expected YYYY-MM-DD`);
  }
  const t = withDefaults(DEFAULT_LIGHT_THRESHOLDS, input.thresholds);

  if (status === 'cancelled') {
    return {
      light: null,
      reasons: [{ code: 'cancelled', light: null, text: '事项已取消，不亮灯，不计入汇总和考核' }],
      overdueWorkdays: null,
      workdaysLeft: null,
    };
  }
  if (status === 'suspended') {
    return {
      light: null,
      reasons: [{ code: 'suspended', light: null, text: '事项已暂停，暂停期间不亮灯，不计入汇总和考核' }],
      overdueWorkdays: null,
      workdaysLeft: null,
    };
  }
  if (status === 'closed') {
    return {
      light: 'green',
      reasons: [{ code: 'closed', light: 'green', text: '事项已销号' }],
      overdueWorkdays: null,
      workdaysLeft: null,
    };
  }

  const reasons: LightReason[] = [];
  let overdueWorkdays: number | null = null;
  let workdaysLeft: number | null = null;

  if (isOverdue(status, deadline, today)) {
    overdueWorkdays = calendar.workingDaysBetween(deadline, today);
    reasons.push({ code: 'overdue', light: 'red', text: overdueText(deadline, overdueWorkdays) });
  } else {
    workdaysLeft = calendar.workingDaysBetween(today, deadline);
  }

  for (const r of input.reports) {
    if (r.state === 'missing') {
      reasons.push({
        code: 'missing_report',
        light: 'red',
        text: `${r.key} 进度未报（应于 ${r.due} 前报送）`,
      });
    }
  }

  const lag = round2(expected.percent - completion);
  if (lag > t.lagPoints) {
    const basis = expected.milestone ? `（按 ${expected.milestone.month} 月度节点）` : '';
    reasons.push({
      code: 'behind_schedule',
      light: 'yellow',
      text:
        `完成率 ${formatNumber(completion)}%，序时进度 ${formatNumber(expected.percent)}%${basis}，` +
        `落后 ${formatNumber(lag)} 个百分点（超过 ${formatNumber(t.lagPoints)} 个百分点即亮黄灯）`,
    });
  }

  if (
    workdaysLeft !== null &&
    workdaysLeft <= t.nearDeadlineWorkdays &&
    completion < t.nearDeadlineMinPercent
  ) {
    reasons.push({
      code: 'near_deadline',
      light: 'yellow',
      text:
        `距完成时限（${deadline}）还剩 ${workdaysLeft} 个工作日（不含今天），` +
        `完成率 ${formatNumber(completion)}%，低于 ${formatNumber(t.nearDeadlineMinPercent)}%`,
    });
  }

  if (reasons.length === 0) {
    return {
      light: 'green',
      reasons: [
        {
          code: 'on_track',
          light: 'green',
          text: `完成率 ${formatNumber(completion)}%，序时进度 ${formatNumber(expected.percent)}%，进度正常`,
        },
      ],
      overdueWorkdays,
      workdaysLeft,
    };
  }
  // Reasons are pushed red first, then yellow, so the first one names the colour.
  const worst = reasons.reduce<Light>(
    (acc, r) => (r.light !== null && LIGHT_SEVERITY[r.light] > LIGHT_SEVERITY[acc] ? r.light : acc),
    'green',
  );
  return { light: worst, reasons, overdueWorkdays, workdaysLeft };
}

/** The worse of two lights, null standing for "no light". */
export function worseLight(a: Light | null, b: Light | null): Light | null {
  if (a === null) return b;
  if (b === null) return a;
  return LIGHT_SEVERITY[a] >= LIGHT_SEVERITY[b] ? a : b;
}
