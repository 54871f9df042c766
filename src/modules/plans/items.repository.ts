import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import type { ReadTarget } from '../../core/database/read-router';
import { CADENCE_GROUP, reportingPeriods, SPAN_END, weeksDue } from '../cycles/reporting-periods.sql';
import type { Milestone } from '../rollup/domain/expected';
import { periodName } from '../workbench/domain/workbench';
import type { Cadence, ItemStatus, TargetSpec } from './domain/types';
import { ItemEntity } from './entities/item.entity';
import { textSearchForms } from './text-search';

/** An item row with what the access rules need (unit paths), read in one query. */
export interface ItemForAccess extends ItemEntity {
  leadUnitPath: string;
  coUnitIds: string[];
  coUnitPaths: string[];
}

export interface ItemView {
  id: string;
  planId: string;
  sectionId: string;
  taskId: string;
  sortOrder: number;
  title: string;
  detail: string;
  leadUnit: { id: string; name: string };
  coUnits: { id: string; name: string }[];
  responsibleLeader: { id: string; name: string };
  owner: { id: string; name: string } | null;
  startDate: string;
  deadline: string;
  originalDeadline: string | null;
  cadence: Cadence;
  weight: number;
  tags: string[];
  milestones: Milestone[];
  status: ItemStatus;
  statusReason: string | null;
  closedAt: string | null;
  version: number;
  targets: (Omit<TargetSpec, 'baseline'> & { baseline: number | null })[];
  /** The dispatch meeting whose action this item answers (会议交办), if any. */
  meeting: { meetingId: string; outcomeId: string; heldOn: string; title: string } | null;
}

export const LIGHTS = ['red', 'yellow', 'green'] as const;
export type Light = (typeof LIGHTS)[number];
/** A light filter value: a light, or `none` (no light: not computed yet, suspended, cancelled). */
export type LightFilter = Light | 'none';
export const REPORT_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReportStatusName = (typeof REPORT_STATUSES)[number];
/** The 工作台's lists (issue 15): see `todoCondition`. */
export const TODO_KINDS = ['report_due', 'returned', 'due_soon', 'overdue'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

/** What a list row carries beyond the item itself: stored figures, the next report, its place in the tree. */
export interface ItemExtras {
  figures: {
    light: Light | null;
    completion: number | null;
    expected: number | null;
    computedAt: string;
  } | null;
  nextReport: {
    period: string;
    periodName: string;
    dueOn: string;
    reportId: string | null;
    status: ReportStatusName | null;
  } | null;
  position: {
    plan: { id: string; title: string; numbering: string | null };
    section: { id: string; title: string; numbering: string | null };
    task: { id: string; title: string; numbering: string | null };
  };
}

/** Statuses in which an item reports (open, past draft): the lists of what is to be filed. */
const REPORTING = `('assigned', 'in_progress', 'awaiting_closeout')`;
/** Open statuses (plans/domain/item-status.ts OPEN_STATUSES). */
const OPEN = `('draft', 'assigned', 'in_progress', 'awaiting_closeout')`;

/**
 * CTEs naming `name` the reporting periods due inside each cycle of `cycles` (SQL over dispatch_cycles
 * giving plan_id, period, start_date, end_date, report_due): the same periods as
 * `GET /cycles/:id/expected-reports` (a period is the cycle's when its due day falls in the cycle's month).
 */
export function cyclePeriodsCtes(name: string, cycles: string): string[] {
  return [
    `${name}_c AS MATERIALIZED (${cycles})`,
    `${name}_pl AS (SELECT p.id, work_calendar(p.organization_id) AS cal FROM plans p WHERE p.id IN (SELECT plan_id FROM ${name}_c))`,
    `${name}_wk AS (${weeksDue(`(SELECT min(start_date) FROM ${name}_c) - 14`, `(SELECT max(end_date) FROM ${name}_c) + 7`, `SELECT cal FROM ${name}_pl`)})`,
    `${name} AS MATERIALIZED (
       SELECT p.* FROM (${reportingPeriods(`${name}_c`, `${name}_wk`, `${name}_pl`)}) p
         JOIN ${name}_c c ON c.plan_id = p.plan_id WHERE p.due BETWEEN c.start_date AND c.end_date)`,
  ];
}

/** Item `i` owes a report for a period of `periods` (a relation from cyclePeriodsCtes), as expected-reports counts it. */
const owesIn = (periods: string, extra = '') =>
  `EXISTS (SELECT 1 FROM ${periods} p WHERE p.plan_id = i.plan_id AND p.grp = ${CADENCE_GROUP}
             AND p.s <= ${SPAN_END} AND p.e >= i.start_date ${extra})`;

/** Each organization's current cycle per published plan on `today`: the earliest not closed. */
export const currentCyclesSql = (org: string, today: string) =>
  `SELECT DISTINCT ON (c.plan_id) c.plan_id, c.period, c.start_date, c.end_date, c.report_due
     FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id AND p.status = 'published'
    WHERE c.organization_id = ${org} AND c.status <> 'closed' AND c.report_due >= ${today}::date
    ORDER BY c.plan_id, c.period`;

/**
 * The 工作台's rules over an item `i` (SQL; `today`, `until` are parameters):
 * - report_due 待填报: a report expected in its plan's current cycle (`cur` periods) is not submitted
 *   (missing, draft or returned), and the item can still report;
 * - returned 已退回: a report of the item was returned and waits to be resubmitted;
 * - due_soon 即将到期: open, deadline from today to `until` (the 10th working day after today);
 * - overdue 已逾期: past its deadline and neither closed nor cancelled (ItemDto.overdue).
 */
export function todoCondition(kind: TodoKind, today: string, until: string): string {
  switch (kind) {
    case 'report_due':
      return `(i.status IN ${REPORTING} AND ${owesIn(
        'cur',
        `AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.item_id = i.id AND r.period_key = p.key
                              AND r.status IN ('submitted', 'approved'))`,
      )})`;
    case 'returned':
      return `(i.status IN ${REPORTING} AND EXISTS (SELECT 1 FROM progress_reports r WHERE r.item_id = i.id AND r.status = 'returned'))`;
    case 'due_soon':
      return `(i.status IN ${OPEN} AND i.deadline BETWEEN ${today}::date AND ${until}::date)`;
    case 'overdue':
      return `(i.deadline < ${today}::date AND i.status NOT IN ('closed', 'cancelled'))`;
  }
}

