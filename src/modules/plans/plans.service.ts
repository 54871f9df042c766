import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { addYears } from '../../core/calendar/shanghai';
import { ReadRouter } from '../../core/database/read-router';
import { Clock } from '../../core/clock/clock';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { CyclesRepository } from '../cycles/cycles.repository';
import { checkRollupSettings, LIGHT_ZH, withDefaults } from '../rollup/domain/types';
import { RollupRepository } from '../rollup/rollup.repository';
import { changedFields } from '../audit/diff';
import {
  CloseTaskDto,
  CopyPlanDto,
  CreatePlanDto,
  CreateSectionDto,
  CreateTaskDto,
  NodeFiguresDto,
  PlanDto,
  PlanSettingsDto,
  PlanTreeDto,
  SectionDto,
  TaskDto,
  UpdateSectionDto,
  UpdateTaskDto,
} from './dto/plan.dto';
import { PlanEntity, PlanStatus, SectionEntity, TaskEntity } from './entities/plan.entity';
import { canManageAll } from './item-access';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { PlanErrors } from './plans.errors';
import { PlanSettings, PlansRepository } from './plans.repository';

const sectionDto = (s: SectionEntity): SectionDto => ({
  id: s.id,
  planId: s.planId,
  numbering: s.numbering,
  title: s.title,
  sortOrder: s.sortOrder,
});
const taskDto = (t: TaskEntity): TaskDto => ({
  ...sectionDto({ ...t, version: t.version }),
  sectionId: t.sectionId,
  status: t.status,
  statusReason: t.statusReason,
});

/** Plans, their sections and key tasks: list, create, publish, archive, copy, tree, and structure edits. */
@Injectable()
export class PlansService {
  constructor(
    private readonly repo: PlansRepository,
    private readonly items: ItemsRepository,
    private readonly itemsService: ItemsService,
    private readonly audit: AuditRepository,
    private readonly cycles: CyclesRepository,
    private readonly outbox: OutboxRepository,
    private readonly rollup: RollupRepository,
    private readonly clock: Clock,
    private readonly reads: ReadRouter,
  ) {}

  async list(actor: Actor): Promise<PlanDto[]> {
    return (await this.repo.listPlans(actor.organizationId)).map(PlanDto.from);
  }

  async get(actor: Actor, id: string): Promise<PlanDto> {
    return PlanDto.from(await this.requirePlan(actor, id));
  }

  async create(actor: Actor, dto: CreatePlanDto): Promise<PlanDto> {
    this.requireManager(actor);
    const plan = await this.repo.transaction(async (em) => {
      await this.requireFreeTitle(em, actor, dto.year, dto.title);
      const created = await this.repo.insertPlan(em, {
        organizationId: actor.organizationId,
        year: dto.year,
        title: dto.title.trim(),
        source: null,
        copiedFromId: null,
      });
      await this.audit.recordAs(em, actor, 'plan', created.id, 'create', null, {
        year: created.year,
        title: created.title,
      });
      return created;
    });
    return PlanDto.from(plan);
  }

  publish(actor: Actor, id: string): Promise<PlanDto> {
    return this.setStatus(actor, id, 'published', ['draft']);
  }

  archive(actor: Actor, id: string): Promise<PlanDto> {
    return this.setStatus(actor, id, 'archived', ['draft', 'published']);
  }

