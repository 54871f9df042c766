import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Queue } from 'bullmq';

import { jobId, QueueName } from '../../core/queue/queue-names';

/** Cron in the worker only enqueues, with an id derived from the tick, so N workers add one job. */
@Injectable()
export class SystemScheduler {
  private readonly logger = new Logger(SystemScheduler.name);

  constructor(@InjectQueue(QueueName.System) private readonly queue: Queue) {}

  @Cron('0 17 * * * *', { name: 'system-cleanup', timeZone: 'Asia/Shanghai' })
  async hourly(): Promise<void> {
    const tick = new Date().toISOString().slice(0, 13); // the hour, UTC
    try {
      await this.queue.add('system.cleanup', { tick }, { jobId: jobId('system-cleanup', tick) });
    } catch (err) {
      this.logger.warn(`例行清理任务入队失败：${(err as Error).message}`);
    }
  }
}