/** Item `i`'s light as a filter value (no stored row or no light: 'none'). */
export const LIGHT_OF = `coalesce((SELECT st.light FROM item_status st WHERE st.item_id = i.id), 'none')`;

/**
 * "My items": owned by the caller, led by one of `unitIds` (the caller's unit; a head's subtree), or
 * answered for by the caller as responsible leader (a leader owns nothing and leads no unit: without
 * this their 工作台 would be empty).
 */
export const mineCondition = (userId: string, unitIds: string) =>
  `(i.owner_id = ${userId} OR i.lead_unit_id = ANY(${unitIds}) OR i.responsible_leader_id = ${userId})`;

/** A pending request withdrawn because its item stopped. */
export interface LapsedRequest {
  kind: 'extension' | 'closeout';
  itemId: string;
  requestedDeadline: string | null;
  note: string | null;
}

export interface ItemSearchFilters {
  planId?: string;
  taskId?: string;
  unitId?: string;
  leadUnitId?: string;
  includeSubunits: boolean;
  ownerId?: string;
  leaderId?: string;
  statuses?: ItemStatus[];
  cadence?: Cadence;
  deadlineFrom?: string;
  deadlineTo?: string;
  overdueAsOf?: string;
  q?: string;
  /** "My items" (mineCondition): the caller and their unit path; `subtree` for a head. */
  mine?: { userId: string; unitId: string; subtree: boolean };
  lights?: LightFilter[];
  /** Items owing a report in this cycle (of the organization). */
  cycleId?: string;
  /** A 工作台 list, judged on `today` (due soon up to `dueSoonUntil`). */
  todo?: { kind: TodoKind; today: string; dueSoonUntil: string };
}

export const ITEM_SORTS = {
  plan: 's.sort_order, t.sort_order, i.sort_order, i.id',
  deadline: 'i.deadline, i.id',
  '-deadline': 'i.deadline DESC, i.id',
  title: 'i.title, i.id',
  status: 'i.status, i.deadline, i.id',
  '-updatedAt': 'i.updated_at DESC, i.id',
  // 领导视图: red lights first, then overdue open items, then yellow; nearest deadline first within each.
  attention: `CASE WHEN ${LIGHT_OF} = 'red' THEN 0
                   -- A scalar subquery: evaluated once per statement, not per row (duban_now() is PL/pgSQL).
                   WHEN i.deadline < ((SELECT duban_now()) AT TIME ZONE 'Asia/Shanghai')::date
                        AND i.status NOT IN ('closed', 'cancelled') THEN 1
                   WHEN ${LIGHT_OF} = 'yellow' THEN 2 ELSE 3 END, i.deadline, i.id`,
} as const;
export type ItemSort = keyof typeof ITEM_SORTS;

export type ItemWrite = Pick<
  ItemEntity,
  | 'title'
  | 'detail'
  | 'leadUnitId'
  | 'responsibleLeaderId'
  | 'ownerId'
  | 'startDate'
  | 'deadline'
  | 'cadence'
  | 'tags'
  | 'milestones'
  | 'status'
  | 'statusReason'
  | 'resumeStatus'
> & {
  weight: number;
  sortOrder: number;
  taskId: string;
  sectionId: string;
  closedAt: Date | null;
  originalDeadline?: string | null;
};

const COLUMNS: Record<keyof ItemWrite, string> = {
  title: 'title',
  detail: 'detail',
  leadUnitId: 'lead_unit_id',
  responsibleLeaderId: 'responsible_leader_id',
  ownerId: 'owner_id',
  startDate: 'start_date',
  deadline: 'deadline',
  cadence: 'cadence',
  tags: 'tags',
  milestones: 'milestones',
  status: 'status',
  statusReason: 'status_reason',
  resumeStatus: 'resume_status',
  weight: 'weight',
  sortOrder: 'sort_order',
  taskId: 'task_id',
  sectionId: 'section_id',
  closedAt: 'closed_at',
  originalDeadline: 'original_deadline',
};

/** node-postgres sends JS arrays as Postgres arrays: the jsonb column gets JSON text. */
const param = (key: keyof ItemWrite, value: unknown) =>
  key === 'milestones' ? JSON.stringify(value) : value;

