import type { DispatchCycle, ReportingPeriod } from '../../../core/calendar/periods';
import { periodsFor } from '../../../core/calendar/periods';
import type { WorkCalendar } from '../../../core/calendar/working-days';
import type { Cadence } from '../../plans/domain/types';

export type ExpectedState = 'upcoming' | 'due' | 'on_time' | 'late' | 'missing';

export const EXPECTED_STATE_ZH: Record<ExpectedState, string> = {
  upcoming: '未到填报期',
  due: '待填报',
  on_time: '按时提交',
  late: '逾期提交',
  missing: '未提交',
};

export interface ExpectedReport extends ReportingPeriod {
  state: ExpectedState;
  submittedOn: string | null;
}

/**
 * The reports an item owes, period by period, and where each stands on `today` (Asia/Shanghai date):
 * submitted on or before its due day → on time; after → late; not submitted and the due day has
 * passed → missing; due day today or within the period → due; period not begun → upcoming.
 * An item owes reports from its start until its deadline, or until the day it was closed.
 */
export function expectedReports(input: {
  cadence: Cadence;
  startDate: string;
  deadline: string;
  closedOn: string | null;
  cycles: readonly DispatchCycle[];
  submittedOn: ReadonlyMap<string, string>; // period key → first-submission date
  today: string;
  calendar: WorkCalendar;
}): ExpectedReport[] {
  const end = input.closedOn && input.closedOn < input.deadline ? input.closedOn : input.deadline;
  const endDate = end < input.startDate ? input.startDate : end;
  return periodsFor(
    { cadence: input.cadence, startDate: input.startDate, endDate, cycles: input.cycles },
    input.calendar,
  ).map((p) => {
    const submitted = input.submittedOn.get(p.key) ?? null;
    let state: ExpectedState;
    if (submitted) state = submitted <= p.due ? 'on_time' : 'late';
    else if (input.today > p.due) state = 'missing';
    else if (input.today >= p.start) state = 'due';
    else state = 'upcoming';
    return { ...p, state, submittedOn: submitted };
  });
}
