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

  async recomputePlan(planId: string): Promise<void> {
    const started = Date.now();
    await this.repo.recomputePlan(planId, shanghaiDate(this.clock.now()));
    this.logger.log(`计划 ${planId} 的进度与红黄绿灯已重算（${Date.now() - started} ms）`);
  }
}