const VIEW_COLUMNS = `
         i.id, i.plan_id AS "planId", i.section_id AS "sectionId", i.task_id AS "taskId", i.sort_order AS "sortOrder",
         i.title, i.detail, json_build_object('id', lu.id, 'name', lu.name) AS "leadUnit",
         coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.path)
                     FROM item_co_units cu JOIN units u ON u.id = cu.unit_id WHERE cu.item_id = i.id), '[]') AS "coUnits",
         json_build_object('id', rl.id, 'name', rl.name) AS "responsibleLeader",
         CASE WHEN ow.id IS NULL THEN NULL ELSE json_build_object('id', ow.id, 'name', ow.name) END AS "owner",
         i.start_date AS "startDate", i.deadline, i.original_deadline AS "originalDeadline", i.cadence, i.weight::float8 AS weight, i.tags, i.milestones, i.status,
         i.status_reason AS "statusReason", i.closed_at AS "closedAt", i.version,
         coalesce((SELECT json_agg(json_build_object('metric', tg.metric, 'comparator', tg.comparator, 'value', tg.value,
                     'valueText', tg.value_text, 'unit', tg.unit, 'baseline', tg.baseline, 'direction', tg.direction)::jsonb
                     -- The upper bound only where there is one (TargetSpec: present only for 'range').
                     || CASE WHEN tg.comparator = 'range'
                             THEN jsonb_build_object('upper', tg.value_upper, 'upperText', tg.value_upper_text)
                             ELSE '{}'::jsonb END
                     ORDER BY tg.sort_order) FROM item_targets tg WHERE tg.item_id = i.id), '[]') AS targets,
         (SELECT json_build_object('meetingId', m.id, 'outcomeId', mo.id, 'heldOn', m.held_on, 'title', m.title)
            FROM meeting_outcomes mo JOIN meetings m ON m.id = mo.meeting_id WHERE mo.id = i.meeting_outcome_id) AS meeting`;
/**
 * The list row (`GET /items?view=row`): what the list pages render (我的任务, 工作台, 计划总览, 领导视图), without the
 * text, co-units, targets, milestones, meeting and the ids `position` repeats: no per-row subquery, and
 * fewer bytes (issue 19).
 */
const ROW_COLUMNS = `
         i.id, i.title, json_build_object('id', lu.id, 'name', lu.name) AS "leadUnit",
         json_build_object('id', rl.id, 'name', rl.name) AS "responsibleLeader",
         CASE WHEN ow.id IS NULL THEN NULL ELSE json_build_object('id', ow.id, 'name', ow.name) END AS "owner",
         i.deadline, i.original_deadline AS "originalDeadline", i.status`;
/** What VIEW_COLUMNS reads besides `items i`. */
const VIEW_JOINS = `
    JOIN units lu ON lu.id = i.lead_unit_id
    JOIN users rl ON rl.id = i.responsible_leader_id
    LEFT JOIN users ow ON ow.id = i.owner_id`;
const VIEW_SELECT = `SELECT ${VIEW_COLUMNS} FROM items i ${VIEW_JOINS}`;

/** A list row (ROW_COLUMNS). */
export type ItemRowView = Pick<
  ItemView,
  'id' | 'title' | 'leadUnit' | 'responsibleLeader' | 'owner' | 'deadline' | 'originalDeadline' | 'status'
>;
/** Which columns a page's rows carry (`GET /items?view=`): the full ItemView or the list row. */
export const ITEM_VIEWS = ['full', 'row'] as const;
export type ItemViewKind = (typeof ITEM_VIEWS)[number];

type RawView = ItemView & { closedAt: Date | string | null };
const toView = (r: RawView): ItemView => ({
  ...r,
  closedAt: r.closedAt ? new Date(r.closedAt).toISOString() : null,
});
type RawExtras = {
  figures: (Omit<NonNullable<ItemExtras['figures']>, 'computedAt'> & { computedAt: string }) | null;
  nextReport: Omit<NonNullable<ItemExtras['nextReport']>, 'periodName'> | null;
  position: ItemExtras['position'];
};
const toExtras = (r: RawExtras): ItemExtras => ({
  figures: r.figures && { ...r.figures, computedAt: new Date(r.figures.computedAt).toISOString() },
  nextReport: r.nextReport && { ...r.nextReport, periodName: periodName(r.nextReport.period) },
  position: r.position,
});

/**
 * How far past a page's first row a list counts exactly (GET /items `total`): beyond it the total
 * is reported as that bound and `totalCapped` (shown as "1000+").
 */
export const TOTAL_BOUND = 1000;

/** The total a list reports from its bounded count (see TOTAL_BOUND). */
const bounded = (n: number, bound: number, exact?: boolean) =>
  !exact && n > bound ? { total: bound, capped: true } : { total: n, capped: false };

