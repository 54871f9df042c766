import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { ScoreWeights } from './domain/types';
import { crashPoint } from '../../core/testing/crash-point';
import { CUTOFF_INSTANT } from '../cycles/reporting-periods.sql';
import { ROLLUP, ROLLUP_WORK_MEM, SNAPSHOT_AS_OF, UNIT_STATS_FOR_PLAN } from './rollup.sql';

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

export interface DueCycle {
  id: string;
  planId: string;
  period: string;
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
  /** The cycle under way, figures as they stand now (not a cut-off snapshot). */
  live: boolean;
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

  nodeStatus(organizationId: string, planId: string, em?: EntityManager): Promise<NodeStatusRow[]> {
    return (em ?? this.dataSource).query(
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

  /** Open cycles past their cut-off on `today` (their report due day is over), oldest first. */
  dueCycles(today: string): Promise<DueCycle[]> {
    return this.dataSource.query(
      `SELECT id, plan_id AS "planId", period FROM dispatch_cycles WHERE status = 'open' AND report_due < $1::date
        ORDER BY plan_id, period`,
      [today],
    );
  }

  /**
   * Closes a cycle and stores its cut-off snapshot in ONE transaction, computed as of the cut-off
   * whenever this runs (SNAPSHOT_AS_OF): a crash anywhere leaves the cycle open and nothing stored,
   * and the next run does it all. A second worker skips a cycle whose row the first one holds.
   * `standingsOf` ranks the units from their counts (pure, in Node). Returns false when the
   * cycle was not open, or not yet past its cut-off, on `today`.
   */
  async closeCycle(
    cycleId: string,
    today: string,
    standingsOf: (rows: UnitStatsRow[], weights: Partial<ScoreWeights>) => SnapshotUnit[],
  ): Promise<boolean> {
    const closed = await this.dataSource.transaction(async (em) => {
      await em.query(ROLLUP_WORK_MEM);
      // SKIP LOCKED: a cycle another worker is closing right now is that worker's.
      const [rows] = (await em.query(
        `UPDATE dispatch_cycles SET status = 'closed', closed_at = duban_now()
          WHERE id = (SELECT id FROM dispatch_cycles WHERE id = $1 AND status = 'open' AND report_due < $2::date
                         FOR UPDATE SKIP LOCKED)
          RETURNING plan_id AS "planId", period, (report_due + 1)::text AS "cutoffDay", ${CUTOFF_INSTANT} AS "cutoffAt"`,
        [cycleId, today],
      )) as [{ planId: string; period: string; cutoffDay: string; cutoffAt: Date }[], number];
      const c = rows[0];
      if (!c) return false;
      // Tests kill the worker here: closed, nothing stored yet, all of it in one open transaction.
      crashPoint('cycle-closed');
      const settings = await this.scoringSettings(c.planId, em);
      const stats = (await em.query(SNAPSHOT_AS_OF, [
        [c.planId],
        c.cutoffDay,
        null,
        c.cutoffAt,
        c.period,
        settings.onTimeBasis,
      ])) as UnitStatsRow[];
      for (const u of standingsOf(stats, settings.scoreWeights)) {
        await em.query(
          `INSERT INTO rollup_snapshots (plan_id, period, kind, subject_id, completion, red, yellow, green, score, rank)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [
            c.planId,
            c.period,
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
      return true;
    });
    // A cut-off adds a plan's open red and yellow items at once; the pack reads them right away.
    if (closed) await this.dataSource.query(`ANALYZE rollup_snapshots`);
    return closed;
  }

  /** What the scoreboard needs of the plan's settings (the stored weights may be partial). */
  async scoringSettings(
    planId: string,
    em?: EntityManager,
  ): Promise<{ onTimeBasis: 'original' | 'extended'; scoreWeights: Partial<ScoreWeights> }> {
    const [row] = (await (em ?? this.dataSource).query(
      `SELECT on_time_basis AS "onTimeBasis", score_weights AS "scoreWeights" FROM plans WHERE id = $1`,
      [planId],
    )) as { onTimeBasis: 'original' | 'extended'; scoreWeights: Partial<ScoreWeights> }[];
    return row ?? { onTimeBasis: 'original', scoreWeights: {} };
  }

  /**
   * Each closed cycle's snapshot, then the live figures of the cycle under way (the earliest one not
   * yet closed: its cut-off is the next to come) for the plan, its sections and key tasks, marked `live`.
   */
  trend(organizationId: string, planId: string, em?: EntityManager): Promise<TrendRow[]> {
    return (em ?? this.dataSource).query(
      `SELECT s.period, s.kind, s.subject_id AS "subjectId", s.completion::float8 AS completion, s.expected::float8 AS expected,
              s.light, s.red, s.yellow, s.green, s.score::float8 AS score, s.rank, false AS live
         FROM rollup_snapshots s JOIN plans p ON p.id = s.plan_id
        WHERE p.organization_id = $1 AND s.plan_id = $2 AND s.kind <> 'item'
       UNION ALL
       SELECT c.period, n.node_type, n.node_id, n.completion::float8, n.expected::float8,
              n.light, n.red, n.yellow, n.green, NULL, NULL, true
         FROM (SELECT period FROM dispatch_cycles WHERE plan_id = $2 AND status = 'open' ORDER BY period LIMIT 1) c
         JOIN node_status n ON n.plan_id = $2 AND n.organization_id = $1
        ORDER BY 1, 2, 3`,
      [organizationId, planId],
    );
  }

  unitStats(
    planId: string,
    today: string,
    onTimeBasis: 'original' | 'extended',
    em?: EntityManager,
  ): Promise<UnitStatsRow[]> {
    return (em ?? this.dataSource).query(UNIT_STATS_FOR_PLAN, [planId, today, onTimeBasis]);
  }
}
