import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor, hasRole } from '../../core/auth/actor';
import { ReadRouter } from '../../core/database/read-router';
import { Clock } from '../../core/clock/clock';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { changedFields } from '../audit/diff';
import { OrgRepository } from '../org/org.repository';
import { isValidIsoDate } from './domain/dates';
import { Milestone } from '../rollup/domain/expected';
import {
  changedPlanFields,
  originalDeadlineAfter,
  PLAN_FIELDS,
  refusalMessage,
  refusedFields,
} from './domain/item-edit';
import { resumeStatusFor, statusChange } from './domain/item-status';
import { formatTarget } from './domain/target';
import { ItemStatus, TargetSpec } from './domain/types';
import {
  AssignOwnerDto,
  ChangeItemStatusDto,
  CreateItemDto,
  ItemDto,
  ItemPageDto,
  ItemRowPageDto,
  ItemsByUnitQuery,
  SearchItemsQuery,
  UnitItemCountsDto,
  TargetDto,
  toItemDto,
  toItemRowDto,
  UpdateItemDto,
  MilestoneDto,
} from './dto/item.dto';
import {
  AccessContext,
  canLeadFrom,
  canManageAll,
  canManageItem,
  canReadItem,
  readPredicate,
} from './item-access';
import { ItemForAccess, ItemsRepository, ItemWrite } from './items.repository';
import { PlanErrors } from './plans.errors';
import { PlansRepository } from './plans.repository';
import { PlanStatus } from './entities/plan.entity';
import { AccessContexts } from './access-contexts';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { CyclesRepository } from '../cycles/cycles.repository';
import { dueSoonUntil } from '../workbench/domain/workbench';
import { LightFilter } from './items.repository';

const AUDITED: (keyof ItemForAccess)[] = [
  'title',
  'detail',
  'leadUnitId',
  'coUnitIds',
  'responsibleLeaderId',
  'ownerId',
  'startDate',
  'deadline',
  'cadence',
  'weight',
  'tags',
  'milestones',
  'status',
  'statusReason',
  'taskId',
  'sortOrder',
];

export function toTargetSpec(t: TargetDto): TargetSpec {
  return {
    metric: t.metric.trim(),
    comparator: t.comparator,
    value: t.value,
    valueText: t.valueText ?? String(t.value),
    unit: t.unit.trim(),
    baseline: t.baseline ?? null,
    direction: t.direction ?? 'increase',
    ...(t.comparator === 'range'
      ? { upper: t.upper ?? null, upperText: t.upperText ?? String(t.upper) }
      : {}),
  };
}

