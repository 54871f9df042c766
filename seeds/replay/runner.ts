import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Actor } from '../../src/core/auth/actor';
import { PIN_CLOCK_SQL } from '../../src/core/clock/clock';
import { AppConfig } from '../../src/core/config/app-config';
import { CoreModule } from '../../src/core/core.module';
import { QueueModule } from '../../src/core/queue/queue.module';
import type { Role } from '../../src/modules/org/entities/user.entity';
import { CyclesDataModule } from '../../src/modules/cycles/cycles-data.module';
import { DispatchModule } from '../../src/modules/dispatch/dispatch.module';
import { MeetingsService } from '../../src/modules/dispatch/meetings.service';
import { OrgDataModule } from '../../src/modules/org/org-data.module';
import { ItemsService } from '../../src/modules/plans/items.service';
import { PlansModule } from '../../src/modules/plans/plans.module';
import { ReminderScanService } from '../../src/modules/reminders/reminder-scan.service';
import { RemindersRepository } from '../../src/modules/reminders/reminders.repository';
import { ReportsModule } from '../../src/modules/reports/reports.module';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { RequestsService } from '../../src/modules/reports/requests.service';
import { RollupDataModule } from '../../src/modules/rollup/rollup-data.module';
import { RollupService } from '../../src/modules/rollup/rollup.service';
import { buildScript, dateOf, type ItemRef, refKey, type ReplayEvent, type ReplayStep } from './script';
import { SQUAD_ITEMS } from './squads';
import { evidencePdf } from './texts';
import { readReplayWorld, type ReplayWorld } from './world';

/** The row of `demo_replay` this replay advances. */
export const REPLAY_NAME = 'demo-2022';

/** Who the audit log names as the source of the replay's requests. */
const REQUEST_ID = 'demo-replay';

/** Items worked on side by side within one instant (each on its own pooled connection). */
const RUN_TOGETHER = 4;

/** The key that orders steps: an item's steps one after another; the worker's jobs and meetings alone. */
function laneOf(step: ReplayStep): string | null {
  if (!('item' in step)) return null;
  return refKey(step.item);
}

/**
 * Runs one instant's steps: each item's in their order, up to `width` items at once. A step that is
 * not about one item (a scan, a recompute, a meeting) makes the whole instant run in order.
 */
export async function runGroup(
  group: ReplayEvent[],
  width: number,
  run: (e: ReplayEvent) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, ReplayEvent[]>();
  for (const e of group) {
    const key = laneOf(e.step);
    if (key === null) {
      for (const x of group) await run(x);
      return;
    }
    lanes.set(key, [...(lanes.get(key) ?? []), e]);
  }
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) for (const e of lane) await run(e);
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
}

/**
 * The services the people of the demo use (the API's) and the worker's own job code (the reminder
 * scan, the full recompute that closes cycles and snapshots them), without HTTP, processors or crons:
 * nothing here runs on its own, every step is called by the replay at its simulated time. BullMQ's
 * queues are registered (the roll-up service holds one) but nothing is consumed.
 */
@Module({})
export class DemoReplayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DemoReplayModule,
      imports: [
        CoreModule.forRoot(config),
        QueueModule.forRoot(),
        OrgDataModule,
        PlansModule,
        ReportsModule,
        DispatchModule,
        CyclesDataModule,
        RollupDataModule,
      ],
      providers: [RollupService, RemindersRepository, ReminderScanService],
    };
  }
}

export interface ReplayOptions {
  log?: (line: string) => void;
  /** For tests: fail right after performing this event, before its progress is recorded, as a crash would. */
  crashAfter?: number;
}

export interface ReplayResult {
  /** nothing: no replay was asked for (no demo_replay row); finished: it had already run to the end. */
  status: 'nothing' | 'finished' | 'done';
  events: number;
  performed: number;
  ms: number;
  /** Time spent per kind of step (ms), to see where a slow replay goes. */
  byKind: Record<string, { n: number; ms: number }>;
}

interface Marker {
  scriptHash: string | null;
  nextEvent: number;
  finishedAt: Date | null;
}

async function marker(db: DataSource): Promise<Marker | null> {
  const [row] = (await db.query(
    `SELECT script_hash AS "scriptHash", next_event AS "nextEvent", finished_at AS "finishedAt"
       FROM demo_replay WHERE name = $1`,
    [REPLAY_NAME],
  )) as Marker[];
  return row ?? null;
}

