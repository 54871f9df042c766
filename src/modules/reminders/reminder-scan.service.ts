import { Injectable, Logger } from '@nestjs/common';

import { shanghaiDate } from '../../core/calendar/shanghai';
import type { WorkCalendar } from '../../core/calendar/working-days';
import { Metrics } from '../../core/metrics/metrics';
import { AuditRepository } from '../audit/audit.repository';
import { CyclesRepository } from '../cycles/cycles.repository';
import { expectedReports } from '../cycles/domain/expected-reports';
import {
  DEFAULT_REMINDER_SETTINGS,
  DueReminder,
  dueReminders,
  isSendingTime,
  ReminderSettings,
  resolveReminderSettings,
} from './domain/rules';
import { NewReminder, RemindersRepository, ScanItem, ScanPlan } from './reminders.repository';

const PAGE = 2000;

export interface ScanResult {
  reminders: number;
  inapp: number;
  external: number;
}

const LEVEL_TAG: Record<string, string> = { remind: '提醒', urge: '催办', supervise: '督办' };

/** Asia/Shanghai wall time 'HH:MM' of an instant. */
export function shanghaiTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/**
 * Derives every reminder due now from the data and writes it with its deliveries, once: keys are
 * unique, so a second scan (another worker, the next tick, a retried job) adds nothing already there.
 * "Now" is the database's clock, never this process's.
 */
@Injectable()
export class ReminderScanService {
  private readonly logger = new Logger(ReminderScanService.name);

  constructor(
    private readonly repo: RemindersRepository,
    private readonly cycles: CyclesRepository,
    private readonly audit: AuditRepository,
    private readonly metrics: Metrics,
  ) {}

  /** `onPending` gets each page's new external deliveries once committed, so sending starts at once. */
  async scan(onPending?: (ids: string[]) => Promise<void>): Promise<ScanResult> {
    const done = this.metrics.reminderScanDuration.startTimer();
    try {
      return await this.scanAll(onPending);
    } finally {
      done();
    }
  }

