import { hostname } from 'node:os';

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';

import { Clock } from '../../core/clock/clock';
import { Metrics } from '../../core/metrics/metrics';
import { jobId, QueueName } from '../../core/queue/queue-names';
import { ScoreWeights } from './domain/types';
import { RollupRepository, SnapshotUnit, UnitStatsRow } from './rollup.repository';
import { standings } from './standings';

const PLANS_PER_STATEMENT = 10;

/** The units' cut-off standings, as lead unit and as co-unit, from their counts. */
function snapshotUnits(rows: UnitStatsRow[], weights: Partial<ScoreWeights>): SnapshotUnit[] {
  return (['lead', 'co'] as const).flatMap((role) =>
    standings(
      rows.filter((r) => r.role === role),
      weights,
    ).map((u) => ({
      role,
      unitId: u.unitId,
      completion: u.completionMean,
      score: u.score,
      rank: u.rank,
      red: u.red,
      yellow: u.yellow,
      green: u.green,
    })),
  );
}

/** Worker side of the roll-up: enqueue coalesced recomputes, and run them. */
@Injectable()
export class RollupService {
  private readonly logger = new Logger(RollupService.name);

  constructor(
    private readonly repo: RollupRepository,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Rollup) private readonly queue: Queue,
    private readonly metrics: Metrics,
  ) {}

  /**
   * One pending recompute per plan: while one waits, more triggers collapse into it; while one
   * runs, exactly one more is kept, so a change landing during a run is never missed. No delay:
   * a burst coalesces anyway (the first job runs, the rest collapse into the one kept), and the job
   * reads the pending marks, so it does the whole burst's work at once.
   */
  async enqueue(planId: string): Promise<void> {
    await this.queue.add(
      'rollup.plan',
      { planId },
      { deduplication: { id: jobId('rollup', planId), keepLastIfActive: true } },
    );
  }

  /** The scheduled repair enqueues one job per tick: several workers ticking together add it once. */
  async enqueueFull(tick: string): Promise<void> {
    await this.queue.add('rollup.full', { tick }, { jobId: jobId('rollup-full', tick) });
  }

  /**
   * Recomputes every published plan from current rows, repairing anything a lost job missed, then
   * closes the cycles past their cut-off with their snapshots. The scheduled job's code: the demo
   * replay calls it at each simulated instant.
   */
  async recomputeAll(tick: string): Promise<void> {
    const timer = this.metrics.rollupDuration.startTimer({ kind: 'full' });
    const run = await this.repo.startRun('rollup.full', tick, `${hostname()}-${process.pid}`);
    const plans = (await this.repo.publishedPlanIds()).map((p) => p.id);
    const today = await this.clock.today();
    const started = Date.now();
    let written = 0;
    // Several plans per statement: the reports and targets are read once for all of them.
    for (let i = 0; i < plans.length; i += PLANS_PER_STATEMENT) {
      const counts = await this.repo.recomputePlans(plans.slice(i, i + PLANS_PER_STATEMENT), today);
      written += counts.itemsWritten;
    }
    this.logger.log(
      `全量重算 ${plans.length} 个计划，${written} 个事项的数字有变化（${Date.now() - started} ms）`,
    );
    // Each cycle past its cut-off: closed and its snapshot stored in one transaction, computed as of
    // the cut-off, so a late or repeated run stores what an on-time one would have (docs/ROLLUP.md, 九).
    const closed: string[] = [];
    for (const c of await this.repo.dueCycles(today)) {
      if (await this.repo.closeCycle(c.id, today, snapshotUnits)) closed.push(c.period);
    }
    await this.repo.finishRun(run, { plans: plans.length, cyclesClosed: closed.length });
    timer();
    this.logger.log(`定时全量重算（${tick}）：${plans.length} 个计划，截止调度周期 ${closed.length} 个`);
  }

  /** What the plan's pending marks ask for: the marked items and their ancestors, or the whole plan. */
  async recomputePending(planId: string): Promise<void> {
    const started = Date.now();
    const counts = await this.repo.recomputePending(planId, await this.clock.today());
    this.metrics.rollupDuration.observe({ kind: 'plan' }, (Date.now() - started) / 1000);
    if (counts) {
      this.logger.log(
        `计划 ${planId}：重算 ${counts.items} 个事项，${counts.itemsWritten} 个有变化（${Date.now() - started} ms）`,
      );
    }
  }
}
