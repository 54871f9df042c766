import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Queue } from 'bullmq';

import { jobId, QueueName } from '../../core/queue/queue-names';

/**
 * Crons only enqueue, with ids derived from the tick, so N workers add one job per tick. The scan
 * derives reminders every minute; the dispatcher re-sends whatever is pending every 10 seconds
 * (a lost job, a flushed Redis, a retry after backoff).
 */
@Injectable()
export class RemindersScheduler {
  private readonly logger = new Logger(RemindersScheduler.name);

  constructor(@InjectQueue(QueueName.Notify) private readonly queue: Queue) {}

  @Cron('0 * * * * *', { name: 'reminders-scan', timeZone: 'Asia/Shanghai' })
  async scan(): Promise<void> {
    await this.enqueue('reminders.scan', new Date().toISOString().slice(0, 16));
  }

  @Cron('*/10 * * * * *', { name: 'notify-dispatch', timeZone: 'Asia/Shanghai' })
  async dispatch(): Promise<void> {
    await this.enqueue('notify.dispatch', new Date().toISOString().slice(0, 18) + '0');
  }

  private async enqueue(name: 'reminders.scan' | 'notify.dispatch', tick: string): Promise<void> {
    try {
      await this.queue.add(
        name,
        { tick },
        { jobId: jobId(name.replace('.', '-'), tick), removeOnComplete: 100 },
      );
    } catch (err) {
      this.logger.warn(`${name} 入队失败：${(err as Error).message}`);
    }
  }
}