/** Whether the demo replay is still to run (or to finish): the base seed then leaves owners to it. */
export async function replayPending(db: { query: DataSource['query'] }): Promise<boolean> {
  const [row] = (await db.query(`SELECT finished_at FROM demo_replay WHERE name = $1`, [REPLAY_NAME])) as {
    finished_at: Date | null;
  }[];
  return !!row && !row.finished_at;
}

export function scriptHash(events: ReplayEvent[]): string {
  return createHash('sha256').update(JSON.stringify(events)).digest('hex');
}

/**
 * Walks the demo half-year (seeds/replay/script.ts) through the services, each step with the business
 * clock pinned at its instant, up to `config.now` (DUBAN_NOW), where the clock stays. Progress is
 * recorded after every step, so a run that stopped (a crash, Ctrl-C) continues where it stopped: the
 * step that was under way is checked against the data before it is done again. A finished replay, or
 * a database the base seed did not mark for one, is left alone.
 */
export async function replayDemo(
  config: AppConfig,
  db: DataSource,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const m = await marker(db);
  if (!m) return { status: 'nothing', events: 0, performed: 0, ms: 0, byKind: {} };
  if (m.finishedAt) return { status: 'finished', events: 0, performed: 0, ms: 0, byKind: {} };
  if (!config.now) throw new Error('演示回放需要设置 DUBAN_NOW（演示的“现在”）');
  const end = new Date(config.now).toISOString();
  const world = await readReplayWorld(db, end);
  const { events } = buildScript(world.input);
  const hash = scriptHash(events);
  if (m.scriptHash && m.scriptHash !== hash) {
    throw new Error(
      `演示回放停在第 ${m.nextEvent} 步，但回放脚本已变化（数据文件或 DUBAN_NOW 改过）：请清空数据库后重新载入演示数据`,
    );
  }
  await db.query(
    `UPDATE demo_replay SET script_hash = $2, total_events = $3, started_at = coalesce(started_at, now()), updated_at = now()
      WHERE name = $1`,
    [REPLAY_NAME, hash, events.length],
  );
  const app = await NestFactory.createApplicationContext(DemoReplayModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  let performed = 0;
  const byKind: ReplayResult['byKind'] = {};
  try {
    const steps = new Steps(app, world);
    log(
      m.nextEvent
        ? `继续演示回放：第 ${m.nextEvent + 1} / ${events.length} 步起`
        : `演示回放：${events.length} 步（${dateOf(events[0].at)} 至 ${dateOf(end)}）`,
    );
    let shown = Math.floor((m.nextEvent / events.length) * 10);
    for (let i = m.nextEvent; i < events.length;) {
      // The steps of one instant: each item's in order, different items side by side.
      let j = i;
      while (j < events.length && events[j].at === events[i].at) j++;
      const group = events.slice(i, j);
      // The steps before this instant are done (progress), and the clock moves to it.
      await db.query(`UPDATE demo_replay SET next_event = $2, updated_at = now() WHERE name = $1`, [
        REPLAY_NAME,
        i,
      ]);
      await db.query(PIN_CLOCK_SQL, [events[i].at, true]);
      // A stopped run may have committed some of this instant's steps before recording its progress.
      const resumed = i === m.nextEvent && i > 0;
      await runGroup(group, RUN_TOGETHER, async (e) => {
        const t0 = Date.now();
        if (!(resumed && (await steps.applied(e.step)))) {
          await steps.perform(e.step).catch((err: unknown) => {
            throw new Error(
              `演示回放第 ${events.indexOf(e) + 1} 步（${e.at} ${e.step.kind}）失败：${err instanceof Error ? err.message : String(err)}`,
            );
          });
        }
        performed++;
        const k = (byKind[e.step.kind] ??= { n: 0, ms: 0 });
        k.n++;
        k.ms += Date.now() - t0;
      });
      if (options.crashAfter !== undefined && options.crashAfter >= i && options.crashAfter < j) {
        throw new Error(`模拟中断：第 ${j} 步之后`);
      }
      i = j;
      const tenth = Math.floor((j / events.length) * 10);
      if (tenth > shown) {
        shown = tenth;
        log(`  ${tenth * 10}%（已到 ${dateOf(events[j - 1].at)}）`);
      }
    }
    await db.query(PIN_CLOCK_SQL, [end, true]);
    await db.query(
      `UPDATE demo_replay SET next_event = $2, finished_at = now(), updated_at = now() WHERE name = $1`,
      [REPLAY_NAME, events.length],
    );
  } finally {
    await app.close();
  }
  return { status: 'done', events: events.length, performed, ms: Date.now() - started, byKind };
}

/** Each kind of step, performed by the service a person (or the worker) would use, as that person. */
class Steps {
  private readonly db: DataSource;
  private readonly items: ItemsService;
  private readonly reports: ReportsService;
  private readonly requests: RequestsService;
  private readonly meetings: MeetingsService;
  private readonly rollup: RollupService;
  private readonly scan: ReminderScanService;
  private readonly actionIds = new Map<string, string>();

  constructor(
    app: INestApplicationContext,
    private readonly world: ReplayWorld,
  ) {
    this.db = app.get(DataSource);
    this.items = app.get(ItemsService, { strict: false });
    this.reports = app.get(ReportsService, { strict: false });
    this.requests = app.get(RequestsService, { strict: false });
    this.meetings = app.get(MeetingsService, { strict: false });
    this.rollup = app.get(RollupService, { strict: false });
    this.scan = app.get(ReminderScanService, { strict: false });
  }

  private actor(username: string): Actor {
    const u = this.world.users.get(username);
    if (!u) throw new Error(`未知的演示用户 ${username}`);
    return {
      userId: u.id,
      username,
      name: u.name,
      organizationId: u.organizationId,
      unitId: u.unitId,
      roles: u.roles as Role[],
      requestId: REQUEST_ID,
    };
  }

  private userId(username: string): string {
    return this.actor(username).userId;
  }

  private unitId(org: string, code: string): string {
    const id = this.world.unitIds.get(`${org}#${code}`);
    if (!id) throw new Error(`未知的单位 ${org}/${code}`);
    return id;
  }

  private async itemId(ref: ItemRef): Promise<string> {
    if ('n' in ref) {
      const id = this.world.itemIds.get(`${ref.org}#${ref.n}`);
      if (!id) throw new Error(`未知的事项 ${ref.org}#${ref.n}`);
      return id;
    }
    const key = refKey(ref);
    let id = this.actionIds.get(key);
    if (!id && 'squad' in ref) {
      // A squad item (squads.ts), by its title: the replay created it on the plan's first day.
      const title = SQUAD_ITEMS[ref.org]?.find((s) => s.key === ref.squad)?.title;
      const [row] = (await this.db.query(
        `SELECT id FROM items WHERE plan_id = $1 AND title = $2 AND meeting_outcome_id IS NULL`,
        [this.world.planIds.get(ref.org), title],
      )) as { id: string }[];
      if (!row) throw new Error(`分解事项 ${key} 不存在`);
      id = row.id;
      this.actionIds.set(key, id);
    } else if (!id && 'action' in ref) {
      const [period, index] = ref.action.split('#');
      const [row] = (await this.db.query(
        `SELECT i.id FROM items i JOIN meeting_outcomes o ON o.id = i.meeting_outcome_id
           JOIN meetings m ON m.id = o.meeting_id JOIN dispatch_cycles c ON c.id = m.cycle_id
          WHERE m.plan_id = $1 AND c.period = $2 AND o.kind = 'action'
          ORDER BY o.sort_order OFFSET $3 LIMIT 1`,
        [this.world.planIds.get(ref.org), period, Number(index)],
      )) as { id: string }[];
      if (!row) throw new Error(`会议交办事项 ${key} 不存在`);
      id = row.id;
      this.actionIds.set(key, id);
    }
    return id!;
  }

  private async item(ref: ItemRef) {
    const id = await this.itemId(ref);
    const [row] = (await this.db.query(
      `SELECT id, version, owner_id AS "ownerId", deadline, status, title FROM items WHERE id = $1`,
      [id],
    )) as {
      id: string;
      version: number;
      ownerId: string | null;
      deadline: string;
      status: string;
      title: string;
    }[];
    return row;
  }

  private async report(ref: ItemRef, period: string) {
    const [row] = (await this.db.query(
      `SELECT id, version, status, progress, percent::float8 AS percent FROM progress_reports WHERE item_id = $1 AND period_key = $2`,
      [await this.itemId(ref), period],
    )) as { id: string; version: number; status: string; progress: string; percent: number }[];
    return row ?? null;
  }

  private async requireReport(ref: ItemRef, period: string) {
    const r = await this.report(ref, period);
    if (!r) throw new Error(`填报 ${period} 不存在`);
    return r;
  }

  private async pending(table: 'deadline_extensions' | 'closeout_requests', ref: ItemRef) {
    const [row] = (await this.db.query(`SELECT id FROM ${table} WHERE item_id = $1 AND status = 'pending'`, [
      await this.itemId(ref),
    ])) as { id: string }[];
    return row?.id ?? null;
  }

  async perform(step: ReplayStep): Promise<void> {
    switch (step.kind) {
      case 'scan':
        await this.scan.scan();
        return;
      case 'recompute':
        await this.rollup.recomputeAll(step.tick);
        return;
      case 'create-item': {
        const { spec } = step;
        const plan = this.world.planIds.get(step.item.org);
        const [task] = (await this.db.query(`SELECT id FROM plan_tasks WHERE plan_id = $1 AND title = $2`, [
          plan,
          spec.task,
        ])) as { id: string }[];
        if (!task) throw new Error(`重点任务「${spec.task}」不存在`);
        await this.items.create(this.actor(step.by), {
          taskId: task.id,
          title: spec.title,
          detail: spec.detail,
          leadUnitId: this.unitId(step.item.org, spec.leadUnit),
          responsibleLeaderId: this.userId(spec.leader),
          ownerId: this.userId(spec.owner),
          startDate: spec.startDate,
          deadline: spec.deadline,
          cadence: spec.cadence,
          tags: spec.tags,
          targets: spec.targets.map((t) => ({ ...t, direction: 'increase' as const })),
        });
        return;
      }
      case 'assign': {
        const item = await this.item(step.item);
        await this.items.assignOwner(this.actor(step.by), item.id, {
          ownerId: this.userId(step.owner),
          version: item.version,
        });
        return;
      }
      case 'deadline': {
        const item = await this.item(step.item);
        await this.items.update(this.actor(step.by), item.id, {
          version: item.version,
          deadline: step.deadline,
        });
        return;
      }
      case 'report-save': {
        const itemId = await this.itemId(step.item);
        const existing = await this.report(step.item, step.period);
        const targets = step.report.actuals.length
          ? ((await this.db.query(`SELECT id, sort_order AS "sort" FROM item_targets WHERE item_id = $1`, [
              itemId,
            ])) as { id: string; sort: number }[])
          : [];
        const { actuals, ...text } = step.report;
        await this.reports.save(this.actor(step.by), itemId, step.period, {
          ...text,
          actuals: actuals.map((a) => ({
            targetId: targets.find((t) => t.sort === a.target)!.id,
            value: a.value,
            unit: a.unit,
          })),
          ...(existing ? { version: existing.version } : {}),
        });
        return;
      }
      case 'evidence': {
        const r = await this.requireReport(step.item, step.period);
        const item = await this.item(step.item);
        await this.reports.addEvidence(this.actor(step.by), r.id, (receive) =>
          receive(step.filename, Readable.from([evidencePdf(item.title)])),
        );
        return;
      }
      case 'report-submit': {
        const r = await this.requireReport(step.item, step.period);
        await this.reports.submit(this.actor(step.by), r.id, r.version);
        return;
      }
      case 'report-return': {
        const r = await this.requireReport(step.item, step.period);
        await this.reports.returnReport(this.actor(step.by), r.id, {
          version: r.version,
          comment: step.comment,
        });
        return;
      }
      case 'report-approve': {
        const r = await this.requireReport(step.item, step.period);
        await this.reports.approve(this.actor(step.by), r.id, r.version);
        return;
      }
      case 'extension-request':
        await this.requests.requestExtension(this.actor(step.by), await this.itemId(step.item), {
          requestedDeadline: step.requestedDeadline,
          reason: step.reason,
        });
        return;
      case 'extension-decide': {
        const id = await this.pending('deadline_extensions', step.item);
        if (!id) throw new Error('没有待审批的延期申请');
        await this.requests.decideExtension(this.actor(step.by), id, step.approve, step.comment);
        return;
      }
      case 'closeout-request': {
        const itemId = await this.itemId(step.item);
        const evidence = (await this.db.query(
          `SELECT id FROM evidence_files WHERE item_id = $1 ORDER BY created_at, id`,
          [itemId],
        )) as { id: string }[];
        await this.requests.requestCloseout(this.actor(step.by), itemId, {
          note: step.note,
          evidenceIds: evidence.map((e) => e.id),
        });
        return;
      }
      case 'closeout-decide': {
        const id = await this.pending('closeout_requests', step.item);
        if (!id) throw new Error('没有待审核的销号申请');
        await this.requests.decideCloseout(this.actor(step.by), id, step.approve, step.comment);
        return;
      }
      case 'meeting': {
        const cycleId = this.world.cycleIds.get(`${step.org}#${step.period}`);
        if (!cycleId) throw new Error(`调度周期 ${step.org} ${step.period} 不存在`);
        await this.meetings.create(this.actor(step.by), cycleId, {
          heldOn: step.heldOn,
          attendees: step.attendees,
          notes: step.notes,
          outcomes: step.outcomes.map((o) => ({
            kind: o.kind,
            content: o.content,
            ...(o.action
              ? {
                  action: {
                    title: o.action.title,
                    leadUnitId: this.unitId(step.org, o.action.leadUnit),
                    ownerId: this.userId(o.action.owner),
                    responsibleLeaderId: this.userId(o.action.leader),
                    deadline: o.action.deadline,
                  },
                }
              : {}),
          })),
        });
        return;
      }
    }
  }

  /** Whether a step's effect is already in the data (a run stopped between doing it and recording it). */
  async applied(step: ReplayStep): Promise<boolean> {
    switch (step.kind) {
      case 'scan':
      case 'recompute':
        // Both are idempotent at the same instant: doing them again adds nothing.
        return false;
      case 'create-item': {
        const rows = (await this.db.query(
          `SELECT 1 FROM items WHERE plan_id = $1 AND title = $2 AND meeting_outcome_id IS NULL`,
          [this.world.planIds.get(step.item.org), step.spec.title],
        )) as unknown[];
        return rows.length > 0;
      }
      case 'assign':
        return (await this.item(step.item)).ownerId === this.userId(step.owner);
      case 'deadline':
        return (await this.item(step.item)).deadline === step.deadline;
      case 'report-save': {
        const r = await this.report(step.item, step.period);
        return !!r && (!['draft', 'returned'].includes(r.status) || r.progress === step.report.progress);
      }
      case 'evidence': {
        const r = await this.report(step.item, step.period);
        if (!r) return false;
        const rows = (await this.db.query(
          `SELECT 1 FROM evidence_files WHERE report_id = $1 AND filename = $2`,
          [r.id, step.filename],
        )) as unknown[];
        return rows.length > 0;
      }
      case 'report-submit':
        return ['submitted', 'approved'].includes((await this.report(step.item, step.period))?.status ?? '');
      case 'report-return':
        return (await this.report(step.item, step.period))?.status === 'returned';
      case 'report-approve':
        return (await this.report(step.item, step.period))?.status === 'approved';
      case 'extension-request': {
        const rows = (await this.db.query(
          `SELECT 1 FROM deadline_extensions WHERE item_id = $1 AND requested_deadline = $2`,
          [await this.itemId(step.item), step.requestedDeadline],
        )) as unknown[];
        return rows.length > 0;
      }
      case 'extension-decide':
        return (await this.pending('deadline_extensions', step.item)) === null;
      case 'closeout-request':
        return (
          (await this.pending('closeout_requests', step.item)) !== null ||
          (await this.item(step.item)).status === 'closed'
        );
      case 'closeout-decide':
        return (await this.pending('closeout_requests', step.item)) === null;
      case 'meeting': {
        const rows = (await this.db.query(`SELECT 1 FROM meetings WHERE cycle_id = $1`, [
          this.world.cycleIds.get(`${step.org}#${step.period}`),
        ])) as unknown[];
        return rows.length > 0;
      }
    }
  }
}
