import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { DomainError, ErrorCode, FieldError } from '../../core/errors/domain-error';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { AuditRepository } from '../audit/audit.repository';
import { OrgRepository } from '../org/org.repository';
import { parseCadence } from './domain/cadence';
import { parseDeadline } from './domain/dates';
import { formatTargets, parseTargets } from './domain/target';
import { CADENCE_ZH, ITEM_STATUS_ZH, ItemStatus } from './domain/types';
import { PlanDto } from './dto/plan.dto';
import { PlanEntity } from './entities/plan.entity';
import { canManageAll } from './item-access';
import { ItemsRepository } from './items.repository';
import { PlanErrors } from './plans.errors';
import { PlansRepository } from './plans.repository';
import { PlanWriter, WriteSection, WriteTask } from './plan-writer';
import { checkZipLimits } from './sheet/zip-limits';
import {
  CO_UNIT_SEPARATOR,
  readBreakdownSheet,
  SheetPlan,
  SheetProblem,
  splitTaskLabel,
  TITLE_SUFFIX,
  writeBreakdownSheet,
} from './sheet/breakdown-sheet';

const STATUS_BY_LABEL = new Map(Object.entries(ITEM_STATUS_ZH).map(([k, v]) => [v, k as ItemStatus]));
const IMPORTED_REASON = '由任务分解表导入';

type ParsedTask = WriteTask;
type ParsedSection = WriteSection;

export interface ImportResult {
  plan: PlanDto;
  sections: number;
  tasks: number;
  items: number;
}

/** A short title from the duty text: its first clause, at most 30 characters. */
export function titleFromDetail(detail: string): string {
  const first = detail.split(/[，。；,;]/)[0].trim() || detail.trim();
  return first.length > 30 ? `${first.slice(0, 29)}…` : first;
}

/** The standard breakdown sheet (任务分解表): export a plan, import a sheet all-or-nothing. */
@Injectable()
export class BreakdownService {
  constructor(
    private readonly plans: PlansRepository,
    private readonly items: ItemsRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
    private readonly writer: PlanWriter,
  ) {}

  async export(actor: Actor, planId: string): Promise<{ file: Buffer; filename: string }> {
    const plan = await this.plans.getPlan(actor.organizationId, planId);
    if (!plan) throw PlanErrors.planNotFound();
    const [sections, tasks, views] = await Promise.all([
      this.plans.sections(actor.organizationId, planId),
      this.plans.tasksWithCounts(actor.organizationId, planId),
      this.items.viewsOfPlan(actor.organizationId, planId),
    ]);
    const sheet: SheetPlan = {
      title: plan.title,
      year: plan.year,
      sections: sections.map((s) => ({
        numbering: s.numbering,
        title: s.title,
        tasks: tasks
          .filter((t) => t.sectionId === s.id)
          .map((t) => ({
            numbering: t.numbering,
            title: t.title,
            items: views
              .filter((v) => v.taskId === t.id)
              .map((v) => ({
                detail: v.detail || v.title,
                leadUnit: v.leadUnit.name,
                coUnits: v.coUnits.map((u) => u.name),
                responsibleLeader: v.responsibleLeader.name,
                owner: v.owner?.name ?? null,
                deadline: v.deadline,
                cadence: CADENCE_ZH[v.cadence],
                targets: formatTargets(v.targets),
                status: ITEM_STATUS_ZH[v.status],
              })),
          })),
      })),
    };
    return { file: await writeBreakdownSheet(sheet), filename: `${plan.title}${TITLE_SUFFIX}.xlsx` };
  }

  /** Checked before the upload is read: nobody else can make the API accept (and inflate) a sheet. */
  assertMayImport(actor: Actor): void {
    if (!canManageAll(actor)) throw PlanErrors.notAllowed();
  }

