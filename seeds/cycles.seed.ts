import { EntityManager } from 'typeorm';

import { overlayCalendar, WorkCalendar } from '../src/core/calendar/working-days';
import { cyclesForYear } from '../src/modules/cycles/domain/cycles';

/**
 * Dispatch cycles of the seeded plans, from each organization's calendar already in the database
 * (national plus its own exceptions); existing cycles are kept.
 */
export async function seedCycles(em: EntityManager, planIds: string[]): Promise<number> {
  if (!planIds.length) return 0;
  const rows = (await em.query(`SELECT date, year, kind FROM calendar_days`)) as {
    date: string;
    year: number;
    kind: string;
  }[];
  const calendars = new Map<string, WorkCalendar>();
  const calendarOf = async (organizationId: string) => {
    let c = calendars.get(organizationId);
    if (!c) {
      const local = (await em.query(
        `SELECT date, kind FROM organization_calendar_days WHERE organization_id = $1`,
        [organizationId],
      )) as { date: string; kind: string }[];
      calendars.set(organizationId, (c = overlayCalendar(rows, local)));
    }
    return c;
  };
  let n = 0;
  for (const planId of planIds) {
    const [plan] = (await em.query(
      `SELECT organization_id AS "organizationId", year, report_due_workdays AS "reportDueWorkdays", meeting_workday AS "meetingWorkday"
         FROM plans WHERE id = $1`,
      [planId],
    )) as { organizationId: string; year: number; reportDueWorkdays: number; meetingWorkday: number }[];
    for (const c of cyclesForYear(await calendarOf(plan.organizationId), plan.year, plan)) {
      const rows = (await em.query(
        `INSERT INTO dispatch_cycles (organization_id, plan_id, period, start_date, end_date, report_due, meeting_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id, period) DO NOTHING RETURNING id`,
        [plan.organizationId, planId, c.period, c.startDate, c.endDate, c.reportDue, c.meetingDate],
      )) as unknown[];
      n += rows.length;
    }
  }
  return n;
}
