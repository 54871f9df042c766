/**
 * The roll-up, in SQL, set-based: never loading a plan's items into Node. Rules: docs/ROLLUP.md,
 * mirrored from the pure functions in ./domain (unit-tested there, compared with this SQL in
 * test/e2e/rollup-sql). `work_day_index.idx` counts working days up to and including a date, so
 * working days between two dates are a subtraction; each plan reads its organization's index
 * (`pl.cal`: its own with local exceptions, else the national one), looked up once per plan.
 *
 * $1 = plan ids, $2 = today (Asia/Shanghai date), $3 = item ids to recompute, or NULL for every item
 * of the plans. With item ids, only those items are recomputed; every key task, section and plan of
 * the plans is then re-aggregated from them and the stored figures of the others (a few ms).
 *
 * Owed reports are counted, not listed: each plan's reporting periods (dispatch cycles; quarters and
 * the year closing on their last cycle; ISO weeks due on their last working day) are numbered, and a
 * day map gives for every date the number of past-due periods before it. An item owes the periods
 * overlapping its span [start, deadline or closing day], so its past-due count is two lookups. The
 * submitted ones come from one join of the reports with the periods by key.
 *
 * Only rows whose figures changed are written (a full recompute rewrites little); the plan's own row
 * is always written, its computed_at telling when the plan was last recomputed.
 */

import {
  CADENCE_GROUP,
  reportingPeriods,
  SPAN_END,
  weeksDue,
  workCalendar,
} from '../cycles/reporting-periods.sql';

/**
 * For the roll-up's transaction only: enough memory that a province's items hash instead of sort
 * (the default 4 MB makes the planner sort 100k rows for each level).
 */
export const ROLLUP_WORK_MEM = `SET LOCAL work_mem = '64MB'`;

/**
 * The items of the plans ($1) as they stood at the instant $4: each one's latest item_history row
 * before it, in the shape of `items` (an item created after $4 is not there yet).
 */
const ITEMS_AS_OF = `(
  SELECT DISTINCT ON (h.item_id) h.item_id AS id, h.organization_id, h.plan_id, h.section_id, h.task_id,
         h.lead_unit_id, h.co_unit_ids, h.status, h.start_date, h.deadline, h.original_deadline, h.weight,
         h.cadence, h.milestones, h.closed_at
    FROM item_history h
   WHERE h.plan_id = ANY($1::uuid[]) AND h.valid_from < $4::timestamptz
   ORDER BY h.item_id, h.valid_from DESC, h.id DESC)`;

/**
 * Every item's figures: `res` (item_id, where it sits, status, completion, expected, light, report
 * counts). Live: from `items` and every report as it stands. As of the instant $4
 * (a cycle's cut-off): items from their history, and reports as they stood then: approved only if
 * approved before $4 (approval is final: an approved report is never edited, returned or deleted),
 * submitted only if first submitted before $4. Two texts, so the live one stays as lean as it was.
 */
