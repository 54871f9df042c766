import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';

import { RollupService } from './rollup.service';

/** Every 15 minutes the worker enqueues a full recompute; the tick-derived job id makes it one job for N workers. */
@Injectable()
export class RollupScheduler {
  private readonly logger = new Logger(RollupScheduler.name);

  constructor(private readonly rollup: RollupService) {}

  @Cron('0 */15 * * * *', { name: 'rollup-full', timeZone: 'Asia/Shanghai' })
  async tick(): Promise<void> {
    const now = new Date();
    now.setUTCMinutes(now.getUTCMinutes() - (now.getUTCMinutes() % 15), 0, 0);
    try {
      await this.rollup.enqueueFull(now.toISOString().slice(0, 16));
    } catch (err) {
      this.logger.warn(`定时全量重算入队失败：${(err as Error).message}`);
    }
  }
}
