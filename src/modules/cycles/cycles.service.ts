import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { Clock } from '../../core/clock/clock';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { OrgRepository } from '../org/org.repository';
import { isValidIsoDate } from '../plans/domain/dates';
import { Cadence } from '../plans/domain/types';
import { AccessContext, canManageAll, readPredicate } from '../plans/item-access';
import { ItemsRepository } from '../plans/items.repository';
import { PlanErrors } from '../plans/plans.errors';
import { PlansRepository } from '../plans/plans.repository';
import { CalendarDayRow, CyclesRepository, LocalDayRow } from './cycles.repository';
import { localDayErrors } from './domain/local-calendar';
import { EXPECTED_STATE_ZH, ExpectedState, expectedReports } from './domain/expected-reports';
import { assessItem } from '../rollup/domain/assess';
import { ItemStatus } from '../plans/domain/types';
import {
  CalendarYearDto,
  CycleDto,
  ExpectedReportDto,
  ItemStatusDto,
  LocalCalendarYearDto,
  NationalCalendarYearDto,
  PutCalendarYearDto,
  PutLocalCalendarYearDto,
} from './dto/cycles.dto';
import { AccessContexts } from '../plans/access-contexts';

/** The working-day calendar, monthly dispatch cycles, and which reports are expected, on time, late or missing. */
@Injectable()
export class CyclesService {
  constructor(
    private readonly access: AccessContexts,
    private readonly repo: CyclesRepository,
    private readonly plans: PlansRepository,
    private readonly items: ItemsRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * The caller's effective calendar for a year: the national notice with their organization's own
   * exceptions laid over it, each day saying whether it is local.
   */
  async calendarYear(actor: Actor, year: number): Promise<CalendarYearDto> {
    const [national, local] = await Promise.all([
      this.repo.calendarYear(year),
      this.repo.localDays(actor.organizationId, year),
    ]);
    const days = new Map<string, CalendarDayRow | (LocalDayRow & { local: true })>();
    for (const d of national) days.set(d.date, d);
    for (const d of local) days.set(d.date, { ...d, local: true });
    const list = (kind: 'holiday' | 'workday') =>
      [...days.values()]
        .filter((d) => d.kind === kind)
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((d) => ({ date: d.date, name: d.name, local: 'local' in d }));
    return { year, holidays: list('holiday'), makeUpWorkdays: list('workday') };
  }

  /** The national notice of a year alone. */
  private async nationalYear(year: number): Promise<NationalCalendarYearDto> {
    const rows = await this.repo.calendarYear(year);
    return {
      year,
      holidays: rows.filter((r) => r.kind === 'holiday').map(({ date, name }) => ({ date, name })),
      makeUpWorkdays: rows.filter((r) => r.kind === 'workday').map(({ date, name }) => ({ date, name })),
    };
  }

  /**
   * Replaces one year's national schedule (the State Council announces it late in the previous year):
   * a system administrator's task, since every organization's cycles and figures follow it.
   */
  async putCalendarYear(
    actor: Actor,
    year: number,
    dto: PutCalendarYearDto,
  ): Promise<NationalCalendarYearDto> {
    const seen = new Set<string>();
    const check = (list: { date: string }[], field: string, weekendOnly: boolean) =>
      list.forEach((d, n) => {
        const at = `${field}.${n}.date`;
        if (!isValidIsoDate(d.date)) throw DomainError.invalid(at, `“${d.date}”不是有效日期`);
        if (Math.abs(Number(d.date.slice(0, 4)) - year) > 1)
          throw DomainError.invalid(at, `日期不属于 ${year} 年的安排`);
        if (seen.has(d.date)) throw DomainError.invalid(at, `${d.date} 重复出现`);
        seen.add(d.date);
        const weekday = new Date(`${d.date}T00:00:00Z`).getUTCDay();
        if (weekendOnly && weekday !== 0 && weekday !== 6)
          throw DomainError.invalid(at, `${d.date} 不是周末，不能作为调休上班日`);
      });
    check(dto.holidays, 'holidays', false);
    check(dto.makeUpWorkdays, 'makeUpWorkdays', true);
    const before = await this.nationalYear(year);
    await this.repo.transaction(async (em) => {
      await this.repo.replaceYear(em, year, [
        ...dto.holidays.map((d) => ({ ...d, kind: 'holiday' as const })),
        ...dto.makeUpWorkdays.map((d) => ({ ...d, kind: 'workday' as const })),
      ]);
      // Working days moved: 序时进度, report due days and lights of every published plan follow.
      await this.repo.rebuildWorkDayIndex(em);
      for (const plan of await this.repo.publishedPlans(em)) {
        if (plan.year === year) await this.repo.generateForPlan(em, plan);
        await this.outbox.planChanged(em, plan.id);
      }
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'calendar',
        entityId: String(year),
        action: 'update',
        before: {
          holidays: before.holidays.map((d) => d.date),
          makeUpWorkdays: before.makeUpWorkdays.map((d) => d.date),
        },
        after: {
          holidays: dto.holidays.map((d) => d.date),
          makeUpWorkdays: dto.makeUpWorkdays.map((d) => d.date),
        },
      });
    });
    return this.nationalYear(year);
  }

  /** The caller's organization's own exceptions dated in `year`. */
  async localYear(actor: Actor, year: number): Promise<LocalCalendarYearDto> {
    const rows = (await this.repo.localDays(actor.organizationId, year)).filter((d) =>
      d.date.startsWith(`${year}-`),
    );
    return {
      year,
      holidays: rows.filter((r) => r.kind === 'holiday').map(({ date, name }) => ({ date, name })),
      workdays: rows.filter((r) => r.kind === 'workday').map(({ date, name }) => ({ date, name })),
    };
  }

  /**
   * Replaces the organization's own exceptions for a year (its admin's task): only its index, its
   * plans' cycles and its figures follow; no other organization's change.
   */
  async putLocalYear(
    actor: Actor,
    year: number,
    dto: PutLocalCalendarYearDto,
  ): Promise<LocalCalendarYearDto> {
    const errors = localDayErrors(year, dto, await this.repo.nationalCalendar());
    if (errors.length) throw new DomainError(ErrorCode.Validation, errors[0].message, errors);
    const before = await this.localYear(actor, year);
    await this.repo.transaction(async (em) => {
      await this.repo.replaceLocalYear(em, actor.organizationId, year, [
        ...dto.holidays.map((d) => ({ ...d, kind: 'holiday' as const })),
        ...dto.workdays.map((d) => ({ ...d, kind: 'workday' as const })),
      ]);
      await this.repo.rebuildWorkDayIndex(em, actor.organizationId);
      for (const plan of await this.repo.publishedPlans(em, actor.organizationId)) {
        // December's meeting falls in January: the previous year's plan moves with this January.
        if (plan.year === year || plan.year === year - 1) await this.repo.generateForPlan(em, plan);
        await this.outbox.planChanged(em, plan.id);
      }
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'calendar-local',
        entityId: String(year),
        action: 'update',
        before: {
          holidays: before.holidays.map((d) => d.date),
          workdays: before.workdays.map((d) => d.date),
        },
        after: { holidays: dto.holidays.map((d) => d.date), workdays: dto.workdays.map((d) => d.date) },
      });
    });
    return this.localYear(actor, year);
  }

  /** Twelve monthly cycles for the plan's year, dates from the plan's settings in working days. Idempotent. */
  async generate(actor: Actor, planId: string): Promise<CycleDto[]> {
    if (!canManageAll(actor)) throw PlanErrors.notAllowed();
    const plan = await this.plans.getPlan(actor.organizationId, planId);
    if (!plan) throw PlanErrors.planNotFound();
    await this.repo.transaction(async (em) => {
      await this.repo.generateForPlan(em, plan);
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'plan',
        entityId: plan.id,
        action: 'cycles',
        before: null,
        after: { year: plan.year, cycles: 12 },
      });
    });
    return this.list(actor, planId);
  }

  async list(actor: Actor, planId: string): Promise<CycleDto[]> {
    const plan = await this.plans.getPlan(actor.organizationId, planId);
    if (!plan) throw PlanErrors.planNotFound();
    const today = await this.clock.today();
    return (await this.repo.listCycles(actor.organizationId, planId)).map((c) => {
      // A cycle closes at its cut-off (the report due day); the stored flag is set by the worker.
      const closed = c.status === 'closed' || today > c.reportDue;
      return { ...c, status: closed ? 'closed' : 'open', statusName: closed ? '已截止' : '进行中' };
    });
  }

  async forItem(actor: Actor, itemId: string): Promise<ExpectedReportDto[]> {
    const ctx = await this.access.for(actor);
    const item = await this.items.getForAccess(actor.organizationId, itemId);
    if (!item) throw PlanErrors.itemNotFound();
    const visible = await this.visibleIds(ctx, item.planId, { itemIds: [itemId] });
    if (!visible.length) throw PlanErrors.itemNotReadable();
    return this.expectations(actor, item.planId, { itemIds: [itemId] });
  }

  async forCycle(actor: Actor, cycleId: string): Promise<ExpectedReportDto[]> {
    const cycle = await this.repo.getCycle(actor.organizationId, cycleId);
    if (!cycle) throw DomainError.notFound('调度周期');
    const ctx = await this.access.for(actor);
    const ids = await this.visibleIds(ctx, cycle.planId, {});
    return (await this.expectations(actor, cycle.planId, { itemIds: ids })).filter(
      (e) => e.due >= cycle.startDate && e.due <= cycle.endDate,
    );
  }

  async forUnit(
    actor: Actor,
    unitId: string,
    planId: string,
    cyclePeriod?: string,
  ): Promise<ExpectedReportDto[]> {
    const unit = await this.org.getUnit(actor.organizationId, unitId);
    if (!unit) throw DomainError.notFound('单位');
    const ctx = await this.access.for(actor);
    const ids = await this.visibleIds(ctx, planId, { leadUnitId: unitId });
    const all = await this.expectations(actor, planId, { itemIds: ids });
    return cyclePeriod ? all.filter((e) => e.due.startsWith(cyclePeriod)) : all;
  }

  /**
   * Why an item shows its light: the figures the worker stored, and the same rules applied now
   * to the item's current rows, with every reason spelled out.
   */
  async itemStatus(actor: Actor, itemId: string): Promise<ItemStatusDto> {
    const reports = await this.forItem(actor, itemId); // also checks the caller may read the item
    const { item, targets, stored } = await this.repo.itemFacts(actor.organizationId, itemId);
    const calendar = await this.repo.calendar(actor.organizationId);
    const a = assessItem(
      {
        status: item.status as ItemStatus,
        startDate: item.startDate,
        deadline: item.deadline,
        approvedPercent: item.approvedPercent,
        targets: targets.map(({ actual, upperText, ...t }) => ({
          target: { ...t, upperText: upperText ?? undefined },
          actual,
        })),
        milestones: item.milestones,
        reports: reports.map((r) => ({ key: r.key, state: r.state as ExpectedState, due: r.due })),
      },
      {
        today: await this.clock.today(),
        calendar,
        settings: {
          completionBasis: item.completionBasis,
          thresholds: {
            lagPoints: item.lagPoints,
            nearDeadlineWorkdays: item.nearDeadlineWorkdays,
            nearDeadlineMinPercent: item.nearDeadlineMinPercent,
          },
        },
      },
    );
    return {
      computed: stored ? { ...stored, computedAt: new Date(stored.computedAt).toISOString() } : null,
      completion: a.counted ? a.completion.percent : null,
      completionSource: a.completion.source,
      expected: a.expected.percent,
      expectedBasis: a.expected.basis,
      light: a.light,
      reasons: a.reasons,
      overdueWorkdays: a.overdueWorkdays,
      workdaysLeft: a.workdaysLeft,
      targets: targets.map((t) => ({
        metric: t.metric,
        unit: t.unit,
        target: t.value,
        upper: t.upper,
        actual: t.actual,
      })),
      reports,
    };
  }

  // ---- helpers -------------------------------------------------------------------------

  /** Items of the plan the caller may read (the same rule as every item list). */
  private async visibleIds(
    ctx: AccessContext,
    planId: string,
    f: { itemIds?: string[]; leadUnitId?: string },
  ): Promise<string[]> {
    const params: unknown[] = [];
    let sql = readPredicate(ctx, params);
    if (f.itemIds) {
      params.push(f.itemIds);
      sql = `${sql} AND i.id = ANY($${params.length}::uuid[])`;
    }
    const { ids } = await this.items.search(
      ctx.actor.organizationId,
      { sql, params },
      { planId, leadUnitId: f.leadUnitId, includeSubunits: true },
      { page: 1, pageSize: 100_000, sort: 'plan' },
    );
    return ids;
  }

  private expectations(actor: Actor, planId: string, f: { itemIds: string[] }): Promise<ExpectedReportDto[]> {
    return this.planExpectations(actor.organizationId, planId, f.itemIds);
  }

  /** Every report the plan's items owe (or just `itemIds`'), with their states today; no access rule. */
  async planExpectations(
    organizationId: string,
    planId: string,
    itemIds?: string[],
    /** Only this cycle's reports (the dispatch pack), not the whole year's. */
    period?: string,
  ): Promise<ExpectedReportDto[]> {
    const [calendar, allCycles, items] = await Promise.all([
      this.repo.calendar(organizationId),
      this.repo.listCycles(organizationId, planId),
      this.repo.itemsForExpectations(organizationId, { planId, itemIds }),
    ]);
    const cycles = (period ? allCycles.filter((c) => c.period === period) : allCycles).map((c) => ({
      period: c.period,
      reportDue: c.reportDue,
    }));
    // Grouped once: a plan has up to 100,000 items and as many submissions.
    const submitted = new Map<string, Map<string, string>>();
    for (const s of await this.repo.firstSubmissions(items.map((i) => i.id))) {
      let byPeriod = submitted.get(s.itemId);
      if (!byPeriod) submitted.set(s.itemId, (byPeriod = new Map()));
      byPeriod.set(s.periodKey, s.submittedOn);
    }
    const today = await this.clock.today();
    return items.flatMap((i) =>
      expectedReports({
        cadence: i.cadence as Cadence,
        startDate: i.startDate,
        deadline: i.deadline,
        closedOn: i.closedOn,
        cycles,
        submittedOn: submitted.get(i.id) ?? new Map<string, string>(),
        today,
        calendar,
      }).map((e) => ({
        itemId: i.id,
        itemTitle: i.title,
        leadUnitName: i.leadUnitName,
        ...e,
        stateName: EXPECTED_STATE_ZH[e.state],
      })),
    );
  }
}