const itemFigures = (asOf: boolean) => `
pl AS MATERIALIZED (
  SELECT id, completion_basis, lag_points, near_deadline_workdays, near_deadline_min_percent,
         ${workCalendar('organization_id')} AS cal
    FROM plans WHERE id = ANY($1::uuid[])),
it AS MATERIALIZED (
  SELECT i.id, i.organization_id, i.plan_id, i.task_id, i.section_id, i.weight, i.status, i.start_date, i.deadline,
         nullif(i.milestones, '[]') AS milestones,
         ${CADENCE_GROUP} AS grp, ${SPAN_END} AS span_end${
           asOf ? ',\n         i.lead_unit_id, i.co_unit_ids, i.original_deadline, i.closed_at' : ''
         }
    FROM ${asOf ? ITEMS_AS_OF : 'items'} i
   WHERE i.plan_id = ANY($1::uuid[]) AND ($3::uuid[] IS NULL OR i.id = ANY($3::uuid[]))),
rp AS MATERIALIZED (${
  asOf
    ? `
  SELECT r.item_id, r.id, r.period_key,
         CASE WHEN r.status = 'approved' AND r.reviewed_at < $4::timestamptz THEN 'approved' ELSE 'submitted' END AS status,
         r.percent, r.reviewed_at, it.plan_id, it.grp, it.start_date, it.span_end,
         CASE WHEN r.first_submitted_at < $4::timestamptz THEN (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date END
           AS first_on
    FROM progress_reports r JOIN it ON it.id = r.item_id
   WHERE (r.status = 'approved' AND r.reviewed_at < $4::timestamptz) OR r.first_submitted_at < $4::timestamptz),`
    : `
  SELECT r.item_id, r.id, r.period_key, r.status, r.percent, r.reviewed_at, it.plan_id, it.grp, it.start_date, it.span_end,
         (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date AS first_on
    FROM progress_reports r JOIN it ON it.id = r.item_id
   WHERE r.status = 'approved' OR r.first_submitted_at IS NOT NULL),`
}
la AS (
  SELECT DISTINCT ON (item_id) item_id, id AS report_id, percent
    FROM rp WHERE status = 'approved' ORDER BY item_id, reviewed_at DESC),
act AS (
  SELECT a.target_id, sum(a.target_value) AS actual
    FROM report_actuals a JOIN la ON la.report_id = a.report_id
   WHERE a.target_value IS NOT NULL GROUP BY a.target_id),
tp AS (
  -- targetProgress(): baseline-aware, decreasing targets supported; share(done, needed, met). A range (1～2 个)
  -- is an increase against its lower bound (value): 100 inside the range and above it.
  SELECT item_id, avg(CASE
      WHEN actual IS NULL THEN 0
      WHEN direction = 'increase' OR comparator = 'range' THEN
        CASE WHEN value - coalesce(baseline, 0) <= 0 THEN CASE WHEN actual >= value THEN 100 ELSE 0 END
             ELSE least(100, greatest(0, (actual - coalesce(baseline, 0)) * 100 / (value - coalesce(baseline, 0)))) END
      WHEN baseline IS NOT NULL THEN
        CASE WHEN baseline - value <= 0 THEN CASE WHEN actual <= value THEN 100 ELSE 0 END
             ELSE least(100, greatest(0, (baseline - actual) * 100 / (baseline - value))) END
      WHEN comparator = '<=' THEN CASE WHEN actual <= value THEN 100 ELSE least(100, greatest(0, value * 100 / actual)) END
      ELSE CASE WHEN value <= 0 THEN CASE WHEN actual >= value THEN 100 ELSE 0 END
                ELSE least(100, greatest(0, actual * 100 / value)) END
    END) AS p
    FROM (SELECT t.item_id, t.comparator, t.direction, t.value, t.baseline, act.actual
            FROM item_targets t LEFT JOIN act ON act.target_id = t.id
           WHERE t.value IS NOT NULL AND t.item_id IN (SELECT id FROM it)) x
   GROUP BY item_id),
cyc AS (SELECT plan_id, period, start_date, end_date, report_due FROM dispatch_cycles WHERE plan_id = ANY($1::uuid[])),
wk AS (${weeksDue(
  `(SELECT min(start_date) FROM it WHERE grp = 'weekly') - 7`,
  `(SELECT max(span_end) FROM it WHERE grp = 'weekly') + 7`,
  `SELECT cal FROM pl`,
)}),
per AS (
  SELECT plan_id, grp, key, s, e, due, due < $2::date AS past,
         -- Past-due periods before this one; the days from the previous period's end belong to this one.
         (count(*) FILTER (WHERE due < $2::date) OVER w - (due < $2::date)::int)::int AS due_before,
         coalesce(lag(e) OVER w + 1, s) AS from_day
    FROM (${reportingPeriods('cyc', 'wk', 'pl')}) p
  WINDOW w AS (PARTITION BY plan_id, grp ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
pm AS (
  -- Per plan and cadence group, a day map from the first period's start to the last one's end:
  -- lo[d] = past-due periods ending before d; hi[d] = past-due periods starting on or before d.
  SELECT plan_id, grp, min(from_day) AS first_s, max(e) AS last_e, count(*) FILTER (WHERE past)::int AS due_total,
         array_agg(due_before ORDER BY d) AS lo, array_agg(due_before + (d >= s AND past)::int ORDER BY d) AS hi
    FROM (SELECT per.*, d::date AS d FROM per, generate_series(from_day, e, interval '1 day') d) x
   GROUP BY plan_id, grp),
sub AS (
  -- Owed periods with a submission: all of them, the past-due ones, and those first submitted by the due day.
  SELECT rp.item_id, count(*)::int AS n, count(*) FILTER (WHERE p.past)::int AS n_past,
         count(*) FILTER (WHERE rp.first_on <= p.due)::int AS on_time
    FROM rp JOIN per p ON p.plan_id = rp.plan_id AND p.grp = rp.grp AND p.key = rp.period_key
   WHERE rp.first_on IS NOT NULL AND p.s <= rp.span_end AND p.e >= rp.start_date
   GROUP BY rp.item_id),
calc AS (
  SELECT it.id, it.organization_id, it.plan_id, it.task_id, it.section_id, it.weight, it.status, it.deadline,
         pl.lag_points, pl.near_deadline_workdays, pl.near_deadline_min_percent,
         CASE WHEN it.status IN ('cancelled', 'suspended') THEN NULL
              WHEN it.status = 'closed' THEN 100
              WHEN pl.completion_basis = 'targets' AND tp.p IS NOT NULL THEN round(tp.p, 2)
              ELSE coalesce(la.percent, 0) END AS completion,
         CASE WHEN it.status IN ('cancelled', 'suspended') THEN NULL
              WHEN $2::date < it.start_date THEN 0
              WHEN $2::date >= it.deadline THEN 100
              -- 月度节点: the latest milestone whose month has ended, 0 before the first.
              WHEN it.milestones IS NOT NULL THEN coalesce(
                (SELECT round((m ->> 'percent')::numeric, 2) FROM jsonb_array_elements(it.milestones) m
                  WHERE (to_date(m ->> 'month', 'YYYY-MM') + interval '1 month - 1 day')::date <= $2::date
                  ORDER BY m ->> 'month' DESC LIMIT 1), 0)
              ELSE coalesce(round(100.0 * (wt.idx - ws.idx) / nullif(wd.idx - ws.idx, 0), 2), 0) END AS expected,
         wt.idx - wd.idx AS past_deadline,
         wd.idx - wt.idx AS workdays_left,
         -- Past-due owed periods: those starting by the span's end minus those ending before its start.
         greatest(0,
           CASE WHEN pm.grp IS NULL OR it.span_end < pm.first_s THEN 0 WHEN it.span_end > pm.last_e THEN pm.due_total
                ELSE pm.hi[it.span_end - pm.first_s + 1] END
         - CASE WHEN pm.grp IS NULL OR it.start_date < pm.first_s THEN 0 WHEN it.start_date > pm.last_e THEN pm.due_total
                ELSE pm.lo[it.start_date - pm.first_s + 1] END) AS owed_past,
         coalesce(sub.n, 0) AS sub_n, coalesce(sub.n_past, 0) AS sub_past, coalesce(sub.on_time, 0) AS on_time
    FROM it JOIN pl ON pl.id = it.plan_id
    LEFT JOIN la ON la.item_id = it.id
    LEFT JOIN tp ON tp.item_id = it.id
    LEFT JOIN sub ON sub.item_id = it.id
    LEFT JOIN pm ON pm.plan_id = it.plan_id AND pm.grp = it.grp
    JOIN work_day_index ws ON ws.calendar_id = pl.cal AND ws.date = it.start_date - 1
    JOIN work_day_index wd ON wd.calendar_id = pl.cal AND wd.date = it.deadline
    JOIN work_day_index wt ON wt.calendar_id = pl.cal AND wt.date = $2::date),
res AS (
  SELECT id AS item_id, organization_id, plan_id, task_id, section_id, weight, status, completion, expected,
         CASE WHEN completion IS NULL THEN NULL
              WHEN status = 'closed' THEN 'green'
              WHEN deadline < $2::date OR owed_past > sub_past THEN 'red'
              WHEN expected - completion > lag_points
                OR (workdays_left <= near_deadline_workdays AND completion < near_deadline_min_percent) THEN 'yellow'
              ELSE 'green' END AS light,
         CASE WHEN completion IS NOT NULL AND status <> 'closed' AND deadline < $2::date THEN greatest(past_deadline, 0) ELSE 0 END
           AS overdue_workdays,
         CASE WHEN completion IS NULL THEN 0 ELSE owed_past - sub_past END AS missing_reports,
         CASE WHEN completion IS NULL THEN 0 ELSE owed_past + sub_n - sub_past END AS reports_due,
         CASE WHEN completion IS NULL THEN 0 ELSE on_time END AS reports_on_time
    FROM calc)`;