  /** Copies a plan's structure and items into a new year as a draft; dates move by whole years. */
  async copy(actor: Actor, id: string, dto: CopyPlanDto): Promise<PlanDto> {
    this.requireManager(actor);
    const plan = await this.repo.transaction(async (em) => {
      const source = await this.requirePlan(actor, id, em);
      const title = dto.title?.trim() ?? source.title.replace(String(source.year), String(dto.year));
      await this.requireFreeTitle(em, actor, dto.year, title);
      const shift = dto.year - source.year;
      const created = await this.repo.insertPlan(em, {
        organizationId: actor.organizationId,
        year: dto.year,
        title,
        source: source.source,
        copiedFromId: source.id,
      });
      const sectionIds = new Map<string, string>();
      for (const s of await this.repo.sections(actor.organizationId, source.id, em)) {
        const ns = await this.repo.insertSection(em, {
          ...s,
          organizationId: actor.organizationId,
          planId: created.id,
        });
        sectionIds.set(s.id, ns.id);
      }
      const taskIds = new Map<string, string>();
      for (const t of await this.repo.tasksWithCounts(actor.organizationId, source.id, em)) {
        const nt = await this.repo.insertTask(em, {
          organizationId: actor.organizationId,
          planId: created.id,
          sectionId: sectionIds.get(t.sectionId)!,
          numbering: t.numbering,
          title: t.title,
          sortOrder: t.sortOrder,
        });
        taskIds.set(t.id, nt.id);
      }
      for (const v of await this.items.viewsOfPlan(actor.organizationId, source.id, em)) {
        const itemId = await this.items.insert(em, actor.organizationId, created.id, {
          title: v.title,
          detail: v.detail,
          leadUnitId: v.leadUnit.id,
          responsibleLeaderId: v.responsibleLeader.id,
          ownerId: v.owner?.id ?? null,
          startDate: addYears(v.startDate, shift),
          deadline: addYears(v.deadline, shift),
          cadence: v.cadence,
          tags: v.tags,
          milestones: v.milestones.map((m) => ({
            month: `${Number(m.month.slice(0, 4)) + shift}${m.month.slice(4)}`,
            percent: m.percent,
          })),
          status: v.owner ? 'assigned' : 'draft',
          statusReason: null,
          resumeStatus: null,
          weight: v.weight,
          sortOrder: v.sortOrder,
          taskId: taskIds.get(v.taskId)!,
          sectionId: sectionIds.get(v.sectionId)!,
          closedAt: null,
        });
        await this.items.replaceCoUnits(
          em,
          itemId,
          v.coUnits.map((u) => u.id),
        );
        await this.items.replaceTargets(em, itemId, v.targets);
        await this.audit.recordAs(em, actor, 'item', itemId, 'create', null, {
          title: v.title,
          copiedFrom: v.id,
        });
      }
      await this.audit.recordAs(em, actor, 'plan', created.id, 'copy', null, {
        copiedFrom: source.id,
        year: dto.year,
        title,
      });
      return created;
    });
    return PlanDto.from(plan);
  }

  async tree(actor: Actor, id: string): Promise<PlanTreeDto> {
    // A heavy read: the plan, its tree and figures on one database (the replica when the routing allows).
    const { plan, sections, tasks, figures } = await this.reads.heavy(actor, async ({ manager }) => {
      const plan = await this.requirePlan(actor, id, manager);
      const [sections, tasks, figures] = await Promise.all([
        this.repo.sections(actor.organizationId, id, manager),
        this.repo.tasksWithCounts(actor.organizationId, id, manager),
        this.rollup.nodeStatus(actor.organizationId, id, manager),
      ]);
      return { plan, sections, tasks, figures };
    });
    const byNode = new Map(figures.map((f) => [f.nodeId, f]));
    const fig = (nodeId: string): NodeFiguresDto | null => {
      const f = byNode.get(nodeId);
      if (!f) return null;
      return {
        completion: f.completion,
        expected: f.expected,
        light: f.light,
        lightName: f.light ? LIGHT_ZH[f.light] : null,
        red: f.red,
        yellow: f.yellow,
        green: f.green,
      };
    };
    const treeSections = sections.map((s) => {
      const own = tasks
        .filter((t) => t.sectionId === s.id)
        .map(({ sectionId: _s, ...t }) => ({ ...t, figures: fig(t.id) }));
      return { ...s, itemsCount: own.reduce((n, t) => n + t.itemsCount, 0), figures: fig(s.id), tasks: own };
    });
    return {
      plan: PlanDto.from(plan),
      itemsCount: treeSections.reduce((n, s) => n + s.itemsCount, 0),
      figures: fig(plan.id),
      sections: treeSections,
    };
  }

