import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { AppConfig } from '../../core/config/app-config';
import { OutboxEvents, OutboxRepository } from '../../core/outbox/outbox.repository';
import { exportJob } from '../../core/queue/export-job';
import { QueueName } from '../../core/queue/queue-names';
import { RollupService } from './rollup.service';

/** Fallback poll: NOTIFY wakes the relay at once; the poll covers a lost listen connection. */
const POLL_MS = 1000;
const RECONNECT_MS = 2000;
const BATCH = 500;

/**
 * Turns outbox rows into BullMQ jobs. Rows are claimed with SKIP LOCKED (several workers share the
 * work), jobs added, then the rows marked published in the same transaction: if Redis refuses, the
 * transaction rolls back and the next tick retries; if the process dies after adding, the rows are
 * relayed again and the per-plan deduplication absorbs it (at-least-once, effectively once).
 *
 * A trigger on the outbox NOTIFYs at commit; a dedicated connection LISTENs so an approval reaches
 * the queue within milliseconds. Notifications are a hint only: the rows are the truth, and the poll
 * picks up anything sent while the listener was reconnecting.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private listener?: Client;
  private reconnect?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly rollup: RollupService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Exports) private readonly exports: Queue,
  ) {}

  onApplicationBootstrap(): void {
    void this.listen();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.reconnect);
    await this.listener?.end().catch(() => undefined);
    await this.running;
  }

  /** Runs batches until the outbox is empty, then sleeps until a NOTIFY or the poll; never two at once. */
  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while ((await this.tick()) === BATCH && !this.stopped);
        } catch (err) {
          this.logger.warn(`事件转发失败，稍后重试：${(err as Error).message}`);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
      if (!this.stopped) this.timer = setTimeout(() => this.wake(), POLL_MS);
    });
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.db.url,
      application_name: 'duban-outbox-listen',
    });
    let lost = false;
    const onLost = (why: string) => {
      if (lost || this.stopped) return;
      lost = true;
      this.logger.warn(`事件监听连接中断，${RECONNECT_MS} 毫秒后重连：${why}`);
      void client.end().catch(() => undefined);
      if (this.listener === client) this.listener = undefined;
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on('notification', () => this.wake());
    client.on('error', (err) => onLost(err.message));
    client.on('end', () => onLost('连接已关闭'));
    try {
      await client.connect();
      await client.query('LISTEN duban_outbox');
      this.listener = client;
      if (this.stopped) await client.end();
      // Anything committed while no one listened is still in the outbox.
      this.wake();
    } catch (err) {
      onLost((err as Error).message);
    }
  }

  /** One batch; returns the number of events relayed. */
  async tick(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows = await this.outbox.claim(em, BATCH);
      if (!rows.length) return 0;
      const plans = new Set(
        rows
          .filter((r) => r.kind === 'plan.changed')
          .map((r) => (r.payload as OutboxEvents['plan.changed']).planId),
      );
      for (const planId of plans) await this.rollup.enqueue(planId);
      const exportIds = rows
        .filter((r) => r.kind === 'export.requested')
        .map((r) => (r.payload as OutboxEvents['export.requested']).exportId);
      if (exportIds.length) await this.exports.addBulk(exportIds.map(exportJob));
      await this.outbox.markPublished(
        em,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }
}