  private async scanAll(onPending?: (ids: string[]) => Promise<void>): Promise<ScanResult> {
    const now = await this.repo.databaseNow();
    const today = shanghaiDate(now);
    const time = shanghaiTime(now);
    const total: ScanResult = { reminders: 0, inapp: 0, external: 0 };
    // Each organization's own calendar (national plus its exceptions), read once per scan.
    const calendars = new Map<string, Promise<WorkCalendar>>();
    const calendarOf = (organizationId: string) => {
      let c = calendars.get(organizationId);
      if (!c) calendars.set(organizationId, (c = this.cycles.calendar(organizationId)));
      return c;
    };
    for (const plan of await this.repo.publishedPlans()) {
      const calendar = await calendarOf(plan.organizationId);
      const resolved = resolveReminderSettings(plan.settings);
      const settings = resolved.ok ? resolved.settings : DEFAULT_REMINDER_SETTINGS;
      if (!isSendingTime(today, time, settings, calendar)) continue;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const items = await this.repo.itemsPage(plan.id, after, PAGE);
        if (!items.length) break;
        after = items[items.length - 1].id;
        const rows = items.flatMap((item) =>
          dueReminders(this.facts(item, plan, today, calendar), today, settings, calendar).map((r) =>
            this.row(item, r, today),
          ),
        );
        this.add(total, await this.write(rows, today, onPending));
        if (items.length < PAGE) break;
      }
    }
    // Digests go out in each organization's own working hours (its calendar, like its lines' counts in SQL).
    const sending = new Set<string>();
    for (const org of await this.repo.organizationIds()) {
      if (isSendingTime(today, time, DEFAULT_REMINDER_SETTINGS, await calendarOf(org))) sending.add(org);
    }
    if (sending.size) this.add(total, await this.digests(today, sending, onPending));
    if (total.reminders) {
      this.logger.log(
        `提醒扫描（${today} ${time}）：新增 ${total.reminders} 条，站内消息 ${total.inapp} 条，待外发 ${total.external} 条`,
      );
    }
    return total;
  }

  private facts(item: ScanItem, plan: ScanPlan, today: string, calendar: WorkCalendar) {
    const reports = expectedReports({
      cadence: item.cadence,
      startDate: item.startDate,
      deadline: item.deadline,
      closedOn: item.closedOn,
      cycles: plan.cycles,
      submittedOn: new Map(Object.entries(item.submitted)),
      today,
      calendar,
    });
    return {
      id: item.id,
      status: item.status,
      deadline: item.deadline,
      lastActivityOn: item.lastActivityOn,
      reports: reports.map((r) => ({ key: r.key, due: r.due, state: r.state })),
    };
  }

  private row(item: ScanItem, r: DueReminder, today: string): NewReminder {
    const tag = LEVEL_TAG[r.level];
    const overdue = r.workdays < 0 ? -r.workdays : null;
    const what =
      r.kind === 'deadline-before'
        ? `距完成时限还有 ${r.workdays} 个工作日`
        : r.kind === 'report-before'
          ? `${r.periodKey} 进度填报还有 ${r.workdays} 个工作日截止`
          : r.kind === 'report-overdue'
            ? `${r.periodKey} 进度未按时填报，已过截止 ${overdue} 个工作日`
            : `已逾期 ${overdue} 个工作日`;
    return {
      key: r.key,
      organization_id: item.organizationId,
      plan_id: item.planId,
      item_id: item.id,
      user_id: null,
      kind: r.kind,
      level: r.level,
      audience: r.audience,
      due_on: today,
      period_key: r.periodKey ?? null,
      overdue_workdays: overdue,
      title: `【${tag}】${item.title}：${what}`,
      lines: [`事项：${item.title}`, `牵头单位：${item.leadUnitName}`, `完成时限：${item.deadline}`, what],
    };
  }

  /** One transaction per page: reminders, their 催办单/督办单 numbers and audit, deliveries and inbox. */
  private async write(
    rows: NewReminder[],
    today: string,
    onPending?: (ids: string[]) => Promise<void>,
  ): Promise<ScanResult> {
    if (!rows.length) return { reminders: 0, inapp: 0, external: 0 };
    const result = await this.repo.transaction(async (em) => {
      const created = await this.repo.insertReminders(em, rows);
      for (const r of created.filter((c) => c.level === 'urge' || c.level === 'supervise')) {
        const year = Number(today.slice(0, 4));
        const n = await this.repo.nextOrderNumber(em, r.organizationId, r.level, year);
        const number = `${LEVEL_TAG[r.level]}〔${year}〕第${n}号`;
        const title = r.title.replace(`【${LEVEL_TAG[r.level]}】`, `【${number}】`);
        await this.repo.setOrder(em, r.id, number, title, [
          ...r.lines,
          `${LEVEL_TAG[r.level]}单号：${number}`,
        ]);
        r.title = title;
        // The numbered order is part of the item's record: it shows in the item's history.
        await this.audit.record(em, {
          actor: null,
          organizationId: r.organizationId,
          entityType: 'item',
          entityId: r.itemId!,
          action: r.level,
          before: null,
          after: { orderNumber: number, overdueWorkdays: r.overdueWorkdays },
        });
      }
      const counts = await this.repo.writeDeliveries(
        em,
        created.map((c) => c.id),
      );
      return { reminders: created.length, ...counts };
    });
    if (result.externalIds.length) await onPending?.(result.externalIds);
    return { reminders: result.reminders, inapp: result.inapp, external: result.external };
  }

  private async digests(
    today: string,
    organizations: Set<string>,
    onPending?: (ids: string[]) => Promise<void>,
  ): Promise<ScanResult> {
    const candidates = (
      await this.repo.digestCandidates(today, Math.max(...DEFAULT_REMINDER_SETTINGS.deadlineDays))
    ).filter((c) => organizations.has(c.organizationId));
    const rows: NewReminder[] = candidates.map((c) => ({
      key: `digest.${c.userId}.${today}`,
      organization_id: c.organizationId,
      plan_id: null,
      item_id: null,
      user_id: c.userId,
      kind: 'digest',
      level: 'digest',
      audience: 'self',
      due_on: today,
      period_key: null,
      overdue_workdays: null,
      title: `【每日汇总】${today}：已逾期 ${c.overdue} 项，临近完成时限 ${c.due} 项`,
      lines: c.lines,
    }));
    const total: ScanResult = { reminders: 0, inapp: 0, external: 0 };
    for (let i = 0; i < rows.length; i += PAGE) {
      this.add(total, await this.write(rows.slice(i, i + PAGE), today, onPending));
    }
    return total;
  }

  private add(total: ScanResult, r: ScanResult): void {
    total.reminders += r.reminders;
    total.inapp += r.inapp;
    total.external += r.external;
  }
}

export type { ReminderSettings };