  async createSection(actor: Actor, planId: string, dto: CreateSectionDto): Promise<SectionDto> {
    this.requireManager(actor);
    return this.repo.transaction(async (em) => {
      const plan = await this.requireEditablePlan(actor, planId, em);
      const section = await this.repo.insertSection(em, {
        organizationId: actor.organizationId,
        planId: plan.id,
        numbering: dto.numbering ?? null,
        title: dto.title.trim(),
        sortOrder: dto.sortOrder ?? (await this.repo.nextSortOrder(em, 'plan_sections', 'plan_id', plan.id)),
      });
      await this.audit.recordAs(em, actor, 'section', section.id, 'create', null, sectionDto(section));
      return sectionDto(section);
    });
  }

  async updateSection(actor: Actor, id: string, dto: UpdateSectionDto): Promise<SectionDto> {
    this.requireManager(actor);
    return this.repo.transaction(async (em) => {
      const before = await this.requireSection(actor, id, em);
      await this.requireEditablePlan(actor, before.planId, em);
      await this.repo.updateSection(em, id, {
        ...(dto.title !== undefined ? { title: dto.title.trim() } : {}),
        ...(dto.numbering !== undefined ? { numbering: dto.numbering } : {}),
        ...(dto.sortOrder !== undefined ? { sortOrder: dto.sortOrder } : {}),
      });
      const after = (await this.repo.getSection(actor.organizationId, id, em))!;
      const diff = changedFields(before, after, ['title', 'numbering', 'sortOrder']);
      if (diff) await this.audit.recordAs(em, actor, 'section', id, 'update', diff.before, diff.after);
      return sectionDto(after);
    });
  }

  async deleteSection(actor: Actor, id: string): Promise<void> {
    this.requireManager(actor);
    await this.repo.transaction(async (em) => {
      const section = await this.requireSection(actor, id, em);
      const plan = await this.requireEditablePlan(actor, section.planId, em);
      if (plan.status !== 'draft') throw PlanErrors.deleteOnlyDraft();
      await this.audit.recordAs(em, actor, 'section', id, 'delete', sectionDto(section), null);
      await this.repo.deleteSection(em, id);
    });
  }

  async createTask(actor: Actor, sectionId: string, dto: CreateTaskDto): Promise<TaskDto> {
    this.requireManager(actor);
    return this.repo.transaction(async (em) => {
      const section = await this.requireSection(actor, sectionId, em);
      await this.requireEditablePlan(actor, section.planId, em);
      const task = await this.repo.insertTask(em, {
        organizationId: actor.organizationId,
        planId: section.planId,
        sectionId,
        numbering: dto.numbering ?? null,
        title: dto.title.trim(),
        sortOrder:
          dto.sortOrder ?? (await this.repo.nextSortOrder(em, 'plan_tasks', 'section_id', sectionId)),
      });
      await this.audit.recordAs(em, actor, 'task', task.id, 'create', null, taskDto(task));
      return taskDto(task);
    });
  }

  async updateTask(actor: Actor, id: string, dto: UpdateTaskDto): Promise<TaskDto> {
    this.requireManager(actor);
    return this.repo.transaction(async (em) => {
      const before = await this.requireTask(actor, id, em);
      await this.requireEditablePlan(actor, before.planId, em);
      if (dto.sectionId && dto.sectionId !== before.sectionId) {
        const target = await this.repo.getSection(actor.organizationId, dto.sectionId, em);
        if (!target || target.planId !== before.planId) {
          throw DomainError.invalid('sectionId', '目标部分不存在或不属于同一计划');
        }
      }
      await this.repo.updateTask(em, id, {
        ...(dto.title !== undefined ? { title: dto.title.trim() } : {}),
        ...(dto.numbering !== undefined ? { numbering: dto.numbering } : {}),
        ...(dto.sortOrder !== undefined ? { sortOrder: dto.sortOrder } : {}),
        ...(dto.sectionId !== undefined ? { sectionId: dto.sectionId } : {}),
      });
      const after = (await this.repo.getTask(actor.organizationId, id, em))!;
      const diff = changedFields(before, after, ['title', 'numbering', 'sortOrder', 'sectionId']);
      // Its items now count in another section: both sections' figures follow (old and new, the
      // roll-up reads the old one from item_status).
      if (diff?.after.sectionId) await this.outbox.taskItemsChanged(em, id);
      if (diff)
        await this.audit.recordAs(
          em,
          actor,
          'task',
          id,
          diff.after.sectionId ? 'move' : 'update',
          diff.before,
          diff.after,
        );
      return taskDto(after);
    });
  }