  /**
   * Imports a sheet into an existing draft plan (`planId`) or a new draft plan (`year`, `title`).
   * Every row is checked first; any problem → 422 listing every bad row and column, nothing written.
   */
  async import(
    actor: Actor,
    file: Buffer,
    target: { planId?: string; year?: number; title?: string },
  ): Promise<ImportResult> {
    this.assertMayImport(actor);
    const zip = checkZipLimits(file);
    if (!zip.ok && zip.reason !== 'not-zip') {
      throw new DomainError(ErrorCode.PayloadTooLarge, zip.message, [
        { field: 'file', message: zip.message },
      ]);
    }
    if (!zip.ok) throw this.unprocessable([{ row: 0, column: null, message: zip.message }]);
    const sheet = await readBreakdownSheet(file);
    if (
      sheet.problems.some((p) => p.row === 0 || (p.row === 1 && p.column === null)) ||
      sheet.rows.length === 0
    ) {
      throw this.unprocessable(
        sheet.problems.length ? sheet.problems : [{ row: 0, column: null, message: '表格中没有任何事项' }],
      );
    }
    let plan: PlanEntity | null = null;
    if (target.planId) {
      plan = await this.plans.getPlan(actor.organizationId, target.planId);
      if (!plan) throw PlanErrors.planNotFound();
      if (plan.status !== 'draft') throw DomainError.conflict('只能导入到草稿状态的计划');
    } else if (!target.year) {
      throw DomainError.invalid('year', '导入为新计划时必须填写年度');
    }
    const year = plan?.year ?? target.year!;
    const title =
      plan?.title ?? target.title?.trim() ?? sheet.title?.replace(new RegExp(`${TITLE_SUFFIX}$`), '').trim();
    if (!title) throw DomainError.invalid('title', '导入为新计划时必须填写标题（表格中也没有标题行）');

    const { sections, problems } = await this.parse(actor, sheet.rows, year, [...sheet.problems]);
    if (problems.length) throw this.unprocessable(problems);

    return this.plans.transaction(async (em) => {
      if (!plan) {
        if (await this.plans.findPlanByTitle(em, actor.organizationId, year, title)) {
          throw DomainError.conflict(`${year} 年已有同名计划“${title}”`, 'title');
        }
        plan = await this.plans.insertPlan(em, {
          organizationId: actor.organizationId,
          year,
          title,
          source: '任务分解表导入',
          copiedFromId: null,
        });
        await this.audit.recordAs(em, actor, 'plan', plan.id, 'create', null, {
          year,
          title,
          source: '任务分解表导入',
        });
      }
      const counts = await this.writer.write(em, actor, plan, sections, IMPORTED_REASON);
      await this.outbox.planChanged(em, plan.id);
      return {
        plan: PlanDto.from((await this.plans.getPlan(actor.organizationId, plan.id, em))!),
        ...counts,
      };
    });
  }