/** Items: create, edit, move, assign, change status, delete, search; each change audited in its transaction. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly access: AccessContexts,
    private readonly items: ItemsRepository,
    private readonly plans: PlansRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly cycles: CyclesRepository,
    private readonly reads: ReadRouter,
  ) {}

  async get(actor: Actor, id: string): Promise<ItemDto> {
    const ctx = await this.access.for(actor);
    const item = await this.items.getForAccess(actor.organizationId, id);
    if (!item) throw PlanErrors.itemNotFound();
    if (!canReadItem(ctx, item)) throw PlanErrors.itemNotReadable();
    // The view and its extras in one statement (as a list row), the day from the guard's session row.
    const [row] = await this.items.pageRows(actor.organizationId, [id]);
    if (!row) throw PlanErrors.itemNotFound();
    return toItemDto(row.view, await this.clock.todayOf(actor), formatTarget, row.extras);
  }

  /** A plan's readable items (optionally one leader's) counted per lead unit, red and overdue first. */
  async byUnit(actor: Actor, q: ItemsByUnitQuery): Promise<UnitItemCountsDto[]> {
    const ctx = await this.access.for(actor);
    const params: unknown[] = [];
    const sql = readPredicate(ctx, params);
    const rows = await this.items.countsByLeadUnit(
      actor.organizationId,
      { sql, params },
      { planId: q.planId, leaderId: q.leaderId, today: await this.clock.todayOf(actor) },
    );
    return rows.map(({ unitId, unitName, ...counts }) => ({
      unit: { id: unitId, name: unitName },
      ...counts,
    }));
  }

  async search(actor: Actor, q: SearchItemsQuery): Promise<ItemPageDto | ItemRowPageDto> {
    // Independent lookups side by side: a list request's latency is its round trips.
    // The scope and the day come with the guard's session row: no round trip of their own.
    const [ctx, today] = await Promise.all([this.access.for(actor), this.clock.todayOf(actor)]);
    const params: unknown[] = [];
    const sql = readPredicate(ctx, params);
    const page = Number(q.page ?? 1);
    const pageSize = Number(q.pageSize ?? 50);
    const statuses = q.status?.split(',') as ItemStatus[] | undefined;
    const todo = q.todo && {
      kind: q.todo,
      today,
      dueSoonUntil: dueSoonUntil(today, await this.cycles.calendar(actor.organizationId)),
    };
    // A heavy read: the count, the ids and the rows on one database (the replica when the routing allows).
    return this.reads.heavy(actor, async (target) => {
      const { total, capped, ids } = await this.items.search(
        actor.organizationId,
        { sql, params },
        {
          planId: q.planId,
          taskId: q.taskId,
          unitId: q.unitId,
          leadUnitId: q.leadUnitId,
          includeSubunits: q.includeSubunits !== 'false',
          ownerId: q.ownerId,
          leaderId: q.leaderId,
          statuses,
          cadence: q.cadence,
          deadlineFrom: q.deadlineFrom,
          deadlineTo: q.deadlineTo,
          overdueAsOf: q.overdueAsOf,
          q: q.q?.trim() || undefined,
          mine: q.mine === 'true' ? this.mine(actor) : undefined,
          lights: q.light ? ([...new Set(q.light.split(','))] as LightFilter[]) : undefined,
          cycleId: q.cycleId,
          todo,
        },
        { page, pageSize, sort: q.sort ?? 'plan', exactTotal: q.exactTotal === 'true' },
        target,
      );
      // Two statements, not one: the rows statement alone settles on a generic plan (≈ 0.3 ms to bind,
      // not ≈ 5 ms of planning per request); folded into the count and ids it never did (bench/README).
      const head = { total, totalCapped: capped, page, pageSize };
      if (q.view === 'row') {
        const rows = await this.items.pageListRows(actor.organizationId, ids, q.cycleId, target);
        return { ...head, items: rows.map((r) => toItemRowDto(r.view, today, r.extras)) };
      }
      const rows = await this.items.pageRows(actor.organizationId, ids, q.cycleId, target);
      return { ...head, items: rows.map((r) => toItemDto(r.view, today, formatTarget, r.extras)) };
    });
  }

  /**
   * "My items" (docs/PERMISSIONS.md): those the caller owns, those their unit leads (a head's reach is
   * the unit's subtree, as for everything else a head does) and those they answer for as leader.
   */
  mine(actor: Actor): { userId: string; unitId: string; subtree: boolean } {
    return { userId: actor.userId, unitId: actor.unitId, subtree: hasRole(actor, 'head') };
  }

  async create(actor: Actor, dto: CreateItemDto): Promise<ItemDto> {
    // The answer is read on the transaction's connection: once committed, nothing more can fail
    // (a 503 then means nothing was written), and a request holds one pooled connection at a time.
    return this.plans.transaction(async (em) => this.dto(actor, await this.createIn(em, actor, dto), em));
  }

  /**
   * Creates an item inside the caller's transaction (a meeting's action becomes one with its
   * record): validated, audited and marked for the roll-up like any other. Returns its id.
   */
  async createIn(
    em: EntityManager,
    actor: Actor,
    dto: CreateItemDto,
    link: { meetingOutcomeId?: string } = {},
  ): Promise<string> {
    const ctx = await this.access.for(actor, em);
    const task = await this.plans.getTask(actor.organizationId, dto.taskId, em);
    if (!task) throw DomainError.invalid('taskId', '重点任务不存在');
    const plan = (await this.plans.getPlan(actor.organizationId, task.planId, em))!;
    if (plan.status === 'archived') throw PlanErrors.archived();
    if (task.status !== 'open') throw DomainError.conflict('该重点任务已关闭或取消，不能再添加事项');
    this.requireDates(dto.startDate, dto.deadline);
    const lead = await this.requireLeadUnit(ctx, dto.leadUnitId, em);
    await this.requireCoUnits(actor, dto.coUnitIds ?? [], dto.leadUnitId, em);
    await this.requireLeader(actor, dto.responsibleLeaderId, em);
    if (dto.ownerId) await this.requireOwner(actor, dto.ownerId, lead.path, em);
    const itemId = await this.items.insert(em, actor.organizationId, plan.id, {
      title: dto.title.trim(),
      detail: dto.detail?.trim() ?? '',
      leadUnitId: dto.leadUnitId,
      responsibleLeaderId: dto.responsibleLeaderId,
      ownerId: dto.ownerId ?? null,
      startDate: dto.startDate,
      deadline: dto.deadline,
      cadence: dto.cadence,
      tags: dto.tags ?? [],
      milestones: this.requireMilestones(dto.milestones ?? [], dto.startDate, dto.deadline),
      weight: dto.weight ?? 1,
      status: dto.ownerId ? 'assigned' : 'draft',
      statusReason: null,
      resumeStatus: null,
      sortOrder: await this.plans.nextSortOrder(em, 'items', 'task_id', task.id),
      taskId: task.id,
      sectionId: task.sectionId,
      closedAt: null,
    });
    if (link.meetingOutcomeId) await this.items.linkMeetingOutcome(em, itemId, link.meetingOutcomeId);
    await this.items.replaceCoUnits(em, itemId, dto.coUnitIds ?? []);
    await this.items.replaceTargets(em, itemId, (dto.targets ?? []).map(toTargetSpec));
    const after = (await this.items.getForAccess(actor.organizationId, itemId, em))!;
    await this.audit.recordAs(em, actor, 'item', itemId, 'create', null, {
      ...this.snapshot(after, dto.targets),
      ...(link.meetingOutcomeId ? { meetingOutcomeId: link.meetingOutcomeId } : {}),
    });
    await this.outbox.itemChanged(em, itemId);
    return itemId;
  }

  async update(actor: Actor, id: string, dto: UpdateItemDto): Promise<ItemDto> {
    const ctx = await this.access.for(actor);
    await this.plans.transaction(async (em) => {
      const before = await this.requireManageable(ctx, id, em);
      if (before.version !== dto.version) throw PlanErrors.staleVersion();
      const plan = (await this.plans.getPlan(actor.organizationId, before.planId, em))!;
      const targetsBefore = dto.targets !== undefined ? await this.targetsText(before, em) : null;
      const targetsAfter = dto.targets !== undefined ? dto.targets.map(toTargetSpec).map(formatTarget) : null;
      const targetsChanged = JSON.stringify(targetsBefore) !== JSON.stringify(targetsAfter);
      this.requirePlanFieldsEditor(
        actor,
        plan.status,
        before,
        dto,
        targetsBefore && targetsAfter && { before: targetsBefore, after: targetsAfter },
      );
      const patch: Partial<ItemWrite> = {};
      if (dto.title !== undefined) patch.title = dto.title.trim();
      if (dto.detail !== undefined) patch.detail = dto.detail.trim();
      if (dto.cadence !== undefined) patch.cadence = dto.cadence;
      if (dto.weight !== undefined) patch.weight = dto.weight;
      if (dto.tags !== undefined) patch.tags = dto.tags;
      if (dto.startDate !== undefined) patch.startDate = dto.startDate;
      if (dto.deadline !== undefined && dto.deadline !== before.deadline) {
        patch.deadline = dto.deadline;
        patch.originalDeadline = originalDeadlineAfter(before, dto.deadline, plan.status);
      }
      if (dto.sortOrder !== undefined) patch.sortOrder = dto.sortOrder;
      this.requireDates(patch.startDate ?? before.startDate, patch.deadline ?? before.deadline);
      if (dto.milestones !== undefined)
        patch.milestones = this.requireMilestones(
          dto.milestones,
          patch.startDate ?? before.startDate,
          patch.deadline ?? before.deadline,
        );
      let leadPath = before.leadUnitPath;
      if (dto.leadUnitId !== undefined && dto.leadUnitId !== before.leadUnitId) {
        leadPath = (await this.requireLeadUnit(ctx, dto.leadUnitId, em)).path;
        patch.leadUnitId = dto.leadUnitId;
        // The owner must belong to the lead unit: a new lead unit needs the owner re-checked.
        if (before.ownerId) await this.requireOwner(actor, before.ownerId, leadPath, em);
      }
      if (dto.coUnitIds !== undefined)
        await this.requireCoUnits(actor, dto.coUnitIds, patch.leadUnitId ?? before.leadUnitId, em);
      if (dto.responsibleLeaderId !== undefined) {
        await this.requireLeader(actor, dto.responsibleLeaderId, em);
        patch.responsibleLeaderId = dto.responsibleLeaderId;
      }
      if (dto.taskId !== undefined && dto.taskId !== before.taskId) {
        const task = await this.plans.getTask(actor.organizationId, dto.taskId, em);
        if (!task || task.planId !== before.planId)
          throw DomainError.invalid('taskId', '目标重点任务不存在或不属于同一计划');
        if (task.status !== 'open') throw DomainError.conflict('目标重点任务已关闭或取消');
        patch.taskId = task.id;
        patch.sectionId = task.sectionId;
        if (dto.sortOrder === undefined)
          patch.sortOrder = await this.plans.nextSortOrder(em, 'items', 'task_id', task.id);
      }
      await this.applyPatch(em, before, patch);
      if (dto.coUnitIds !== undefined) await this.items.replaceCoUnits(em, id, dto.coUnitIds);
      if (dto.targets !== undefined) await this.items.replaceTargets(em, id, dto.targets.map(toTargetSpec));
      const after = (await this.items.getForAccess(actor.organizationId, id, em))!;
      const diff = changedFields(before, after, [...AUDITED, 'originalDeadline']);
      if (diff || targetsChanged) {
        const action =
          diff?.after.taskId !== undefined || diff?.after.sortOrder !== undefined ? 'move' : 'update';
        await this.audit.recordAs(
          em,
          actor,
          'item',
          id,
          action,
          { ...(diff?.before ?? {}), ...(targetsChanged ? { targets: targetsBefore } : {}) },
          { ...(diff?.after ?? {}), ...(targetsChanged ? { targets: targetsAfter } : {}) },
        );
        await this.outbox.itemChanged(em, id);
      }
    });
    return this.dto(actor, id);
  }

  /** Assigns (or clears) the owner; a head picks among their own subtree's people. */
  async assignOwner(actor: Actor, id: string, dto: AssignOwnerDto): Promise<ItemDto> {
    const ctx = await this.access.for(actor);
    await this.plans.transaction(async (em) => {
      const before = await this.requireManageable(ctx, id, em);
      if (before.version !== dto.version) throw PlanErrors.staleVersion();
      if (dto.ownerId) {
        const owner = await this.requireOwner(actor, dto.ownerId, before.leadUnitPath, em);
        if (!canLeadFrom(ctx, owner.unitPath))
          throw DomainError.invalid('ownerId', '只能从本单位及下级单位的人员中分派责任人');
      }
      const patch: Partial<ItemWrite> = { ownerId: dto.ownerId };
      if (dto.ownerId && before.status === 'draft') patch.status = 'assigned';
      if (!dto.ownerId && before.status === 'assigned') patch.status = 'draft';
      await this.applyPatch(em, before, patch);
      const after = (await this.items.getForAccess(actor.organizationId, id, em))!;
      const diff = changedFields(before, after, ['ownerId', 'status']);
      if (diff) await this.audit.recordAs(em, actor, 'item', id, 'assign', diff.before, diff.after);
      if (diff) await this.outbox.itemChanged(em, id);
    });
    return this.dto(actor, id);
  }

  async changeStatus(actor: Actor, id: string, dto: ChangeItemStatusDto): Promise<ItemDto> {
    const ctx = await this.access.for(actor);
    await this.plans.transaction(async (em) => {
      const before = await this.requireManageable(ctx, id, em);
      if (before.version !== dto.version) throw PlanErrors.staleVersion();
      const to =
        dto.status === 'in_progress' && before.status === 'suspended'
          ? (before.resumeStatus ?? 'in_progress')
          : dto.status;
      const verdict = statusChange(
        before.status,
        to,
        canManageAll(actor) ? 'office' : 'head',
        dto.reason?.trim(),
      );
      if (!verdict.ok)
        throw verdict.refusal === 'forbidden'
          ? DomainError.forbidden(verdict.message)
          : DomainError.invalid('status', verdict.message);
      if (to === 'assigned' && !before.ownerId)
        throw DomainError.invalid('status', '尚未指定责任人，不能设为已分派');
      const reason = dto.reason?.trim() || null;
      await this.applyPatch(em, before, {
        status: to,
        statusReason: reason,
        resumeStatus: to === 'suspended' ? resumeStatusFor(before.status) : null,
        closedAt: to === 'closed' ? await this.clock.now(em) : null,
      });
      await this.audit.recordAs(
        em,
        actor,
        'item',
        id,
        'status',
        { status: before.status },
        { status: to, reason },
      );
      if (to === 'suspended' || to === 'cancelled')
        await this.lapseRequests(em, actor, [id], `事项已${to === 'suspended' ? '暂停' : '取消'}：${reason}`);
      await this.outbox.itemChanged(em, id);
    });
    return this.dto(actor, id);
  }

  /**
   * Pending 延期申请 and 销号申请 of items that stopped (suspended, cancelled, closed) lapse: they
   * are withdrawn with the reason, in the caller's transaction and audited, so nobody decides a
   * stale request later.
   */
  async lapseRequests(em: EntityManager, actor: Actor, itemIds: string[], reason: string): Promise<void> {
    for (const r of await this.items.withdrawPendingRequests(em, itemIds, actor.userId, reason)) {
      await this.audit.recordAs(
        em,
        actor,
        'item',
        r.itemId,
        r.kind === 'extension' ? 'extension-withdraw' : 'closeout-withdraw',
        r.kind === 'extension' ? { requestedDeadline: r.requestedDeadline } : { note: r.note },
        { reason },
      );
    }
  }

  /** Deleting is for drafts only; once the plan is published an item is cancelled instead. */
  async delete(actor: Actor, id: string, version: number): Promise<void> {
    const ctx = await this.access.for(actor);
    await this.plans.transaction(async (em) => {
      const before = await this.requireManageable(ctx, id, em);
      const plan = (await this.plans.getPlan(actor.organizationId, before.planId, em))!;
      if (plan.status !== 'draft') throw PlanErrors.deleteOnlyDraft();
      if (before.version !== version) throw PlanErrors.staleVersion();
      await this.audit.recordAs(em, actor, 'item', id, 'delete', this.snapshot(before), null);
      await this.outbox.itemChanged(em, id);
      await this.items.delete(em, id);
    });
  }

  // ---- helpers -------------------------------------------------------------------------

  private async dto(actor: Actor, id: string, em?: EntityManager): Promise<ItemDto> {
    const [view] = await this.items.views(actor.organizationId, [id], em);
    const extras = await this.items.extras(actor.organizationId, [id], undefined, em);
    return toItemDto(view, await this.clock.today(em), formatTarget, extras.get(id)!);
  }

  private async applyPatch(
    em: EntityManager,
    before: ItemForAccess,
    patch: Partial<ItemWrite>,
  ): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    if (!(await this.items.update(em, before.id, before.version, patch))) throw PlanErrors.staleVersion();
  }

  /** Plan-level fields bind the units once the plan is published: a head gets 403 naming them. */
  private requirePlanFieldsEditor(
    actor: Actor,
    planStatus: PlanStatus,
    before: ItemForAccess,
    dto: UpdateItemDto,
    targets: { before: string[]; after: string[] } | null,
  ): void {
    const changed = changedPlanFields(
      { ...before, weight: Number(before.weight), targets: targets?.before ?? [] },
      { ...dto, targets: targets?.after },
    );
    const refused = refusedFields(changed, { office: canManageAll(actor), planStatus });
    if (refused.length === 0) return;
    throw new DomainError(
      ErrorCode.Forbidden,
      refusalMessage(refused),
      refused.map((f) => ({ field: f, message: `${PLAN_FIELDS[f]}只能由督查室或系统管理员修改` })),
    );
  }

  private async requireManageable(ctx: AccessContext, id: string, em: EntityManager): Promise<ItemForAccess> {
    const item = await this.items.getForAccess(ctx.actor.organizationId, id, em, true);
    if (!item) throw PlanErrors.itemNotFound();
    if (!canManageItem(ctx, item)) {
      throw canReadItem(ctx, item) ? PlanErrors.itemNotManageable() : PlanErrors.itemNotReadable();
    }
    const plan = await this.plans.getPlan(ctx.actor.organizationId, item.planId, em);
    if (plan?.status === 'archived') throw PlanErrors.archived();
    return item;
  }

  /** 月度节点: months within the item's span, each once, in order, never going down. */
  private requireMilestones(list: MilestoneDto[], start: string, deadline: string): Milestone[] {
    const sorted = [...list].sort((a, b) => a.month.localeCompare(b.month));
    sorted.forEach((m, n) => {
      const at = `milestones.${list.indexOf(m)}`;
      if (m.month < start.slice(0, 7) || m.month > deadline.slice(0, 7))
        throw DomainError.invalid(`${at}.month`, `月度节点 ${m.month} 不在事项的开始日期与完成时限之间`);
      if (n > 0 && sorted[n - 1].month === m.month)
        throw DomainError.invalid(`${at}.month`, `月度节点 ${m.month} 重复`);
      if (n > 0 && m.percent < sorted[n - 1].percent)
        throw DomainError.invalid(`${at}.percent`, `月度节点 ${m.month} 的进度不能低于前一个节点`);
    });
    return sorted.map((m) => ({ month: m.month, percent: m.percent }));
  }

  private requireDates(start: string, deadline: string): void {
    if (!isValidIsoDate(start)) throw DomainError.invalid('startDate', '开始日期不是有效日期');
    if (!isValidIsoDate(deadline)) throw DomainError.invalid('deadline', '完成时限不是有效日期');
    if (deadline < start) throw DomainError.invalid('deadline', '完成时限不能早于开始日期');
  }

  private async requireLeadUnit(ctx: AccessContext, unitId: string, em: EntityManager) {
    const unit = await this.org.getUnit(ctx.actor.organizationId, unitId, em);
    if (!unit) throw DomainError.invalid('leadUnitId', '牵头单位不存在');
    if (!unit.active) throw DomainError.invalid('leadUnitId', '牵头单位已停用');
    if (!canLeadFrom(ctx, unit.path)) throw DomainError.forbidden('只能把事项交给本单位及下级单位牵头');
    return unit;
  }

  private async requireCoUnits(
    actor: Actor,
    ids: string[],
    leadUnitId: string,
    em: EntityManager,
  ): Promise<void> {
    if (ids.includes(leadUnitId)) throw DomainError.invalid('coUnitIds', '牵头单位不能同时是配合单位');
    for (const id of ids) {
      const unit = await this.org.getUnit(actor.organizationId, id, em);
      if (!unit) throw DomainError.invalid('coUnitIds', '配合单位不存在');
    }
  }

  private async requireLeader(actor: Actor, userId: string, em: EntityManager): Promise<void> {
    const user = await this.org.getUser(actor.organizationId, userId, em);
    if (!user || !user.active) throw DomainError.invalid('responsibleLeaderId', '责任领导不存在或已停用');
    if (!user.roles.includes('leader'))
      throw DomainError.invalid('responsibleLeaderId', '责任领导必须是局领导');
  }

  /** The owner works in the lead unit or one of its sub-units. */
  private async requireOwner(actor: Actor, userId: string, leadUnitPath: string, em: EntityManager) {
    const user = await this.org.getUser(actor.organizationId, userId, em);
    if (!user || !user.active) throw DomainError.invalid('ownerId', '责任人不存在或已停用');
    const unit = (await this.org.getUnit(actor.organizationId, user.unitId, em))!;
    if (!unit.path.startsWith(leadUnitPath))
      throw DomainError.invalid('ownerId', '责任人必须是牵头单位（或其下级单位）的人员');
    return { ...user, unitPath: unit.path };
  }

  private async targetsText(item: ItemForAccess, em: EntityManager): Promise<string[]> {
    const [view] = await this.items.views(item.organizationId, [item.id], em);
    return view.targets.map((t) => formatTarget(t));
  }

  private snapshot(i: ItemForAccess, targets?: TargetDto[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of AUDITED) out[k] = i[k];
    if (targets) out.targets = targets.map(toTargetSpec).map(formatTarget);
    return out;
  }
}
