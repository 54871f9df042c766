import { hostname } from 'node:os';

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';

import { shanghaiDate } from '../../core/calendar/shanghai';
import { Clock } from '../../core/clock/clock';
import { jobId, QueueName } from '../../core/queue/queue-names';
import { RollupRepository } from './rollup.repository';

/** Worker side of the roll-up: enqueue coalesced recomputes, and run them. */
@Injectable()
export class RollupService {
  private readonly logger = new Logger(RollupService.name);

  constructor(
    private readonly repo: RollupRepository,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Rollup) private readonly queue: Queue,
  ) {}

  /**
   * One pending recompute per plan: while one waits, more triggers collapse into it; while one
   * runs, exactly one more is kept, so a change landing during a run is never missed.
   */
  async enqueue(planId: string): Promise<void> {
    await this.queue.add(
      'rollup.plan',
      { planId },
      { deduplication: { id: jobId('rollup', planId), keepLastIfActive: true }, delay: 50 },
    );
  }

  /** The scheduled repair enqueues one job per tick: several workers ticking together add it once. */
  async enqueueFull(tick: string): Promise<void> {
    await this.queue.add('rollup.full', { tick }, { jobId: jobId('rollup-full', tick) });
  }

  /** Recomputes every published plan from current rows, repairing anything a lost job missed. */
  async recomputeAll(tick: string): Promise<void> {
    const run = await this.repo.startRun('rollup.full', tick, `${hostname()}-${process.pid}`);
    const plans = await this.repo.publishedPlanIds();
    for (const { id } of plans) await this.recomputePlan(id);
    const closed = await this.repo.closeCyclesPastCutoff(shanghaiDate(this.clock.now()));
    await this.repo.finishRun(run, { plans: plans.length, cyclesClosed: closed });
    this.logger.log(`定时全量重算（${tick}）：${plans.length} 个计划，截止调度周期 ${closed} 个`);
  }

  async recomputePlan(planId: string): Promise<void> {
    const started = Date.now();
    await this.repo.recomputePlan(planId, shanghaiDate(this.clock.now()));
    this.logger.log(`计划 ${planId} 的进度与红黄绿灯已重算（${Date.now() - started} ms）`);
  }
}