/** One level's figures, weighted over all its leaves. */
const levelFigures = (type: 'task' | 'section' | 'plan', key: string) => `
  SELECT '${type}' AS node_type, ${key} AS node_id, organization_id, plan_id,
         round(sum(completion * weight) FILTER (WHERE light IS NOT NULL) / nullif(sum(weight) FILTER (WHERE light IS NOT NULL), 0), 2) AS completion,
         round(sum(expected * weight) FILTER (WHERE light IS NOT NULL) / nullif(sum(weight) FILTER (WHERE light IS NOT NULL), 0), 2) AS expected,
         CASE WHEN count(*) FILTER (WHERE light = 'red') > 0 THEN 'red'
              WHEN count(*) FILTER (WHERE light = 'yellow') > 0 THEN 'yellow'
              WHEN count(*) FILTER (WHERE light = 'green') > 0 THEN 'green' END AS light,
         count(*) FILTER (WHERE light = 'red')::int AS red,
         count(*) FILTER (WHERE light = 'yellow')::int AS yellow,
         count(*) FILTER (WHERE light = 'green')::int AS green
    FROM leaves
   WHERE ${type === 'plan' ? 'true' : `$3::uuid[] IS NULL OR ${key} IN (SELECT node_id FROM anc)`}
   GROUP BY ${key}, organization_id, plan_id`;