/** The only query code for items, their co-units and targets (and the lapse of their pending requests). */
@Injectable()
export class ItemsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /**
   * Runs a read outside any transaction as a named prepared statement, named by its text: each pooled
   * connection parses and plans it once instead of on every request (a list page's rows statement
   * spent as long planning as running: ≈ 9.8 → 4.7 ms). The texts are few (one per filter combination:
   * values always go as parameters), so the per-connection statement cache stays small.
   */
  private async prepared<T>(sql: string, params: unknown[], target?: ReadTarget): Promise<T[]> {
    // On the read replica's pool (a heavy read routed there) the same: its connections cache them too.
    const pool = target?.pool ?? ((this.dataSource.driver as PostgresDriver).master as Pool);
    const name = `duban_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    return (await pool.query<T & object>({ name, text: sql, values: params })).rows;
  }

  async getForAccess(
    organizationId: string,
    id: string,
    em?: EntityManager,
    lock = false,
  ): Promise<ItemForAccess | null> {
    const rows = (await this.em(em).query(
      `SELECT i.id, i.organization_id AS "organizationId", i.plan_id AS "planId", i.section_id AS "sectionId",
              i.task_id AS "taskId", i.sort_order AS "sortOrder", i.title, i.detail, i.lead_unit_id AS "leadUnitId",
              i.responsible_leader_id AS "responsibleLeaderId", i.owner_id AS "ownerId", i.start_date AS "startDate",
              i.deadline, i.original_deadline AS "originalDeadline", i.cadence, i.weight, i.tags, i.milestones, i.status,
              i.status_reason AS "statusReason",
              i.resume_status AS "resumeStatus", i.closed_at AS "closedAt", i.version,
              lu.path AS "leadUnitPath",
              coalesce(array(SELECT cu.unit_id FROM item_co_units cu WHERE cu.item_id = i.id ORDER BY cu.unit_id), '{}') AS "coUnitIds",
              coalesce(array(SELECT u.path FROM item_co_units cu JOIN units u ON u.id = cu.unit_id
                              WHERE cu.item_id = i.id ORDER BY cu.unit_id), '{}') AS "coUnitPaths"
         FROM items i JOIN units lu ON lu.id = i.lead_unit_id
        WHERE i.organization_id = $1 AND i.id = $2 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [organizationId, id],
    )) as ItemForAccess[];
    return rows[0] ?? null;
  }

  async views(organizationId: string, ids: string[], em?: EntityManager): Promise<ItemView[]> {
    if (ids.length === 0) return [];
    const rows = (await this.em(em).query(
      `${VIEW_SELECT} WHERE i.organization_id = $1 AND i.id = ANY($2::uuid[])`,
      [organizationId, ids],
    )) as RawView[];
    const byId = new Map(rows.map((r) => [r.id, toView(r)]));
    return ids.map((id) => byId.get(id)).filter((v): v is ItemView => v !== undefined);
  }

  /** Items of a plan in plan order, for the tree, exports and copies. */
  async viewsOfPlan(organizationId: string, planId: string, em?: EntityManager): Promise<ItemView[]> {
    const rows = (await this.em(em).query(
      `SELECT i.id FROM items i JOIN plan_tasks t ON t.id = i.task_id JOIN plan_sections s ON s.id = i.section_id
        WHERE i.organization_id = $1 AND i.plan_id = $2 ORDER BY ${ITEM_SORTS.plan}`,
      [organizationId, planId],
    )) as { id: string }[];
    return this.views(
      organizationId,
      rows.map((r) => r.id),
      em,
    );
  }

  async insert(em: EntityManager, organizationId: string, planId: string, w: ItemWrite): Promise<string> {
    const keys = Object.keys(COLUMNS) as (keyof ItemWrite)[];
    const [row] = (await em.query(
      `INSERT INTO items (organization_id, plan_id, ${keys.map((k) => COLUMNS[k]).join(', ')})
       VALUES ($1, $2, ${keys.map((_, n) => `$${n + 3}`).join(', ')}) RETURNING id`,
      [organizationId, planId, ...keys.map((k) => param(k, w[k]))],
    )) as { id: string }[];
    return row.id;
  }

  /** Optimistic locking made explicit: the update applies only to the version the caller read. */
  async update(em: EntityManager, id: string, version: number, patch: Partial<ItemWrite>): Promise<boolean> {
    const keys = Object.keys(patch) as (keyof ItemWrite)[];
    const sets = keys.map((k, n) => `${COLUMNS[k]} = $${n + 3}`);
    const result = (await em.query(
      `UPDATE items SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = $1 AND version = $2`,
      [id, version, ...keys.map((k) => param(k, patch[k]))],
    )) as [unknown[], number];
    return result[1] === 1;
  }

  /** Ties an item to the meeting action it answers (会议交办). */
  async linkMeetingOutcome(em: EntityManager, itemId: string, outcomeId: string): Promise<void> {
    await em.query(`UPDATE items SET meeting_outcome_id = $2 WHERE id = $1`, [itemId, outcomeId]);
  }

  async replaceCoUnits(em: EntityManager, itemId: string, unitIds: string[]): Promise<void> {
    await em.query(`DELETE FROM item_co_units WHERE item_id = $1`, [itemId]);
    if (unitIds.length) {
      await em.query(`INSERT INTO item_co_units (item_id, unit_id) SELECT $1, unnest($2::uuid[])`, [
        itemId,
        unitIds,
      ]);
    }
  }

  async replaceTargets(em: EntityManager, itemId: string, targets: TargetSpec[]): Promise<void> {
    await em.query(`DELETE FROM item_targets WHERE item_id = $1`, [itemId]);
    for (const [n, t] of targets.entries()) {
      await em.query(
        `INSERT INTO item_targets (item_id, sort_order, metric, comparator, value, value_text, unit, baseline, direction,
                                   value_upper, value_upper_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          itemId,
          n + 1,
          t.metric,
          t.comparator,
          t.value,
          t.valueText,
          t.unit,
          t.baseline ?? null,
          t.direction,
          t.comparator === 'range' ? (t.upper ?? null) : null,
          t.comparator === 'range'
            ? (t.upperText ?? (t.upper === null || t.upper === undefined ? 'x' : String(t.upper)))
            : null,
        ],
      );
    }
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM items WHERE id = $1`, [id]);
  }

  /**
   * Withdraws the pending extension and close-out requests of these items (they stopped), noting
   * who and why; returns what was withdrawn, for the audit.
   */
  withdrawPendingRequests(
    em: EntityManager,
    itemIds: string[],
    by: string,
    reason: string,
  ): Promise<LapsedRequest[]> {
    return em.query(
      `WITH e AS (UPDATE deadline_extensions SET status = 'withdrawn', decided_by = $2, decided_at = now(), decision_comment = $3
                   WHERE item_id = ANY($1::uuid[]) AND status = 'pending' RETURNING item_id, requested_deadline),
            c AS (UPDATE closeout_requests SET status = 'withdrawn', decided_by = $2, decided_at = now(), decision_reason = $3
                   WHERE item_id = ANY($1::uuid[]) AND status = 'pending' RETURNING item_id, note)
       SELECT 'extension' AS kind, item_id AS "itemId", requested_deadline AS "requestedDeadline", NULL::text AS note FROM e
       UNION ALL
       SELECT 'closeout', item_id, NULL::date, note FROM c`,
      [itemIds, by, reason],
    );
  }

  openItemIdsOfTask(
    em: EntityManager,
    taskId: string,
  ): Promise<{ id: string; status: ItemStatus; version: number }[]> {
    return em.query(
      `SELECT id, status, version FROM items WHERE task_id = $1 AND status NOT IN ('closed','cancelled') ORDER BY sort_order FOR UPDATE`,
      [taskId],
    );
  }

  /**
   * One page of items matching the filters, within the caller's read scope (`scope.sql` over `items i`
   * with its parameters already in `scope.params`), and the total: exact up to TOTAL_BOUND rows past
   * the page's first row (`capped` beyond that, unless `exactTotal`), so a broad list never counts
   * tens of thousands of rows while paging still reaches TOTAL_BOUND rows further. A unit filter
   * matches the lead unit or a co-unit (two index lookups OR-ed). The plan order over many matches
   * walks key tasks in plan order and each task's items by index (ix_items_task_walk), stopping after
   * the page; fewer matches, or other orders, are sorted whole. Sort keys come from an allow-list.
   * The count and the page's ids are one statement (one round trip; see searchSql).
   */
  async search(
    organizationId: string,
    scope: { sql: string; params: unknown[] },
    f: ItemSearchFilters,
    page: { page: number; pageSize: number; sort: ItemSort; exactTotal?: boolean },
    target?: ReadTarget,
  ): Promise<{ total: number; capped: boolean; ids: string[] }> {
    const q = this.searchSql(organizationId, scope, f, page);
    const [row] = await this.prepared<{ n: number; ids: string[] }>(
      `WITH ${q.ctes.join(',\n')} SELECT page_n.n, page_ids.ids FROM page_n, page_ids`,
      q.params,
      target,
    );
    return { ...bounded(row.n, q.bound, page.exactTotal), ids: row.ids };
  }

  /**
   * A list query's parameters and CTEs, ending with `page_n` (the bounded count, column n) and
   * `page_ids` (the page's ids in order, column ids).
   */
  private searchSql(
    organizationId: string,
    scope: { sql: string; params: unknown[] },
    f: ItemSearchFilters,
    page: { page: number; pageSize: number; sort: ItemSort; exactTotal?: boolean },
  ) {
    const params = [...scope.params];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const org = p(organizationId);
    const where = [`i.organization_id = ${org}`, scope.sql];
    if (f.planId) where.push(`i.plan_id = ${p(f.planId)}`);
    if (f.taskId) where.push(`i.task_id = ${p(f.taskId)}`);
    if (f.ownerId) where.push(`i.owner_id = ${p(f.ownerId)}`);
    if (f.leaderId) where.push(`i.responsible_leader_id = ${p(f.leaderId)}`);
    if (f.statuses?.length) where.push(`i.status = ANY(${p(f.statuses)}::text[])`);
    if (f.cadence) where.push(`i.cadence = ${p(f.cadence)}`);
    if (f.deadlineFrom) where.push(`i.deadline >= ${p(f.deadlineFrom)}::date`);
    if (f.deadlineTo) where.push(`i.deadline <= ${p(f.deadlineTo)}::date`);
    if (f.overdueAsOf)
      where.push(`i.deadline < ${p(f.overdueAsOf)}::date AND i.status NOT IN ('closed','cancelled')`);
    // Substring of title and detail in two equivalent forms (text-search.ts): through the n-gram
    // index, or tested row by row (a scan that stops early when the query is common; the walk).
    const text = f.q ? textSearchForms(f.q, p) : undefined;
    const unitSet = (unitId: string) =>
      f.includeSubunits
        ? `ARRAY(SELECT su.id FROM units su WHERE su.organization_id = ${org}
              AND su.path LIKE (SELECT ru.path FROM units ru WHERE ru.id = ${p(unitId)} AND ru.organization_id = ${org}) || '%')`
        : `ARRAY(SELECT ru.id FROM units ru WHERE ru.id = ${p(unitId)} AND ru.organization_id = ${org})`;
    if (f.leadUnitId) where.push(`i.lead_unit_id = ANY(${unitSet(f.leadUnitId)})`);
    // The unit filter in two equivalent forms: ids as an array (ORs two bitmap index scans: counting,
    // sorting a few matches), or a hashed IN for the walk, which tests it row by row.
    let unitCond: { set: string; walk: string } | undefined;
    if (f.unitId) {
      const set = unitSet(f.unitId);
      const coItems = `SELECT cu.item_id FROM item_co_units cu WHERE cu.unit_id = ANY(${set})`;
      unitCond = {
        set: `(i.lead_unit_id = ANY(${set}) OR i.id = ANY(ARRAY(${coItems})))`,
        walk: `(i.lead_unit_id = ANY(${set}) OR i.id IN (${coItems}))`,
      };
    }
    const ctes = this.workbenchFilters(f, org, p, where);
    const condOf = (textCond: string | undefined, unit: string | undefined) =>
      [...where, ...(textCond ? [textCond] : []), ...(unit ? [unit] : [])].join(' AND ');
    const cond = condOf(text?.index, unitCond?.set);
    // A common query's count and sort scan and test rows (they stop at the LIMIT's matches, or use
    // the other filters' indexes) instead of collecting every match from the n-gram index first.
    const scanCond = condOf(text?.scan, unitCond?.set);
    // The walk visits rows by the walk index anyway: the plain test is the cheap one there.
    const walkCond = condOf(text?.scan, unitCond?.walk);
    const offset = (page.page - 1) * page.pageSize;
    const bound = offset + TOTAL_BOUND;
    // Only if used: PostgreSQL cannot type a parameter no statement mentions.
    const wanted = !page.exactTotal || text ? p(bound + 1) : '';
    // Decided once per statement, before the count, from the index's statistics (text-search.ts).
    const common = '(SELECT common FROM page_text)';
    if (text) ctes.push(`page_text AS MATERIALIZED (SELECT ${text.common(`${wanted}::int`)} AS common)`);
    // Exact, or up to one row past the bound (enough to tell "more than the bound").
    const capped = (c: string) =>
      `(SELECT count(*)::int FROM (SELECT 1 FROM items i WHERE ${c} LIMIT ${wanted}) m)`;
    const count = page.exactTotal
      ? `(SELECT count(*)::int FROM items i WHERE ${cond})`
      : text
        ? `CASE WHEN ${common} THEN ${capped(scanCond)} ELSE ${capped(cond)} END`
        : capped(cond);
    const order = ITEM_SORTS[page.sort];
    // Only the plan order needs the sections and tasks (the attention order's `st.` is item_status).
    const tree = /\b[st]\./.test(order)
      ? 'JOIN plan_tasks t ON t.id = i.task_id JOIN plan_sections s ON s.id = i.section_id'
      : '';
    const offsetRef = p(offset);
    const limits = ` LIMIT ${p(page.pageSize)} OFFSET ${offsetRef}`;
    const sortedBy = (c: string) => `SELECT i.id FROM items i ${tree} WHERE ${c} ORDER BY ${order}${limits}`;
    // The sorted page: by the index or by the scan, as the count was decided.
    const sorted = text
      ? `SELECT id FROM (${sortedBy(scanCond)}) c WHERE ${common}
         UNION ALL SELECT id FROM (${sortedBy(cond)}) r WHERE NOT ${common}`
      : sortedBy(cond);
    let walk: string | undefined;
    if (page.sort === 'plan') {
      // Many matches in plan order: key tasks in order, each task's matching items by the walk index;
      // the incremental sort stops after the page. Same order as ITEM_SORTS.plan. (The OFFSET 0 fences
      // are a guard: on the bench statistics the planner walks without them too, but a flattened join
      // could be re-costed into a hash join that sorts every match, as the unwalked query does.)
      const tasks = [`t.organization_id = ${org}`];
      if (f.planId) tasks.push(`t.plan_id = ${p(f.planId)}`);
      if (f.taskId) tasks.push(`t.id = ${p(f.taskId)}`);
      walk = `SELECT i.id FROM (
               SELECT t.id, s.sort_order AS s_order, t.sort_order AS t_order
                 FROM plan_tasks t JOIN plan_sections s ON s.id = t.section_id
                WHERE ${tasks.join(' AND ')} ORDER BY s.sort_order, t.sort_order OFFSET 0) tt
             CROSS JOIN LATERAL (SELECT i.id, i.sort_order FROM items i WHERE i.task_id = tt.id AND ${walkCond}
                                  ORDER BY i.sort_order, i.id OFFSET 0) i
             ORDER BY tt.s_order, tt.t_order, i.sort_order, i.id${limits}`;
    }
    // The page exists only below the count; the walk serves the plan order past TOTAL_BOUND matches.
    // Both forms are planned, a one-time filter on the count runs one (what the count decided before).
    const n = '(SELECT n FROM page_n)';
    const gate = `${n} > ${offsetRef}`;
    const ids = walk
      ? `SELECT id FROM (${walk}) w WHERE ${gate} AND ${n} > ${TOTAL_BOUND}
         UNION ALL SELECT id FROM (${sorted}) o WHERE ${gate} AND ${n} <= ${TOTAL_BOUND}`
      : `SELECT id FROM (${sorted}) o WHERE ${gate}`;
    ctes.push(
      `page_n AS MATERIALIZED (SELECT ${count} AS n)`,
      `page_ids AS MATERIALIZED (SELECT ARRAY(${ids}) AS ids)`,
    );
    return { params, ctes, bound };
  }

  /**
   * The items of a plan the caller may read (`scope`), optionally of one responsible leader, counted per
   * lead unit: red and overdue first (领导视图's "units I oversee").
   */
  async countsByLeadUnit(
    organizationId: string,
    scope: { sql: string; params: unknown[] },
    f: { planId: string; leaderId?: string; today: string },
  ): Promise<
    {
      unitId: string;
      unitName: string;
      items: number;
      open: number;
      red: number;
      yellow: number;
      green: number;
      overdue: number;
    }[]
  > {
    const params = [...scope.params];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [`i.organization_id = ${p(organizationId)}`, scope.sql, `i.plan_id = ${p(f.planId)}`];
    if (f.leaderId) where.push(`i.responsible_leader_id = ${p(f.leaderId)}`);
    const open = `i.status NOT IN ('closed', 'cancelled')`;
    return (await this.dataSource.query(
      `SELECT u.id AS "unitId", u.name AS "unitName", count(*)::int AS items,
              count(*) FILTER (WHERE ${open})::int AS open,
              count(*) FILTER (WHERE st.light = 'red')::int AS red,
              count(*) FILTER (WHERE st.light = 'yellow')::int AS yellow,
              count(*) FILTER (WHERE st.light = 'green')::int AS green,
              count(*) FILTER (WHERE ${open} AND i.deadline < ${p(f.today)}::date)::int AS overdue
         FROM items i JOIN units u ON u.id = i.lead_unit_id
         LEFT JOIN item_status st ON st.item_id = i.id
        WHERE ${where.join(' AND ')}
        GROUP BY u.id, u.name, u.path
        ORDER BY red DESC, overdue DESC, yellow DESC, u.path`,
      params,
    )) as {
      unitId: string;
      unitName: string;
      items: number;
      open: number;
      red: number;
      yellow: number;
      green: number;
      overdue: number;
    }[];
  }

  /**
   * The conditions of the workbench filters (mine, light, cycle, todo) over `items i`, pushed onto
   * `where`; returns the CTEs they need. The summary counts use the same fragments (workbenchCounts),
   * so a count always equals the total of its list.
   */
  private workbenchFilters(
    f: ItemSearchFilters,
    org: string,
    p: (v: unknown) => string,
    where: string[],
  ): string[] {
    const ctes: string[] = [];
    if (f.mine) where.push(mineCondition(p(f.mine.userId), this.mineUnits(f.mine, org, p)));
    if (f.lights?.length) where.push(`${LIGHT_OF} = ANY(${p(f.lights)}::text[])`);
    if (f.cycleId) {
      ctes.push(
        ...cyclePeriodsCtes(
          'cyc',
          `SELECT plan_id, period, start_date, end_date, report_due FROM dispatch_cycles
            WHERE organization_id = ${org} AND id = ${p(f.cycleId)}`,
        ),
      );
      where.push(`i.status NOT IN ('draft', 'cancelled') AND ${owesIn('cyc')}`);
    }
    if (f.todo) {
      // Only the parameters a rule uses: PostgreSQL cannot type a parameter no statement mentions.
      const { kind } = f.todo;
      const today = kind === 'returned' ? 'NULL' : p(f.todo.today);
      const until = kind === 'due_soon' ? p(f.todo.dueSoonUntil) : 'NULL';
      if (kind === 'report_due') ctes.push(...cyclePeriodsCtes('cur', currentCyclesSql(org, today)));
      where.push(todoCondition(kind, today, until));
    }
    return ctes;
  }

  /** The lead units "mine" covers: the caller's unit, with its subtree for a head. */
  private mineUnits(
    mine: NonNullable<ItemSearchFilters['mine']>,
    org: string,
    p: (v: unknown) => string,
  ): string {
    const unit = p(mine.unitId);
    return mine.subtree
      ? `ARRAY(SELECT su.id FROM units su WHERE su.organization_id = ${org}
            AND su.path LIKE (SELECT ru.path FROM units ru WHERE ru.id = ${unit} AND ru.organization_id = ${org}) || '%')`
      : `ARRAY[${unit}::uuid]`;
  }

  /**
   * The 工作台's counts over the caller's "my items" (within their read scope), in one statement:
   * each todo list and each light, by the very conditions the list filters use.
   */
  async workbenchCounts(
    organizationId: string,
    scope: { sql: string; params: unknown[] },
    mine: NonNullable<ItemSearchFilters['mine']>,
    today: string,
    dueSoonUntil: string,
  ): Promise<Record<TodoKind | LightFilter, number>> {
    const params = [...scope.params];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const org = p(organizationId);
    const t = p(today);
    const until = p(dueSoonUntil);
    const mineSql = mineCondition(p(mine.userId), this.mineUnits(mine, org, p));
    const counts = TODO_KINDS.map(
      (k) => `count(*) FILTER (WHERE ${todoCondition(k, t, until)})::int AS "${k}"`,
    );
    const lights = [...LIGHTS, 'none'].map(
      (l) => `count(*) FILTER (WHERE ${LIGHT_OF} = '${l}')::int AS "${l}"`,
    );
    const [row] = (await this.dataSource.query(
      `WITH ${cyclePeriodsCtes('cur', currentCyclesSql(org, t)).join(',\n')}
       SELECT ${[...counts, ...lights].join(', ')}
         FROM items i WHERE i.organization_id = ${org} AND ${scope.sql} AND ${mineSql}`,
      params,
    )) as Record<TodoKind | LightFilter, number>[];
    return row;
  }

  /**
   * Figures, next report and tree position of the given items (a page, or one item), in one
   * statement over those ids only. The next report is the earliest owed period not yet approved
   * (items that still report), or, with `cycleId`, the period owed in that cycle whatever its state.
   */
  async extras(
    organizationId: string,
    ids: string[],
    cycleId?: string,
    em?: EntityManager,
  ): Promise<Map<string, ItemExtras>> {
    if (ids.length === 0) return new Map();
    const { sql, params } = this.extrasStatement(organizationId, ids, cycleId, false);
    const rows = (await this.em(em).query(sql, params)) as (RawExtras & { id: string })[];
    return new Map(rows.map((r) => [r.id, toExtras(r)]));
  }

  /**
   * A list page's rows: each item's view (as `views`) with its extras (as `extras`), in one statement,
   * in the order of `ids` (one round trip and one pooled connection for the rows of a page).
   */
  async pageRows(
    organizationId: string,
    ids: string[],
    cycleId?: string,
    target?: ReadTarget,
  ): Promise<{ view: ItemView; extras: ItemExtras }[]> {
    const rows = await this.rowsWith<RawView>(organizationId, ids, cycleId, 'full', target);
    return rows.map((r) => ({ view: toView(r.view), extras: r.extras }));
  }

  /** pageRows with the list row (ROW_COLUMNS) instead of the full view: `GET /items?view=row`. */
  pageListRows(
    organizationId: string,
    ids: string[],
    cycleId?: string,
    target?: ReadTarget,
  ): Promise<{ view: ItemRowView; extras: ItemExtras }[]> {
    return this.rowsWith<ItemRowView>(organizationId, ids, cycleId, 'row', target);
  }

  private async rowsWith<V extends { id: string }>(
    organizationId: string,
    ids: string[],
    cycleId: string | undefined,
    kind: ItemViewKind,
    target?: ReadTarget,
  ): Promise<{ view: V; extras: ItemExtras }[]> {
    if (ids.length === 0) return [];
    const { sql, params } = this.extrasStatement(organizationId, ids, cycleId, kind);
    const rows = await this.prepared<V & RawExtras>(sql, params, target);
    const byId = new Map(
      rows.map(({ figures, nextReport, position, ...view }) => [
        view.id,
        { view: view as unknown as V, extras: toExtras({ figures, nextReport, position }) },
      ]),
    );
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The extras statement over `ids`; `withView` adds the columns of VIEW_COLUMNS (`full`) or ROW_COLUMNS (`row`). */
  private extrasStatement(
    organizationId: string,
    ids: string[],
    cycleId: string | undefined,
    withView: ItemViewKind | false,
  ): { sql: string; params: unknown[] } {
    const params: unknown[] = [organizationId, ids];
    let cycleFilter = '';
    // Owed and not approved: the period is not among the item's approved ones (one per item and period).
    let stateFilter = `i.status IN ${REPORTING} AND NOT (p.key = ANY (i.approved))`;
    if (cycleId) {
      params.push(cycleId);
      cycleFilter = `AND id = $3`;
      stateFilter = `i.status NOT IN ('draft', 'cancelled')`;
    }
    const sql = `WITH pi AS MATERIALIZED (
         SELECT i.id, i.plan_id, i.section_id, i.task_id, i.cadence, i.start_date, i.deadline, i.closed_at, i.status
           FROM items i WHERE i.organization_id = $1 AND i.id = ANY($2::uuid[])),
       pc AS (SELECT plan_id, period, start_date, end_date, report_due FROM dispatch_cycles
               WHERE plan_id IN (SELECT plan_id FROM pi) ${cycleFilter}),
       pl AS (SELECT p.id, work_calendar(p.organization_id) AS cal FROM plans p WHERE p.id IN (SELECT plan_id FROM pi)),
       wk AS (${weeksDue(
         cycleId ? '(SELECT min(start_date) FROM pc) - 14' : '(SELECT min(start_date) FROM pi) - 7',
         cycleId ? '(SELECT max(end_date) FROM pc) + 7' : '(SELECT max(deadline) FROM pi) + 7',
         'SELECT cal FROM pl',
       )}),
       -- Materialized: inlined, the periods (weeks included) were enumerated again for every item of the page.
       per AS MATERIALIZED (
         SELECT p.* FROM (${reportingPeriods('pc', 'wk', 'pl')}) p
         ${cycleId ? 'JOIN pc ON pc.plan_id = p.plan_id WHERE p.due BETWEEN pc.start_date AND pc.end_date' : ''}),
       -- The page's approved periods in one index range read, attached to each item before the periods are
       -- enumerated: probing progress_reports once per (item, period) pair (≈ 13 per item) cost most of
       -- this statement (issue 19). Only the chosen period's report is then looked up.
       pa AS MATERIALIZED (
         SELECT pi.*, coalesce(ap.keys, '{}') AS approved FROM pi
           LEFT JOIN (SELECT r.item_id, array_agg(r.period_key) AS keys FROM progress_reports r
                       WHERE r.item_id IN (SELECT id FROM pi) AND r.status = 'approved' GROUP BY r.item_id) ap
             ON ap.item_id = pi.id),
       -- Materialized: joined in place, its sorted result was rescanned once per row of the page.
       np AS MATERIALIZED (
         SELECT DISTINCT ON (i.id) i.id, p.key, p.due
           FROM pa i JOIN per p ON p.plan_id = i.plan_id AND p.grp = ${CADENCE_GROUP}
                               AND p.s <= ${SPAN_END} AND p.e >= i.start_date
          WHERE ${stateFilter}
          ORDER BY i.id, p.due, p.key),
       nr AS (
         SELECT np.id, np.key, np.due, r.id AS report_id, r.status
           FROM np LEFT JOIN progress_reports r ON r.item_id = np.id AND r.period_key = np.key)
       SELECT ${withView === 'full' ? VIEW_COLUMNS : withView === 'row' ? ROW_COLUMNS : 'pi.id'},
              CASE WHEN st.item_id IS NULL THEN NULL ELSE json_build_object(
                'light', st.light, 'completion', st.completion::float8, 'expected', st.expected::float8,
                'computedAt', st.computed_at) END AS figures,
              CASE WHEN nr.id IS NULL THEN NULL ELSE json_build_object(
                'period', nr.key, 'dueOn', nr.due, 'reportId', nr.report_id, 'status', nr.status) END AS "nextReport",
              json_build_object(
                'plan', json_build_object('id', pn.id, 'title', pn.title, 'numbering', NULL),
                'section', json_build_object('id', s.id, 'title', s.title, 'numbering', s.numbering),
                'task', json_build_object('id', t.id, 'title', t.title, 'numbering', t.numbering)) AS position
         FROM pi JOIN plans pn ON pn.id = pi.plan_id
         JOIN plan_sections s ON s.id = pi.section_id JOIN plan_tasks t ON t.id = pi.task_id
         LEFT JOIN item_status st ON st.item_id = pi.id
         LEFT JOIN nr ON nr.id = pi.id
         ${withView ? `JOIN items i ON i.id = pi.id ${VIEW_JOINS}` : ''}`;
    return { sql, params };
  }

  /** Target ids of an item, in display order. */
  async targetIds(itemId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM item_targets WHERE item_id = $1 ORDER BY sort_order`,
      [itemId],
    )) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** Target id → unit, for checking reported figures. */
  async targetUnits(itemId: string, em?: EntityManager): Promise<Map<string, string>> {
    const rows = (await this.em(em).query(`SELECT id, unit FROM item_targets WHERE item_id = $1`, [
      itemId,
    ])) as {
      id: string;
      unit: string;
    }[];
    return new Map(rows.map((r) => [r.id, r.unit]));
  }
}
