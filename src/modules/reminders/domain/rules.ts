/**
 * When reminders and escalations fall due (提醒 → 催办 → 督办), as pure functions over the official
 * working-day calendar. The worker's scan applies them to every open item each time it runs; a
 * reminder's key says which occasion it is, so running the scan again the same day (or on two
 * workers) derives the same keys, and a day the scan missed is caught up on the next run.
 * docs/REMINDERS.md states these rules for users.
 */
import type { WorkCalendar } from '../../../core/calendar/working-days';
import type { ExpectedState } from '../../cycles/domain/expected-reports';
import type { ItemStatus } from '../../plans/domain/types';

export interface ReminderSettings {
  /** Remind this many working days before the deadline (largest first does not matter). */
  deadlineDays: number[];
  /** Remind this many working days before a report is due. */
  reportDays: number[];
  /** Overdue (deadline or report): remind on the first working day after, then every N working days. */
  overdueEvery: number;
  /** 催办 to the lead unit's head once the item is this many working days overdue. */
  urgeAfter: number;
  /** 督办 to the responsible leader and the dispatch office this many working days after the 催办. */
  superviseAfter: number;
  /** Working hours, Asia/Shanghai, 'HH:MM'; nothing goes out outside them. */
  workStart: string;
  workEnd: string;
  /** A 提醒 (not 催办/督办) is skipped when the item had an approved report or an update this recently. */
  quietWorkdays: number;
  /** Attempts per external send before it is listed as failed. */
  attempts: number;
}

export const DEFAULT_REMINDER_SETTINGS: Readonly<ReminderSettings> = Object.freeze({
  deadlineDays: [7, 3, 1],
  reportDays: [3, 1],
  overdueEvery: 2,
  urgeAfter: 3,
  superviseAfter: 5,
  workStart: '09:00',
  workEnd: '18:00',
  quietWorkdays: 1,
  attempts: 5,
});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The plan's stored settings over the defaults; the first problem in Chinese, or the settings. */
export function resolveReminderSettings(
  input: Partial<ReminderSettings> = {},
): { ok: true; settings: ReminderSettings } | { ok: false; field: string; message: string } {
  const s: ReminderSettings = { ...DEFAULT_REMINDER_SETTINGS };
  for (const [k, v] of Object.entries(input) as [keyof ReminderSettings, never][]) {
    if (v !== undefined && k in s) (s as unknown as Record<string, unknown>)[k] = v;
  }
  const days = (xs: unknown) =>
    Array.isArray(xs) && xs.length <= 10 && xs.every((x) => Number.isInteger(x) && x >= 1 && x <= 60);
  if (!days(s.deadlineDays))
    return bad('deadlineDays', '到期前提醒的工作日数须为 1～60 的整数（最多 10 个）');
  if (!days(s.reportDays))
    return bad('reportDays', '填报截止前提醒的工作日数须为 1～60 的整数（最多 10 个）');
  const int = (x: number, min: number, max: number) => Number.isInteger(x) && x >= min && x <= max;
  if (!int(s.overdueEvery, 1, 30)) return bad('overdueEvery', '逾期后重复提醒的间隔须为 1～30 个工作日');
  if (!int(s.urgeAfter, 1, 60)) return bad('urgeAfter', '逾期多少个工作日后催办须为 1～60');
  if (!int(s.superviseAfter, 1, 60)) return bad('superviseAfter', '催办后多少个工作日督办须为 1～60');
  if (!int(s.quietWorkdays, 0, 30)) return bad('quietWorkdays', '近期已更新免提醒的工作日数须为 0～30');
  if (!int(s.attempts, 1, 20)) return bad('attempts', '外部发送的尝试次数须为 1～20');
  if (!HHMM.test(s.workStart)) return bad('workStart', '上班时间须为 HH:MM');
  if (!HHMM.test(s.workEnd) || s.workEnd <= s.workStart)
    return bad('workEnd', '下班时间须为 HH:MM，且晚于上班时间');
  return { ok: true, settings: s };
}

function bad(field: string, message: string) {
  return { ok: false as const, field, message };
}

/** Reminders go out on working days, within working hours (Asia/Shanghai wall time 'HH:MM'). */
export function isSendingTime(
  today: string,
  time: string,
  s: ReminderSettings,
  calendar: WorkCalendar,
): boolean {
  return calendar.isWorkingDay(today) && time >= s.workStart && time < s.workEnd;
}

export type ReminderKind =
  'deadline-before' | 'deadline-overdue' | 'urge' | 'supervise' | 'report-before' | 'report-overdue';
export type ReminderLevel = 'remind' | 'urge' | 'supervise';

/** Who receives it: the owner (or, without one, the lead unit's heads); the heads; the leader and dispatch office. */
export type ReminderAudience = 'owner' | 'lead_heads' | 'leader_and_dispatch';

