import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { CycleRow } from '../cycles/cycles.repository';
import {
  CADENCE_GROUP,
  cutoffInstant,
  planWorkCalendar,
  reportingPeriods,
  SPAN_END,
  weeksDue,
} from '../cycles/reporting-periods.sql';
import type { NodeStatusRow } from '../rollup/rollup.repository';

export type PackCycle = Omit<CycleRow, 'status'>;

/**
 * The plan's ($1) items a pack reads, as `i`. An open cycle's: as they are. A closed cycle's: as
 * they stood at its cut-off (the end of its report due day, $2): status, deadline, original deadline
 * and closing instant from item_history, so a later cancellation, extension, close-out or reopening
 * does not rewrite the cycle (an item created since is not there). Who may read an item and who
 * answers for it (units, owner, leader, key task) stay as they are now.
 */
const packItems = (closed: boolean) =>
  closed
    ? `(SELECT i0.id, i0.plan_id, i0.title, i0.task_id, i0.lead_unit_id, i0.owner_id, i0.responsible_leader_id,
              h.status, h.deadline, h.original_deadline, h.closed_at
         FROM items i0
         JOIN LATERAL (
           SELECT h.status, h.deadline, h.original_deadline, h.closed_at FROM item_history h
            WHERE h.plan_id = i0.plan_id AND h.item_id = i0.id AND h.valid_from < ${cutoffInstant('$2::date')}
            ORDER BY h.valid_from DESC, h.id DESC LIMIT 1) h ON TRUE
        WHERE i0.plan_id = $1)`
    : 'items';

/**
 * Overdue as of $2 (Asia/Shanghai date): past the deadline then and not closed by then; cancelled,
 * suspended and draft items are left out (`i` from packItems: as they stood then, for a closed cycle).
 */
const OVERDUE_AS_OF = `i.deadline < $2::date AND i.status NOT IN ('cancelled', 'suspended', 'draft')
  AND (i.closed_at IS NULL OR (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`;

/** Open at $2, not past its deadline then, and lit (joined as `l`): at risk. */
const AT_RISK_AS_OF = `i.deadline >= $2::date AND i.status NOT IN ('cancelled', 'suspended', 'draft')
  AND (i.closed_at IS NULL OR (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`;

/**
 * Closed (销号) after the day $3 and by the day $2 (Asia/Shanghai): since the last meeting. Written
 * on the instant, so ix_items_plan_closed serves it.
 */
