import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { AuditRepository } from '../audit/audit.repository';
import { OrgRepository } from '../org/org.repository';
import { PlanEntity } from '../plans/entities/plan.entity';
import { canManageAll } from '../plans/item-access';
import { PlanErrors } from '../plans/plans.errors';
import { PlansRepository } from '../plans/plans.repository';
import { PlanWriter, WriteSection } from '../plans/plan-writer';
import { draftFromText } from './domain/draft';
import { OrgRefs, Problem, publishProblems, referenceProblems } from './domain/publish-check';
import { toTargetSpec } from './domain/to-target';
import { DraftBody, DraftParseError } from './domain/types';
import { DraftDto, DraftSummaryDto, PublishResultDto, UpdateDraftDto } from './dto/draft.dto';
import { DraftRow, DraftsRepository } from './drafts.repository';

const MB = 1024 * 1024;
const PUBLISHED_REASON = '由工作报告草稿发布';

export const DraftErrors = {
  notFound: () => DomainError.notFound('计划草稿'),
  notAllowed: () =>
    DomainError.forbidden('没有权限导入工作报告或管理计划草稿，只有系统管理员和督查室可以操作'),
  published: () => DomainError.conflict('该草稿已发布为计划，不能再修改或重复发布'),
  stale: () =>
    new DomainError(ErrorCode.Conflict, '该草稿已被他人修改，请刷新后重试', [
      { field: 'version', message: '版本已过期' },
    ]),
};

function counts(body: DraftBody) {
  const tasks = body.sections.flatMap((s) => s.tasks);
  return { sections: body.sections.length, tasks: tasks.length, items: tasks.flatMap((t) => t.items).length };
}

