/**
 * The roll-up, in SQL, set-based: never loading a plan's items into Node. Rules: docs/ROLLUP.md,
 * mirrored from the pure functions in ./domain (unit-tested there). `work_day_index.idx` counts
 * working days up to and including a date, so working days between two dates are a subtraction.
 *
 * $1 = plan id, $2 = today (Asia/Shanghai date). Thresholds are the documented defaults
 * (lag > 20 points; ≤ 10 working days left and < 80 %). Owed reports follow cycles/domain/expected-reports
 * and core/calendar/periods: monthly, once and ongoing per cycle; quarterly and annual on the
 * closing cycle; weekly per ISO week, due on its last working day.
 */

/** Item completion, 序时进度, light and overdue working days for every item of one plan. */
export const ITEM_STATUS_FOR_PLAN = `
WITH it AS (SELECT * FROM items WHERE plan_id = $1),
la AS (
  SELECT DISTINCT ON (r.item_id) r.item_id, r.id AS report_id, r.percent
    FROM progress_reports r JOIN it ON it.id = r.item_id
   WHERE r.status = 'approved'
   ORDER BY r.item_id, r.reviewed_at DESC),
tg AS (
  SELECT t.item_id, t.comparator, t.direction, t.value, t.baseline,
         (SELECT sum(a.target_value) FROM report_actuals a
           WHERE a.report_id = la.report_id AND a.target_id = t.id AND a.target_value IS NOT NULL) AS actual
    FROM item_targets t JOIN it ON it.id = t.item_id LEFT JOIN la ON la.item_id = t.item_id
   WHERE t.value IS NOT NULL),
tp AS (
  -- targetProgress(): baseline-aware, decreasing targets supported; share(done, needed, met).
  SELECT item_id, avg(CASE
      WHEN actual IS NULL THEN 0
      WHEN direction = 'increase' THEN
        CASE WHEN value - coalesce(baseline, 0) <= 0 THEN CASE WHEN actual >= value THEN 100 ELSE 0 END
             ELSE least(100, greatest(0, (actual - coalesce(baseline, 0)) * 100 / (value - coalesce(baseline, 0)))) END
      WHEN baseline IS NOT NULL THEN
        CASE WHEN baseline - value <= 0 THEN CASE WHEN actual <= value THEN 100 ELSE 0 END
             ELSE least(100, greatest(0, (baseline - actual) * 100 / (baseline - value))) END
      WHEN comparator = '<=' THEN CASE WHEN actual <= value THEN 100 ELSE least(100, greatest(0, value * 100 / actual)) END
      ELSE CASE WHEN value <= 0 THEN CASE WHEN actual >= value THEN 100 ELSE 0 END
                ELSE least(100, greatest(0, actual * 100 / value)) END
    END) AS p
    FROM tg GROUP BY item_id),
span AS (
  -- An item owes reports from its start until its deadline, or until the day it was closed.
  SELECT id, cadence, start_date AS s,
         least(deadline, coalesce((closed_at AT TIME ZONE 'Asia/Shanghai')::date, deadline)) AS e
    FROM it),
cyc AS (SELECT period, start_date, end_date, report_due FROM dispatch_cycles WHERE plan_id = $1),
weeks AS (
  -- ISO weeks due on their last working day; a week with none is due on the next working day.
  SELECT w.monday,
         coalesce(w.due, (SELECT min(x.date) FROM work_day_index x WHERE x.date > w.monday + 6 AND x.working)) AS due
    FROM (SELECT date_trunc('week', date)::date AS monday, max(date) FILTER (WHERE working) AS due
            FROM work_day_index
           WHERE date BETWEEN (SELECT min(s) FROM span) - 7 AND (SELECT max(e) FROM span) + 7
           GROUP BY 1) w),
owed AS (
  SELECT sp.id AS item_id, c.period AS key, c.report_due AS due
    FROM span sp JOIN cyc c ON c.start_date <= sp.e AND c.end_date >= sp.s
   WHERE sp.cadence IN ('monthly', 'once', 'ongoing')
  UNION ALL
  SELECT sp.id, substr(c.period, 1, 4) || '-Q' || (substr(c.period, 6, 2)::int / 3), c.report_due
    FROM span sp JOIN cyc c ON date_trunc('quarter', c.start_date)::date <= sp.e AND c.end_date >= sp.s
   WHERE sp.cadence = 'quarterly' AND substr(c.period, 6, 2) IN ('03', '06', '09', '12')
  UNION ALL
  SELECT sp.id, substr(c.period, 1, 4), c.report_due
    FROM span sp JOIN cyc c ON date_trunc('year', c.start_date)::date <= sp.e AND c.end_date >= sp.s
   WHERE sp.cadence = 'annual' AND substr(c.period, 6, 2) = '12'
  UNION ALL
  SELECT sp.id, to_char(w.monday, 'IYYY-"W"IW'), w.due
    FROM span sp JOIN weeks w ON w.monday <= sp.e AND w.monday + 6 >= sp.s
   WHERE sp.cadence = 'weekly'),
reps AS (
  -- Each owed report whose due day has come: on time (first submitted by the due day), late, or missing.
  SELECT o.item_id,
         count(*)::int AS due,
         count(*) FILTER (WHERE f.first_on IS NOT NULL AND f.first_on <= o.due)::int AS on_time,
         count(*) FILTER (WHERE f.first_on IS NULL AND o.due < $2::date)::int AS missing
    FROM owed o
    LEFT JOIN LATERAL (
      SELECT min((r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date) AS first_on
        FROM progress_reports r WHERE r.item_id = o.item_id AND r.period_key = o.key) f ON true
   WHERE o.due < $2::date OR f.first_on IS NOT NULL
   GROUP BY o.item_id),
calc AS (
  SELECT it.id, it.organization_id, it.plan_id, it.status, it.deadline, $2::date AS today,
         CASE WHEN it.status IN ('cancelled', 'suspended') THEN NULL
              WHEN it.status = 'closed' THEN 100
              WHEN tp.p IS NOT NULL THEN round(tp.p, 2)
              ELSE coalesce(la.percent, 0) END AS completion,
         CASE WHEN it.status IN ('cancelled', 'suspended') THEN NULL
              WHEN $2::date < it.start_date THEN 0
              WHEN $2::date >= it.deadline THEN 100
              ELSE coalesce(round(100.0 * (wt.idx - ws.idx) / nullif(wd.idx - ws.idx, 0), 2), 100) END AS expected,
         wt.idx - wd.idx AS past_deadline,
         wd.idx - wt.idx AS workdays_left,
         coalesce(mi.missing, 0) AS missing, coalesce(mi.due, 0) AS reports_due, coalesce(mi.on_time, 0) AS reports_on_time
    FROM it
    LEFT JOIN reps mi ON mi.item_id = it.id
    LEFT JOIN la ON la.item_id = it.id
    LEFT JOIN tp ON tp.item_id = it.id
    JOIN work_day_index ws ON ws.date = it.start_date - 1
    JOIN work_day_index wd ON wd.date = it.deadline
    JOIN work_day_index wt ON wt.date = $2::date)
INSERT INTO item_status (item_id, organization_id, plan_id, completion, expected, light, overdue_workdays, missing_reports,
                         reports_due, reports_on_time, computed_at)
SELECT id, organization_id, plan_id, completion, expected,
       CASE WHEN completion IS NULL THEN NULL
            WHEN status = 'closed' THEN 'green'
            WHEN deadline < today OR missing > 0 THEN 'red'
            WHEN expected - completion > 20 OR (workdays_left <= 10 AND completion < 80) THEN 'yellow'
            ELSE 'green' END,
       CASE WHEN completion IS NOT NULL AND status <> 'closed' AND deadline < today THEN greatest(past_deadline, 0) ELSE 0 END,
       CASE WHEN completion IS NULL THEN 0 ELSE missing END,
       CASE WHEN completion IS NULL THEN 0 ELSE reports_due END,
       CASE WHEN completion IS NULL THEN 0 ELSE reports_on_time END, now()
  FROM calc
ON CONFLICT (item_id) DO UPDATE SET completion = EXCLUDED.completion, expected = EXCLUDED.expected, light = EXCLUDED.light,
  overdue_workdays = EXCLUDED.overdue_workdays, missing_reports = EXCLUDED.missing_reports,
  reports_due = EXCLUDED.reports_due, reports_on_time = EXCLUDED.reports_on_time, computed_at = EXCLUDED.computed_at`;

