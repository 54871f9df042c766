import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { DomainError } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { canManageAll } from '../plans/item-access';
import { ItemsService } from '../plans/items.service';
import { PlansRepository } from '../plans/plans.repository';
import { DispatchRepository } from './dispatch.repository';
import {
  CreateMeetingDto,
  MeetingDto,
  MeetingOutcomeInputDto,
  OUTCOME_KIND_ZH,
  UpdateMeetingDto,
} from './dto/meeting.dto';
import { MEETING_TASK_TITLE, MeetingRow, MeetingsRepository } from './meetings.repository';

/**
 * The meeting record (会议记录) of a dispatch cycle: date, attendees, notes and outcomes. An action
 * becomes a 交办 item in the plan's "会议交办事项" key task, in the same transaction as the record,
 * so it is reminded and rolled up like any item; the item and the outcome point at each other.
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly repo: MeetingsRepository,
    private readonly dispatch: DispatchRepository,
    private readonly plans: PlansRepository,
    private readonly items: ItemsService,
    private readonly audit: AuditRepository,
  ) {}

  async create(actor: Actor, cycleId: string, dto: CreateMeetingDto): Promise<MeetingDto> {
    this.requireOffice(actor);
    const cycle = await this.dispatch.cycle(actor.organizationId, cycleId);
    if (!cycle) throw DomainError.notFound('调度周期');
    this.checkOutcomes(dto.outcomes ?? [], 'outcomes');
    const id = await this.repo.transaction(async (em) => {
      // The plan's row lock serializes meetings handing out items (one "会议交办事项" task).
      const plan = await this.plans.getPlan(actor.organizationId, cycle.planId, em, true);
      if (!plan) throw DomainError.notFound('计划');
      if (plan.status !== 'published') throw DomainError.conflict('只有已发布的计划可以记录调度会');
      const meeting = {
        organizationId: actor.organizationId,
        planId: cycle.planId,
        cycleId,
        heldOn: dto.heldOn,
        title:
          dto.title?.trim() ||
          `${cycle.period.slice(0, 4)}年${Number(cycle.period.slice(5))}月重点工作调度会`,
        attendees: (dto.attendees ?? []).map((a) => a.trim()).filter(Boolean),
        notes: dto.notes ?? '',
      };
      const meetingId = await this.repo.insert(em, { ...meeting, createdBy: actor.userId });
      if (!meetingId) throw DomainError.conflict('该调度周期已有会议记录，请在原记录上修改或补充', 'cycleId');
      await this.audit.recordAs(em, actor, 'meeting', meetingId, 'create', null, meeting);
      for (const [n, outcome] of (dto.outcomes ?? []).entries()) {
        await this.addOutcomeIn(em, actor, { ...meeting, id: meetingId }, outcome, `outcomes[${n}]`);
      }
      return meetingId;
    });
    return this.get(actor, id);
  }

  async addOutcome(actor: Actor, meetingId: string, dto: MeetingOutcomeInputDto): Promise<MeetingDto> {
    this.requireOffice(actor);
    this.checkOutcomes([dto], null);
    await this.repo.transaction(async (em) => {
      const meeting = await this.repo.get(actor.organizationId, meetingId, em);
      if (!meeting) throw DomainError.notFound('会议记录');
      const plan = await this.plans.getPlan(actor.organizationId, meeting.planId, em, true);
      if (plan?.status !== 'published') throw DomainError.conflict('只有已发布的计划可以记录调度会');
      await this.addOutcomeIn(em, actor, meeting, dto, null);
    });
    return this.get(actor, meetingId);
  }

  async update(actor: Actor, meetingId: string, dto: UpdateMeetingDto): Promise<MeetingDto> {
    this.requireOffice(actor);
    await this.repo.transaction(async (em) => {
      const before = await this.repo.get(actor.organizationId, meetingId, em, true);
      if (!before) throw DomainError.notFound('会议记录');
      const patch = {
        heldOn: dto.heldOn,
        title: dto.title?.trim(),
        attendees: dto.attendees?.map((a) => a.trim()).filter(Boolean),
        notes: dto.notes,
      };
      if (!(await this.repo.update(em, meetingId, dto.version, patch))) {
        throw DomainError.conflict('该会议记录已被他人修改，请刷新后重试', 'version');
      }
      const after = (await this.repo.get(actor.organizationId, meetingId, em))!;
      const pick = (m: MeetingRow) => ({
        heldOn: m.heldOn,
        title: m.title,
        attendees: m.attendees,
        notes: m.notes,
      });
      await this.audit.recordAs(em, actor, 'meeting', meetingId, 'update', pick(before), pick(after));
    });
    return this.get(actor, meetingId);
  }

  /** Any user of the organization may read a meeting record; the items it links follow their own rules. */
  async get(actor: Actor, meetingId: string): Promise<MeetingDto> {
    const meeting = await this.repo.get(actor.organizationId, meetingId);
    if (!meeting) throw DomainError.notFound('会议记录');
    return this.toDto(meeting);
  }

  async ofCycle(actor: Actor, cycleId: string): Promise<MeetingDto> {
    const meeting = await this.repo.ofCycle(actor.organizationId, cycleId);
    if (!meeting) throw DomainError.notFound('该调度周期的会议记录');
    return this.toDto(meeting);
  }

  private async toDto(m: MeetingRow): Promise<MeetingDto> {
    const outcomes = await this.repo.outcomes(m.id);
    return {
      id: m.id,
      planId: m.planId,
      cycleId: m.cycleId,
      period: m.period,
      heldOn: m.heldOn,
      title: m.title,
      attendees: m.attendees,
      notes: m.notes,
      version: m.version,
      outcomes: outcomes.map((o) => ({ ...o, kindName: OUTCOME_KIND_ZH[o.kind] })),
    };
  }

  private async addOutcomeIn(
    em: EntityManager,
    actor: Actor,
    meeting: Pick<MeetingRow, 'id' | 'organizationId' | 'planId' | 'heldOn'>,
    dto: MeetingOutcomeInputDto,
    field: string | null,
  ): Promise<void> {
    const content = dto.content.trim();
    const outcome = await this.repo.insertOutcome(em, {
      organizationId: actor.organizationId,
      meetingId: meeting.id,
      kind: dto.kind,
      content,
      createdBy: actor.userId,
    });
    await this.audit.recordAs(em, actor, 'meeting', meeting.id, 'outcome', null, {
      outcomeId: outcome.id,
      kind: dto.kind,
      content,
    });
    if (dto.kind !== 'action' || !dto.action) return;
    const task = await this.repo.meetingTask(em, actor.organizationId, meeting.planId);
    if (task.created) {
      await this.audit.recordAs(em, actor, 'task', task.taskId, 'create', null, {
        sectionId: task.sectionId,
        title: MEETING_TASK_TITLE,
      });
    }
    const a = dto.action;
    if (a.deadline < meeting.heldOn) {
      throw DomainError.invalid(`${field ? `${field}.` : ''}action.deadline`, '完成时限不能早于会议日期');
    }
    try {
      await this.items.createIn(
        em,
        actor,
        {
          taskId: task.taskId,
          title: (a.title ?? content).trim().slice(0, 200),
          detail: content,
          leadUnitId: a.leadUnitId,
          coUnitIds: a.coUnitIds,
          responsibleLeaderId: a.responsibleLeaderId,
          ownerId: a.ownerId,
          startDate: meeting.heldOn,
          deadline: a.deadline,
          cadence: 'once',
          tags: ['会议交办'],
        },
        { meetingOutcomeId: outcome.id },
      );
    } catch (err) {
      // Point at the action's own field: "outcomes[2].action.ownerId", not a bare "ownerId".
      if (err instanceof DomainError && field) throw err.withFieldPrefix(`${field}.action.`);
      if (err instanceof DomainError) throw err.withFieldPrefix('action.');
      throw err;
    }
  }

  private checkOutcomes(outcomes: MeetingOutcomeInputDto[], field: string | null): void {
    outcomes.forEach((o, n) => {
      const at = field ? `${field}[${n}].action` : 'action';
      if (o.kind === 'action' && !o.action)
        throw DomainError.invalid(at, '交办事项须填写牵头单位、责任人和完成时限');
      if (o.kind !== 'action' && o.action) throw DomainError.invalid(at, '只有交办事项可以生成事项');
    });
  }

  private requireOffice(actor: Actor): void {
    if (!canManageAll(actor)) throw DomainError.forbidden('只有调度办公室或管理员可以记录调度会');
  }
}