function toDto(row: DraftRow): DraftDto {
  return {
    id: row.id,
    year: row.year,
    title: row.title,
    status: row.status,
    version: row.version,
    sourceText: row.sourceText,
    sourceName: row.sourceName,
    sections: row.body.sections,
    createdBy: row.createdBy,
    publishedPlanId: row.publishedPlanId,
    publishedAt: row.publishedAt ? new Date(row.publishedAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/**
 * Plan drafts from a work report (导入工作报告): read the report into a proposed tree, let the dispatch
 * office review it, publish it into a plan all-or-nothing. Only admin and dispatcher (canManageAll).
 */
@Injectable()
export class DraftsService {
  constructor(
    private readonly drafts: DraftsRepository,
    private readonly plans: PlansRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
    private readonly writer: PlanWriter,
    private readonly config: AppConfig,
  ) {}

  /** Checked before an upload is read: nobody else can make the API accept (and parse) a report. */
  assertMayManage(actor: Actor): void {
    if (!canManageAll(actor)) throw DraftErrors.notAllowed();
  }

  /** 413 on the text's UTF-8 size: the limit is the same for pasted text and uploaded files. */
  assertSize(bytes: number): void {
    const max = this.config.drafts.maxBytes;
    if (bytes > max) {
      const message = `报告内容过大：最大 ${Math.round((max / MB) * 10) / 10} MB`;
      throw new DomainError(ErrorCode.PayloadTooLarge, message, [{ field: 'text', message }]);
    }
  }

  async create(
    actor: Actor,
    input: { text: string; year: number; title?: string; sourceName: string | null },
  ): Promise<DraftDto> {
    this.assertMayManage(actor);
    this.assertSize(Buffer.byteLength(input.text, 'utf8'));
    if (input.text.trim() === '') throw this.unreadable('报告内容为空');
    const units = (await this.org.listUnits(actor.organizationId))
      .filter((u) => u.active)
      .map((u) => ({ id: u.id, name: u.name, kind: u.kind }));
    let body: DraftBody;
    try {
      body = draftFromText(input.text, { year: input.year, units });
    } catch (err) {
      if (err instanceof DraftParseError) throw this.unreadable(err.message);
      throw err;
    }
    const title = input.title?.trim() || `${input.year}年工作计划`;
    const id = await this.drafts.transaction(async (em) => {
      const draftId = await this.drafts.insert(em, {
        organizationId: actor.organizationId,
        year: input.year,
        title,
        sourceText: input.text,
        sourceName: input.sourceName,
        body,
        createdBy: actor.userId,
      });
      await this.audit.recordAs(em, actor, 'plan_draft', draftId, 'create', null, {
        year: input.year,
        title,
        sourceName: input.sourceName,
        ...counts(body),
      });
      return draftId;
    });
    return this.get(actor, id);
  }

  async list(actor: Actor): Promise<DraftSummaryDto[]> {
    this.assertMayManage(actor);
    const rows = await this.drafts.list(actor.organizationId);
    return rows.map((r) => ({
      id: r.id,
      year: r.year,
      title: r.title,
      status: r.status,
      itemCount: r.itemCount,
      sourceName: r.sourceName,
      createdBy: r.createdBy,
      createdAt: new Date(r.createdAt).toISOString(),
      publishedPlanId: r.publishedPlanId,
    }));
  }

  async get(actor: Actor, id: string): Promise<DraftDto> {
    this.assertMayManage(actor);
    const row = await this.drafts.get(actor.organizationId, id);
    if (!row) throw DraftErrors.notFound();
    return toDto(row);
  }

  /** The reviewer's whole edited tree replaces the draft's (optimistic lock on `version`). */
  async update(actor: Actor, id: string, dto: UpdateDraftDto): Promise<DraftDto> {
    this.assertMayManage(actor);
    const body: DraftBody = { sections: dto.sections };
    const problems = referenceProblems(body, await this.refs(actor));
    if (problems.length) {
      throw new DomainError(
        ErrorCode.Validation,
        `请求参数有误：${problems.map((p) => p.message).join('；')}`,
        problems,
      );
    }
    await this.drafts.transaction(async (em) => {
      const before = await this.drafts.get(actor.organizationId, id, em, true);
      if (!before) throw DraftErrors.notFound();
      if (before.status !== 'open') throw DraftErrors.published();
      if (before.version !== dto.version) throw DraftErrors.stale();
      const title = dto.title.trim();
      if (!(await this.drafts.update(em, id, dto.version, { title, body }))) throw DraftErrors.stale();
      await this.audit.recordAs(
        em,
        actor,
        'plan_draft',
        id,
        'update',
        { title: before.title, version: before.version, ...counts(before.body) },
        { title, version: before.version + 1, ...counts(body) },
      );
    });
    return this.get(actor, id);
  }

  /** An open draft may be deleted; a published one stays as the record of where its plan came from. */
  async delete(actor: Actor, id: string): Promise<void> {
    this.assertMayManage(actor);
    await this.drafts.transaction(async (em) => {
      const before = await this.drafts.get(actor.organizationId, id, em, true);
      if (!before) throw DraftErrors.notFound();
      if (before.status !== 'open')
        throw DomainError.conflict('该草稿已发布为计划，不能删除（它记录了计划的来源）');
      await this.drafts.delete(em, id);
      await this.audit.recordAs(
        em,
        actor,
        'plan_draft',
        id,
        'delete',
        { year: before.year, title: before.title, version: before.version, ...counts(before.body) },
        null,
      );
    });
  }

  /**
   * Publishes the draft into a new plan (the draft's year and title) or adds it to an existing draft or
   * published plan of the organization. Every item is checked first (422 lists every problem, nothing
   * written); then plan, sections, tasks and items are written and audited in one transaction.
   */
  async publish(
    actor: Actor,
    id: string,
    dto: { version: number; planId?: string; title?: string },
  ): Promise<PublishResultDto> {
    this.assertMayManage(actor);
    const draft = await this.drafts.get(actor.organizationId, id);
    if (!draft) throw DraftErrors.notFound();
    if (draft.status !== 'open') throw DraftErrors.published();
    if (draft.version !== dto.version) throw DraftErrors.stale();
    let existing: PlanEntity | null = null;
    if (dto.planId) {
      existing = await this.plans.getPlan(actor.organizationId, dto.planId);
      if (!existing) throw PlanErrors.planNotFound();
      if (existing.status === 'archived') throw PlanErrors.archived();
    }
    const year = existing?.year ?? draft.year;
    const title = existing?.title ?? (dto.title?.trim() || draft.title);
    const problems = publishProblems(draft.body, year, await this.refs(actor));
    if (problems.length) throw this.unpublishable(problems);
    const sections = this.toWrite(draft);

    return this.drafts.transaction(async (em) => {
      // The version checked above is the version written: nothing changed the tree in between.
      const locked = await this.drafts.get(actor.organizationId, id, em, true);
      if (!locked) throw DraftErrors.notFound();
      if (locked.status !== 'open') throw DraftErrors.published();
      if (locked.version !== dto.version) throw DraftErrors.stale();
      let plan: PlanEntity;
      if (existing) {
        plan = (await this.plans.getPlan(actor.organizationId, existing.id, em, true))!;
        if (!plan) throw PlanErrors.planNotFound();
        if (plan.status === 'archived') throw PlanErrors.archived();
      } else {
        if (await this.plans.findPlanByTitle(em, actor.organizationId, year, title))
          throw DomainError.conflict(`${year} 年已有同名计划“${title}”`, 'title');
        plan = await this.plans.insertPlan(em, {
          organizationId: actor.organizationId,
          year,
          title,
          source: '工作报告导入',
          copiedFromId: null,
        });
        await this.audit.recordAs(em, actor, 'plan', plan.id, 'create', null, {
          year,
          title,
          source: '工作报告导入',
          draftId: id,
        });
      }
      const written = await this.writer.write(em, actor, plan, sections, PUBLISHED_REASON);
      await this.outbox.planChanged(em, plan.id);
      await this.drafts.markPublished(em, id, plan.id);
      await this.audit.recordAs(
        em,
        actor,
        'plan_draft',
        id,
        'publish',
        { status: 'open', version: locked.version },
        { status: 'published', version: locked.version + 1, planId: plan.id, ...written },
      );
      return {
        draft: toDto((await this.drafts.get(actor.organizationId, id, em))!),
        planId: plan.id,
        ...written,
      };
    });
  }

  private toWrite(draft: DraftRow): WriteSection[] {
    const source = `工作报告草稿“${draft.title}”`;
    return draft.body.sections.map((s) => ({
      numbering: s.numbering,
      title: s.title.trim(),
      tasks: s.tasks.map((t) => ({
        numbering: t.numbering,
        title: t.title.trim(),
        items: t.items.map((i) => ({
          title: i.title.trim(),
          detail: i.text.trim(),
          leadUnitId: i.leadUnitId!,
          coUnitIds: [...new Set(i.coUnitIds)].filter((u) => u !== i.leadUnitId),
          responsibleLeaderId: i.responsibleLeaderId!,
          ownerId: i.ownerId,
          deadline: i.deadline!,
          cadence: i.cadence,
          targets: i.targets.map(toTargetSpec),
          status: i.ownerId ? 'assigned' : 'draft',
          source,
        })),
      })),
    }));
  }

  private async refs(actor: Actor): Promise<OrgRefs> {
    const [units, users] = await Promise.all([
      this.org.listUnits(actor.organizationId),
      this.org.listUsers(actor.organizationId, {}),
    ]);
    return {
      units: new Map(units.filter((u) => u.active).map((u) => [u.id, { path: u.path }])),
      users: new Map(users.map((u) => [u.id, { unitId: u.unitId, roles: u.roles }])),
    };
  }

  private unreadable(message: string): DomainError {
    return new DomainError(ErrorCode.Unprocessable, message, [{ field: 'text', message }]);
  }

  private unpublishable(problems: Problem[]): DomainError {
    return new DomainError(
      ErrorCode.Unprocessable,
      `草稿有 ${problems.length} 处问题，未发布任何内容：${problems
        .slice(0, 5)
        .map((p) => p.message)
        .join('；')}${problems.length > 5 ? '……' : ''}`,
      problems,
    );
  }
}
