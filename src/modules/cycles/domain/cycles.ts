import type { WorkCalendar } from '../../../core/calendar/working-days';

export interface CycleDates {
  period: string;
  startDate: string;
  endDate: string;
  reportDue: string;
  meetingDate: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The twelve monthly dispatch cycles (调度周期) of a plan year: reports due `reportDueWorkdays`
 * working days before the month's last working day, the meeting on the `meetingWorkday`-th working
 * day of the next month.
 */
export function cyclesForYear(
  calendar: WorkCalendar,
  year: number,
  s: { reportDueWorkdays: number; meetingWorkday: number },
): CycleDates[] {
  return Array.from({ length: 12 }, (_, i) => {
    const m = i + 1;
    const next = m === 12 ? { y: year + 1, m: 1 } : { y: year, m: m + 1 };
    return {
      period: `${year}-${pad(m)}`,
      startDate: `${year}-${pad(m)}-01`,
      endDate: new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10),
      reportDue: calendar.workingDaysBeforeMonthEnd(year, m, s.reportDueWorkdays),
      meetingDate: calendar.nthWorkingDayOfMonth(next.y, next.m, s.meetingWorkday),
    };
  });
}