  async deleteTask(actor: Actor, id: string): Promise<void> {
    this.requireManager(actor);
    await this.repo.transaction(async (em) => {
      const task = await this.requireTask(actor, id, em);
      const plan = await this.requireEditablePlan(actor, task.planId, em);
      if (plan.status !== 'draft') throw PlanErrors.deleteOnlyDraft();
      await this.audit.recordAs(em, actor, 'task', id, 'delete', taskDto(task), null);
      await this.repo.deleteTask(em, id);
    });
  }

  /**
   * Closing or cancelling a key task never silently leaves its items open: when open items remain,
   * the caller must say whether they are closed or cancelled with it (409 otherwise).
   */
  async closeTask(actor: Actor, id: string, dto: CloseTaskDto): Promise<TaskDto> {
    this.requireManager(actor);
    if (dto.status === 'cancelled' && !dto.reason?.trim())
      throw DomainError.invalid('reason', '取消重点任务必须填写原因');
    return this.repo.transaction(async (em) => {
      const task = await this.requireTask(actor, id, em);
      await this.requireEditablePlan(actor, task.planId, em);
      if (task.status !== 'open') throw DomainError.conflict('该重点任务已关闭或取消');
      const open = await this.items.openItemIdsOfTask(em, id);
      if (open.length > 0 && !dto.openItems) {
        throw new DomainError(
          ErrorCode.Conflict,
          `该重点任务下还有 ${open.length} 个未办结的具体事项，请选择一并销号（close）或一并取消（cancel）`,
          [{ field: 'openItems', message: '请选择未办结事项的处理方式' }],
        );
      }
      const itemStatus = dto.openItems === 'cancel' ? 'cancelled' : 'closed';
      const reason =
        dto.reason?.trim() || `随重点任务“${task.title}”${itemStatus === 'closed' ? '关闭' : '取消'}`;
      const now = await this.clock.now(em);
      for (const item of open) {
        await this.items.update(em, item.id, item.version, {
          status: itemStatus,
          statusReason: reason,
          closedAt: itemStatus === 'closed' ? now : null,
        });
        await this.audit.recordAs(
          em,
          actor,
          'item',
          item.id,
          'status',
          { status: item.status },
          { status: itemStatus, reason },
        );
      }
      await this.itemsService.lapseRequests(
        em,
        actor,
        open.map((i) => i.id),
        reason,
      );
      await this.repo.updateTask(em, id, { status: dto.status, statusReason: dto.reason?.trim() || null });
      await this.outbox.planChanged(em, task.planId);
      await this.audit.recordAs(
        em,
        actor,
        'task',
        id,
        dto.status === 'closed' ? 'close' : 'cancel',
        { status: 'open' },
        {
          status: dto.status,
          reason: dto.reason ?? null,
          openItems: dto.openItems ?? null,
          affectedItems: open.length,
        },
      );
      return taskDto((await this.repo.getTask(actor.organizationId, id, em))!);
    });
  }

