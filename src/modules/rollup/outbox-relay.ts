import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { RollupService } from './rollup.service';

const EVERY_MS = 200;
const BATCH = 500;

/**
 * Turns outbox rows into BullMQ jobs. Rows are claimed with SKIP LOCKED (several workers share the
 * work), jobs added, then the rows marked published in the same transaction: if Redis refuses, the
 * transaction rolls back and the next tick retries; if the process dies after adding, the rows are
 * relayed again and the per-plan deduplication absorbs it (at-least-once, effectively once).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly rollup: RollupService,
  ) {}

  onApplicationBootstrap(): void {
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((err: unknown) => this.logger.warn(`事件转发失败，稍后重试：${(err as Error).message}`))
        .then(() => undefined);
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), EVERY_MS);
    };
    void loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One batch; returns the number of events relayed. */
  async tick(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows = await this.outbox.claim(em, BATCH);
      if (!rows.length) return 0;
      const plans = new Set(rows.filter((r) => r.kind === 'plan.changed').map((r) => r.payload.planId));
      for (const planId of plans) await this.rollup.enqueue(planId);
      await this.outbox.markPublished(
        em,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }
}
