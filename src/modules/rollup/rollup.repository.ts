import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import {
  CLEAR_NODES_FOR_PLAN,
  ITEM_STATUS_FOR_PLAN,
  PLAN_STATUS_FOR_PLAN,
  SECTION_STATUS_FOR_PLAN,
  TASK_STATUS_FOR_PLAN,
  UNIT_STATS_FOR_PLAN,
} from './rollup.sql';

export interface UnitStatsRow {
  role: 'lead' | 'co';
  unitId: string;
  unitName: string;
  items: number;
  closed: number;
  closedOnTime: number;
  dueForClose: number;
  overdue: number;
  red: number;
  yellow: number;
  green: number;
  reportsDue: number;
  reportsOnTime: number;
  completionMean: number;
}

export interface SnapshotUnit {
  role: 'lead' | 'co';
  unitId: string;
  completion: number | null;
  score: number | null;
  rank: number | null;
  red: number;
  yellow: number;
  green: number;
}

export interface TrendRow {
  period: string;
  kind: string;
  subjectId: string;
  completion: number | null;
  expected: number | null;
  light: string | null;
  red: number;
  yellow: number;
  green: number;
  score: number | null;
  rank: number | null;
}

export interface NodeStatusRow {
  nodeType: 'task' | 'section' | 'plan';
  nodeId: string;
  completion: number | null;
  expected: number | null;
  light: 'red' | 'yellow' | 'green' | null;
  red: number;
  yellow: number;
  green: number;
}

/** The only caller of the roll-up SQL (rollup.sql.ts). */
@Injectable()
export class RollupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Recomputes one plan in one transaction. A transaction-scoped advisory lock per plan makes two
   * workers' recomputes of the same plan queue up instead of interleaving.
   */
  async recomputePlan(planId: string, today: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('rollup:' || $1, 0))`, [planId]);
      await em.query(ITEM_STATUS_FOR_PLAN, [planId, today]);
      await em.query(CLEAR_NODES_FOR_PLAN, [planId]);
      await em.query(TASK_STATUS_FOR_PLAN, [planId]);
      await em.query(SECTION_STATUS_FOR_PLAN, [planId]);
      await em.query(PLAN_STATUS_FOR_PLAN, [planId]);
    });
  }

  nodeStatus(organizationId: string, planId: string): Promise<NodeStatusRow[]> {
    return this.dataSource.query(
      `SELECT node_type AS "nodeType", node_id AS "nodeId", completion::float8 AS completion, expected::float8 AS expected,
              light, red, yellow, green
         FROM node_status WHERE organization_id = $1 AND plan_id = $2`,
      [organizationId, planId],
    );
  }

  publishedPlanIds(): Promise<{ id: string }[]> {
    return this.dataSource.query(`SELECT id FROM plans WHERE status = 'published'`);
  }

  async startRun(job: string, tick: string, worker: string): Promise<string> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO job_runs (job, tick, worker) VALUES ($1, $2, $3) RETURNING id::text`,
      [job, tick, worker],
    )) as { id: string }[];
    return row.id;
  }

  async finishRun(id: string, detail: object): Promise<void> {
    await this.dataSource.query(`UPDATE job_runs SET finished_at = now(), detail = $2 WHERE id = $1`, [
      id,
      detail,
    ]);
  }

  /** A cycle closes at its cut-off, the day after its report due day (Asia/Shanghai); returns those just closed. */
  async closeCyclesPastCutoff(today: string): Promise<{ planId: string; period: string }[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE dispatch_cycles SET status = 'closed', closed_at = now() WHERE status = 'open' AND report_due < $1::date
       RETURNING plan_id AS "planId", period`,
      [today],
    )) as [{ planId: string; period: string }[], number];
    return rows;
  }

  onTimeBasis(planId: string): Promise<'original' | 'extended'> {
    return this.dataSource
      .query(`SELECT on_time_basis AS b FROM plans WHERE id = $1`, [planId])
      .then((r: { b: 'original' | 'extended' }[]) => r[0]?.b ?? 'original');
  }

  /** Stores the plan's node figures and unit standings as they are now, for the cycle `period` (once). */
  async snapshot(planId: string, period: string, units: SnapshotUnit[]): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, expected, light, red, yellow, green)
         SELECT plan_id, $2, node_type, node_id, completion, expected, light, red, yellow, green FROM node_status WHERE plan_id = $1
         ON CONFLICT DO NOTHING`,
        [planId, period],
      );
      for (const u of units) {
        await em.query(
          `INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, red, yellow, green, score, rank)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [
            planId,
            period,
            `unit-${u.role}`,
            u.unitId,
            u.completion,
            u.red,
            u.yellow,
            u.green,
            u.score,
            u.rank,
          ],
        );
      }
    });
  }

  trend(organizationId: string, planId: string): Promise<TrendRow[]> {
    return this.dataSource.query(
      `SELECT s.period, s.kind, s.subject_id AS "subjectId", s.completion::float8 AS completion, s.expected::float8 AS expected,
              s.light, s.red, s.yellow, s.green, s.score::float8 AS score, s.rank
         FROM rollup_snapshots s JOIN plans p ON p.id = s.plan_id
        WHERE p.organization_id = $1 AND s.plan_id = $2 ORDER BY s.period, s.kind, s.subject_id`,
      [organizationId, planId],
    );
  }

  unitStats(planId: string, today: string, onTimeBasis: 'original' | 'extended'): Promise<UnitStatsRow[]> {
    return this.dataSource.query(UNIT_STATS_FOR_PLAN, [planId, today, onTimeBasis]);
  }
}
