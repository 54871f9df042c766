import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { calendarFromDays, overlayCalendar, WorkCalendar } from '../../core/calendar/working-days';
import { cyclesForYear } from './domain/cycles';
import type { Comparator } from '../plans/domain/types';

export interface CycleRow {
  id: string;
  planId: string;
  period: string;
  startDate: string;
  endDate: string;
  reportDue: string;
  meetingDate: string;
  status: 'open' | 'closed';
}

export interface CalendarDayRow {
  date: string;
  year: number;
  kind: 'holiday' | 'workday';
  name: string;
}

/** One of an organization's own exceptions to the national calendar. */
export interface LocalDayRow {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

const CYCLE = `id, plan_id AS "planId", period, start_date AS "startDate", end_date AS "endDate",
  report_due AS "reportDue", meeting_date AS "meetingDate", status`;

/** The only query code for the working-day calendar and dispatch cycles. */
@Injectable()
export class CyclesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /**
   * An organization's effective calendar (national days with its own exceptions laid over them, a
   * few hundred rows), read fresh so an edit applies at once on every replica.
   */
  async calendar(organizationId: string, em?: EntityManager): Promise<WorkCalendar> {
    const [national, local] = await Promise.all([
      this.em(em).query(`SELECT date, year, kind FROM calendar_days`) as Promise<CalendarDayRow[]>,
      this.em(em).query(`SELECT date, kind FROM organization_calendar_days WHERE organization_id = $1`, [
        organizationId,
      ]) as Promise<LocalDayRow[]>,
    ]);
    return overlayCalendar(national, local);
  }

  /** The national calendar alone (what the State Council's notices say). */
  async nationalCalendar(em?: EntityManager): Promise<WorkCalendar> {
    return calendarFromDays(
      (await this.em(em).query(`SELECT date, year, kind FROM calendar_days`)) as CalendarDayRow[],
    );
  }

  calendarYear(year: number): Promise<CalendarDayRow[]> {
    return this.em().query(`SELECT date, year, kind, name FROM calendar_days WHERE year = $1 ORDER BY date`, [
      year,
    ]);
  }

  /**
   * The organization's exceptions that bear on `year`'s notice: those dated in the year, and those
   * overriding one of the notice's days (a notice may reach into the neighbouring year).
   */
  localDays(organizationId: string, year: number, em?: EntityManager): Promise<LocalDayRow[]> {
    return this.em(em).query(
      `SELECT date, kind, name FROM organization_calendar_days
        WHERE organization_id = $1
          AND (date BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
               OR date IN (SELECT date FROM calendar_days WHERE year = $2))
        ORDER BY date`,
      [organizationId, year],
    );
  }

  async replaceYear(em: EntityManager, year: number, days: Omit<CalendarDayRow, 'year'>[]): Promise<void> {
    await em.query(`DELETE FROM calendar_days WHERE year = $1`, [year]);
    for (const d of days) {
      await em.query(`INSERT INTO calendar_days (date, year, kind, name) VALUES ($1, $2, $3, $4)`, [
        d.date,
        year,
        d.kind,
        d.name,
      ]);
    }
  }

  /** Replaces the organization's own exceptions dated in `year`. */
  async replaceLocalYear(
    em: EntityManager,
    organizationId: string,
    year: number,
    days: LocalDayRow[],
  ): Promise<void> {
    await em.query(
      `DELETE FROM organization_calendar_days
        WHERE organization_id = $1 AND date BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)`,
      [organizationId, year],
    );
    if (!days.length) return;
    await em.query(
      `INSERT INTO organization_calendar_days (organization_id, date, kind, name)
       SELECT $1, d.date, d.kind, d.name
         FROM jsonb_to_recordset($2::jsonb) AS d(date date, kind text, name text)`,
      [organizationId, JSON.stringify(days)],
    );
  }