const CLOSED_BETWEEN = `i.status = 'closed'
  AND i.closed_at >= (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
  AND i.closed_at < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/**
 * The item lights a pack reads: those stored at a closed cycle's cut-off (`period`, the parameter
 * holding it) or, when that is NULL, the live red and yellow ones. The snapshot keeps open red and
 * yellow items only.
 */
const LIGHTS = (
  period: string,
) => `SELECT subject_id AS item_id, completion, expected, light FROM rollup_snapshots
   WHERE ${period}::text IS NOT NULL AND plan_id = $1 AND period = ${period}::text AND kind = 'item'
  UNION ALL
  SELECT item_id, completion, expected, light FROM item_status
   WHERE ${period}::text IS NULL AND plan_id = $1 AND light IN ('red', 'yellow')`;

const CYCLE_COLUMNS = `id, plan_id AS "planId", period, start_date AS "startDate", end_date AS "endDate",
  report_due AS "reportDue", meeting_date AS "meetingDate"`;

export interface PackCounts {
  items: number;
  closed: number;
  closedOnTime: number;
  overdue: number;
  noticed: number;
  closedSince: number;
}

/** A section's roll-up figures, as the roll-up stores a node's. */
export type SectionFigures = Omit<NodeStatusRow, 'nodeType' | 'nodeId'> & {
  sectionId: string;
  numbering: string | null;
  title: string;
};

export interface OverdueRow {
  itemId: string;
  visible: boolean;
  title: string | null;
  taskTitle: string | null;
  leadUnit: string;
  owner: string | null;
  responsibleLeader: string | null;
  deadline: string;
  overdueWorkdays: number;
  escalation: 'none' | 'remind' | 'urge' | 'supervise';
  carriedForward: boolean;
}

/**
 * Red at the previous cycle's cut-off ($3, its period; NULL for the first cycle): a red light in
 * that cut-off's item snapshot (joined as `ps`, see PREVIOUS_JOIN), or already overdue then. Still
 * red or overdue now = carried forward.
 */
const RED_AT_PREVIOUS = `($3::text IS NOT NULL AND (ps.light = 'red'
    OR i.deadline < (SELECT pc.report_due FROM dispatch_cycles pc WHERE pc.plan_id = $1 AND pc.period = $3::text)))`;
/** A join, not a correlated EXISTS: right after a cut-off the snapshot's statistics may be stale. */
const PREVIOUS_JOIN = `LEFT JOIN rollup_snapshots ps
  ON ps.plan_id = $1 AND ps.period = $3::text AND ps.kind = 'item' AND ps.subject_id = i.id`;

export interface AtRiskRow {
  itemId: string;
  visible: boolean;
  title: string | null;
  taskTitle: string | null;
  leadUnit: string;
  owner: string | null;
  responsibleLeader: string | null;
  deadline: string;
  completion: number | null;
  expected: number | null;
  light: 'red' | 'yellow';
  carriedForward: boolean;
}

export interface ClosedRow {
  itemId: string;
  visible: boolean;
  title: string | null;
  leadUnit: string;
  closedOn: string;
  onTime: boolean;
}

/** A page of a pack list: `limit` rows (NULL: all of them) after `offset`. */
export interface ListPage {
  limit: number | null;
  offset: number;
}

function pageClause(params: unknown[], page: ListPage): string {
  params.push(page.limit, page.offset);
  return `LIMIT $${params.length - 1}::int OFFSET $${params.length}::int`;
}

/** Details of items the caller may not read are withheld here, so no caller can forget to. */
function masked<T extends { visible: boolean; title: string | null }>(row: T): T {
  if (row.visible) return row;
  const r = row as T & {
    taskTitle?: string | null;
    owner?: string | null;
    responsibleLeader?: string | null;
  };
  r.title = null;
  if ('taskTitle' in r) r.taskTitle = null;
  if ('owner' in r) r.owner = null;
  if ('responsibleLeader' in r) r.responsibleLeader = null;
  return r;
}

/** The monthly dispatch pack's queries (月调度会材料). */
@Injectable()
export class DispatchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async cycle(organizationId: string, id: string): Promise<PackCycle | null> {
    const [row] = (await this.dataSource.query(
      `SELECT ${CYCLE_COLUMNS} FROM dispatch_cycles WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    )) as PackCycle[];
    return row ?? null;
  }

  /**
   * Items overdue as of `asOf` (Asia/Shanghai date): past their deadline then and not closed by then;
   * cancelled and suspended items are left out (their status today is taken as theirs then).
   * Working days overdue by the working-day index; the escalation reached by then from the reminder
   * ledger, by its deterministic keys for the current deadline (an extension starts a new episode).
   * Parameters: $1 plan, $2 as-of date, $3 the previous cycle's period (NULL for the first);
   * `detail` (the caller's read rule on `i`) appends its own. Most overdue first; one page of
   * `page.limit` rows (NULL: all) after `page.offset` (the total is in counts()).
   */
  async overdue(detail: string, params: unknown[], page: ListPage, closed: boolean): Promise<OverdueRow[]> {
    const q = [...params];
    // The page first, then its escalation: a lookup per listed row, not a pass over the ledger.
    const rows = (await this.dataSource.query(
      `WITH pg AS MATERIALIZED (
         SELECT i.id AS "itemId", ${detail} AS visible, i.title, t.title AS "taskTitle", lu.name AS "leadUnit",
                ow.name AS owner, rl.name AS "responsibleLeader", i.deadline,
                (wa.idx - wd.idx)::int AS "overdueWorkdays", ${RED_AT_PREVIOUS} AS "carriedForward"
           FROM ${packItems(closed)} i
           JOIN plan_tasks t ON t.id = i.task_id
           JOIN units lu ON lu.id = i.lead_unit_id
           LEFT JOIN users ow ON ow.id = i.owner_id
           LEFT JOIN users rl ON rl.id = i.responsible_leader_id
           -- The plan's organization's working days (its own index, or the national one), looked up once.
           JOIN work_day_index wd ON wd.calendar_id = ${planWorkCalendar('$1')} AND wd.date = i.deadline
           JOIN work_day_index wa ON wa.calendar_id = wd.calendar_id AND wa.date = $2::date
           ${PREVIOUS_JOIN}
          WHERE i.plan_id = $1 AND ${OVERDUE_AS_OF}
          -- Most working days overdue first: the working-day index never decreases with the date, so
          -- this is the earliest deadline first, which walks ix_items_plan_deadline and stops at the page.
          ORDER BY i.deadline, lu.name, i.id
          ${pageClause(q, page)})
       SELECT pg.*,
              -- The level reached by $2 in the current deadline's episode (reminder keys carry the deadline).
              coalesce((SELECT CASE max(CASE r.level WHEN 'supervise' THEN 3 WHEN 'urge' THEN 2 ELSE 1 END)
                                 WHEN 3 THEN 'supervise' WHEN 2 THEN 'urge' ELSE 'remind' END
                          FROM reminders r
                         WHERE r.item_id = pg."itemId" AND r.due_on <= $2::date
                           AND r.kind IN ('deadline-overdue', 'urge', 'supervise')
                           AND split_part(r.key, '.', 3) = pg.deadline::text), 'none') AS escalation
         FROM pg
        ORDER BY pg.deadline, pg."leadUnit", pg."itemId"`,
      q,
    )) as OverdueRow[];
    return rows.map(masked);
  }

  /**
   * The pack's headline counts as of $2 in one pass over the plan's items: items, closed (on time),
   * overdue and how many of those reached 督办, and closed since the last meeting ($3). The overdue
   * and closed lists' totals are these counts; the at-risk list counts itself.
   */
  async counts(planId: string, asOf: string, since: string, closed: boolean): Promise<PackCounts> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS items,
              count(*) FILTER (WHERE (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date)::int AS closed,
              count(*) FILTER (WHERE (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date
                                 AND (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= coalesce(i.original_deadline, i.deadline))::int
                AS "closedOnTime",
              count(*) FILTER (WHERE ${OVERDUE_AS_OF})::int AS overdue,
              count(*) FILTER (WHERE ${OVERDUE_AS_OF} AND sv.id IS NOT NULL)::int AS noticed,
              count(*) FILTER (WHERE ${CLOSED_BETWEEN})::int AS "closedSince"
         FROM ${packItems(closed)} i
         LEFT JOIN reminders sv ON sv.item_id = i.id AND sv.kind = 'supervise' AND sv.due_on <= $2::date
               AND sv.key = 'supervise.' || i.id || '.' || i.deadline
        WHERE i.plan_id = $1 AND i.status NOT IN ('cancelled', 'draft')`,
      [planId, asOf, since],
    )) as PackCounts[];
    return row;
  }

  /** The cycle before this one in the plan (for "since the last meeting" and changes); null for the first. */
  async previous(planId: string, period: string): Promise<PackCycle | null> {
    const [row] = (await this.dataSource.query(
      `SELECT ${CYCLE_COLUMNS} FROM dispatch_cycles WHERE plan_id = $1 AND period < $2 ORDER BY period DESC LIMIT 1`,
      [planId, period],
    )) as PackCycle[];
    return row ?? null;
  }

  /**
   * Items closed (销号) after $3 and up to $2 (Asia/Shanghai dates): since the last meeting, in the
   * order they were closed. Details per the read rule `detail`, whose parameters follow in `params`.
   */
  async closedBetween(
    detail: string,
    params: unknown[],
    page: ListPage,
    closed: boolean,
  ): Promise<ClosedRow[]> {
    const q = [...params];
    const rows = (await this.dataSource.query(
      `SELECT i.id AS "itemId", ${detail} AS visible, i.title, lu.name AS "leadUnit",
              (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "closedOn",
              (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= coalesce(i.original_deadline, i.deadline) AS "onTime"
         FROM ${packItems(closed)} i JOIN units lu ON lu.id = i.lead_unit_id
        WHERE i.plan_id = $1 AND ${CLOSED_BETWEEN}
        ORDER BY i.closed_at, i.id
        ${pageClause(q, page)}`,
      q,
    )) as ClosedRow[];
    return rows.map(masked);
  }

  /**
   * Each section's completion, 序时进度 and light: the cut-off snapshot for a closed cycle, the live
   * figures for an open one.
   */
  sections(planId: string, period: string | null) {
    return this.dataSource.query(
      period
        ? `SELECT s.id AS "sectionId", s.numbering, s.title, f.completion::float8 AS completion, f.expected::float8 AS expected,
                  f.light, coalesce(f.red, 0) AS red, coalesce(f.yellow, 0) AS yellow, coalesce(f.green, 0) AS green
             FROM plan_sections s
             LEFT JOIN rollup_snapshots f ON f.plan_id = s.plan_id AND f.kind = 'section' AND f.subject_id = s.id AND f.period = $2
            WHERE s.plan_id = $1 ORDER BY s.sort_order`
        : `SELECT s.id AS "sectionId", s.numbering, s.title, f.completion::float8 AS completion, f.expected::float8 AS expected,
                  f.light, coalesce(f.red, 0) AS red, coalesce(f.yellow, 0) AS yellow, coalesce(f.green, 0) AS green
             FROM plan_sections s
             LEFT JOIN node_status f ON f.node_type = 'section' AND f.node_id = s.id
            WHERE s.plan_id = $1 ORDER BY s.sort_order`,
      period ? [planId, period] : [planId],
    ) as Promise<SectionFigures[]>;
  }

  /**
   * At risk as of the cut-off: open, not overdue then, with a red or yellow light. A closed cycle
   * reads the lights stored at its cut-off ($4 = its period), an open one the live figures ($4 NULL).
   * Parameters: $1 plan, $2 as-of date, $3 previous period, $4 period or NULL; `detail` follows.
   * Red first, then the widest gap to 序时进度; one page, and the total.
   */
  async atRisk(
    detail: string,
    params: unknown[],
    page: ListPage,
  ): Promise<{ total: number; rows: AtRiskRow[] }> {
    const q = [...params];
    // A closed cycle ($4 set) judges its items as they stood at the cut-off, like its lights.
    const closed = params[3] !== null;
    // The page is chosen first (filter, then top-N) and only its rows are described: sorting every
    // at-risk row with its titles and names costs more than the join that finds them. The total
    // comes from the same filtered set.
    const rows = (await this.dataSource.query(
      `WITH f AS MATERIALIZED (
         SELECT i.id, i.deadline, l.completion, l.expected, l.light,
                coalesce(l.expected, 0) - coalesce(l.completion, 0) AS gap
           FROM (${LIGHTS('$4')}) l JOIN ${packItems(closed)} i ON i.id = l.item_id
          WHERE ${AT_RISK_AS_OF}),
       top AS (
         SELECT * FROM f ORDER BY (light = 'red') DESC, gap DESC, deadline, id ${pageClause(q, page)})
       SELECT (SELECT count(*) FROM f)::int AS total, i.id AS "itemId", ${detail} AS visible, i.title,
              t.title AS "taskTitle", lu.name AS "leadUnit", ow.name AS owner, rl.name AS "responsibleLeader",
              i.deadline, l.completion::float8 AS completion, l.expected::float8 AS expected, l.light,
              (l.light = 'red' AND ${RED_AT_PREVIOUS}) AS "carriedForward"
         FROM (SELECT 1) one
         LEFT JOIN top l ON TRUE
         LEFT JOIN items i ON i.id = l.id
         LEFT JOIN plan_tasks t ON t.id = i.task_id
         LEFT JOIN units lu ON lu.id = i.lead_unit_id
         LEFT JOIN users ow ON ow.id = i.owner_id
         LEFT JOIN users rl ON rl.id = i.responsible_leader_id
         ${PREVIOUS_JOIN}
        ORDER BY (l.light = 'red') DESC, l.gap DESC, i.deadline, i.id`,
      q,
    )) as (AtRiskRow & { total: number })[];
    // One row even for an empty page, so the total always comes back.
    const total = rows[0]?.total ?? 0;
    return {
      total,
      rows: rows.filter((r) => r.itemId !== null).map(({ total: _, ...r }) => masked(r as AtRiskRow)),
    };
  }

  /**
   * The reports owed in a cycle (due within its month), by lead unit, and where they stand on $3
   * (today, Asia/Shanghai): counted in SQL, the same rules as `expectedReports()` (the JS reference
   * behind GET /cycles/:id/expected-reports; test/e2e/dispatch-pack compares the two). The periods
   * due in the cycle: the cycle itself (monthly, once, ongoing), the quarter or the year it closes,
   * and the ISO weeks due on one of its days. An item owes a period overlapping its span
   * [start, deadline or closing day]. Not-yet-begun periods (upcoming) are left out.
   */
  reportsByUnit(
    planId: string,
    period: string,
    today: string,
  ): Promise<{ leadUnit: string; due: number; onTime: number; late: number; missing: number }[]> {
    return this.dataSource.query(
      `WITH c AS (
         SELECT plan_id, period, start_date, end_date, report_due FROM dispatch_cycles WHERE plan_id = $1 AND period = $2),
       pl AS (SELECT $1::uuid AS id, ${planWorkCalendar('$1')} AS cal),
       wk AS (${weeksDue('(SELECT start_date FROM c) - 14', '(SELECT end_date FROM c) + 7', 'SELECT cal FROM pl')}),
       per AS (
         SELECT p.* FROM (${reportingPeriods('c', 'wk', 'pl')}) p, c
          WHERE p.due BETWEEN c.start_date AND c.end_date AND p.s <= $3::date),
       -- Owed and submitted are counted apart and met by unit: joining every owed report to its
       -- submission costs more than both counts. An item owes a period overlapping its span.
       owed AS (
         SELECT i.lead_unit_id, count(*) AS due, count(*) FILTER (WHERE p.due < $3::date) AS past
           FROM items i JOIN per p ON p.grp = ${CADENCE_GROUP} AND p.s <= ${SPAN_END} AND p.e >= i.start_date
          WHERE i.plan_id = $1 AND i.status NOT IN ('draft', 'cancelled')
          GROUP BY i.lead_unit_id),
       sub AS (
         SELECT i.lead_unit_id,
                count(*) FILTER (WHERE rp.submitted <= rp.due) AS on_time,
                count(*) FILTER (WHERE rp.submitted > rp.due) AS late,
                count(*) FILTER (WHERE rp.due < $3::date) AS past
           -- The periods' submissions first (OFFSET 0 keeps them apart), then their items by hash.
           FROM (SELECT r.item_id, (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date AS submitted,
                        p.grp, p.s, p.e, p.due
                   FROM progress_reports r JOIN per p ON p.key = r.period_key
                  WHERE r.first_submitted_at IS NOT NULL OFFSET 0) rp
           JOIN items i ON i.id = rp.item_id
          WHERE i.plan_id = $1 AND i.status NOT IN ('draft', 'cancelled')
            AND rp.grp = ${CADENCE_GROUP} AND rp.s <= ${SPAN_END} AND rp.e >= i.start_date
          GROUP BY i.lead_unit_id)
       SELECT u.name AS "leadUnit", o.due::int AS due, coalesce(s.on_time, 0)::int AS "onTime",
              coalesce(s.late, 0)::int AS late, (o.past - coalesce(s.past, 0))::int AS missing
         FROM owed o JOIN units u ON u.id = o.lead_unit_id
         LEFT JOIN sub s ON s.lead_unit_id = o.lead_unit_id`,
      [planId, period, today],
    );
  }

  /** The plan's title and the organization's name, for the pack's heading. */
  async planHeading(
    planId: string,
  ): Promise<{ id: string; title: string; year: number; organization: string; openPack: boolean }> {
    const [row] = (await this.dataSource.query(
      `SELECT p.id, p.title, p.year, o.name AS organization, p.open_pack AS "openPack"
         FROM plans p JOIN organizations o ON o.id = p.organization_id WHERE p.id = $1`,
      [planId],
    )) as { id: string; title: string; year: number; organization: string; openPack: boolean }[];
    return row;
  }

  /** Plan completion and 序时进度 at each cut-off up to `period` (the snapshots). */
  trend(
    planId: string,
    period: string,
  ): Promise<{ period: string; completion: number | null; expected: number | null }[]> {
    return this.dataSource.query(
      `SELECT period, completion::float8 AS completion, expected::float8 AS expected FROM rollup_snapshots
        WHERE plan_id = $1 AND kind = 'plan' AND period <= $2 ORDER BY period`,
      [planId, period],
    );
  }

  /** The plan node's live figures. */
  async livePlanFigures(planId: string): Promise<{ completion: number | null; expected: number | null }> {
    const [row] = (await this.dataSource.query(
      `SELECT completion::float8 AS completion, expected::float8 AS expected FROM node_status
        WHERE node_type = 'plan' AND node_id = $1`,
      [planId],
    )) as { completion: number | null; expected: number | null }[];
    return row ?? { completion: null, expected: null };
  }

  /**
   * A meeting's actions and how the items they became stand as of $2. Parameters: $1 meeting,
   * $2 as-of date; `detail` follows.
   */
  meetingActions(detail: string, params: unknown[]) {
    return this.dataSource.query(
      `SELECT o.id AS "outcomeId", o.content, i.id AS "itemId", coalesce(${detail}, false) AS visible,
              CASE WHEN ${detail} THEN i.title END AS title, lu.name AS "leadUnit",
              CASE WHEN ${detail} THEN ow.name END AS owner, i.deadline::text AS deadline, i.status,
              s.completion::float8 AS completion, s.light,
              coalesce((i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date, false) AS done,
              coalesce(i.deadline < $2::date AND i.status NOT IN ('cancelled', 'suspended', 'draft')
                AND (i.closed_at IS NULL OR (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date), false) AS overdue
         FROM meeting_outcomes o
         LEFT JOIN items i ON i.meeting_outcome_id = o.id
         LEFT JOIN units lu ON lu.id = i.lead_unit_id
         LEFT JOIN users ow ON ow.id = i.owner_id
         LEFT JOIN item_status s ON s.item_id = i.id
        WHERE o.meeting_id = $1 AND o.kind = 'action'
        ORDER BY o.sort_order`,
      params,
    ) as Promise<
      {
        outcomeId: string;
        content: string;
        itemId: string | null;
        visible: boolean;
        title: string | null;
        leadUnit: string | null;
        owner: string | null;
        deadline: string | null;
        status: string | null;
        completion: number | null;
        light: string | null;
        done: boolean;
        overdue: boolean;
      }[]
    >;
  }

  async meetingOfCycle(cycleId: string): Promise<{ id: string; heldOn: string; title: string } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, held_on::text AS "heldOn", title FROM meetings WHERE cycle_id = $1`,
      [cycleId],
    )) as { id: string; heldOn: string; title: string }[];
    return row ?? null;
  }

  /** The lead-unit standings stored at a cycle's cut-off (rollup_snapshots, kind unit-lead). */
  snapshotStandings(
    planId: string,
    period: string,
  ): Promise<{ unitId: string; rank: number | null; score: number | null }[]> {
    return this.dataSource.query(
      `SELECT subject_id AS "unitId", rank, score::float8 AS score FROM rollup_snapshots
        WHERE plan_id = $1 AND period = $2 AND kind = 'unit-lead'`,
      [planId, period],
    );
  }

  unitNames(organizationId: string, ids: string[]): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query(
      `SELECT id, name FROM units WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
  }
}
