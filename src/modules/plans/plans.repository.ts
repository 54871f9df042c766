import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { DEFAULT_SCORE_WEIGHTS, ScoreWeights, withDefaults } from '../rollup/domain/types';
import { PlanEntity, PlanStatus, SectionEntity, TaskEntity, TaskStatus } from './entities/plan.entity';

export interface TreeTaskRow {
  id: string;
  sectionId: string;
  numbering: string | null;
  title: string;
  sortOrder: number;
  status: TaskStatus;
  itemsCount: number;
  openItemsCount: number;
}
export interface PlanSettings {
  /** The plan's version: a settings update names the one it read (optimistic locking). */
  version: number;
  reportDueWorkdays: number;
  meetingWorkday: number;
  onTimeBasis: 'original' | 'extended';
  completionBasis: 'targets' | 'percent';
  lagPoints: number;
  nearDeadlineWorkdays: number;
  nearDeadlineMinPercent: number;
  scoreWeights: ScoreWeights;
  openPack: boolean;
}

export interface TreeSectionRow {
  id: string;
  numbering: string | null;
  title: string;
  sortOrder: number;
}

/** The only query code for plans, sections and key tasks; every query carries the organization. */
@Injectable()
export class PlansRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  listPlans(organizationId: string): Promise<PlanEntity[]> {
    return this.em().find(PlanEntity, { where: { organizationId }, order: { year: 'DESC', title: 'ASC' } });
  }

  getPlan(organizationId: string, id: string, em?: EntityManager, lock = false): Promise<PlanEntity | null> {
    return this.em(em).findOne(PlanEntity, {
      where: { organizationId, id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  findPlanByTitle(em: EntityManager, organizationId: string, year: number, title: string) {
    return em.findOne(PlanEntity, { where: { organizationId, year, title } });
  }

  async insertPlan(
    em: EntityManager,
    p: Pick<PlanEntity, 'organizationId' | 'year' | 'title' | 'source' | 'copiedFromId'>,
  ): Promise<PlanEntity> {
    const [row] = (await em.query(
      `INSERT INTO plans (organization_id, year, title, source, copied_from_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [p.organizationId, p.year, p.title, p.source, p.copiedFromId],
    )) as { id: string }[];
    return (await this.getPlan(p.organizationId, row.id, em))!;
  }

  async setPlanStatus(em: EntityManager, plan: PlanEntity, status: PlanStatus): Promise<void> {
    await em.query(
      `UPDATE plans SET status = $2, version = version + 1, updated_at = now(),
              published_at = CASE WHEN $2 = 'published' THEN duban_now() ELSE published_at END,
              archived_at = CASE WHEN $2 = 'archived' THEN duban_now() ELSE archived_at END
        WHERE id = $1`,
      [plan.id, status],
    );
  }

  sections(organizationId: string, planId: string, em?: EntityManager): Promise<TreeSectionRow[]> {
    return this.em(em).query(
      `SELECT id, numbering, title, sort_order AS "sortOrder" FROM plan_sections
        WHERE organization_id = $1 AND plan_id = $2 ORDER BY sort_order, created_at`,
      [organizationId, planId],
    );
  }

  tasksWithCounts(organizationId: string, planId: string, em?: EntityManager): Promise<TreeTaskRow[]> {
    return this.em(em).query(
      `SELECT t.id, t.section_id AS "sectionId", t.numbering, t.title, t.sort_order AS "sortOrder", t.status,
              count(i.id)::int AS "itemsCount",
              count(i.id) FILTER (WHERE i.status NOT IN ('closed','cancelled'))::int AS "openItemsCount"
         FROM plan_tasks t LEFT JOIN items i ON i.task_id = t.id
        WHERE t.organization_id = $1 AND t.plan_id = $2
        GROUP BY t.id ORDER BY t.sort_order, t.created_at`,
      [organizationId, planId],
    );
  }

  getSection(organizationId: string, id: string, em?: EntityManager): Promise<SectionEntity | null> {
    return this.em(em).findOne(SectionEntity, { where: { organizationId, id } });
  }

  getTask(organizationId: string, id: string, em?: EntityManager): Promise<TaskEntity | null> {
    return this.em(em).findOne(TaskEntity, { where: { organizationId, id } });
  }

  /** Next sort position at the end of a parent (plan for sections, section for tasks, task for items). */
  async nextSortOrder(
    em: EntityManager,
    table: 'plan_sections' | 'plan_tasks' | 'items',
    column: string,
    parentId: string,
  ) {
    const [row] = (await em.query(
      `SELECT coalesce(max(sort_order), 0) + 10 AS n FROM ${table} WHERE ${column} = $1`,
      [parentId],
    )) as { n: number }[];
    return Number(row.n);
  }

  async insertSection(em: EntityManager, s: Omit<SectionEntity, 'id' | 'version'>): Promise<SectionEntity> {
    const [row] = (await em.query(
      `INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [s.organizationId, s.planId, s.numbering, s.title, s.sortOrder],
    )) as { id: string }[];
    return (await this.getSection(s.organizationId, row.id, em))!;
  }

  async updateSection(
    em: EntityManager,
    id: string,
    patch: Partial<Pick<SectionEntity, 'numbering' | 'title' | 'sortOrder'>>,
  ) {
    await em.update(SectionEntity, { id }, { ...patch, version: () => 'version + 1' });
  }

  async insertTask(
    em: EntityManager,
    t: Omit<TaskEntity, 'id' | 'version' | 'status' | 'statusReason'>,
  ): Promise<TaskEntity> {
    const [row] = (await em.query(
      `INSERT INTO plan_tasks (organization_id, plan_id, section_id, numbering, title, sort_order)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [t.organizationId, t.planId, t.sectionId, t.numbering, t.title, t.sortOrder],
    )) as { id: string }[];
    return (await this.getTask(t.organizationId, row.id, em))!;
  }

  async updateTask(
    em: EntityManager,
    id: string,
    patch: Partial<
      Pick<TaskEntity, 'numbering' | 'title' | 'sortOrder' | 'sectionId' | 'status' | 'statusReason'>
    >,
  ) {
    await em.update(TaskEntity, { id }, { ...patch, version: () => 'version + 1' });
    if (patch.sectionId)
      await em.query(`UPDATE items SET section_id = $2 WHERE task_id = $1`, [id, patch.sectionId]);
  }

  async deleteSection(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM plan_sections WHERE id = $1`, [id]);
  }

  async deleteTask(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM plan_tasks WHERE id = $1`, [id]);
  }

  countItemsUnder(em: EntityManager, column: 'section_id' | 'task_id', id: string): Promise<number> {
    return em
      .query(`SELECT count(*)::int AS n FROM items WHERE ${column} = $1`, [id])
      .then((r: { n: number }[]) => r[0].n);
  }

  manager(): EntityManager {
    return this.dataSource.manager;
  }

  async settings(em: EntityManager, planId: string): Promise<PlanSettings> {
    const [row] = (await em.query(
      `SELECT version, report_due_workdays AS "reportDueWorkdays", meeting_workday AS "meetingWorkday", on_time_basis AS "onTimeBasis",
              completion_basis AS "completionBasis", lag_points::float8 AS "lagPoints",
              near_deadline_workdays AS "nearDeadlineWorkdays", near_deadline_min_percent::float8 AS "nearDeadlineMinPercent",
              score_weights AS "scoreWeights", open_pack AS "openPack"
         FROM plans WHERE id = $1`,
      [planId],
    )) as (Omit<PlanSettings, 'scoreWeights'> & { scoreWeights: Partial<ScoreWeights> })[];
    // Stored weights may be partial (only what the office changed); the rest are the defaults.
    return row && { ...row, scoreWeights: withDefaults(DEFAULT_SCORE_WEIGHTS, row.scoreWeights) };
  }

  /** Saves over the version read (`s.version`); returns the new version, or null when it moved on. */
  async saveSettings(em: EntityManager, planId: string, s: PlanSettings): Promise<number | null> {
    const [rows] = (await em.query(
      `UPDATE plans SET report_due_workdays = $2, meeting_workday = $3, on_time_basis = $4, completion_basis = $5,
              lag_points = $6, near_deadline_workdays = $7, near_deadline_min_percent = $8, score_weights = $9,
              open_pack = $10, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $11
      RETURNING version`,
      [
        planId,
        s.reportDueWorkdays,
        s.meetingWorkday,
        s.onTimeBasis,
        s.completionBasis,
        s.lagPoints,
        s.nearDeadlineWorkdays,
        s.nearDeadlineMinPercent,
        s.scoreWeights,
        s.openPack,
        s.version,
      ],
    )) as [{ version: number }[], number];
    return rows[0]?.version ?? null;
  }
}