/** The three levels from `leaves`; with item ids ($3), only the ancestors in `anc` and the plan. */
const AGG = `
agg AS (
  -- Weighted over all leaves: a section's figure is the weight-weighted mean of its items, not of
  -- its tasks. Cancelled and suspended items (no light) are left out; a node without counted items
  -- has no figures. One hashed GROUP BY per level (PERFORMANCE lesson 3).
  ${levelFigures('task', 'task_id')}
  UNION ALL
  ${levelFigures('section', 'section_id')}
  UNION ALL
  ${levelFigures('plan', 'plan_id')})`;

/** Recompute and store: items (changed rows only), then key tasks, sections and plans. */
export const ROLLUP = `
WITH ${itemFigures(false)},
wi AS (
  INSERT INTO item_status (item_id, organization_id, plan_id, task_id, section_id, weight, completion, expected, light,
                           overdue_workdays, missing_reports, reports_due, reports_on_time, computed_at)
  SELECT r.item_id, r.organization_id, r.plan_id, r.task_id, r.section_id, r.weight, r.completion, r.expected, r.light,
         r.overdue_workdays, r.missing_reports, r.reports_due, r.reports_on_time, now()
    FROM res r LEFT JOIN item_status s ON s.item_id = r.item_id
   WHERE s.item_id IS NULL
      OR (s.task_id, s.section_id, s.weight, s.completion, s.expected, s.light, s.overdue_workdays, s.missing_reports,
          s.reports_due, s.reports_on_time)
         IS DISTINCT FROM (r.task_id, r.section_id, r.weight, r.completion, r.expected, r.light, r.overdue_workdays,
          r.missing_reports, r.reports_due, r.reports_on_time)
  ON CONFLICT (item_id) DO UPDATE SET task_id = EXCLUDED.task_id, section_id = EXCLUDED.section_id, weight = EXCLUDED.weight,
    completion = EXCLUDED.completion, expected = EXCLUDED.expected, light = EXCLUDED.light,
    overdue_workdays = EXCLUDED.overdue_workdays, missing_reports = EXCLUDED.missing_reports,
    reports_due = EXCLUDED.reports_due, reports_on_time = EXCLUDED.reports_on_time, computed_at = EXCLUDED.computed_at
  RETURNING 1),
anc AS (
  -- Recomputing some items: the key tasks and sections above them, before (as stored) and now.
  SELECT task_id AS node_id FROM res UNION SELECT section_id FROM res
  UNION SELECT task_id FROM item_status WHERE item_id = ANY($3::uuid[])
  UNION SELECT section_id FROM item_status WHERE item_id = ANY($3::uuid[])),
leaves AS (
  SELECT plan_id, organization_id, task_id, section_id, weight, completion, expected, light FROM res
  UNION ALL
  -- Recomputing some items: the others count with their stored figures.
  SELECT plan_id, organization_id, task_id, section_id, weight, completion, expected, light
    FROM item_status
   WHERE $3::uuid[] IS NOT NULL AND plan_id = ANY($1::uuid[]) AND item_id <> ALL ($3::uuid[])),
${AGG},
wn AS (
  INSERT INTO node_status (node_type, node_id, organization_id, plan_id, completion, expected, light, red, yellow, green, computed_at)
  SELECT a.node_type, a.node_id, a.organization_id, a.plan_id, a.completion, a.expected, a.light, a.red, a.yellow, a.green, now()
    FROM agg a LEFT JOIN node_status n ON n.node_type = a.node_type AND n.node_id = a.node_id
   WHERE a.node_type = 'plan' OR n.node_id IS NULL
      OR (n.completion, n.expected, n.light, n.red, n.yellow, n.green)
         IS DISTINCT FROM (a.completion, a.expected, a.light, a.red, a.yellow, a.green)
  ON CONFLICT (node_type, node_id) DO UPDATE SET completion = EXCLUDED.completion, expected = EXCLUDED.expected,
    light = EXCLUDED.light, red = EXCLUDED.red, yellow = EXCLUDED.yellow, green = EXCLUDED.green, computed_at = EXCLUDED.computed_at
  RETURNING 1),
dn AS (
  -- Nodes left without items (moved or deleted) lose their figures.
  DELETE FROM node_status n
   WHERE n.plan_id = ANY($1::uuid[]) AND ($3::uuid[] IS NULL OR n.node_type = 'plan' OR n.node_id IN (SELECT node_id FROM anc))
     AND NOT EXISTS (SELECT 1 FROM agg a WHERE a.node_type = n.node_type AND a.node_id = n.node_id)
  RETURNING 1)
SELECT (SELECT count(*) FROM res)::int AS items, (SELECT count(*) FROM wi)::int AS "itemsWritten",
       (SELECT count(*) FROM wn)::int AS "nodesWritten", (SELECT count(*) FROM dn)::int AS "nodesDeleted"`;