/**
 * One GROUP BY per level (PERFORMANCE lesson 3), weighted over all leaves: a section's figure is
 * the weight-weighted mean of its items, not of its tasks. Cancelled and suspended items (no light)
 * are left out; a node without counted items has no figures.
 */
const level = (type: 'task' | 'section' | 'plan', key: string) => `
INSERT INTO node_status (node_type, node_id, organization_id, plan_id, completion, expected, light, red, yellow, green, computed_at)
SELECT '${type}', i.${key}, i.organization_id, i.plan_id,
       round(sum(s.completion * i.weight) FILTER (WHERE s.light IS NOT NULL) / nullif(sum(i.weight) FILTER (WHERE s.light IS NOT NULL), 0), 2),
       round(sum(s.expected * i.weight) FILTER (WHERE s.light IS NOT NULL) / nullif(sum(i.weight) FILTER (WHERE s.light IS NOT NULL), 0), 2),
       CASE WHEN count(*) FILTER (WHERE s.light = 'red') > 0 THEN 'red'
            WHEN count(*) FILTER (WHERE s.light = 'yellow') > 0 THEN 'yellow'
            WHEN count(*) FILTER (WHERE s.light = 'green') > 0 THEN 'green' END,
       count(*) FILTER (WHERE s.light = 'red'), count(*) FILTER (WHERE s.light = 'yellow'), count(*) FILTER (WHERE s.light = 'green'),
       now()
  FROM items i JOIN item_status s ON s.item_id = i.id
 WHERE i.plan_id = $1
 GROUP BY i.${key}, i.organization_id, i.plan_id`;

