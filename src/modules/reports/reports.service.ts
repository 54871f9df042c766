import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor, hasRole } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { detectEvidenceType } from '../../core/storage/file-type';
import { EvidenceStorage, keyFor } from '../../core/storage/evidence-storage';
import { discardSpool, spool, SpooledFile } from '../../core/storage/spool';
import { AuditRepository } from '../audit/audit.repository';
import { isOpen } from '../plans/domain/item-status';
import { convert, sumInUnit } from '../plans/domain/measure';
import { AccessContext, canManageItem, canReadItem } from '../plans/item-access';
import { ItemForAccess, ItemsRepository } from '../plans/items.repository';
import { PlanErrors } from '../plans/plans.errors';
import {
  ActualDto,
  ContributionDto,
  ItemProgressDto,
  ReportDto,
  ReturnReportDto,
  SaveReportDto,
} from './dto/report.dto';
import { checkPeriodKey } from './period-key';
import { ActualWrite, ReportRow, ReportsRepository, ReportStatus } from './reports.repository';
import { AccessContexts } from '../plans/access-contexts';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { NoticesService } from '../reminders/notices.service';

/** Takes the uploaded file's name and stream; resolves once the stream is consumed. */
export type EvidenceReceiver = (filename: string, content: Readable) => Promise<void>;

const STATUS_ZH: Record<ReportStatus, string> = {
  draft: '草稿',
  submitted: '已提交',
  approved: '已通过',
  returned: '已退回',
};

