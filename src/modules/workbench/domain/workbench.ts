/**
 * The 工作台's date and text rules, pure (no Nest, no TypeORM): what "due soon" means, which cycle is
 * the current one, how a reporting period and a review read in Chinese.
 */
import type { WorkCalendar } from '../../../core/calendar/working-days';
import { periodName } from './period-name';

/** 即将到期 looks this many working days ahead (issue 15). */
export const DUE_SOON_WORKDAYS = 10;

/**
 * The last day of the 即将到期 window opened on `today`: the `workdays`-th working day after today
 * (today itself not counted) in the organization's effective calendar. An item is due soon when its
 * deadline falls in [today, that day]: not yet past, at most `workdays` working days away.
 */
export function dueSoonUntil(today: string, calendar: WorkCalendar, workdays = DUE_SOON_WORKDAYS): string {
  return calendar.addWorkingDays(today, workdays);
}

/** Whether a deadline is due soon on `today` (the rule the SQL filter applies as a range). */
export function isDueSoon(deadline: string, today: string, calendar: WorkCalendar): boolean {
  return deadline >= today && deadline <= dueSoonUntil(today, calendar);
}

/** Whether a deadline is past on `today` (逾期: the day after the deadline on). */
export function isOverdue(deadline: string, today: string): boolean {
  return deadline < today;
}

export interface CycleFacts {
  id: string;
  period: string;
  reportDue: string;
  status: 'open' | 'closed';
}

/**
 * The current cycle on `today`: the earliest one not closed, i.e. neither marked closed by the
 * worker nor past its report due day (its cut-off is the end of that day). Null when every cycle
 * is over (or there is none).
 */
export function currentCycle<T extends CycleFacts>(cycles: readonly T[], today: string): T | null {
  const open = cycles.filter((c) => c.status !== 'closed' && c.reportDue >= today);
  open.sort((a, b) => a.reportDue.localeCompare(b.reportDue) || a.period.localeCompare(b.period));
  return open[0] ?? null;
}

export { periodName };

/** One line, at most `max` characters (an ellipsis marks the cut): lists show a summary, not the text. */
export function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export type ReviewKind = 'report' | 'extension' | 'closeout';

/** The review queue's summary line for each kind of request. */
export function reviewSummary(
  r:
    | { kind: 'report'; period: string; percent: number | null; progress: string }
    | { kind: 'extension'; newDeadline: string; reason: string }
    | { kind: 'closeout'; note: string },
): string {
  switch (r.kind) {
    case 'report': {
      const percent = r.percent === null ? '' : ` 进度 ${r.percent}%`;
      const text = oneLine(r.progress);
      return `${periodName(r.period)}${percent}${text ? `：${text}` : ''}`;
    }
    case 'extension':
      return `申请延期至 ${r.newDeadline}${r.reason.trim() ? `：${oneLine(r.reason)}` : ''}`;
    case 'closeout':
      return `申请销号${r.note.trim() ? `：${oneLine(r.note)}` : ''}`;
  }
}
