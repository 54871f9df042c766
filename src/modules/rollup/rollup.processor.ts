import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';

import { JobPayloads, QueueName } from '../../core/queue/queue-names';
import { RollupService } from './rollup.service';

/**
 * A short lock (renewed every 5 s while a job runs): when a worker dies holding a roll-up, another
 * worker takes it back within ~15 s instead of BullMQ's default ~60 s, and the plan's deduplicated
 * jobs, which wait behind it, follow.
 */
@Processor(QueueName.Rollup, { concurrency: 2, lockDuration: 10_000, stalledInterval: 5_000 })
export class RollupProcessor extends WorkerHost {
  private readonly logger = new Logger(RollupProcessor.name);

  constructor(private readonly rollup: RollupService) {
    super();
  }

  async process(
    job:
      | Job<JobPayloads['rollup.plan'], void, 'rollup.plan'>
      | Job<JobPayloads['rollup.full'], void, 'rollup.full'>,
  ): Promise<void> {
    // Both are idempotent: they read current rows and overwrite the figures; a repeated
    // rollup.plan finds its marks already consumed and does nothing.
    if (job.name === 'rollup.plan') await this.rollup.recomputePending(job.data.planId);
    else await this.rollup.recomputeAll(job.data.tick);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.error(`重算任务 ${job?.id} 失败：${err.message}`);
  }
}
