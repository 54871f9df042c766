import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { ScoreWeights } from './domain/types';
import { ROLLUP, ROLLUP_WORK_MEM, UNIT_STATS_FOR_PLAN } from './rollup.sql';

/** Beyond this many changed items one pass over the whole plan is cheaper than the item path. */
const INCREMENTAL_MAX_ITEMS = 2000;

export interface RollupCounts {
  /** Items recomputed; rows written because their figures changed. */
  items: number;
  itemsWritten: number;
  nodesWritten: number;
  nodesDeleted: number;
}

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
   * Recomputes every item of the plans in one statement and one transaction. Transaction-scoped
   * advisory locks per plan (taken in id order, so two callers never deadlock) make two workers'
   * recomputes of the same plan queue up instead of interleaving. Pending marks of these plans are
   * consumed: this pass covers them.
   */
  async recomputePlans(planIds: string[], today: string): Promise<RollupCounts> {
    if (!planIds.length) return { items: 0, itemsWritten: 0, nodesWritten: 0, nodesDeleted: 0 };
    return this.dataSource.transaction(async (em) => {
      await this.lockPlans(em, planIds);
      await em.query(`DELETE FROM rollup_pending WHERE plan_id = ANY($1::uuid[])`, [planIds]);
      const [counts] = (await em.query(ROLLUP, [planIds, today, null])) as RollupCounts[];
      return counts;
    });
  }

  recomputePlan(planId: string, today: string): Promise<RollupCounts> {
    return this.recomputePlans([planId], today);
  }

  /**
   * Consumes the plan's pending marks (written with each change, in its transaction) and
   * recomputes just those items and their ancestors; a whole-plan mark, or many items, recomputes
   * the plan. Returns null when another run already took the marks.
   */
  async recomputePending(planId: string, today: string): Promise<RollupCounts | null> {
    return this.dataSource.transaction(async (em) => {
      await this.lockPlans(em, [planId]);
      const [rows] = (await em.query(
        `DELETE FROM rollup_pending WHERE plan_id = $1 RETURNING item_id AS "itemId"`,
        [planId],
      )) as [{ itemId: string | null }[], number];
      if (!rows.length) return null;
      const items = [...new Set(rows.map((r) => r.itemId))];
      const whole = items.length > INCREMENTAL_MAX_ITEMS || items.includes(null);
      const [counts] = (await em.query(ROLLUP, [[planId], today, whole ? null : items])) as RollupCounts[];
      return counts;
    });
  }

  private async lockPlans(em: EntityManager, planIds: string[]): Promise<void> {
    await em.query(ROLLUP_WORK_MEM);
    await em.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('rollup:' || id, 0)) FROM unnest($1::uuid[]) id ORDER BY id`,
      [planIds],
    );
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
      `UPDATE dispatch_cycles SET status = 'closed', closed_at = duban_now() WHERE status = 'open' AND report_due < $1::date
       RETURNING plan_id AS "planId", period`,
      [today],
    )) as [{ planId: string; period: string }[], number];
    return rows;
  }

  /** What the scoreboard needs of the plan's settings (the stored weights may be partial). */
  async scoringSettings(
    planId: string,
  ): Promise<{ onTimeBasis: 'original' | 'extended'; scoreWeights: Partial<ScoreWeights> }> {
    const [row] = (await this.dataSource.query(
      `SELECT on_time_basis AS "onTimeBasis", score_weights AS "scoreWeights" FROM plans WHERE id = $1`,
      [planId],
    )) as { onTimeBasis: 'original' | 'extended'; scoreWeights: Partial<ScoreWeights> }[];
    return row ?? { onTimeBasis: 'original', scoreWeights: {} };
  }

  /** Stores the plan's node figures and unit standings as they are now, for the cycle `period` (once). */
  async snapshot(planId: string, period: string, units: SnapshotUnit[]): Promise<void> {
    await this.snapshotRows(planId, period, units);
    // A cut-off adds a plan's open red and yellow items at once; the pack reads them right away.
    await this.dataSource.query(`ANALYZE rollup_snapshots`);
  }

  private async snapshotRows(planId: string, period: string, units: SnapshotUnit[]): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, expected, light, red, yellow, green)
         SELECT plan_id, $2, node_type, node_id, completion, expected, light, red, yellow, green FROM node_status WHERE plan_id = $1
         ON CONFLICT DO NOTHING`,
        [planId, period],
      );
      // Open items' red and yellow lights at the cut-off: the pack's at-risk list for a closed cycle,
      // and what the next meeting carries forward. Only those, so a year adds few rows.
      await em.query(
        `INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, expected, light)
         SELECT s.plan_id, $2, 'item', s.item_id, s.completion, s.expected, s.light
           FROM item_status s JOIN items i ON i.id = s.item_id
          WHERE s.plan_id = $1 AND s.light IN ('red', 'yellow') AND i.status IN ('assigned', 'in_progress', 'awaiting_closeout')
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
        WHERE p.organization_id = $1 AND s.plan_id = $2 AND s.kind <> 'item' ORDER BY s.period, s.kind, s.subject_id`,
      [organizationId, planId],
    );
  }

  unitStats(planId: string, today: string, onTimeBasis: 'original' | 'extended'): Promise<UnitStatsRow[]> {
    return this.dataSource.query(UNIT_STATS_FOR_PLAN, [planId, today, onTimeBasis]);
  }
}
