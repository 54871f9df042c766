/**
 * The reporting periods in SQL, one definition for the roll-up (rollup.sql.ts) and the dispatch pack
 * (DispatchRepository.reportsByUnit); they mirror periodsFor() and expectedReports() (core/calendar
 * /periods.ts, cycles/domain/expected-reports.ts), which test/e2e/rollup-sql and dispatch-pack compare.
 */

/** The period group an item (`i`) reports in: monthly, once and ongoing items report by the cycle. */
export const CADENCE_GROUP = `CASE WHEN i.cadence IN ('monthly', 'once', 'ongoing') THEN 'cycle' ELSE i.cadence END`;

/** An item (`i`) owes reports until its deadline, or the day it was closed if earlier; never before its start. */
export const SPAN_END = `greatest(i.start_date,
  least(i.deadline, coalesce((i.closed_at AT TIME ZONE 'Asia/Shanghai')::date, i.deadline)))`;

/**
 * ISO weeks (s = Monday) of the days from `from` to `to` (SQL date expressions), each due on its last
 * working day; a week without one is due on the next working day. The range's edge weeks may be
 * partial: callers widen it by a week on each side.
 */
export const weeksDue = (from: string, to: string) => `
  SELECT w.s, coalesce(w.due, (SELECT min(x.date) FROM work_day_index x WHERE x.date > w.s + 6 AND x.working)) AS due
    FROM (SELECT date_trunc('week', date)::date AS s, max(date) FILTER (WHERE working) AS due
            FROM work_day_index WHERE date BETWEEN ${from} AND ${to} GROUP BY 1) w`;

/**
 * Periods (plan_id, grp, key, s, e, due) from the relation `cycles` (plan_id, period, start_date,
 * end_date, report_due): each cycle, the quarter and the year its month closes; and the weeks of
 * `weeks` (s, due) for each plan of `plans` (id).
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
  SELECT pl.id, 'weekly', to_char(wk.s, 'IYYY-"W"IW'), wk.s, wk.s + 6, wk.due FROM ${weeks} wk, ${plans} pl`;
