import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { ReviewKind } from './domain/workbench';

/** Who decides what (docs/PERMISSIONS.md), as the queue needs it. */
export interface Decider {
  organizationId: string;
  userId: string;
  /** admin or dispatch office: every report, extension and close-out of the organization. */
  all: boolean;
  /** A head: reports of items whose lead unit is in this subtree (unit path), else null. */
  headPath: string | null;
}

export interface ReviewRow {
  kind: ReviewKind;
  id: string;
  itemId: string;
  itemTitle: string;
  unitId: string;
  unitName: string;
  byId: string;
  byName: string;
  at: Date;
  period: string | null;
  newDeadline: string | null;
  percent: number | null;
  text: string;
}

/** Statuses in which an item's report can still be decided (ReportsService.requireOpen). */
const OPEN = `('draft', 'assigned', 'in_progress', 'awaiting_closeout')`;

/** The review queue and the 工作台's current cycle; the item counts are ItemsRepository.workbenchCounts. */
@Injectable()
export class WorkbenchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * What waits for the decider's decision, each kind by exactly the rule of its decision endpoint:
   * submitted reports (heads of the lead unit's subtree, admins, the dispatch office), pending
   * extensions (the responsible leader, admins, the dispatch office), pending close-outs (admins,
   * the dispatch office); only for items where the decision can still be taken.
   */
  private queue(d: Decider, kind: ReviewKind | undefined, params: unknown[], itemId?: string): string | null {
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const org = p(d.organizationId);
    const branches: string[] = [];
    const item =
      `JOIN items i ON i.id = x.item_id JOIN units lu ON lu.id = i.lead_unit_id` +
      (itemId ? ` AND i.id = ${p(itemId)}` : '');
    const cols = `x.id, i.id AS item_id, i.title AS item_title, lu.id AS unit_id, lu.name AS unit_name`;
    if ((!kind || kind === 'report') && (d.all || d.headPath)) {
      const who = d.all ? 'TRUE' : `lu.path LIKE ${p(`${d.headPath}%`)}`;
      branches.push(
        `SELECT 'report' AS kind, ${cols}, coalesce(x.submitted_by, x.created_by) AS by_id, x.submitted_at AS at,
                x.period_key AS period, NULL::date AS new_deadline, x.percent::float8 AS percent, x.progress AS text
           FROM progress_reports x ${item}
          WHERE x.organization_id = ${org} AND x.status = 'submitted' AND i.status IN ${OPEN} AND ${who}`,
      );
    }
    if (!kind || kind === 'extension') {
      const who = d.all ? 'TRUE' : `i.responsible_leader_id = ${p(d.userId)}`;
      branches.push(
        `SELECT 'extension' AS kind, ${cols}, x.requested_by AS by_id, x.created_at AS at, NULL::text AS period,
                x.requested_deadline AS new_deadline, NULL::float8 AS percent, x.reason AS text
           FROM deadline_extensions x ${item}
          WHERE x.organization_id = ${org} AND x.status = 'pending' AND i.status IN ${OPEN} AND ${who}`,
      );
    }
    if ((!kind || kind === 'closeout') && d.all) {
      branches.push(
        `SELECT 'closeout' AS kind, ${cols}, x.requested_by AS by_id, x.created_at AS at, NULL::text AS period,
                NULL::date AS new_deadline, NULL::float8 AS percent, x.note AS text
           FROM closeout_requests x ${item}
          WHERE x.organization_id = ${org} AND x.status = 'pending' AND i.status = 'awaiting_closeout'`,
      );
    }
    if (!branches.length) return null; // e.g. a head asking for close-outs: nothing of that kind is theirs
    return branches.join('\nUNION ALL\n');
  }

  async reviews(
    d: Decider,
    kind: ReviewKind | undefined,
    page: { page: number; pageSize: number },
    itemId?: string,
  ): Promise<{ total: number; rows: ReviewRow[] }> {
    const params: unknown[] = [];
    const q = this.queue(d, kind, params, itemId);
    if (!q) return { total: 0, rows: [] };
    const limits = [...params, page.pageSize, (page.page - 1) * page.pageSize];
    const [[count], rows] = (await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS n FROM (${q}) q`, params),
      this.dataSource.query(
        `SELECT q.kind, q.id, q.item_id AS "itemId", q.item_title AS "itemTitle", q.unit_id AS "unitId",
                q.unit_name AS "unitName", q.by_id AS "byId", u.name AS "byName", q.at, q.period,
                q.new_deadline AS "newDeadline", q.percent, q.text
           FROM (${q}) q JOIN users u ON u.id = q.by_id
          ORDER BY q.at, q.id LIMIT $${limits.length - 1} OFFSET $${limits.length}`,
        limits,
      ),
    ])) as [{ n: number }[], ReviewRow[]];
    return { total: count.n, rows };
  }

  async reviewCount(d: Decider): Promise<number> {
    return (await this.reviews(d, undefined, { page: 1, pageSize: 0 })).total;
  }

  /** The cycles of the organization's published plans (the current one is chosen by currentCycle). */
  publishedCycles(
    organizationId: string,
  ): Promise<{ id: string; period: string; reportDue: string; status: 'open' | 'closed' }[]> {
    return this.dataSource.query(
      `SELECT c.id, c.period, c.report_due AS "reportDue", c.status
         FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id AND p.status = 'published'
        WHERE c.organization_id = $1 ORDER BY c.report_due, c.period`,
      [organizationId],
    );
  }
}
