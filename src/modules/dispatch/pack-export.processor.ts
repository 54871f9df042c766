import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Job, Queue } from 'bullmq';

import { Actor } from '../../core/auth/actor';
import { DomainError } from '../../core/errors/domain-error';
import { exportJob } from '../../core/queue/export-job';
import { JobPayloads, QueueName } from '../../core/queue/queue-names';
import { OrgRepository } from '../org/org.repository';
import { DispatchService } from './dispatch.service';
import { renderPackCharts, renderPackDocx, renderPackXlsx } from './export';
import { exportFailureReason } from './export/export-failure';
import { PackExportsRepository } from './pack-exports.repository';

/** Long enough for a 100,000-item pack; progress renews it, so only a dead worker's lease lapses. */
const LEASE_SECONDS = 60;
const MAX_ATTEMPTS = 3;

/**
 * Generates a pack export as its requester sees the pack (their read rules, the pack's as-of day),
 * reporting progress in the row. The row's lease makes a second worker, or a re-added job, skip an
 * export someone is generating; a dead worker's lease lapses and the sweeper hands it out again.
 */
@Processor(QueueName.Exports, { concurrency: 2, lockDuration: 30_000, stalledInterval: 15_000 })
export class PackExportProcessor extends WorkerHost {
  private readonly logger = new Logger(PackExportProcessor.name);

  constructor(
    private readonly exports: PackExportsRepository,
    private readonly org: OrgRepository,
    private readonly dispatch: DispatchService,
  ) {
    super();
  }

  async process(job: Job<JobPayloads['dispatch.export'], unknown, 'dispatch.export'>): Promise<unknown> {
    const row = await this.exports.claim(job.data.exportId, LEASE_SECONDS);
    if (!row) return { skipped: true };
    try {
      const user = await this.org.getUser(row.organizationId, row.requestedBy);
      if (!user?.active) throw DomainError.forbidden('导出人账号已停用');
      const actor: Actor = {
        userId: user.id,
        username: user.username,
        name: user.name,
        organizationId: user.organizationId,
        unitId: user.unitId,
        roles: user.roles,
        requestId: `export-${row.id}`,
      };
      let reported = 0;
      const progress = (percent: number) => {
        const p = Math.floor(percent);
        if (p < reported + 10 && p < 100) return;
        reported = p;
        void this.exports.progress(row.id, Math.min(p, 99), LEASE_SECONDS).catch(() => undefined);
      };
      // The files carry every row: the Excel ledger is where the whole lists live.
      const pack = await this.dispatch.pack(actor, row.cycleId, null);
      progress(10);
      // Rendering gets 10–100 %.
      const scaled = (p: number) => progress(10 + p * 0.9);
      const file =
        row.format === 'xlsx'
          ? await renderPackXlsx(pack, scaled)
          : await renderPackDocx(pack, await renderPackCharts(pack), scaled);
      const [year, month] = pack.cycle.period.split('-');
      const name = `${pack.plan.organization}${year}年${Number(month)}月调度会材料.${row.format}`;
      await this.exports.finish(row.id, name, file);
      return { size: file.length };
    } catch (err) {
      // The requester reads the stored reason: Chinese, never a driver's or a stack's text (that is logged).
      this.logger.error(
        { err, exportId: row.id },
        `调度会材料导出 ${row.id} 出错：${(err as Error).message}`,
      );
      await this.exports.failed(row.id, exportFailureReason(err), row.attempts >= MAX_ATTEMPTS);
      throw err;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.error(`调度会材料导出 ${job?.id} 失败：${err.message}`);
  }
}

/** Every minute: re-add jobs for unfinished exports nobody holds (a lost job or a flushed Redis). */
@Injectable()
export class PackExportSweeper {
  private readonly logger = new Logger(PackExportSweeper.name);

  constructor(
    private readonly exports: PackExportsRepository,
    @InjectQueue(QueueName.Exports) private readonly queue: Queue,
  ) {}

  @Cron('30 * * * * *', { name: 'pack-export-sweep' })
  async sweep(): Promise<number> {
    try {
      const ids = await this.exports.orphans();
      if (ids.length) await this.queue.addBulk(ids.map(exportJob));
      await this.exports.prune();
      return ids.length;
    } catch (err) {
      this.logger.warn(`导出任务巡检失败：${(err as Error).message}`);
      return 0;
    }
  }
}
