import { Injectable } from '@nestjs/common';

import { Actor, hasRole } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { DomainError } from '../../core/errors/domain-error';
import { CyclesRepository } from '../cycles/cycles.repository';
import { AccessContexts } from '../plans/access-contexts';
import { canManageAll, readPredicate } from '../plans/item-access';
import { ItemsRepository } from '../plans/items.repository';
import { ItemsService } from '../plans/items.service';
import { NotifyRepository } from '../reminders/notify.repository';
import { currentCycle, dueSoonUntil, periodName, reviewSummary } from './domain/workbench';
import { MeSummaryDto, ReviewDto, ReviewPageDto, ReviewQuery } from './dto/workbench.dto';
import { Decider, ReviewRow, WorkbenchRepository } from './workbench.repository';

/** Whether the caller decides anything (reports, extensions or close-outs): docs/PERMISSIONS.md. */
export function canReview(actor: Actor): boolean {
  return hasRole(actor, 'admin', 'dispatcher', 'head', 'leader');
}

const toReviewDto = (r: ReviewRow): ReviewDto => ({
  kind: r.kind,
  id: r.id,
  item: { id: r.itemId, title: r.itemTitle },
  unit: { id: r.unitId, name: r.unitName },
  requestedBy: { id: r.byId, name: r.byName },
  requestedAt: new Date(r.at).toISOString(),
  summary:
    r.kind === 'report'
      ? reviewSummary({ kind: 'report', period: r.period!, percent: r.percent, progress: r.text })
      : r.kind === 'extension'
        ? reviewSummary({ kind: 'extension', newDeadline: r.newDeadline!, reason: r.text })
        : reviewSummary({ kind: 'closeout', note: r.text }),
  period: r.period,
  newDeadline: r.newDeadline,
});

/** The 工作台: the review queue (审核) and the counts of the home page, from stored figures. */
@Injectable()
export class WorkbenchService {
  constructor(
    private readonly repo: WorkbenchRepository,
    private readonly access: AccessContexts,
    private readonly items: ItemsRepository,
    private readonly itemsService: ItemsService,
    private readonly cycles: CyclesRepository,
    private readonly notify: NotifyRepository,
    private readonly clock: Clock,
  ) {}

  private async decider(actor: Actor): Promise<Decider> {
    const ctx = await this.access.for(actor);
    return {
      organizationId: actor.organizationId,
      userId: actor.userId,
      all: canManageAll(actor),
      headPath: hasRole(actor, 'head') ? ctx.unitPath : null,
    };
  }

  async reviews(actor: Actor, q: ReviewQuery): Promise<ReviewPageDto> {
    if (!canReview(actor)) {
      throw DomainError.forbidden('无权审核：审核由牵头单位负责人、责任领导和督查室进行');
    }
    const page = Number(q.page ?? 1);
    const pageSize = Number(q.pageSize ?? 20);
    const { total, rows } = await this.repo.reviews(
      await this.decider(actor),
      q.kind,
      { page, pageSize },
      q.itemId,
    );
    return { total, page, pageSize, items: rows.map(toReviewDto) };
  }

  async summary(actor: Actor): Promise<MeSummaryDto> {
    const [ctx, today, calendar, cycles] = await Promise.all([
      this.access.for(actor),
      this.clock.todayOf(actor),
      this.cycles.calendar(actor.organizationId),
      this.repo.publishedCycles(actor.organizationId),
    ]);
    const params: unknown[] = [];
    const scope = { sql: readPredicate(ctx, params), params };
    const [counts, toReview, unread] = await Promise.all([
      this.items.workbenchCounts(
        actor.organizationId,
        scope,
        this.itemsService.mine(actor),
        today,
        dueSoonUntil(today, calendar),
      ),
      canReview(actor) ? this.repo.reviewCount(await this.decider(actor)) : Promise.resolve(null),
      this.notify.unreadCount(actor.userId),
    ]);
    const cycle = currentCycle(cycles, today);
    return {
      cycle: cycle && {
        id: cycle.id,
        period: cycle.period,
        periodName: periodName(cycle.period),
        reportDueOn: cycle.reportDue,
      },
      reportDue: counts.report_due,
      returned: counts.returned,
      dueSoon: counts.due_soon,
      overdue: counts.overdue,
      toReview,
      unread,
      lights: { red: counts.red, yellow: counts.yellow, green: counts.green, none: counts.none },
    };
  }
}