export const CLEAR_NODES_FOR_PLAN = `DELETE FROM node_status WHERE plan_id = $1`;
export const TASK_STATUS_FOR_PLAN = level('task', 'task_id');
export const SECTION_STATUS_FOR_PLAN = level('section', 'section_id');
export const PLAN_STATUS_FOR_PLAN = level('plan', 'plan_id');

/**
 * Per unit, as lead unit and separately as co-unit, the raw counts and sums the scoreboard formula
 * needs (docs/ROLLUP.md); score, rank and quartile follow in Node over these few rows.
 * $1 = plan id, $2 = today, $3 = on-time basis ('original' | 'extended').
 */
export const UNIT_STATS_FOR_PLAN = `
WITH x AS (
  SELECT i.id, i.lead_unit_id, i.status, i.weight, i.deadline,
         CASE WHEN $3 = 'extended' THEN i.deadline ELSE coalesce(i.original_deadline, i.deadline) END AS scoring_deadline,
         (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS closed_on,
         s.completion, s.light, s.reports_due, s.reports_on_time
    FROM items i JOIN item_status s ON s.item_id = i.id
   WHERE i.plan_id = $1 AND s.light IS NOT NULL),
roles AS (
  SELECT 'lead' AS role, x.lead_unit_id AS unit_id, x.* FROM x
  UNION ALL
  SELECT 'co', cu.unit_id, x.* FROM x JOIN item_co_units cu ON cu.item_id = x.id)
SELECT r.role, r.unit_id AS "unitId", u.name AS "unitName",
       count(*)::int AS items,
       count(*) FILTER (WHERE r.status = 'closed')::int AS closed,
       count(*) FILTER (WHERE r.status = 'closed' AND r.closed_on IS NOT NULL AND r.closed_on <= r.scoring_deadline)::int AS "closedOnTime",
       count(*) FILTER (WHERE r.status = 'closed' OR r.scoring_deadline < $2::date)::int AS "dueForClose",
       count(*) FILTER (WHERE r.status <> 'closed' AND r.deadline < $2::date)::int AS overdue,
       count(*) FILTER (WHERE r.light = 'red')::int AS red,
       count(*) FILTER (WHERE r.light = 'yellow')::int AS yellow,
       count(*) FILTER (WHERE r.light = 'green')::int AS green,
       sum(r.reports_due)::int AS "reportsDue",
       sum(r.reports_on_time)::int AS "reportsOnTime",
       (sum(r.completion * r.weight) / sum(r.weight))::float8 AS "completionMean"
  FROM roles r JOIN units u ON u.id = r.unit_id
 GROUP BY r.role, r.unit_id, u.name`;