/**
 * The scoreboard's raw counts and sums per unit and role over `roles` (role, unit_id, status,
 * weight, deadline, scoring_deadline, closed_on, completion, light, reports_due, reports_on_time),
 * judged on the day `today` (an SQL date expression).
 */
const unitStatsOf = (today: string) => `
SELECT r.role, r.unit_id AS "unitId", u.name AS "unitName",
       count(*)::int AS items,
       count(*) FILTER (WHERE r.status = 'closed')::int AS closed,
       count(*) FILTER (WHERE r.status = 'closed' AND r.closed_on IS NOT NULL AND r.closed_on <= r.scoring_deadline)::int AS "closedOnTime",
       count(*) FILTER (WHERE r.status = 'closed' OR r.scoring_deadline < ${today})::int AS "dueForClose",
       count(*) FILTER (WHERE r.status <> 'closed' AND r.deadline < ${today})::int AS overdue,
       count(*) FILTER (WHERE r.light = 'red')::int AS red,
       count(*) FILTER (WHERE r.light = 'yellow')::int AS yellow,
       count(*) FILTER (WHERE r.light = 'green')::int AS green,
       sum(r.reports_due)::int AS "reportsDue",
       sum(r.reports_on_time)::int AS "reportsOnTime",
       (sum(r.completion * r.weight) / sum(r.weight))::float8 AS "completionMean"
  FROM roles r JOIN units u ON u.id = r.unit_id
 GROUP BY r.role, r.unit_id, u.name`;

/** The scoring deadline of an item (`i`) under the on-time basis `basis` (docs/ROLLUP.md, 五). */
const scoringDeadline = (basis: string) =>
  `CASE WHEN ${basis} = 'extended' THEN i.deadline ELSE coalesce(i.original_deadline, i.deadline) END`;