  private async parse(
    actor: Actor,
    rows: Awaited<ReturnType<typeof readBreakdownSheet>>['rows'],
    year: number,
    problems: SheetProblem[],
  ) {
    const units = await this.org.listUnits(actor.organizationId);
    const users = await this.org.listUsers(actor.organizationId, {});
    const unitByName = new Map(units.filter((u) => u.active).map((u) => [u.name, u]));
    const usersByName = new Map<string, typeof users>();
    for (const u of users) usersByName.set(u.name, [...(usersByName.get(u.name) ?? []), u]);
    const unitPath = new Map(units.map((u) => [u.id, u.path]));

    const sections: ParsedSection[] = [];
    let section: ParsedSection | undefined;
    let task: ParsedTask | undefined;
    const bad = (row: number, column: string | null, message: string) =>
      problems.push({ row, column, message });

    for (const r of rows) {
      if (r.kind === 'section') {
        section = { numbering: r.numbering, title: r.title, tasks: [] };
        sections.push(section);
        task = undefined;
        continue;
      }
      const c = r.cells;
      if (!section) {
        section = { numbering: null, title: '未分部分', tasks: [] };
        sections.push(section);
      }
      if (!c['重点任务']) {
        bad(r.row, '重点任务', '重点任务为空');
        continue;
      }
      const label = splitTaskLabel(c['重点任务']);
      if (!task || task.title !== label.title || task.numbering !== label.numbering) {
        task = { numbering: label.numbering, title: label.title, items: [] };
        section.tasks.push(task);
      }
      const itemColumns = [
        '具体事项',
        '牵头单位',
        '配合单位',
        '责任领导',
        '责任人',
        '完成时限',
        '工作频次',
        '量化指标',
        '状态',
      ] as const;
      if (itemColumns.every((k) => !c[k])) continue; // a key task without items yet
      const before = problems.length;
      if (!c['具体事项']) bad(r.row, '具体事项', '缺少具体事项');
      const lead = unitByName.get(c['牵头单位']);
      if (!c['牵头单位']) bad(r.row, '牵头单位', '缺少牵头单位');
      else if (!lead) bad(r.row, '牵头单位', `找不到单位“${c['牵头单位']}”`);
      const coUnitIds: string[] = [];
      for (const name of c['配合单位']
        .split(CO_UNIT_SEPARATOR)
        .map((s) => s.trim())
        .filter(Boolean)) {
        const u = unitByName.get(name);
        if (!u) bad(r.row, '配合单位', `找不到单位“${name}”`);
        else if (u.id !== lead?.id && !coUnitIds.includes(u.id)) coUnitIds.push(u.id);
      }
      const leaders = (usersByName.get(c['责任领导']) ?? []).filter((u) => u.roles.includes('leader'));
      if (!c['责任领导']) bad(r.row, '责任领导', '缺少责任领导');
      else if (leaders.length !== 1)
        bad(
          r.row,
          '责任领导',
          leaders.length ? `有多位局领导叫“${c['责任领导']}”` : `找不到局领导“${c['责任领导']}”`,
        );
      let ownerId: string | null = null;
      if (c['责任人']) {
        const owners = (usersByName.get(c['责任人']) ?? []).filter(
          (u) => lead && (unitPath.get(u.unitId) ?? '').startsWith(lead.path),
        );
        if (owners.length !== 1)
          bad(
            r.row,
            '责任人',
            owners.length ? `牵头单位中有多人叫“${c['责任人']}”` : `牵头单位中找不到“${c['责任人']}”`,
          );
        else ownerId = owners[0].id;
      }
      const deadline = parseDeadline(c['完成时限'], year);
      if (!c['完成时限']) bad(r.row, '完成时限', '缺少完成时限');
      else if (!deadline) bad(r.row, '完成时限', `无法识别的日期“${c['完成时限']}”`);
      const cadence = c['工作频次'] ? parseCadence(c['工作频次']) : 'once';
      if (!cadence) bad(r.row, '工作频次', `无法识别的工作频次“${c['工作频次']}”`);
      const parsedTargets = parseTargets(c['量化指标']);
      if ('error' in parsedTargets) bad(r.row, '量化指标', parsedTargets.error);
      const status = c['状态'] ? STATUS_BY_LABEL.get(c['状态']) : ownerId ? 'assigned' : 'draft';
      if (!status) bad(r.row, '状态', `无法识别的状态“${c['状态']}”`);
      if (problems.length > before) continue;
      task.items.push({
        source: `任务分解表第 ${r.row} 行`,
        title: titleFromDetail(c['具体事项']),
        detail: c['具体事项'],
        leadUnitId: lead!.id,
        coUnitIds,
        responsibleLeaderId: leaders[0].id,
        ownerId,
        deadline: deadline!,
        cadence: cadence!,
        targets: 'targets' in parsedTargets ? parsedTargets.targets : [],
        status: status === 'assigned' && !ownerId ? 'draft' : status!,
      });
    }
    return { sections, problems };
  }

  private unprocessable(problems: SheetProblem[]): DomainError {
    const fields: FieldError[] = problems.map((p) => ({
      field: p.column ? `第${p.row}行·${p.column}` : `第${p.row}行`,
      message: p.column ? `第 ${p.row} 行“${p.column}”：${p.message}` : p.message,
    }));
    return new DomainError(
      ErrorCode.Unprocessable,
      `任务分解表有 ${problems.length} 处问题，未导入任何内容`,
      fields,
    );
  }
}
