import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';

import { JobPayloads, QueueName } from '../../core/queue/queue-names';
import { RollupService } from './rollup.service';

@Processor(QueueName.Rollup, { concurrency: 2 })
export class RollupProcessor extends WorkerHost {
  private readonly logger = new Logger(RollupProcessor.name);

  constructor(private readonly rollup: RollupService) {
    super();
  }

  async process(job: Job<JobPayloads['rollup.plan'], void, 'rollup.plan'>): Promise<void> {
    // Idempotent: it reads current rows and overwrites the plan's figures.
    await this.rollup.recomputePlan(job.data.planId);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.error(`重算任务 ${job?.id} 失败：${err.message}`);
  }
}
