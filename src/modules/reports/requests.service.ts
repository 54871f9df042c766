import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor, hasRole } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { DomainError } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { isValidIsoDate } from '../plans/domain/dates';
import { isOpen } from '../plans/domain/item-status';
import { AccessContext, canManageAll, canManageItem, canReadItem } from '../plans/item-access';
import { ItemForAccess, ItemsRepository } from '../plans/items.repository';
import { ITEM_STATUS_ZH } from '../plans/domain/types';
import { ItemsService } from '../plans/items.service';
import { PlanErrors } from '../plans/plans.errors';
import { CloseoutDto, ExtensionDto, RequestCloseoutDto, RequestExtensionDto } from './dto/request.dto';
import { CloseoutRow, ExtensionRow, RequestsRepository } from './requests.repository';
import { AccessContexts } from '../plans/access-contexts';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { NoticesService } from '../reminders/notices.service';

const EXT_ZH = { pending: '待审批', approved: '已批准', refused: '未批准', withdrawn: '已撤销' };
const CLO_ZH = { pending: '待审核', approved: '已销号', rejected: '已驳回', withdrawn: '已撤销' };

const extensionDto = (e: ExtensionRow): ExtensionDto => ({
  id: e.id,
  itemId: e.itemId,
  originalDeadline: e.originalDeadline,
  requestedDeadline: e.requestedDeadline,
  reason: e.reason,
  status: e.status,
  statusName: EXT_ZH[e.status],
  decisionComment: e.decisionComment,
});
const closeoutDto = (c: CloseoutRow): CloseoutDto => ({
  id: c.id,
  itemId: c.itemId,
  note: c.note,
  status: c.status,
  statusName: CLO_ZH[c.status],
  decisionReason: c.decisionReason,
});