  /**
   * The working-day index used by the SQL (roll-up, dispatch pack, reminder digests) follows every
   * calendar change: with an organization, only its own index (absent when it has no exceptions);
   * without, the national one and every organization's, since theirs overlay it.
   */
  async rebuildWorkDayIndex(em: EntityManager, organizationId?: string): Promise<void> {
    if (organizationId) await em.query(`SELECT rebuild_work_day_index($1::uuid)`, [organizationId]);
    else await em.query(`SELECT rebuild_work_day_index()`);
  }

  /** The plan's cycles, each with its meeting record's id (null before the meeting is recorded). */
  listCycles(
    organizationId: string,
    planId: string,
    em?: EntityManager,
  ): Promise<(CycleRow & { meetingId: string | null })[]> {
    return this.em(em).query(
      `SELECT ${CYCLE}, (SELECT m.id FROM meetings m WHERE m.cycle_id = dispatch_cycles.id) AS "meetingId"
         FROM dispatch_cycles WHERE organization_id = $1 AND plan_id = $2 ORDER BY period`,
      [organizationId, planId],
    );
  }

  async getCycle(organizationId: string, id: string): Promise<CycleRow | null> {
    const rows = (await this.em().query(
      `SELECT ${CYCLE} FROM dispatch_cycles WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    )) as CycleRow[];
    return rows[0] ?? null;
  }

  /** Upsert on (plan, period): regenerating after a calendar change moves dates but keeps identity and status. */
  async upsertCycle(
    em: EntityManager,
    organizationId: string,
    c: Omit<CycleRow, 'id' | 'status'>,
  ): Promise<void> {
    await em.query(
      `INSERT INTO dispatch_cycles (organization_id, plan_id, period, start_date, end_date, report_due, meeting_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (plan_id, period) DO UPDATE
         SET start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
             report_due = EXCLUDED.report_due, meeting_date = EXCLUDED.meeting_date`,
      [organizationId, c.planId, c.period, c.startDate, c.endDate, c.reportDue, c.meetingDate],
    );
  }

  /** Open items' schedule facts and their reports' first submissions, for expected-report checks. */
  async itemsForExpectations(
    organizationId: string,
    filter: { planId: string; itemIds?: string[]; leadUnitIds?: string[] },
  ): Promise<
    {
      id: string;
      title: string;
      leadUnitId: string;
      leadUnitName: string;
      cadence: string;
      startDate: string;
      deadline: string;
      closedOn: string | null;
      status: string;
    }[]
  > {
    const params: unknown[] = [organizationId, filter.planId];
    const where = [`i.organization_id = $1`, `i.plan_id = $2`, `i.status NOT IN ('draft','cancelled')`];
    if (filter.itemIds) {
      params.push(filter.itemIds);
      where.push(`i.id = ANY($${params.length}::uuid[])`);
    }
    if (filter.leadUnitIds) {
      params.push(filter.leadUnitIds);
      where.push(`i.lead_unit_id = ANY($${params.length}::uuid[])`);
    }
    return this.em().query(
      `SELECT i.id, i.title, i.lead_unit_id AS "leadUnitId", u.name AS "leadUnitName", i.cadence, i.start_date AS "startDate",
              i.deadline, (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "closedOn", i.status
         FROM items i JOIN units u ON u.id = i.lead_unit_id WHERE ${where.join(' AND ')} ORDER BY i.id`,
      params,
    );
  }

  firstSubmissions(itemIds: string[]): Promise<{ itemId: string; periodKey: string; submittedOn: string }[]> {
    if (!itemIds.length) return Promise.resolve([]);
    return this.em().query(
      `SELECT item_id AS "itemId", period_key AS "periodKey", (first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "submittedOn"
         FROM progress_reports WHERE item_id = ANY($1::uuid[]) AND first_submitted_at IS NOT NULL`,
      [itemIds],
    );
  }

  /** Published plans of every organization (a national change), or of one (its own exceptions). */
  publishedPlans(
    em: EntityManager,
    organizationId?: string,
  ): Promise<{ id: string; organizationId: string; year: number }[]> {
    return em.query(
      `SELECT id, organization_id AS "organizationId", year FROM plans
        WHERE status = 'published' AND ($1::uuid IS NULL OR organization_id = $1) ORDER BY id`,
      [organizationId ?? null],
    );
  }

  /** Opens (or re-dates) the twelve monthly cycles of a plan from its settings and its organization's calendar. */
  async generateForPlan(
    em: EntityManager,
    plan: { id: string; organizationId: string; year: number },
  ): Promise<void> {
    const calendar = await this.calendar(plan.organizationId, em);
    const [settings] = (await em.query(
      `SELECT report_due_workdays AS "reportDueWorkdays", meeting_workday AS "meetingWorkday" FROM plans WHERE id = $1`,
      [plan.id],
    )) as { reportDueWorkdays: number; meetingWorkday: number }[];
    for (const c of cyclesForYear(calendar, plan.year, settings)) {
      await this.upsertCycle(em, plan.organizationId, { planId: plan.id, ...c });
    }
  }

  /** The latest approved percent and each target with the sum of its figures in that report (target units). */
  async itemFacts(organizationId: string, itemId: string) {
    const [item] = (await this.em().query(
      `SELECT i.status, i.start_date AS "startDate", i.deadline, i.cadence, i.plan_id AS "planId", i.milestones,
              p.completion_basis AS "completionBasis", p.lag_points::float8 AS "lagPoints",
              p.near_deadline_workdays AS "nearDeadlineWorkdays", p.near_deadline_min_percent::float8 AS "nearDeadlineMinPercent",
              (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "closedOn",
              (SELECT r.percent::float8 FROM progress_reports r WHERE r.item_id = i.id AND r.status = 'approved'
                ORDER BY r.reviewed_at DESC LIMIT 1) AS "approvedPercent",
              (SELECT r.id FROM progress_reports r WHERE r.item_id = i.id AND r.status = 'approved'
                ORDER BY r.reviewed_at DESC LIMIT 1) AS "reportId"
         FROM items i JOIN plans p ON p.id = i.plan_id WHERE i.organization_id = $1 AND i.id = $2`,
      [organizationId, itemId],
    )) as {
      milestones: { month: string; percent: number }[];
      completionBasis: 'targets' | 'percent';
      lagPoints: number;
      nearDeadlineWorkdays: number;
      nearDeadlineMinPercent: number;
      status: string;
      startDate: string;
      deadline: string;
      cadence: string;
      planId: string;
      closedOn: string | null;
      approvedPercent: number | null;
      reportId: string | null;
    }[];
    const targets = (await this.em().query(
      `SELECT t.metric, t.comparator, t.value::float8 AS value, t.value_text AS "valueText", t.unit, t.baseline::float8 AS baseline,
              t.direction, t.value_upper::float8 AS upper, t.value_upper_text AS "upperText",
              (SELECT sum(a.target_value)::float8 FROM report_actuals a
                WHERE a.report_id = $2 AND a.target_id = t.id AND a.target_value IS NOT NULL) AS actual
         FROM item_targets t WHERE t.item_id = $1 ORDER BY t.sort_order`,
      [itemId, item?.reportId ?? null],
    )) as {
      metric: string;
      comparator: Comparator;
      value: number | null;
      valueText: string;
      unit: string;
      baseline: number | null;
      direction: 'increase' | 'decrease';
      upper: number | null;
      upperText: string | null;
      actual: number | null;
    }[];
    const [stored] = (await this.em().query(
      `SELECT completion::float8 AS completion, expected::float8 AS expected, light, overdue_workdays AS "overdueWorkdays",
              missing_reports AS "missingReports", computed_at AS "computedAt"
         FROM item_status WHERE item_id = $1`,
      [itemId],
    )) as {
      completion: number | null;
      expected: number | null;
      light: string | null;
      overdueWorkdays: number;
      missingReports: number;
      computedAt: Date;
    }[];
    return { item, targets, stored: stored ?? null };
  }
}