export interface DueReminder {
  /** Stable per occasion: same item, same deadline or period, same step → same key. */
  key: string;
  kind: ReminderKind;
  level: ReminderLevel;
  audience: ReminderAudience;
  /** Today: working days left before the deadline / due day (positive), or overdue (negative). */
  workdays: number;
  periodKey?: string;
}

export interface ItemReminderFacts {
  id: string;
  status: ItemStatus;
  /** 完成时限 in force. */
  deadline: string;
  /** Last approved report or item update, Asia/Shanghai date; null if never. */
  lastActivityOn: string | null;
  /** The item's owed reports (cycles/domain/expectedReports) with their due days and states. */
  reports: { key: string; due: string; state: ExpectedState }[];
}

/** Items that are worked on; closed, cancelled and suspended ones get nothing, drafts have no owner yet. */
const ACTIVE: readonly ItemStatus[] = ['assigned', 'in_progress'];

/**
 * Every reminder due for the item on `today` (a working day; the caller checks the hour).
 *
 * Before a deadline or due day: n = working days from today to the last working day on or before it
 * (a deadline on a holiday must be met before the holiday). The step due is the smallest threshold
 * t ≥ n: on the day itself that is n = t; a day the scan missed is caught up by the next smaller n.
 * After: d = working days since (d = 1 on the first working day after); a 提醒 at d = 1, 1 + N, 1 + 2N…
 * keyed by the window so a missed day is sent late rather than lost; 催办 once d ≥ urgeAfter, 督办 once
 * d ≥ urgeAfter + superviseAfter, each once per deadline (an extension starts a new episode).
 */
export function dueReminders(
  item: ItemReminderFacts,
  today: string,
  s: ReminderSettings,
  calendar: WorkCalendar,
): DueReminder[] {
  if (!ACTIVE.includes(item.status) || !calendar.isWorkingDay(today)) return [];
  const out: DueReminder[] = [];
  const quiet =
    item.lastActivityOn !== null &&
    s.quietWorkdays > 0 &&
    calendar.workingDaysBetween(item.lastActivityOn, today) < s.quietWorkdays;

  const before = beforeStep(item.deadline, today, s.deadlineDays, calendar);
  if (before !== null && !quiet) {
    out.push({
      key: `deadline-before.${item.id}.${item.deadline}.${before.step}`,
      kind: 'deadline-before',
      level: 'remind',
      audience: 'owner',
      workdays: before.left,
    });
  }
  const d = calendar.workingDaysBetween(item.deadline, today);
  if (item.deadline < today && d >= 1) {
    const window = Math.floor((d - 1) / s.overdueEvery);
    if (!quiet) {
      out.push({
        key: `deadline-overdue.${item.id}.${item.deadline}.${window}`,
        kind: 'deadline-overdue',
        level: 'remind',
        audience: 'owner',
        workdays: -d,
      });
    }
    if (d >= s.urgeAfter) {
      out.push({
        key: `urge.${item.id}.${item.deadline}`,
        kind: 'urge',
        level: 'urge',
        audience: 'lead_heads',
        workdays: -d,
      });
    }
    if (d >= s.urgeAfter + s.superviseAfter) {
      out.push({
        key: `supervise.${item.id}.${item.deadline}`,
        kind: 'supervise',
        level: 'supervise',
        audience: 'leader_and_dispatch',
        workdays: -d,
      });
    }
  }

  // Reports: only those not submitted; a submitted report stops its reminders.
  for (const r of item.reports) {
    if (r.state !== 'due' && r.state !== 'upcoming' && r.state !== 'missing') continue;
    const n = beforeStep(r.due, today, s.reportDays, calendar);
    if (n !== null && r.state !== 'missing') {
      out.push({
        key: `report-before.${item.id}.${r.key}.${n.step}`,
        kind: 'report-before',
        level: 'remind',
        audience: 'owner',
        workdays: n.left,
        periodKey: r.key,
      });
    }
    const late = calendar.workingDaysBetween(r.due, today);
    if (r.due < today && late >= 1) {
      const window = Math.floor((late - 1) / s.overdueEvery);
      out.push({
        key: `report-overdue.${item.id}.${r.key}.${window}`,
        kind: 'report-overdue',
        level: 'remind',
        audience: 'owner',
        workdays: -late,
        periodKey: r.key,
      });
    }
  }
  return out;
}

/** The "t working days before" step due today for a date (and the days actually left), or null. */
function beforeStep(
  date: string,
  today: string,
  thresholds: number[],
  calendar: WorkCalendar,
): { step: number; left: number } | null {
  const last = calendar.workingDayOnOrBefore(date);
  if (today >= last) return null;
  const left = calendar.workingDaysBetween(today, last);
  const step = thresholds.filter((t) => t >= left).sort((a, b) => a - b)[0];
  return step === undefined ? null : { step, left };
}
