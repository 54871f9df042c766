import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor, hasRole } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { ReadRouter, ReadTarget } from '../../core/database/read-router';
import { DomainError } from '../../core/errors/domain-error';
import { AccessContexts } from '../plans/access-contexts';
import { canReadAll, readPredicate } from '../plans/item-access';
import { DispatchPackDto } from './dto/dispatch-pack.dto';
import {
  AtRiskRow,
  ClosedRow,
  DispatchRepository,
  ListPage,
  OverdueRow,
  PackCycle,
} from './dispatch.repository';
import { PlansRepository } from '../plans/plans.repository';
import { QUARTILE_BAND, quartileOf } from '../rollup/domain/scoreboard';
import { RollupRepository } from '../rollup/rollup.repository';
import { standings } from '../rollup/standings';

/**
 * The monthly dispatch meeting's pack. A cycle is judged as of its cut-off (its report due day) once
 * that has passed, or as of today while it is open. Dispatch office, admins, viewers and leaders see
 * every item; heads and members see other units' items counted but without their details.
 */
/** Rows of each long list the pack carries; the rest are paged (GET /cycles/:id/dispatch-pack/:list). */
export const PACK_LIST_ROWS = 200;

/** The rows of each pack list. */
export interface PackListRows {
  overdue: OverdueRow;
  atRisk: AtRiskRow;
  closed: ClosedRow;
}

export type PackListKind = keyof PackListRows;

/** Where one pack's queries run (see ReadRouter): its repository and a manager for the shared ones. */
interface PackDb {
  repo: DispatchRepository;
  manager: EntityManager;
}