  /**
   * Dispatch settings in working days; changing them re-dates the plan's cycles. The caller names
   * the plan version it read and the plan row is locked: of two concurrent edits one gets 409
   * rather than silently undoing the other's fields.
   */
  async updateSettings(actor: Actor, id: string, dto: PlanSettingsDto): Promise<PlanSettingsDto> {
    this.requireManager(actor);
    return this.repo.transaction(async (em) => {
      const plan = await this.requirePlan(actor, id, em, true);
      if (plan.status === 'archived') throw PlanErrors.archived();
      if (plan.version !== dto.version) throw PlanErrors.stalePlan();
      const before = await this.repo.settings(em, id);
      // DTO instances carry declared-but-absent fields as undefined: keep only what was sent.
      const sent = Object.fromEntries(
        Object.entries(dto).filter(([, v]) => v !== undefined),
      ) as PlanSettingsDto;
      const after: PlanSettings = {
        ...before,
        ...sent,
        scoreWeights: withDefaults(before.scoreWeights, sent.scoreWeights),
      };
      const problem = checkRollupSettings({ scoreWeights: after.scoreWeights });
      if (problem) throw DomainError.invalid('scoreWeights', problem);
      const version = await this.repo.saveSettings(em, id, after);
      if (version === null) throw PlanErrors.stalePlan();
      const diff = changedFields(before, after, [
        'reportDueWorkdays',
        'meetingWorkday',
        'onTimeBasis',
        'completionBasis',
        'lagPoints',
        'nearDeadlineWorkdays',
        'nearDeadlineMinPercent',
        'scoreWeights',
        'openPack',
      ]);
      if (diff) {
        const redated = diff.after.reportDueWorkdays !== undefined || diff.after.meetingWorkday !== undefined;
        if (redated && plan.status === 'published') await this.cycles.generateForPlan(em, plan);
        await this.outbox.planChanged(em, plan.id);
        await this.audit.recordAs(em, actor, 'plan', id, 'settings', diff.before, diff.after);
      }
      return { ...after, version };
    });
  }

  async settings(actor: Actor, id: string): Promise<PlanSettingsDto> {
    await this.requirePlan(actor, id);
    return this.repo.settings(this.repo.manager(), id);
  }

  // ---- helpers -------------------------------------------------------------------------

  private async setStatus(actor: Actor, id: string, to: PlanStatus, from: PlanStatus[]): Promise<PlanDto> {
    this.requireManager(actor);
    const plan = await this.repo.transaction(async (em) => {
      const before = await this.requirePlan(actor, id, em, true);
      if (!from.includes(before.status)) {
        throw DomainError.conflict(to === 'published' ? '只有草稿状态的计划可以发布' : '计划已归档');
      }
      await this.repo.setPlanStatus(em, before, to);
      // A published plan is dispatched monthly: its cycles open with it.
      if (to === 'published') await this.cycles.generateForPlan(em, before);
      await this.outbox.planChanged(em, id);
      await this.audit.recordAs(
        em,
        actor,
        'plan',
        id,
        to === 'published' ? 'publish' : 'archive',
        { status: before.status },
        { status: to },
      );
      return (await this.repo.getPlan(actor.organizationId, id, em))!;
    });
    return PlanDto.from(plan);
  }

  private requireManager(actor: Actor): void {
    if (!canManageAll(actor)) throw PlanErrors.notAllowed();
  }

  private async requirePlan(actor: Actor, id: string, em?: EntityManager, lock = false): Promise<PlanEntity> {
    const plan = await this.repo.getPlan(actor.organizationId, id, em, lock);
    if (!plan) throw PlanErrors.planNotFound();
    return plan;
  }

  private async requireEditablePlan(actor: Actor, id: string, em: EntityManager): Promise<PlanEntity> {
    const plan = await this.requirePlan(actor, id, em);
    if (plan.status === 'archived') throw PlanErrors.archived();
    return plan;
  }

  private async requireSection(actor: Actor, id: string, em: EntityManager): Promise<SectionEntity> {
    const s = await this.repo.getSection(actor.organizationId, id, em);
    if (!s) throw PlanErrors.sectionNotFound();
    return s;
  }

  private async requireTask(actor: Actor, id: string, em: EntityManager): Promise<TaskEntity> {
    const t = await this.repo.getTask(actor.organizationId, id, em);
    if (!t) throw PlanErrors.taskNotFound();
    return t;
  }

  private async requireFreeTitle(
    em: EntityManager,
    actor: Actor,
    year: number,
    title: string,
  ): Promise<void> {
    if (await this.repo.findPlanByTitle(em, actor.organizationId, year, title.trim())) {
      throw DomainError.conflict(`${year} 年已有同名计划“${title}”`, 'title');
    }
  }
}
