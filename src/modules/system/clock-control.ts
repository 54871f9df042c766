import { Queue, QueueEvents } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';

import { shanghaiDate } from '../../core/calendar/shanghai';
import type { WorkCalendar } from '../../core/calendar/working-days';
import { PIN_CLOCK_SQL } from '../../core/clock/clock';
import {
  ClockCommand,
  clockTarget,
  formatShanghai,
  refuseBackwards,
  shanghaiWallTime,
} from '../../core/clock/clock-command';
import { bullConnection } from '../../core/queue/queue.module';
import { RedisSettings } from '../../core/redis/redis-options';
import { jobId, QueueName } from '../../core/queue/queue-names';
import { AuditRepository } from '../audit/audit.repository';
import { CyclesRepository } from '../cycles/cycles.repository';
import { DEFAULT_REMINDER_SETTINGS, isSendingTime } from '../reminders/domain/rules';

/** The business clock as every process reads it (`duban_now()`). */
export interface ClockState {
  /** A row in clock_pin: the demo's or a test's clock; false = real time. */
  pinned: boolean;
  at: Date;
  /** Pinned and standing still; a pinned clock that is not frozen runs on in real time. */
  frozen: boolean;
}

export interface ClockChange {
  before: ClockState;
  after: ClockState;
  /** False when the command found the clock as asked (nothing written, nothing audited). */
  changed: boolean;
  /** The business instant jumped forward: the worker's scans have something new to look at. */
  jumped: boolean;
}

/** A move the clock refuses (backwards, no holidays known for `wd`): the CLI prints it and exits 1. */
export class ClockRefused extends Error {}

/** One lock for all clock moves: two operators moving at once must not both pass the "forward" check. */
const CLOCK_LOCK = 0x6475_6263; // 'dubc'

export async function readClock(em: EntityManager | DataSource): Promise<ClockState> {
  const [row] = (await em.query(`SELECT duban_now() AS at, (SELECT frozen FROM clock_pin) AS frozen`)) as {
    at: Date;
    frozen: boolean | null;
  }[];
  return { pinned: row.frozen !== null, at: new Date(row.at), frozen: row.frozen ?? false };
}

/**
 * Applies `clock advance | advance-to | run | freeze | real` in one transaction: the pin, and an audit
 * record (by 系统) in every organization's log, since the clock is every organization's "today".
 * Moves only go forward (refuseBackwards): the ledgers were written on the way.
 */
export async function changeClock(
  dataSource: DataSource,
  command: Exclude<ClockCommand, { kind: 'show' }>,
): Promise<ClockChange> {
  return dataSource.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [CLOCK_LOCK]);
    const before = await readClock(em);
    let pin: { at: Date; frozen: boolean } | 'unpin' | null = null;
    switch (command.kind) {
      case 'advance':
      case 'advance-to': {
        const calendar = await new CyclesRepository(dataSource).nationalCalendar(em);
        const target = clockTarget(before.at, command, calendar);
        if (!target.ok) throw new ClockRefused(target.message);
        const refused = refuseBackwards(before.at, target.value);
        if (refused) throw new ClockRefused(refused);
        // A moved clock keeps running if it ran; real time becomes a pin that stands still.
        pin = { at: target.value, frozen: before.pinned ? before.frozen : true };
        break;
      }
      case 'run':
        if (before.pinned && before.frozen) pin = { at: before.at, frozen: false };
        break;
      case 'freeze':
        if (!before.pinned || !before.frozen) pin = { at: before.at, frozen: true };
        break;
      case 'real': {
        if (!before.pinned) break;
        const [{ now }] = (await em.query(`SELECT now() AS now`)) as { now: Date }[];
        const refused = refuseBackwards(before.at, new Date(now));
        if (refused) throw new ClockRefused(refused);
        pin = 'unpin';
        break;
      }
    }
    if (!pin) return { before, after: before, changed: false, jumped: false };
    if (pin === 'unpin') await em.query(`DELETE FROM clock_pin`);
    else await em.query(PIN_CLOCK_SQL, [pin.at, pin.frozen]);
    const after = await readClock(em);
    const audit = new AuditRepository(dataSource);
    const organizations = (await em.query(`SELECT id FROM organizations ORDER BY id`)) as { id: string }[];
    for (const o of organizations) {
      await audit.record(em, {
        actor: null,
        organizationId: o.id,
        entityType: 'clock',
        entityId: 'business-clock',
        action: `clock.${command.kind}`,
        before: describe(before),
        after: describe(after),
      });
    }
    return { before, after, changed: true, jumped: after.at.getTime() > before.at.getTime() };
  });
}

function describe(s: ClockState) {
  return { pinned: s.pinned, at: s.at.toISOString(), frozen: s.frozen };
}