@Injectable()
export class DispatchService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly access: AccessContexts,
    private readonly clock: Clock,
    private readonly rollup: RollupRepository,
    private readonly plans: PlansRepository,
    private readonly reads: ReadRouter,
  ) {}

  /**
   * Lead units ranked: at a closed cycle's cut-off from its snapshot, for an open one live (the
   * documented formula with the plan's weights); the change is against the previous cycle's snapshot.
   */
  private async scoreboard(
    db: PackDb,
    actor: Actor,
    cycle: PackCycle,
    closed: boolean,
    previousPeriod: string | null,
  ) {
    let rows: { unitId: string; rank: number | null; score: number | null }[];
    if (closed) {
      rows = await db.repo.snapshotStandings(cycle.planId, cycle.period);
    } else {
      const settings = await this.plans.settings(db.manager, cycle.planId);
      const stats = await this.rollup.unitStats(
        cycle.planId,
        await this.clock.today(),
        settings.onTimeBasis,
        db.manager,
      );
      rows = standings(
        stats.filter((r) => r.role === 'lead'),
        settings.scoreWeights,
      );
    }
    const before = new Map(
      (previousPeriod ? await db.repo.snapshotStandings(cycle.planId, previousPeriod) : []).map((r) => [
        r.unitId,
        r.rank,
      ]),
    );
    const names = new Map(
      (
        await db.repo.unitNames(
          actor.organizationId,
          rows.map((r) => r.unitId),
        )
      ).map((u) => [u.id, u.name]),
    );
    const ranked = rows.filter((r) => r.rank !== null).length;
    return rows
      .map((r) => {
        const quartile = r.rank === null ? null : quartileOf(r.rank, ranked);
        const previousRank = before.get(r.unitId) ?? null;
        return {
          unitId: r.unitId,
          unitName: names.get(r.unitId) ?? '',
          rank: r.rank,
          score: r.score,
          band: quartile === null ? null : QUARTILE_BAND[quartile],
          previousRank,
          // Positive: moved up.
          change: r.rank !== null && previousRank !== null ? previousRank - r.rank : null,
        };
      })
      .sort(
        (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unitName.localeCompare(b.unitName, 'zh'),
      );
  }

  /** What every part of a cycle's pack is judged by: the cut-off, the previous cycle, the read rule. */
  private async scope(db: PackDb, actor: Actor, cycleId: string) {
    const cycle = await db.repo.cycle(actor.organizationId, cycleId);
    if (!cycle) throw DomainError.notFound('调度周期');
    const today = await this.clock.today();
    const closed = cycle.reportDue < today;
    const asOf = closed ? cycle.reportDue : today;
    const plan = await db.repo.planHeading(cycle.planId);
    // Documented rule (docs/DISPATCH.md): the whole pack for the dispatch office, admins, viewers and
    // leaders, and for everyone when the plan is open; others see other units' items counted only.
    const whole = plan.openPack || canReadAll(actor) || hasRole(actor, 'leader');
    const ctx = whole ? null : await this.access.for(actor);
    const previous = await db.repo.previous(cycle.planId, cycle.period);
    const since = previous?.meetingDate ?? `${cycle.period.slice(0, 4)}-01-01`;
    const prevPeriod = previous?.period ?? null;
    // Each query gets its own parameter list; the read rule appends its parameters to it.
    const detailFor = (params: unknown[]) => (ctx ? readPredicate(ctx, params) : 'TRUE');
    const lists = {
      overdue: (page: ListPage) => {
        const params: unknown[] = [cycle.planId, asOf, prevPeriod];
        return db.repo.overdue(detailFor(params), params, page, closed);
      },
      atRisk: (page: ListPage) => {
        const params: unknown[] = [cycle.planId, asOf, prevPeriod, closed ? cycle.period : null];
        return db.repo.atRisk(detailFor(params), params, page);
      },
      closed: (page: ListPage) => {
        const params: unknown[] = [cycle.planId, asOf, since];
        return db.repo.closedBetween(detailFor(params), params, page, closed);
      },
    };
    const counts = () => db.repo.counts(cycle.planId, asOf, since, closed);
    return { cycle, today, closed, asOf, plan, previous, since, detailFor, lists, counts };
  }

  /**
   * One page of a pack list (overdue, at risk, closed since the last meeting), in the pack's order
   * and under the same read rule: the pack itself lists only the first rows of each.
   */
  list<K extends PackListKind>(
    actor: Actor,
    cycleId: string,
    kind: K,
    query: { page?: number; pageSize?: number },
  ): Promise<{ total: number; page: number; pageSize: number; items: PackListRows[K][] }> {
    return this.reads.heavy(actor, (target) => this.listOn(this.packDb(target), actor, cycleId, kind, query));
  }

  private async listOn<K extends PackListKind>(
    db: PackDb,
    actor: Actor,
    cycleId: string,
    kind: K,
    query: { page?: number; pageSize?: number },
  ): Promise<{ total: number; page: number; pageSize: number; items: PackListRows[K][] }> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? PACK_LIST_ROWS;
    const { lists, counts } = await this.scope(db, actor, cycleId);
    const at = { limit: pageSize, offset: (page - 1) * pageSize };
    // The at-risk list counts itself; the others' totals are among the pack's counts.
    const { total, rows } =
      kind === 'atRisk'
        ? await lists.atRisk(at)
        : await Promise.all([counts(), lists[kind as 'overdue' | 'closed'](at)]).then(([n, rows]) => ({
            total: kind === 'overdue' ? n.overdue : n.closedSince,
            rows,
          }));
    return { total, page, pageSize, items: rows as PackListRows[K][] };
  }

  /**
   * The pack. `rows`: how many rows of each list (overdue, at risk, closed since) it carries, most
   * severe first; the totals always count them all. Exports pass NULL for every row.
   */
  pack(actor: Actor, cycleId: string, rows: number | null = PACK_LIST_ROWS): Promise<DispatchPackDto> {
    return this.packOn({ repo: this.repo, manager: this.plans.manager() }, actor, cycleId, rows);
  }

  /** GET /cycles/:id/dispatch-pack: the pack as a heavy read (on the read replica when the routing allows). */
  readPack(actor: Actor, cycleId: string): Promise<DispatchPackDto> {
    return this.reads.heavy(actor, (target) =>
      this.packOn(this.packDb(target), actor, cycleId, PACK_LIST_ROWS),
    );
  }

  /** The pack's queries on a heavy read's database: the primary's repository, or one on the replica. */
  private packDb(target: ReadTarget): PackDb {
    return {
      repo: target.replica ? new DispatchRepository(target.dataSource) : this.repo,
      manager: target.manager,
    };
  }

  private async packOn(
    db: PackDb,
    actor: Actor,
    cycleId: string,
    rows: number | null,
  ): Promise<DispatchPackDto> {
    const { cycle, today, closed, asOf, plan, previous, since, detailFor, lists, counts } = await this.scope(
      db,
      actor,
      cycleId,
    );
    const page = { limit: rows, offset: 0 };
    const previousMeeting = previous ? await db.repo.meetingOfCycle(previous.id) : null;
    const actionParams: unknown[] = [previousMeeting?.id ?? null, asOf];
    const [overdue, atRisk, n, closedSince, sections, reportRows, trend, live, actions] = await Promise.all([
      lists.overdue(page),
      lists.atRisk(page),
      counts(),
      lists.closed(page),
      db.repo.sections(cycle.planId, closed ? cycle.period : null),
      db.repo.reportsByUnit(cycle.planId, cycle.period, today),
      db.repo.trend(cycle.planId, cycle.period),
      closed ? null : db.repo.livePlanFigures(cycle.planId),
      previousMeeting ? db.repo.meetingActions(detailFor(actionParams), actionParams) : [],
    ]);
    // Reports of this cycle's period by lead unit: counts only (every caller may see them).
    const reports = reportRows.sort(
      (a, b) => b.missing - a.missing || b.late - a.late || a.leadUnit.localeCompare(b.leadUnit, 'zh'),
    );
    const scoreboard = await this.scoreboard(db, actor, cycle, closed, previous?.period ?? null);
    const trendPoints = trend.map((t) => ({ ...t, live: false }));
    if (live) trendPoints.push({ period: cycle.period, ...live, live: true });
    const planPoint = trendPoints.find((t) => t.period === cycle.period);
    return {
      plan,
      cycle: {
        id: cycle.id,
        period: cycle.period,
        reportDue: cycle.reportDue,
        meetingDate: cycle.meetingDate,
      },
      asOf,
      closed,
      summary: {
        ...n,
        atRisk: atRisk.total,
        reportsMissing: reports.reduce((n, r) => n + r.missing, 0),
        reportsLate: reports.reduce((n, r) => n + r.late, 0),
        completion: planPoint?.completion ?? null,
        expected: planPoint?.expected ?? null,
      },
      listRows: rows,
      overdue,
      atRisk: atRisk.rows,
      closedSince: { since, total: n.closedSince, items: closedSince },
      sections,
      reports,
      scoreboard,
      notice: overdue.filter((o) => o.escalation === 'supervise').map((o) => o.itemId),
      trend: trendPoints,
      previousMeeting: previousMeeting && {
        meetingId: previousMeeting.id,
        heldOn: previousMeeting.heldOn,
        title: previousMeeting.title,
        actions,
      },
    };
  }
}
