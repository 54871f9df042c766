/**
 * The reporting periods in SQL, one definition for the roll-up (rollup.sql.ts) and the dispatch pack
 * (DispatchRepository.reportsByUnit); they mirror periodsFor() and expectedReports() (core/calendar
 * /periods.ts, cycles/domain/expected-reports.ts), which test/e2e/rollup-sql and dispatch-pack compare.
 */

/**
 * A dispatch cycle's cut-off: the instant its report due day ends in Asia/Shanghai (the start of
 * the next day), when the cycle reads as closed. Its figures are those of that instant, judged on
 * that day (report_due + 1): what a worker running at the cut-off computes. An SQL expression over
 * `report_due` of the row in scope, or of the date expression passed.
 */
export const cutoffInstant = (reportDue: string) =>
  `((${reportDue} + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
export const CUTOFF_INSTANT = cutoffInstant('report_due');

/** The period group an item (`i`) reports in: monthly, once and ongoing items report by the cycle. */
export const CADENCE_GROUP = `CASE WHEN i.cadence IN ('monthly', 'once', 'ongoing') THEN 'cycle' ELSE i.cadence END`;

/** An item (`i`) owes reports until its deadline, or the day it was closed if earlier; never before its start. */
export const SPAN_END = `greatest(i.start_date,
  least(i.deadline, coalesce((i.closed_at AT TIME ZONE 'Asia/Shanghai')::date, i.deadline)))`;

/**
 * The working-day index an organization uses (`work_day_index.calendar_id`): its own when it has
 * exceptions to the national calendar, else the national one. An expression over an organization
 * id; evaluate it once per plan or organization (a CTE column, an uncorrelated subquery), never per row.
 */
export const workCalendar = (organizationId: string) => `work_calendar(${organizationId})`;

/** The working-day index of plan `planId` (an SQL expression), as an uncorrelated subquery: run once. */
export const planWorkCalendar = (planId: string) =>
  `(SELECT ${workCalendar('organization_id')} FROM plans WHERE id = ${planId})`;

/**
 * ISO weeks (s = Monday) of the days from `from` to `to` (SQL date expressions) in each working-day
 * index of `cals` (a subquery of calendar ids): (cal, s, due), each due on the week's last working
 * day; a week without one is due on the next working day. The range's edge weeks may be partial:
 * callers widen it by a week on each side. Read from `calendar_weeks`, which rebuild_work_day_index
 * keeps in the same statement as the index (migration 1764000400000): enumerating them from the index
 * was most of a list page's rows statement (issue 19).
 */
export const weeksDue = (from: string, to: string, cals: string) => `
  SELECT calendar_id AS cal, s, due FROM calendar_weeks
   WHERE calendar_id IN (${cals}) AND s BETWEEN (${from}) - 6 AND (${to})`;

/**
 * weeksDue computed from work_day_index itself: how calendar_weeks is derived (the migration and
 * rebuild_work_day_index), kept for the test that compares the two after every kind of calendar change.
 */
export const weeksDueFromIndex = (from: string, to: string, cals: string) => `
  SELECT w.cal, w.s,
         coalesce(w.due, (SELECT min(x.date) FROM work_day_index x
                           WHERE x.calendar_id = w.cal AND x.date > w.s + 6 AND x.working)) AS due
    FROM (SELECT calendar_id AS cal, date_trunc('week', date)::date AS s, max(date) FILTER (WHERE working) AS due
            FROM work_day_index WHERE calendar_id IN (${cals}) AND date BETWEEN ${from} AND ${to} GROUP BY 1, 2) w`;

/**
 * Periods (plan_id, grp, key, s, e, due) from the relation `cycles` (plan_id, period, start_date,
 * end_date, report_due): each cycle, the quarter and the year its month closes; and the weeks of
 * `weeks` (cal, s, due) for each plan of `plans` (id, cal) in that plan's working-day index.
 */
export const reportingPeriods = (cycles: string, weeks: string, plans: string) => `
  SELECT plan_id, 'cycle' AS grp, period AS key, start_date AS s, end_date AS e, report_due AS due FROM ${cycles}
  UNION ALL
  SELECT plan_id, 'quarterly', substr(period, 1, 4) || '-Q' || (substr(period, 6, 2)::int / 3),
         date_trunc('quarter', start_date)::date, end_date, report_due
    FROM ${cycles} WHERE substr(period, 6, 2) IN ('03', '06', '09', '12')
  UNION ALL
  SELECT plan_id, 'annual', substr(period, 1, 4), date_trunc('year', start_date)::date, end_date, report_due
    FROM ${cycles} WHERE substr(period, 6, 2) = '12'
  UNION ALL
  SELECT pl.id, 'weekly', to_char(wk.s, 'IYYY-"W"IW'), wk.s, wk.s + 6, wk.due
    FROM ${weeks} wk JOIN ${plans} pl ON pl.cal = wk.cal`;