/**
 * Per unit, as lead unit and separately as co-unit, the raw counts and sums the scoreboard formula
 * needs (docs/ROLLUP.md); score, rank and quartile follow in Node over these few rows.
 * $1 = plan id, $2 = today, $3 = on-time basis ('original' | 'extended').
 */
export const UNIT_STATS_FOR_PLAN = `
WITH x AS (
  SELECT i.id, i.lead_unit_id, i.status, i.weight, i.deadline, ${scoringDeadline('$3')} AS scoring_deadline,
         (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS closed_on,
         s.completion, s.light, s.reports_due, s.reports_on_time
    FROM items i JOIN item_status s ON s.item_id = i.id
   WHERE i.plan_id = $1 AND s.light IS NOT NULL),
roles AS (
  SELECT 'lead' AS role, x.lead_unit_id AS unit_id, x.* FROM x
  UNION ALL
  SELECT 'co', cu.unit_id, x.* FROM x JOIN item_co_units cu ON cu.item_id = x.id)
${unitStatsOf('$2::date')}`;

/**
 * A cycle's cut-off snapshot of one plan, computed as of the cut-off whenever it runs: the same
 * roll-up over the items and reports as they stood at the cut-off instant ($4), judged on the
 * cut-off day ($2), stored under the cycle's period ($5): every key task, section and the plan
 * (always, without figures when nothing was counted yet), and the open items' red and yellow
 * lights (the pack's at-risk list and the next meeting's carry-forward; only those, so a year adds
 * few rows). Returns the units' scoreboard counts as of the cut-off (on-time basis $6); their
 * standings are stored by the caller in the same transaction.
 * $1 = [plan id], $3 = NULL.
 */
export const SNAPSHOT_AS_OF = `
WITH ${itemFigures(true)},
leaves AS (SELECT plan_id, organization_id, task_id, section_id, weight, completion, expected, light FROM res),
anc AS (SELECT NULL::uuid AS node_id WHERE false),
${AGG},
wn AS (
  INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, expected, light, red, yellow, green)
  SELECT plan_id, $5, node_type, node_id, completion, expected, light, red, yellow, green FROM agg
  UNION ALL
  -- The plan's point is there even with nothing counted at the cut-off (no items yet): the trend
  -- shows the cycle, without figures.
  SELECT p, $5, 'plan', p, NULL, NULL, NULL, 0, 0, 0 FROM unnest($1::uuid[]) p
   WHERE NOT EXISTS (SELECT 1 FROM agg WHERE node_type = 'plan' AND node_id = p)
  ON CONFLICT DO NOTHING RETURNING 1),
wi AS (
  INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, expected, light)
  SELECT plan_id, $5, 'item', item_id, completion, expected, light FROM res
   WHERE light IN ('red', 'yellow') AND status IN ('assigned', 'in_progress', 'awaiting_closeout')
  ON CONFLICT DO NOTHING RETURNING 1),
x AS (
  SELECT i.id, i.lead_unit_id, i.co_unit_ids, i.status, i.weight, i.deadline, ${scoringDeadline('$6')} AS scoring_deadline,
         (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS closed_on,
         r.completion, r.light, r.reports_due, r.reports_on_time
    FROM it i JOIN res r ON r.item_id = i.id
   WHERE r.light IS NOT NULL),
roles AS (
  SELECT 'lead' AS role, x.lead_unit_id AS unit_id, x.* FROM x
  UNION ALL
  SELECT 'co', cu, x.* FROM x CROSS JOIN LATERAL unnest(x.co_unit_ids) cu)
${unitStatsOf('$2::date')}`;

/**
 * The same roll-up as one read-only statement: every item's figures and every key task, section
 * and plan, returned instead of stored. bench/rollup times it as the raw baseline; tests compare it
 * with what the worker stored. Parameters as ROLLUP, with $3 NULL.
 */
export const ROLLUP_SELECT = `
WITH ${itemFigures(false)},
leaves AS (SELECT plan_id, organization_id, task_id, section_id, weight, completion, expected, light FROM res),
anc AS (SELECT NULL::uuid AS node_id WHERE false),
${AGG}
SELECT node_type AS "nodeType", node_id AS "nodeId", completion::float8 AS completion, expected::float8 AS expected,
       light, red, yellow, green
  FROM agg`;
