import { setTimeout as sleep } from 'node:timers/promises';

import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';

import { AppConfig } from '../../core/config/app-config';
import { JobName, JobPayloads, QueueName } from '../../core/queue/queue-names';
import { AuthRepository } from '../org/auth.repository';
import { SystemRepository } from './system.repository';

type SystemJob = { [K in JobName]: Job<JobPayloads[K], unknown, K> }[JobName];

@Processor(QueueName.System)
export class SystemProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SystemProcessor.name);

  constructor(
    private readonly tokens: AuthRepository,
    private readonly system: SystemRepository,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Concurrency comes from WORKER_CONCURRENCY, which decorators cannot read. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async process(job: SystemJob): Promise<unknown> {
    switch (job.name) {
      case 'system.cleanup': {
        const removed = await this.tokens.deleteExpired();
        this.logger.log(`例行清理（${job.data.tick}）：删除过期刷新令牌 ${removed} 个`);
        return { removed };
      }
      case 'system.probe': {
        // Bounded: a probe never holds a worker slot for more than a minute.
        await sleep(Math.min(Math.max(job.data.holdMs, 0), 60_000));
        // Then a round trip to Postgres: a worker that takes jobs but cannot reach the database fails
        // the probe, and one stopping must still have its database when its last job ends.
        const databaseTime = await this.system.databaseTime();
        this.logger.log(`探测任务 ${job.id} 已完成`);
        return { pid: process.pid, finishedAt: new Date().toISOString(), databaseTime };
      }
    }
  }

  @OnWorkerEvent('stalled')
  onStalled(jobId: string): void {
    this.logger.warn(`任务 ${jobId} 停滞（其 worker 可能已退出），将被重新执行`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.error(`任务 ${job?.name}（${job?.id}）失败：${err.message}`);
  }
}