/**
 * Progress reports (进度填报): the lead unit fills one per item and period, submits it with evidence,
 * a reviewer returns it (退回重办) or approves it; co-units add contributions to it.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly access: AccessContexts,
    private readonly repo: ReportsRepository,
    private readonly items: ItemsRepository,
    private readonly audit: AuditRepository,
    private readonly storage: EvidenceStorage,
    private readonly clock: Clock,
    private readonly notices: NoticesService,
  ) {}

  /** Who fills the lead unit's report: its owner, anyone in the lead unit's subtree, their heads, the dispatch office. */
  private canReport(ctx: AccessContext, item: ItemForAccess): boolean {
    return (
      canManageItem(ctx, item) ||
      item.ownerId === ctx.actor.userId ||
      (hasRole(ctx.actor, 'member', 'head') && ctx.unitPath.startsWith(item.leadUnitPath))
    );
  }

  private async requireItem(
    ctx: AccessContext,
    itemId: string,
    em?: EntityManager,
    lock = false,
  ): Promise<ItemForAccess> {
    const item = await this.items.getForAccess(ctx.actor.organizationId, itemId, em, lock);
    if (!item) throw PlanErrors.itemNotFound();
    if (!canReadItem(ctx, item)) throw PlanErrors.itemNotReadable();
    return item;
  }

  async list(actor: Actor, itemId: string): Promise<ReportDto[]> {
    const ctx = await this.access.for(actor);
    await this.requireItem(ctx, itemId);
    return this.views(await this.repo.listForItem(actor.organizationId, itemId));
  }

  /** Creates or updates the draft (or returned) report of one period. */
  async save(actor: Actor, itemId: string, periodKey: string, dto: SaveReportDto): Promise<ReportDto> {
    const ctx = await this.access.for(actor);
    const id = await this.repo.transaction(async (em) => {
      const item = await this.requireItem(ctx, itemId, em, true);
      if (!this.canReport(ctx, item)) throw DomainError.forbidden('只有牵头单位的人员可以填报该事项的进度');
      this.requireOpen(item);
      const bad = checkPeriodKey(periodKey, item.cadence, { start: item.startDate, end: item.deadline });
      if (bad) throw DomainError.invalid('periodKey', bad);
      const actuals = await this.checkActuals(item, dto.actuals ?? [], em);
      const last = await this.repo.latestApproved(item.id, em);
      if (last && last.percent !== null && dto.percent < last.percent && !dto.decreaseReason?.trim()) {
        throw DomainError.invalid('decreaseReason', `完成率低于上次审核通过的 ${last.percent}%，请说明原因`);
      }
      let report = await this.repo.byPeriod(em, item.id, periodKey);
      const before = report ? this.snapshot(report) : null;
      if (!report) {
        const newId = await this.repo.insert(em, {
          organizationId: actor.organizationId,
          itemId: item.id,
          periodKey,
          createdBy: actor.userId,
        });
        report = (await this.repo.get(actor.organizationId, newId, em))!;
      } else {
        if (dto.version === undefined) throw DomainError.invalid('version', '修改已有填报时必须带上版本号');
        if (report.version !== dto.version) throw this.stale();
        if (report.status === 'submitted' || report.status === 'approved') {
          throw DomainError.conflict(
            report.status === 'approved'
              ? '该周期的填报已审核通过，不能再修改'
              : '填报已提交，等待审核，不能修改',
          );
        }
      }
      const ok = await this.repo.update(em, report.id, report.version, {
        percent: dto.percent,
        progress: dto.progress.trim(),
        problems: dto.problems?.trim() ?? '',
        nextSteps: dto.nextSteps?.trim() ?? '',
        decreaseReason: dto.decreaseReason?.trim() || null,
      });
      if (!ok) throw this.stale();
      await this.repo.replaceLeadActuals(em, report.id, actuals);
      const after = (await this.repo.get(actor.organizationId, report.id, em))!;
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        before ? 'report-update' : 'report-create',
        before,
        {
          ...this.snapshot(after),
          actuals: dto.actuals ?? [],
        },
      );
      await this.outbox.itemChanged(em, item.id);
      return report.id;
    });
    return (await this.views([(await this.repo.get(actor.organizationId, id))!]))[0];
  }

  async submit(actor: Actor, reportId: string, version: number): Promise<ReportDto> {
    return this.transition(actor, reportId, version, 'submit', async (em, report, item, ctx) => {
      if (!this.canReport(ctx, item)) throw DomainError.forbidden('只有牵头单位的人员可以提交该事项的进度');
      if (report.status !== 'draft' && report.status !== 'returned')
        throw DomainError.conflict('只有草稿或被退回的填报可以提交');
      return { status: 'submitted', submittedAt: await this.clock.now(em), submittedBy: actor.userId };
    });
  }

  async returnReport(actor: Actor, reportId: string, dto: ReturnReportDto): Promise<ReportDto> {
    return this.transition(actor, reportId, dto.version, 'report-return', async (em, report, item, ctx) => {
      this.requireReviewer(ctx, item);
      if (report.status !== 'submitted') throw DomainError.conflict('只有已提交的填报可以退回');
      return {
        status: 'returned',
        reviewedAt: await this.clock.now(em),
        reviewedBy: actor.userId,
        reviewComment: dto.comment.trim(),
      };
    });
  }

  async approve(actor: Actor, reportId: string, version: number): Promise<ReportDto> {
    return this.transition(actor, reportId, version, 'report-approve', async (em, report, item, ctx) => {
      this.requireReviewer(ctx, item);
      if (report.status !== 'submitted') throw DomainError.conflict('只有已提交的填报可以审核通过');
      // The first approved report means the work is under way.
      if (item.status === 'assigned' || item.status === 'draft') {
        await this.items.update(em, item.id, item.version, { status: 'in_progress' });
      }
      return {
        status: 'approved',
        reviewedAt: await this.clock.now(em),
        reviewedBy: actor.userId,
        reviewComment: null,
      };
    });
  }

  async contribute(actor: Actor, reportId: string, dto: ContributionDto): Promise<ReportDto> {
    const ctx = await this.access.for(actor);
    await this.repo.transaction(async (em) => {
      const report = await this.repo.get(actor.organizationId, reportId, em, true);
      if (!report) throw DomainError.notFound('填报');
      const item = await this.requireItem(ctx, report.itemId, em);
      const unitId = item.coUnitIds.find((_, n) => ctx.unitPath.startsWith(item.coUnitPaths[n]));
      if (!unitId) throw DomainError.forbidden('只有配合单位的人员可以补充配合情况');
      this.requireOpen(item);
      if (report.status === 'approved') throw DomainError.conflict('该周期的填报已审核通过，不能再补充');
      const actuals = await this.checkActuals(item, dto.actuals ?? [], em);
      const id = await this.repo.insertContribution(em, {
        reportId,
        unitId,
        createdBy: actor.userId,
        text: dto.text.trim(),
        actuals,
      });
      await this.audit.recordAs(em, actor, 'item', item.id, 'contribution', null, {
        reportId,
        contributionId: id,
        periodKey: report.periodKey,
        text: dto.text.trim(),
        actuals: dto.actuals ?? [],
      });
      await this.outbox.itemChanged(em, item.id);
    });
    return (await this.views([(await this.repo.get(actor.organizationId, reportId))!]))[0];
  }

  /**
   * The caller's rights, the report and the item are checked before the upload is read (`read`), so
   * nobody without the right to upload can make the API accept a body. `read` hands the file's stream
   * to `receive`, which spools it to a temporary file while hashing it (never the whole file in
   * memory); then the file is checked (size by the upload limit, type by name and first bytes) before
   * the storage backend keeps it.
   */
  async addEvidence(
    actor: Actor,
    reportId: string,
    read: (receive: EvidenceReceiver) => Promise<void>,
  ): Promise<ReportDto> {
    const ctx = await this.access.for(actor);
    const report = await this.repo.get(actor.organizationId, reportId);
    if (!report) throw DomainError.notFound('填报');
    const item = await this.requireItem(ctx, report.itemId);
    if (!this.canReport(ctx, item)) throw DomainError.forbidden('只有牵头单位的人员可以上传佐证材料');
    this.requireOpen(item);
    if (report.status === 'approved') throw DomainError.conflict('该周期的填报已审核通过，不能再上传');
    let filename: string | undefined;
    let file: SpooledFile | undefined;
    try {
      await read(async (name, content) => {
        filename = name;
        file = await spool(content, this.storage.spoolDir);
      });
      if (!file || filename === undefined)
        throw DomainError.invalid('file', '缺少要上传的佐证材料（字段名 file）');
      if (file.size === 0) throw DomainError.invalid('file', '文件为空（0 字节），请重新选择文件');
      const type = detectEvidenceType(filename, file.head);
      if (!type) {
        throw new DomainError(
          ErrorCode.UnsupportedMediaType,
          '佐证材料只支持 PDF、JPG、PNG、Word（.docx）和 Excel（.xlsx）文件',
          [{ field: 'file', message: '文件类型不允许' }],
        );
      }
      // Store first: a crash between the two leaves an unreferenced file (harmless, same hash next time), never a row without its file.
      await this.storage.put(file);
      await this.recordEvidence(actor, item, reportId, {
        filename,
        mime: type.mime,
        size: file.size,
        sha256: file.sha256,
      });
    } finally {
      await discardSpool(file);
    }
    return (await this.views([(await this.repo.get(actor.organizationId, reportId))!]))[0];
  }

  private async recordEvidence(
    actor: Actor,
    item: ItemForAccess,
    reportId: string,
    file: { filename: string; mime: string; size: number; sha256: string },
  ): Promise<void> {
    const { filename, sha256 } = file;
    const storageKey = keyFor(sha256);
    await this.repo.transaction(async (em) => {
      const id = await this.repo.insertEvidence(em, {
        organizationId: actor.organizationId,
        itemId: item.id,
        reportId,
        filename,
        mime: file.mime,
        size: file.size,
        sha256,
        storageKey,
        uploadedBy: actor.userId,
      });
      await this.audit.recordAs(em, actor, 'item', item.id, 'evidence', null, {
        reportId,
        evidenceId: id,
        filename,
        sha256,
      });
      await this.outbox.itemChanged(em, item.id);
    });
  }

  async download(
    actor: Actor,
    evidenceId: string,
  ): Promise<{ filename: string; mime: string; size: number; stream: Readable }> {
    const ctx = await this.access.for(actor);
    const e = await this.repo.evidence(actor.organizationId, evidenceId);
    if (!e) throw DomainError.notFound('佐证材料');
    await this.requireItem(ctx, e.itemId);
    return {
      filename: e.filename,
      mime: e.mime,
      size: e.size,
      stream: await this.storage.open(e.storageKey),
    };
  }

  /** The item's latest approved percent and its targets' actuals, lead unit and co-units summed once each. */
  async progress(actor: Actor, itemId: string): Promise<ItemProgressDto> {
    const ctx = await this.access.for(actor);
    const item = await this.requireItem(ctx, itemId);
    const [view] = await this.items.views(actor.organizationId, [item.id]);
    const targets = await this.items.targetIds(item.id);
    const last = await this.repo.latestApproved(item.id);
    const actuals = last ? await this.repo.actuals([last.id]) : [];
    return {
      percent: last?.percent ?? null,
      periodKey: last?.periodKey ?? null,
      approvedAt: last?.reviewedAt ? new Date(last.reviewedAt).toISOString() : null,
      targets: view.targets.map((t, n) => {
        const id = targets[n];
        const sum = sumInUnit(
          actuals.filter((a) => a.targetId === id).map((a) => ({ value: a.value, unit: a.unit })),
          t.unit,
        );
        return {
          targetId: id,
          metric: t.metric,
          unit: t.unit,
          target: t.value,
          upper: t.comparator === 'range' ? (t.upper ?? null) : null,
          actual: sum.total,
          skipped: sum.skipped.map((s) => ({ targetId: id, ...s })),
        };
      }),
    };
  }

  // ---- helpers -------------------------------------------------------------------------

  private async transition(
    actor: Actor,
    reportId: string,
    version: number,
    action: string,
    decide: (
      em: EntityManager,
      report: ReportRow,
      item: ItemForAccess,
      ctx: AccessContext,
    ) => Promise<Parameters<ReportsRepository['update']>[3]>,
  ): Promise<ReportDto> {
    const ctx = await this.access.for(actor);
    await this.repo.transaction(async (em) => {
      const report = await this.repo.get(actor.organizationId, reportId, em, true);
      if (!report) throw DomainError.notFound('填报');
      const item = await this.requireItem(ctx, report.itemId, em, true);
      this.requireOpen(item);
      if (report.version !== version) throw this.stale();
      const patch = await decide(em, report, item, ctx);
      if (!(await this.repo.update(em, report.id, version, patch))) throw this.stale();
      const after = (await this.repo.get(actor.organizationId, report.id, em))!;
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        action,
        { reportId, periodKey: report.periodKey, status: report.status },
        {
          reportId,
          periodKey: report.periodKey,
          status: after.status,
          ...(after.reviewComment ? { comment: after.reviewComment } : {}),
        },
      );
      // The reporter learns the decision, in its transaction (one message per decision).
      if (after.status === 'returned') {
        await this.notices.decided(em, actor, item, report.submittedBy, {
          kind: 'report_returned',
          reportId,
          version: after.version,
          period: report.periodKey,
          comment: after.reviewComment ?? '',
        });
      } else if (after.status === 'approved') {
        await this.notices.decided(em, actor, item, report.submittedBy, {
          kind: 'report_approved',
          reportId,
          period: report.periodKey,
        });
      }
      await this.outbox.itemChanged(em, item.id);
    });
    return (await this.views([(await this.repo.get(actor.organizationId, reportId))!]))[0];
  }

  private requireReviewer(ctx: AccessContext, item: ItemForAccess): void {
    if (!canManageItem(ctx, item)) throw DomainError.forbidden('只有牵头单位的负责人或督查室可以审核');
  }

  private requireOpen(item: ItemForAccess): void {
    if (!isOpen(item.status)) throw DomainError.conflict('事项已销号或已取消/暂停，不能再填报');
  }

  /** Checks each figure against the item's targets and converts it into the target's unit once, here. */
  private async checkActuals(
    item: ItemForAccess,
    actuals: ActualDto[],
    em: EntityManager,
  ): Promise<ActualWrite[]> {
    const targets = await this.items.targetUnits(item.id, em);
    return actuals.map((a, n) => {
      const t = targets.get(a.targetId);
      if (!t) throw DomainError.invalid(`actuals.${n}.targetId`, '该量化指标不属于这个事项');
      const targetValue = a.unit === t ? a.value : convert(a.value, a.unit, t);
      if (targetValue === null) {
        throw DomainError.invalid(`actuals.${n}.unit`, `单位“${a.unit}”无法换算为指标单位“${t}”`);
      }
      return { targetId: a.targetId, value: a.value, unit: a.unit, targetValue };
    });
  }

  private stale(): DomainError {
    return new DomainError(ErrorCode.Conflict, '该填报已被他人修改，请刷新后重试', [
      { field: 'version', message: '版本已过期' },
    ]);
  }

  private snapshot(r: ReportRow) {
    return {
      periodKey: r.periodKey,
      status: r.status,
      percent: r.percent,
      progress: r.progress,
      problems: r.problems,
      nextSteps: r.nextSteps,
    };
  }

  private async views(reports: ReportRow[]): Promise<ReportDto[]> {
    const ids = reports.map((r) => r.id);
    const [actuals, contributions, evidence] = await Promise.all([
      this.repo.actuals(ids),
      this.repo.contributions(ids),
      this.repo.evidenceOf(ids),
    ]);
    return reports.map((r) => ({
      id: r.id,
      itemId: r.itemId,
      periodKey: r.periodKey,
      status: r.status,
      statusName: STATUS_ZH[r.status],
      percent: r.percent,
      progress: r.progress,
      problems: r.problems,
      nextSteps: r.nextSteps,
      decreaseReason: r.decreaseReason,
      reviewComment: r.reviewComment,
      version: r.version,
      actuals: actuals
        .filter((a) => a.reportId === r.id && !a.contributionId)
        .map(({ targetId, value, unit }) => ({ targetId, value, unit })),
      contributions: contributions
        .filter((c) => c.reportId === r.id)
        .map((c) => ({
          id: c.id,
          unitName: c.unitName,
          text: c.text,
          actuals: actuals
            .filter((a) => a.contributionId === c.id)
            .map(({ targetId, value, unit }) => ({ targetId, value, unit })),
        })),
      evidence: evidence
        .filter((e) => e.reportId === r.id)
        .map((e) => ({
          id: e.id,
          filename: e.filename,
          mime: e.mime,
          size: e.size,
          sha256: e.sha256,
          url: `/api/v1/evidence/${e.id}/download`,
        })),
    }));
  }
}
