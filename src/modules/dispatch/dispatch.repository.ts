import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { CycleRow } from '../cycles/cycles.repository';
import type { NodeStatusRow } from '../rollup/rollup.repository';

export type PackCycle = Omit<CycleRow, 'status'>;

/**
 * Overdue as of $2 (Asia/Shanghai date): past the deadline then and not closed by then; cancelled,
 * suspended and draft items are left out (their status today is taken as theirs then).
 */
const OVERDUE_AS_OF = `i.deadline < $2::date AND i.status NOT IN ('cancelled', 'suspended', 'draft')
  AND (i.closed_at IS NULL OR (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`;

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

/** The monthly dispatch pack's queries (月调度会材料). */
@Injectable()
export class DispatchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async cycle(organizationId: string, id: string): Promise<PackCycle | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, plan_id AS "planId", period, start_date AS "startDate", end_date AS "endDate",
              report_due AS "reportDue", meeting_date AS "meetingDate"
         FROM dispatch_cycles WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    )) as PackCycle[];
    return row ?? null;
  }

  /**
   * Items overdue as of `asOf` (Asia/Shanghai date): past their deadline then and not closed by then;
   * cancelled and suspended items are left out (their status today is taken as theirs then).
   * Working days overdue by the working-day index; the escalation reached by then from the reminders.
   * `visible` is the caller's read rule (`detail`, a predicate on `i` whose parameters follow
   * $1 = plan id, $2 = as-of date and $3 = the previous cycle's period in `params`): others' details
   * are withheld.
   */
  overdue(detail: string, params: unknown[]): Promise<OverdueRow[]> {
    return this.dataSource.query(
      `SELECT i.id AS "itemId", ${detail} AS visible,
              CASE WHEN ${detail} THEN i.title END AS title,
              CASE WHEN ${detail} THEN t.title END AS "taskTitle",
              lu.name AS "leadUnit",
              CASE WHEN ${detail} THEN ow.name END AS owner,
              CASE WHEN ${detail} THEN rl.name END AS "responsibleLeader",
              i.deadline, (wa.idx - wd.idx)::int AS "overdueWorkdays",
              coalesce((SELECT CASE max(CASE r.level WHEN 'supervise' THEN 3 WHEN 'urge' THEN 2 ELSE 1 END)
                                 WHEN 3 THEN 'supervise' WHEN 2 THEN 'urge' ELSE 'remind' END
                          FROM reminders r
                         WHERE r.item_id = i.id AND r.due_on <= $2::date AND r.kind IN ('deadline-overdue', 'urge', 'supervise')
                           AND r.key LIKE '%.' || i.deadline::text || '%'), 'none') AS escalation,
              ${RED_AT_PREVIOUS} AS "carriedForward"
         FROM items i
         JOIN plan_tasks t ON t.id = i.task_id
         JOIN units lu ON lu.id = i.lead_unit_id
         LEFT JOIN users ow ON ow.id = i.owner_id
         LEFT JOIN users rl ON rl.id = i.responsible_leader_id
         JOIN work_day_index wd ON wd.date = i.deadline
         JOIN work_day_index wa ON wa.date = $2::date
         ${PREVIOUS_JOIN}
        WHERE i.plan_id = $1 AND ${OVERDUE_AS_OF}
        ORDER BY (wa.idx - wd.idx) DESC, i.deadline, lu.name, i.id`,
      params,
    );
  }

  async summary(planId: string, asOf: string) {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS items,
              count(*) FILTER (WHERE (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date)::int AS closed,
              count(*) FILTER (WHERE (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date
                                 AND (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= coalesce(i.original_deadline, i.deadline))::int
                AS "closedOnTime",
              count(*) FILTER (WHERE ${OVERDUE_AS_OF})::int
                AS overdue
         FROM items i WHERE i.plan_id = $1 AND i.status NOT IN ('cancelled', 'draft')`,
      [planId, asOf],
    )) as { items: number; closed: number; closedOnTime: number; overdue: number }[];
    return row;
  }

  /** The cycle before this one in the plan (for "since the last meeting" and changes); null for the first. */
  async previous(planId: string, period: string): Promise<PackCycle | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, plan_id AS "planId", period, start_date AS "startDate", end_date AS "endDate",
              report_due AS "reportDue", meeting_date AS "meetingDate"
         FROM dispatch_cycles WHERE plan_id = $1 AND period < $2 ORDER BY period DESC LIMIT 1`,
      [planId, period],
    )) as PackCycle[];
    return row ?? null;
  }

  /**
   * Items closed (销号) after $3 and up to $2 (Asia/Shanghai dates): since the last meeting. Details
   * per the read rule `detail`, whose parameters follow in `params`.
   */
  closedBetween(
    detail: string,
    params: unknown[],
  ): Promise<
    {
      itemId: string;
      visible: boolean;
      title: string | null;
      leadUnit: string;
      closedOn: string;
      onTime: boolean;
    }[]
  > {
    return this.dataSource.query(
      `SELECT i.id AS "itemId", ${detail} AS visible, CASE WHEN ${detail} THEN i.title END AS title, lu.name AS "leadUnit",
              (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "closedOn",
              (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= coalesce(i.original_deadline, i.deadline) AS "onTime"
         FROM items i JOIN units lu ON lu.id = i.lead_unit_id
        WHERE i.plan_id = $1 AND i.status = 'closed'
          AND (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $3::date
          AND (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date
        ORDER BY i.closed_at, i.id`,
      params,
    );
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
   */
  atRisk(detail: string, params: unknown[]): Promise<AtRiskRow[]> {
    return this.dataSource.query(
      `WITH lights AS (
         SELECT subject_id AS item_id, completion, expected, light FROM rollup_snapshots
          WHERE $4::text IS NOT NULL AND plan_id = $1 AND period = $4::text AND kind = 'item'
         UNION ALL
         SELECT item_id, completion, expected, light FROM item_status
          WHERE $4::text IS NULL AND plan_id = $1 AND light IN ('red', 'yellow'))
       SELECT i.id AS "itemId", ${detail} AS visible,
              CASE WHEN ${detail} THEN i.title END AS title,
              CASE WHEN ${detail} THEN t.title END AS "taskTitle",
              lu.name AS "leadUnit",
              CASE WHEN ${detail} THEN ow.name END AS owner,
              CASE WHEN ${detail} THEN rl.name END AS "responsibleLeader",
              i.deadline, l.completion::float8 AS completion, l.expected::float8 AS expected, l.light,
              (l.light = 'red' AND ${RED_AT_PREVIOUS}) AS "carriedForward"
         FROM lights l
         JOIN items i ON i.id = l.item_id
         JOIN plan_tasks t ON t.id = i.task_id
         JOIN units lu ON lu.id = i.lead_unit_id
         LEFT JOIN users ow ON ow.id = i.owner_id
         LEFT JOIN users rl ON rl.id = i.responsible_leader_id
         ${PREVIOUS_JOIN}
        WHERE i.deadline >= $2::date AND i.status NOT IN ('cancelled', 'suspended', 'draft')
          AND (i.closed_at IS NULL OR (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)
        ORDER BY (l.light = 'red') DESC, coalesce(l.expected, 0) - coalesce(l.completion, 0) DESC, i.deadline, i.id`,
      params,
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
