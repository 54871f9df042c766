import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

import { JobPayloads, QueueName } from '../../core/queue/queue-names';
import { DeliveriesRepository } from './deliveries.repository';
import { shanghaiDate } from '../../core/calendar/shanghai';
import { CyclesRepository } from '../cycles/cycles.repository';
import { DEFAULT_REMINDER_SETTINGS, isSendingTime } from './domain/rules';
import { ReminderScanService, shanghaiTime } from './reminder-scan.service';
import { RemindersRepository } from './reminders.repository';
import { SenderService } from './sender.service';

/** Ledger ids per send job: a job id is the block (id ÷ BLOCK), so re-dispatching never doubles a job. */
export const BLOCK = 200;
const DISPATCH_LIMIT = 100_000;

/** Removed when done, so the same ids can be dispatched again if some of them back off and retry. */
function sendJob(jobId: string, ids: string[]) {
  return {
    name: 'notify.send' as const,
    data: { ids } satisfies JobPayloads['notify.send'],
    opts: { jobId, removeOnComplete: true, removeOnFail: true, attempts: 1 },
  };
}

/**
 * Turns pending deliveries into send jobs. Postgres holds what is pending; Redis only the jobs.
 * Only in working hours (on the database's clock): a retry due after 18:00 waits for the morning.
 */
@Injectable()
export class NotifyDispatcher {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly reminders: RemindersRepository,
    private readonly cycles: CyclesRepository,
    @InjectQueue(QueueName.Notify) private readonly queue: Queue,
  ) {}

  /** Send jobs for deliveries just written (chunks of BLOCK; job ids by first id, disjoint). */
  async enqueue(ids: string[]): Promise<void> {
    const jobs = [];
    for (let i = 0; i < ids.length; i += BLOCK) {
      const chunk = ids.slice(i, i + BLOCK);
      jobs.push(sendJob(`send-new-${chunk[0]}`, chunk));
    }
    if (jobs.length) await this.queue.addBulk(jobs);
  }

  async dispatch(): Promise<number> {
    const now = await this.reminders.databaseNow();
    // Re-dispatches sends the scan already judged due by each organization's calendar: national hours gate it.
    const calendar = await this.cycles.nationalCalendar();
    if (!isSendingTime(shanghaiDate(now), shanghaiTime(now), DEFAULT_REMINDER_SETTINGS, calendar)) return 0;
    const rows = await this.deliveries.pendingIds(DISPATCH_LIMIT);
    const blocks = new Map<string, string[]>();
    for (const { id } of rows) {
      const block = (BigInt(id) / BigInt(BLOCK)).toString();
      const ids = blocks.get(block);
      if (ids) ids.push(id);
      else blocks.set(block, [id]);
    }
    const jobs = [...blocks].map(([block, ids]) => sendJob(`send-${block}`, ids));
    for (let i = 0; i < jobs.length; i += 1000) await this.queue.addBulk(jobs.slice(i, i + 1000));
    return rows.length;
  }
}

/**
 * The notify queue's jobs. All idempotent: the scan writes by unique keys, the dispatcher by block
 * ids, the sender through leases and statuses in the ledger.
 */
/** Short locks, as for the roll-up: a dead worker's jobs are taken back within ~15 s. */
@Processor(QueueName.Notify, { concurrency: 16, lockDuration: 10_000, stalledInterval: 5_000 })
export class NotifyProcessor extends WorkerHost {
  private readonly logger = new Logger(NotifyProcessor.name);

  constructor(
    private readonly scanner: ReminderScanService,
    private readonly dispatcher: NotifyDispatcher,
    private readonly sender: SenderService,
  ) {
    super();
  }

  async process(
    job:
      | Job<JobPayloads['reminders.scan'], unknown, 'reminders.scan'>
      | Job<JobPayloads['notify.dispatch'], unknown, 'notify.dispatch'>
      | Job<JobPayloads['notify.send'], unknown, 'notify.send'>,
  ): Promise<unknown> {
    switch (job.name) {
      case 'reminders.scan': {
        const result = await this.scanner.scan((ids) => this.dispatcher.enqueue(ids));
        return { ...result, dispatched: await this.dispatcher.dispatch() };
      }
      case 'notify.dispatch':
        return { dispatched: await this.dispatcher.dispatch() };
      case 'notify.send':
        return this.sender.sendBlock(job.data.ids);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.error(`提醒任务 ${job?.name} ${job?.id} 失败：${err.message}`);
  }
}
