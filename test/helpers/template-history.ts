import { EntityManager } from 'typeorm';

import { atInstant } from '../../seeds/clock';

/**
 * The e2e template's history (the demo's is replayed through the services, seeds/replay): a fixed
 * first half of 2022 for the tests' day (2022-06-12), derived from each item's position in its plan
 * and written directly with its audit trail, so the tests that read seeded data find the same rows
 * every time:
 *  - 03-01 each item's creation is recorded; 03-02 the dispatch office assigns every owner named in the data;
 *  - most items are in progress from March;
 *  - some one-off items got interim deadlines from the dispatch office (03-05);
 *  - of those, some were closed on time, some closed late, some are overdue on 06-15, and some are due
 *    at the end of June.
 */
interface Row {
  id: string;
  organization_id: string;
  owner_id: string | null;
  deadline: string;
  cadence: string;
  n: number;
}

type Fate = { deadline?: string; status: 'assigned' | 'in_progress' | 'closed'; closedAt?: string };

export function fateOf(n: number, hasOwner: boolean): Fate {
  if (!hasOwner) return { status: 'assigned' };
  switch (n % 10) {
    case 1:
      return { deadline: '2022-04-30', status: 'closed', closedAt: '2022-04-26T08:30:00Z' }; // on time
    case 4:
      return { deadline: '2022-03-31', status: 'closed', closedAt: '2022-04-12T07:00:00Z' }; // closed late
    case 6:
      return { deadline: '2022-05-31', status: 'in_progress' }; // overdue on 06-15
    case 8:
      return { deadline: '2022-06-30', status: 'in_progress' }; // due soon
    case 9:
      return { status: 'assigned' }; // not started yet
    default:
      return { status: 'in_progress' };
  }
}

async function audit(
  em: EntityManager,
  row: Row,
  at: string,
  actor: { id: string; label: string } | null,
  action: string,
  before: object | null,
  after: object | null,
) {
  await em.query(
    `INSERT INTO audit_log (organization_id, actor_id, actor_name, at, entity_type, entity_id, action, before, after, request_id)
     VALUES ($1, $2, $3, $4, 'item', $5, $6, $7, $8, 'seed-history')`,
    [
      row.organization_id,
      actor?.id ?? null,
      actor?.label ?? '系统（演示数据）',
      at,
      row.id,
      action,
      before,
      after,
    ],
  );
}

export async function seedTemplateHistory(em: EntityManager, planIds: string[]): Promise<number> {
  let changed = 0;
  const steps: { id: string; fate: Fate }[] = [];
  for (const planId of planIds) {
    const rows = (await em.query(
      `SELECT i.id, i.organization_id, i.owner_id, i.deadline, i.cadence,
              row_number() OVER (ORDER BY s.sort_order, t.sort_order, i.sort_order)::int AS n
         FROM items i JOIN plan_tasks t ON t.id = i.task_id JOIN plan_sections s ON s.id = i.section_id
        WHERE i.plan_id = $1 ORDER BY n`,
      [planId],
    )) as Row[];
    if (!rows.length) continue;
    const [dispatcher] = (await em.query(
      `SELECT id, name || '（' || username || '）' AS label FROM users
        WHERE organization_id = $1 AND 'dispatcher' = ANY(roles) ORDER BY username LIMIT 1`,
      [rows[0].organization_id],
    )) as { id: string; label: string }[];
    for (const row of rows) {
      await audit(em, row, '2022-03-01T01:00:00Z', null, 'create', null, { source: '年度工作报告' });
      if (row.owner_id) {
        await audit(
          em,
          row,
          '2022-03-02T02:00:00Z',
          dispatcher,
          'assign',
          { ownerId: null, status: 'draft' },
          {
            ownerId: row.owner_id,
            status: 'assigned',
          },
        );
      }
      const fate = fateOf(row.n, row.owner_id !== null);
      if (fate.deadline) {
        await audit(
          em,
          row,
          '2022-03-05T03:00:00Z',
          dispatcher,
          'update',
          { deadline: row.deadline },
          { deadline: fate.deadline },
        );
      }
      if (fate.status !== 'assigned') {
        await audit(
          em,
          row,
          '2022-03-10T02:00:00Z',
          dispatcher,
          'status',
          { status: 'assigned' },
          { status: 'in_progress', reason: null },
        );
      }
      if (fate.status === 'closed') {
        await audit(
          em,
          row,
          fate.closedAt!,
          dispatcher,
          'status',
          { status: 'in_progress' },
          { status: 'closed', reason: '已完成，准予销号' },
        );
      }
      steps.push({ id: row.id, fate });
      changed++;
    }
  }
  // The changes themselves, each at its instant in the story, so the item history the database
  // keeps (and every cut-off snapshot computed from it) tells the same story as the audit trail.
  const at = async (instant: string, sql: string, ids: string[], ...params: unknown[]) => {
    if (ids.length) await atInstant(em, instant, () => em.query(sql, [ids, ...params]));
  };
  await at(
    '2022-03-02T02:00:00Z',
    `UPDATE items SET status = 'assigned', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'draft'`,
    steps.map((s) => s.id),
  );
  const withDeadline = steps.filter((s) => s.fate.deadline);
  for (const deadline of [...new Set(withDeadline.map((s) => s.fate.deadline!))]) {
    await at(
      '2022-03-05T03:00:00Z',
      `UPDATE items SET deadline = $2::date, updated_at = now() WHERE id = ANY($1::uuid[])`,
      withDeadline.filter((s) => s.fate.deadline === deadline).map((s) => s.id),
      deadline,
    );
  }
  await at(
    '2022-03-10T02:00:00Z',
    `UPDATE items SET status = 'in_progress', updated_at = now() WHERE id = ANY($1::uuid[])`,
    steps.filter((s) => s.fate.status !== 'assigned').map((s) => s.id),
  );
  const closing = steps.filter((s) => s.fate.closedAt);
  for (const closedAt of [...new Set(closing.map((s) => s.fate.closedAt!))]) {
    await at(
      closedAt,
      `UPDATE items SET status = 'closed', closed_at = $2, updated_at = now() WHERE id = ANY($1::uuid[])`,
      closing.filter((s) => s.fate.closedAt === closedAt).map((s) => s.id),
      closedAt,
    );
  }
  return changed;
}