/**
 * Deadline extensions (延期申请: the owner asks, the responsible leader or the dispatch office decides;
 * the original deadline stays on record) and close-out (销号: the owner asks with evidence, the
 * dispatch office approves or rejects; a closed item can be reopened, 回头看).
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly access: AccessContexts,
    private readonly repo: RequestsRepository,
    private readonly items: ItemsRepository,
    private readonly itemsService: ItemsService,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly notices: NoticesService,
  ) {}

  private async item(ctx: AccessContext, id: string, em?: EntityManager): Promise<ItemForAccess> {
    const item = await this.items.getForAccess(ctx.actor.organizationId, id, em, !!em);
    if (!item) throw PlanErrors.itemNotFound();
    if (!canReadItem(ctx, item)) throw PlanErrors.itemNotReadable();
    return item;
  }

  /** The owner asks; so may the lead unit's people and their heads on the owner's behalf. */
  private requireRequester(ctx: AccessContext, item: ItemForAccess): void {
    const ok =
      item.ownerId === ctx.actor.userId ||
      canManageItem(ctx, item) ||
      (hasRole(ctx.actor, 'member', 'head') && ctx.unitPath.startsWith(item.leadUnitPath));
    if (!ok) throw DomainError.forbidden('只有责任人（或牵头单位）可以提出申请');
    if (!isOpen(item.status)) throw DomainError.conflict('事项已销号、取消或暂停');
  }

  async listExtensions(actor: Actor, itemId: string): Promise<ExtensionDto[]> {
    await this.item(await this.access.for(actor), itemId);
    return (await this.repo.extensionsOf(itemId)).map(extensionDto);
  }

  async requestExtension(actor: Actor, itemId: string, dto: RequestExtensionDto): Promise<ExtensionDto> {
    const ctx = await this.access.for(actor);
    if (!isValidIsoDate(dto.requestedDeadline))
      throw DomainError.invalid('requestedDeadline', '不是有效日期');
    return this.repo.transaction(async (em) => {
      const item = await this.item(ctx, itemId, em);
      this.requireRequester(ctx, item);
      if (dto.requestedDeadline <= item.deadline)
        throw DomainError.invalid('requestedDeadline', `延期后的时限须晚于现在的 ${item.deadline}`);
      if ((await this.repo.extensionsOf(item.id, em)).some((e) => e.status === 'pending')) {
        throw DomainError.conflict('该事项已有待审批的延期申请');
      }
      const row = await this.repo.insertExtension(em, {
        organizationId: actor.organizationId,
        itemId: item.id,
        originalDeadline: item.deadline,
        requestedDeadline: dto.requestedDeadline,
        reason: dto.reason.trim(),
        requestedBy: actor.userId,
      });
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        'extension-request',
        { deadline: item.deadline },
        { requestedDeadline: row.requestedDeadline, reason: row.reason },
      );
      await this.outbox.itemChanged(em, item.id);
      return extensionDto(row);
    });
  }

  async decideExtension(actor: Actor, id: string, approve: boolean, comment?: string): Promise<ExtensionDto> {
    const ctx = await this.access.for(actor);
    if (!approve && !comment?.trim()) throw DomainError.invalid('comment', '不批准时请填写意见');
    return this.repo.transaction(async (em) => {
      const ext = await this.repo.extension(actor.organizationId, id, em);
      if (!ext) throw DomainError.notFound('延期申请');
      const item = await this.item(ctx, ext.itemId, em);
      if (item.responsibleLeaderId !== actor.userId && !canManageAll(actor)) {
        throw DomainError.forbidden('只有责任领导或督查室可以审批延期');
      }
      if (ext.status !== 'pending') throw DomainError.conflict('该申请已处理');
      // Only an item still being worked on has a deadline to move.
      if (!isOpen(item.status))
        throw DomainError.conflict(`事项当前为“${ITEM_STATUS_ZH[item.status]}”，不能审批延期申请`);
      const decided = (await this.repo.decideExtension(
        em,
        id,
        approve ? 'approved' : 'refused',
        actor.userId,
        comment?.trim() || null,
      ))!;
      if (approve) {
        // The first deadline is what on-time scoring uses (unless the plan says otherwise): keep it.
        const ok = await this.items.update(em, item.id, item.version, {
          deadline: ext.requestedDeadline,
          originalDeadline: item.originalDeadline ?? item.deadline,
        });
        if (!ok) throw PlanErrors.staleVersion();
      }
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        approve ? 'extension-approve' : 'extension-refuse',
        { deadline: item.deadline },
        {
          deadline: approve ? ext.requestedDeadline : item.deadline,
          ...(comment?.trim() ? { comment: comment.trim() } : {}),
        },
      );
      await this.notices.decided(
        em,
        actor,
        item,
        ext.requestedBy,
        approve
          ? {
              kind: 'extension_approved',
              extensionId: id,
              from: item.deadline,
              to: ext.requestedDeadline,
              comment: comment?.trim() || null,
            }
          : {
              kind: 'extension_refused',
              extensionId: id,
              to: ext.requestedDeadline,
              comment: comment!.trim(),
            },
      );
      await this.outbox.itemChanged(em, item.id);
      return extensionDto(decided);
    });
  }

  async listCloseouts(actor: Actor, itemId: string): Promise<CloseoutDto[]> {
    await this.item(await this.access.for(actor), itemId);
    return (await this.repo.closeoutsOf(itemId)).map(closeoutDto);
  }

  async requestCloseout(actor: Actor, itemId: string, dto: RequestCloseoutDto): Promise<CloseoutDto> {
    const ctx = await this.access.for(actor);
    return this.repo.transaction(async (em) => {
      const item = await this.item(ctx, itemId, em);
      this.requireRequester(ctx, item);
      if (item.status === 'awaiting_closeout') throw DomainError.conflict('该事项已在等待销号审核');
      const found = await this.repo.itemEvidence(em, item.id, dto.evidenceIds);
      if (found.length !== new Set(dto.evidenceIds).size)
        throw DomainError.invalid('evidenceIds', '佐证材料不存在或不属于该事项');
      const row = await this.repo.insertCloseout(em, {
        organizationId: actor.organizationId,
        itemId: item.id,
        note: dto.note.trim(),
        requestedBy: actor.userId,
      });
      await this.repo.attachEvidence(em, row.id, found);
      if (!(await this.items.update(em, item.id, item.version, { status: 'awaiting_closeout' })))
        throw PlanErrors.staleVersion();
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        'closeout-request',
        { status: item.status },
        { status: 'awaiting_closeout', note: row.note },
      );
      await this.outbox.itemChanged(em, item.id);
      return closeoutDto(row);
    });
  }

  async decideCloseout(actor: Actor, id: string, approve: boolean, comment?: string): Promise<CloseoutDto> {
    const ctx = await this.access.for(actor);
    if (!canManageAll(actor)) throw DomainError.forbidden('销号由督查室审核');
    if (!approve && !comment?.trim()) throw DomainError.invalid('comment', '驳回时请填写理由');
    return this.repo.transaction(async (em) => {
      const c = await this.repo.closeout(actor.organizationId, id, em);
      if (!c) throw DomainError.notFound('销号申请');
      const item = await this.item(ctx, c.itemId, em);
      if (c.status !== 'pending') throw DomainError.conflict('该申请已处理');
      if (item.status !== 'awaiting_closeout')
        throw DomainError.conflict(`事项当前为“${ITEM_STATUS_ZH[item.status]}”，不能审核销号申请`);
      const decided = (await this.repo.decideCloseout(
        em,
        id,
        approve ? 'approved' : 'rejected',
        actor.userId,
        comment?.trim() || null,
      ))!;
      const status = approve ? 'closed' : 'in_progress';
      const ok = await this.items.update(em, item.id, item.version, {
        status,
        closedAt: approve ? await this.clock.now(em) : null,
        statusReason: approve ? null : (comment?.trim() ?? null),
      });
      if (!ok) throw PlanErrors.staleVersion();
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        approve ? 'closeout-approve' : 'closeout-reject',
        { status: item.status },
        {
          status,
          ...(comment?.trim() ? { reason: comment.trim() } : {}),
        },
      );
      // A closed item has no deadline left to extend.
      if (approve) await this.itemsService.lapseRequests(em, actor, [item.id], '事项已销号');
      await this.notices.decided(
        em,
        actor,
        item,
        c.requestedBy,
        approve
          ? { kind: 'closeout_approved', closeoutId: id, comment: comment?.trim() || null }
          : { kind: 'closeout_rejected', closeoutId: id, comment: comment!.trim() },
      );
      await this.outbox.itemChanged(em, item.id);
      return closeoutDto(decided);
    });
  }

  /** 回头看: the dispatch office reopens a closed item, with a reason. */
  async reopen(actor: Actor, itemId: string, reason: string): Promise<void> {
    const ctx = await this.access.for(actor);
    if (!canManageAll(actor)) throw DomainError.forbidden('只有督查室可以重新打开已销号的事项');
    await this.repo.transaction(async (em) => {
      const item = await this.item(ctx, itemId, em);
      if (item.status !== 'closed') throw DomainError.conflict('只有已销号的事项可以重新打开');
      const ok = await this.items.update(em, item.id, item.version, {
        status: 'in_progress',
        closedAt: null,
        statusReason: reason.trim(),
      });
      if (!ok) throw PlanErrors.staleVersion();
      await this.audit.recordAs(
        em,
        actor,
        'item',
        item.id,
        'reopen',
        { status: 'closed' },
        { status: 'in_progress', reason: reason.trim() },
      );
      await this.outbox.itemChanged(em, item.id);
    });
  }
}