/** For people: "业务时钟：2022-06-15 星期三 10:00（北京时间；已固定，静止）" and what the reminder scan does then. */
export function describeClock(s: ClockState, calendar: WorkCalendar): string {
  const mode = !s.pinned ? '真实时间' : s.frozen ? '已固定，静止' : '已固定，随真实时间走动';
  const sending = isSendingTime(
    shanghaiDate(s.at),
    shanghaiWallTime(s.at).slice(0, 5),
    DEFAULT_REMINDER_SETTINGS,
    calendar,
  );
  return (
    `业务时钟：${formatShanghai(s.at)}（北京时间；${mode}）\n` +
    (sending
      ? '工作日上班时间：worker 每分钟扫描一次，到期的提醒、催办、督办随即发出'
      : `${calendar.isWorkingDay(shanghaiDate(s.at)) ? '非上班时间' : '非工作日'}：提醒扫描不发送（上班时间默认 ${DEFAULT_REMINDER_SETTINGS.workStart}–${DEFAULT_REMINDER_SETTINGS.workEnd}，可按计划设置）`)
  );
}

export interface ScanOutcome {
  /** No worker connected to the queues: the jobs wait for one. */
  noWorker?: boolean;
  /** What the reminder scan wrote (its job's return value), when it finished in time. */
  reminders?: { reminders: number; inapp: number; external: number };
  rollupDone?: boolean;
  /** Why the outcome is partial (timeout, Redis unreachable), in Chinese. */
  note?: string;
}

/**
 * After a jump, lets the worker look at the new day at once instead of at its next cron tick (the
 * reminder scan each minute, the full recompute, which also closes cycles past their cut-off, each
 * 15 minutes): one scan and one full recompute, with ids derived from the new instant, so running
 * the same move's nudge twice adds them once. Waits up to `waitMs` for both when a worker is running.
 */
export async function nudgeWorker(redis: RedisSettings, at: Date, waitMs: number): Promise<ScanOutcome> {
  // No reconnecting: an unreachable Redis fails the nudge at once instead of holding the CLI.
  const events = bullConnection(redis, { retryStrategy: () => null });
  const connection = { ...events, maxRetriesPerRequest: 1 };
  const tick = `clock-${at.toISOString()}`;
  const notify = new Queue(QueueName.Notify, { connection, prefix: redis.prefix });
  const rollup = new Queue(QueueName.Rollup, { connection, prefix: redis.prefix });
  const listeners: QueueEvents[] = [];
  // Redis away: the pin is in PostgreSQL already and the crons will catch up; say so, never hang.
  notify.on('error', () => undefined);
  rollup.on('error', () => undefined);
  try {
    return await withTimeout(waitMs + 5000, async () => {
      const scan = await notify.add(
        'reminders.scan',
        { tick },
        { jobId: jobId('reminders-scan', tick), removeOnComplete: 100 },
      );
      const full = await rollup.add('rollup.full', { tick }, { jobId: jobId('rollup-full', tick) });
      if ((await notify.getWorkersCount()) === 0) return { noWorker: true };
      const [scanEvents, fullEvents] = [QueueName.Notify, QueueName.Rollup].map(
        (name) => new QueueEvents(name, { connection: events, prefix: redis.prefix }),
      );
      listeners.push(scanEvents, fullEvents);
      const [scanned, recomputed] = await Promise.allSettled([
        scan.waitUntilFinished(scanEvents, waitMs) as Promise<ScanOutcome['reminders']>,
        full.waitUntilFinished(fullEvents, waitMs),
      ]);
      return {
        reminders: scanned.status === 'fulfilled' ? scanned.value : undefined,
        rollupDone: recomputed.status === 'fulfilled',
        note:
          scanned.status === 'rejected' || recomputed.status === 'rejected'
            ? `worker 未在 ${Math.round(waitMs / 1000)} 秒内完成，稍后见结果`
            : undefined,
      };
    });
  } catch (err) {
    return { note: `未能通知 worker（${(err as Error).message}）：worker 会在下一次定时扫描时赶上` };
  } finally {
    await Promise.allSettled([...listeners.map((e) => e.close()), notify.close(), rollup.close()]);
  }
}

async function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis 在 ${Math.round(ms / 1000)} 秒内无响应`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `seed`'s pin: DUBAN_NOW the first time; afterwards never back. A clock moved on by `clock advance`
 * stays where it is when the demo restarts and seeds again, frozen or running as DUBAN_CLOCK says; a
 * clock returned to real time by `clock real` (the last clock record in the audit log) stays real.
 */
export async function pinDemoClock(
  dataSource: DataSource,
  now: string,
  running: boolean,
): Promise<ClockState> {
  return dataSource.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [CLOCK_LOCK]);
    const before = await readClock(em);
    if (!before.pinned) {
      const [last] = (await em.query(
        `SELECT action FROM audit_log WHERE entity_type = 'clock' AND entity_id = 'business-clock'
          ORDER BY id DESC LIMIT 1`,
      )) as { action: string }[];
      if (last?.action === 'clock.real') return before;
    }
    const start = new Date(now);
    const at = before.pinned && before.at.getTime() > start.getTime() ? before.at : start;
    await em.query(PIN_CLOCK_SQL, [at, !running]);
    return readClock(em);
  });
}
