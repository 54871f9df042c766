import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadCalendarYaml, WorkCalendar } from '../../src/core/calendar/working-days';
import { TargetSpec } from '../../src/modules/plans/domain/types';
import { cyclesForYear } from '../../src/modules/cycles/domain/cycles';
import { expectedReports } from '../../src/modules/cycles/domain/expected-reports';
import { summarize } from '../../src/modules/rollup/domain/aggregate';
import { buildScoreboard } from '../../src/modules/rollup/domain/scoreboard';
import { ScoreboardService } from '../../src/modules/rollup/scoreboard.service';
import { assessItem, ItemFacts } from '../../src/modules/rollup/domain/assess';
import { Milestone } from '../../src/modules/rollup/domain/expected';
import { RollupSettingsInput } from '../../src/modules/rollup/domain/types';
import { OutboxRepository } from '../../src/core/outbox/outbox.repository';
import { RollupRepository } from '../../src/modules/rollup/rollup.repository';
import { ROLLUP_SELECT } from '../../src/modules/rollup/rollup.sql';
import { createTestApp, TestApp } from '../helpers/app';
import { ROOT } from '../helpers/env';

const TODAY = '2022-06-15';
const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(ROOT, 'seeds/data/calendar.yaml'), 'utf8')),
);

interface Case {
  name: string;
  task: 0 | 1;
  status: ItemFacts['status'];
  start?: string;
  deadline: string;
  weight?: number;
  percent?: number;
  targets?: (TargetSpec & { actual?: number })[];
  /** Leave May's report unsubmitted. */
  skipMay?: boolean;
  cadence?: 'monthly' | 'weekly' | 'quarterly';
  milestones?: Milestone[];
}

const T = (over: Partial<TargetSpec> & { actual?: number }): TargetSpec & { actual?: number } => ({
  metric: '指标',
  comparator: '>=',
  value: 100,
  valueText: String(over.value ?? 100),
  unit: '个',
  baseline: null,
  direction: 'increase',
  ...over,
});

/** Every kind of item the rules distinguish; the SQL and the pure functions must agree on each. */
const CASES: Case[] = [
  {
    name: '指标完成一部分',
    task: 0,
    status: 'in_progress',
    deadline: '2022-12-31',
    targets: [T({ value: 200, actual: 50 })],
  },
  {
    name: '下降类指标（有基数）',
    task: 0,
    status: 'in_progress',
    deadline: '2022-12-31',
    targets: [T({ comparator: '<=', value: 60, baseline: 120, direction: 'decrease', actual: 90 })],
  },
  {
    name: '下降类指标（无基数）',
    task: 0,
    status: 'in_progress',
    deadline: '2022-12-31',
    targets: [T({ comparator: '<=', value: 60, direction: 'decrease', actual: 75 })],
  },
  { name: '只有完成率', task: 0, status: 'in_progress', deadline: '2022-12-31', percent: 70, weight: 2 },
  { name: '已销号', task: 0, status: 'closed', deadline: '2022-04-30' },
  { name: '已取消', task: 0, status: 'cancelled', deadline: '2022-12-31', percent: 10 },
  { name: '已暂停', task: 1, status: 'suspended', deadline: '2022-12-31' },
  { name: '已逾期', task: 1, status: 'in_progress', deadline: '2022-05-31', percent: 30 },
  { name: '临近时限', task: 1, status: 'in_progress', deadline: '2022-06-24', percent: 60 },
  { name: '尚未开始', task: 1, status: 'assigned', start: '2022-07-01', deadline: '2022-12-31' },
  {
    name: '脱敏指标退回完成率',
    task: 1,
    status: 'in_progress',
    deadline: '2022-12-31',
    percent: 40,
    targets: [T({ value: null, valueText: 'x.x' })],
  },
  // 区间指标 "新增实施垃圾分类街道 2～4 个": progress against the lower bound, done inside the range and above it.
  ...[1, 3, 6].map((actual): Case => ({
    name: `区间指标 2～4 个，完成 ${actual} 个`,
    task: 0,
    status: 'in_progress',
    deadline: '2022-12-31',
    targets: [T({ comparator: 'range', value: 2, upper: 4, upperText: '4', actual })],
  })),
  { name: '滞后超过 20 点', task: 1, status: 'in_progress', deadline: '2022-08-31', percent: 10, weight: 3 },
  { name: '缺报五月', task: 1, status: 'in_progress', deadline: '2022-12-31', percent: 50, skipMay: true },
  {
    name: '每周报告未报',
    task: 0,
    status: 'in_progress',
    start: '2022-06-01',
    deadline: '2022-12-31',
    cadence: 'weekly',
  },
  {
    name: '月度节点代替线性序时进度',
    task: 1,
    status: 'in_progress',
    deadline: '2022-12-31',
    percent: 30,
    milestones: [
      { month: '2022-03', percent: 20 },
      { month: '2022-05', percent: 45 },
      { month: '2022-09', percent: 80 },
    ],
  },
  {
    name: '季度报告已报',
    task: 0,
    status: 'in_progress',
    deadline: '2022-12-31',
    cadence: 'quarterly',
    percent: 45,
  },
];

const CYCLES = cyclesForYear(calendar, 2022, { reportDueWorkdays: 3, meetingWorkday: 2 });
/** Keys reported for a case (first submitted on the due day): every owed past period but May when skipped, none for weekly. */
const submitted = (c: Case): Map<string, string> => {
  if (c.cadence === 'weekly') return new Map();
  const periods = expectedReports({
    cadence: c.cadence ?? 'monthly',
    startDate: c.start ?? '2022-01-01',
    deadline: c.deadline,
    closedOn: c.status === 'closed' ? '2022-04-28' : null,
    cycles: CYCLES,
    submittedOn: new Map(),
    today: TODAY,
    calendar,
  });
  return new Map(
    periods.filter((p) => p.due < TODAY && !(c.skipMay && p.key === '2022-05')).map((p) => [p.key, p.due]),
  );
};

describe('roll-up SQL agrees with the rules (rollup.sql.ts vs modules/rollup/domain)', () => {
  let t: TestApp;
  let planId: string;
  const itemIds: string[] = [];
  let orgId: string;
  const LEADS = ['zhufeng-squad', 'dongcheng-squad', 'legal'];
  const leadOf = (n: number) => LEADS[n % 3];
  const coOf = (n: number) => (n % 4 === 0 ? ['xicheng-squad'] : []);
  const taskIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: `${TODAY}T10:00:00+08:00` });
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    const [org] = await q(`SELECT id FROM organizations WHERE code = 'xxs'`);
    const unitRows = (await q(`SELECT id, code FROM units WHERE organization_id = $1`, [org.id])) as {
      id: string;
      code: string;
    }[];
    const unitOf = (code: string) => unitRows.find((u) => u.code === code)!.id;
    orgId = org.id;
    const [leader] = await q(`SELECT id FROM users WHERE username = 'xxs.liming'`);
    const [owner] = await q(`SELECT id FROM users WHERE username = 'xxs.zhufeng1'`);
    [{ id: planId }] = await q(
      `INSERT INTO plans (organization_id, year, title, status) VALUES ($1, 2022, '规则对照', 'published') RETURNING id`,
      [org.id],
    );
    const [{ id: sectionId }] = await q(
      `INSERT INTO plan_sections (organization_id, plan_id, title, sort_order) VALUES ($1, $2, '部分', 1) RETURNING id`,
      [org.id, planId],
    );
    for (const c of CYCLES) {
      await q(
        `INSERT INTO dispatch_cycles (organization_id, plan_id, period, start_date, end_date, report_due, meeting_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [org.id, planId, c.period, c.startDate, c.endDate, c.reportDue, c.meetingDate],
      );
    }
    for (const n of [1, 2]) {
      const [{ id }] = await q(
        `INSERT INTO plan_tasks (organization_id, plan_id, section_id, title, sort_order) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [org.id, planId, sectionId, `任务${n}`, n],
      );
      taskIds.push(id);
    }
    for (const [n, c] of CASES.entries()) {
      const [{ id }] = await q(
        `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, lead_unit_id, responsible_leader_id, owner_id,
                            start_date, deadline, cadence, weight, status, status_reason, closed_at, milestones)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $16, $12, $13, $14, $15, $17) RETURNING id`,
        [
          org.id,
          planId,
          sectionId,
          taskIds[c.task],
          n,
          c.name,
          unitOf(leadOf(n)),
          leader.id,
          owner.id,
          c.start ?? '2022-01-01',
          c.deadline,
          c.weight ?? 1,
          c.status,
          c.status === 'cancelled' || c.status === 'suspended' ? '测试' : null,
          c.status === 'closed' ? '2022-04-28T02:00:00Z' : null,
          c.cadence ?? 'monthly',
          JSON.stringify(c.milestones ?? []),
        ],
      );
      itemIds.push(id);
      for (const co of coOf(n))
        await q(`INSERT INTO item_co_units (item_id, unit_id) VALUES ($1, $2)`, [id, unitOf(co)]);
      // Submitted reports of past periods (the approved one, below, carries the percent and actuals).
      for (const [key, due] of submitted(c)) {
        await q(
          `INSERT INTO progress_reports (organization_id, item_id, period_key, status, percent, created_by, submitted_at, first_submitted_at)
           VALUES ($1, $2, $3, 'submitted', 0, $4, $5, $5)`,
          [org.id, id, key, owner.id, `${due}T02:00:00Z`],
        );
      }
      const targetIds: string[] = [];
      for (const [k, tg] of (c.targets ?? []).entries()) {
        const [{ id: targetId }] = await q(
          `INSERT INTO item_targets (item_id, sort_order, metric, comparator, value, value_text, unit, baseline, direction,
                                     value_upper, value_upper_text)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
          [
            id,
            k,
            tg.metric,
            tg.comparator,
            tg.value,
            tg.valueText,
            tg.unit,
            tg.baseline,
            tg.direction,
            tg.upper ?? null,
            tg.upperText ?? null,
          ],
        );
        targetIds.push(targetId);
      }
      if (c.percent !== undefined || c.targets?.some((tg) => tg.actual !== undefined)) {
        const [{ id: reportId }] = await q(
          `INSERT INTO progress_reports (organization_id, item_id, period_key, status, percent, created_by, reviewed_at)
           VALUES ($1, $2, 'approved-for-test', 'approved', $3, $4, '2022-05-30T02:00:00Z') RETURNING id`,
          [org.id, id, c.percent ?? 0, owner.id],
        );
        for (const [k, tg] of (c.targets ?? []).entries()) {
          if (tg.actual === undefined) continue;
          await q(
            `INSERT INTO report_actuals (report_id, target_id, value, unit, target_value) VALUES ($1, $2, $3, $4, $3)`,
            [reportId, targetIds[k], tg.actual, tg.unit],
          );
        }
      }
    }
    await t.app.get(RollupRepository).recomputePlan(planId, TODAY);
  });
  afterAll(() => t.close());

  const assessments = (settings?: RollupSettingsInput) =>
    CASES.map((c) =>
      assessItem(
        {
          milestones: c.milestones,
          status: c.status,
          startDate: c.start ?? '2022-01-01',
          deadline: c.deadline,
          approvedPercent: c.percent ?? (c.targets?.some((tg) => tg.actual !== undefined) ? 0 : null),
          targets: (c.targets ?? []).map(({ actual, ...target }) => ({ target, actual: actual ?? null })),
          reports: expectedReports({
            cadence: c.cadence ?? 'monthly',
            startDate: c.start ?? '2022-01-01',
            deadline: c.deadline,
            closedOn: c.status === 'closed' ? '2022-04-28' : null,
            cycles: CYCLES,
            submittedOn: submitted(c),
            today: TODAY,
            calendar,
          }).map((r) => ({ key: r.key, state: r.state, due: r.due })),
        },
        { today: TODAY, calendar, settings },
      ),
    );

  it.each(CASES.map((c, n) => [c.name, n]))(
    '%s: completion, 序时进度, light and overdue days match',
    async (_name, n) => {
      const [row] = await t.dataSource.query(
        `SELECT completion::float8 AS completion, expected::float8 AS expected, light, overdue_workdays AS "overdueWorkdays", missing_reports AS missing
         FROM item_status WHERE item_id = $1`,
        [itemIds[n as number]],
      );
      const a = assessments()[n as number];
      if (!a.counted) {
        expect(row).toMatchObject({ completion: null, expected: null, light: null });
        return;
      }
      expect(row.completion).toBeCloseTo(a.completion.percent, 2);
      expect(row.expected).toBeCloseTo(a.expected.percent, 2);
      expect(row.light).toBe(a.light);
      expect(row.overdueWorkdays).toBe(a.overdueWorkdays ?? 0);
      expect(row.missing).toBe(a.reasons.filter((r) => r.code === 'missing_report').length);
    },
  );

  it('a range target counts against its lower bound: 1 of 2～4 is 50 %, 3 and 6 are done', async () => {
    const ids = CASES.flatMap((c, n) => (c.name.startsWith('区间指标') ? [itemIds[n]] : []));
    const rows = (await t.dataSource.query(
      `SELECT completion::float8 AS completion FROM item_status WHERE item_id = ANY($1::uuid[])
        ORDER BY array_position($1::uuid[], item_id)`,
      [ids],
    )) as { completion: number }[];
    expect(rows.map((r) => r.completion)).toEqual([50, 100, 100]);
  });

  it('key tasks and the plan: weighted over all leaves, worst light, counts per colour', async () => {
    const leaves = assessments().map((a, n) => ({
      taskId: taskIds[CASES[n].task],
      status: CASES[n].status,
      weight: CASES[n].weight ?? 1,
      completion: a.completion.percent,
      expected: a.expected.percent,
      light: a.light,
    }));
    const rows = (await t.dataSource.query(
      `SELECT node_type AS "nodeType", node_id AS "nodeId", completion::float8 AS completion, expected::float8 AS expected, light, red, yellow, green
         FROM node_status WHERE plan_id = $1`,
      [planId],
    )) as {
      nodeType: string;
      nodeId: string;
      completion: number;
      expected: number;
      light: string;
      red: number;
      yellow: number;
      green: number;
    }[];
    const check = (nodeId: string, subset: typeof leaves) => {
      const row = rows.find((r) => r.nodeId === nodeId)!;
      const s = summarize(subset);
      expect(row.completion).toBeCloseTo(s.completion!, 2);
      expect(row.expected).toBeCloseTo(s.expected!, 2);
      expect(row.light).toBe(s.light);
      expect({ red: row.red, yellow: row.yellow, green: row.green }).toEqual(s.counts);
    };
    check(
      taskIds[0],
      leaves.filter((l) => l.taskId === taskIds[0]),
    );
    check(
      taskIds[1],
      leaves.filter((l) => l.taskId === taskIds[1]),
    );
    check(planId, leaves);
    expect(rows.find((r) => r.nodeId === planId)).toMatchObject({ light: 'red' });
  });

  it('the unit scoreboard (counts in SQL, score and rank in Node) equals the rules over the same items', async () => {
    const units = (await t.dataSource.query(`SELECT id, code FROM units WHERE organization_id = $1`, [
      orgId,
    ])) as { id: string; code: string }[];
    const idOf = (code: string) => units.find((u) => u.code === code)!.id;
    const a = assessments();
    const expected = buildScoreboard({
      unitIds: [...LEADS, 'xicheng-squad'].map(idOf),
      today: TODAY,
      items: CASES.map((c, n) => ({
        leadUnitId: idOf(leadOf(n)),
        coUnitIds: coOf(n).map(idOf),
        status: c.status,
        weight: c.weight ?? 1,
        deadline: c.deadline,
        originalDeadline: null,
        closedOn: c.status === 'closed' ? '2022-04-28' : null,
        completion: a[n].completion.percent,
        light: a[n].light,
        reports: expectedReports({
          cadence: c.cadence ?? 'monthly',
          startDate: c.start ?? '2022-01-01',
          deadline: c.deadline,
          closedOn: c.status === 'closed' ? '2022-04-28' : null,
          cycles: CYCLES,
          submittedOn: submitted(c),
          today: TODAY,
          calendar,
        }),
      })),
    });
    const actual = await t.app.get(ScoreboardService).scoreboard({ organizationId: orgId } as never, planId);
    const pick = (
      rows: {
        unitId: string;
        rank: number | null;
        score: number | null;
        band: string | null;
        items: number;
        red: number;
      }[],
    ) =>
      rows
        .filter((r) => r.items > 0)
        .map((r) => ({
          unitId: r.unitId,
          rank: r.rank,
          score: r.score,
          band: r.band,
          items: r.items,
          red: r.red,
        }))
        .sort((x, y) => x.unitId.localeCompare(y.unitId));
    expect(pick(actual.lead)).toEqual(pick(expected.lead));
    expect(pick(actual.co)).toEqual(pick(expected.co));
    expect(actual.lead.filter((r) => r.rank !== null).length).toBe(3);
  });

  it('the plan thresholds and completion basis change the lights the SQL computes, as in the rules', async () => {
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    await q(
      `UPDATE plans SET lag_points = 5, near_deadline_workdays = 3, near_deadline_min_percent = 90, completion_basis = 'percent'
        WHERE id = $1`,
      [planId],
    );
    try {
      await t.app.get(RollupRepository).recomputePlan(planId, TODAY);
      const settings: RollupSettingsInput = {
        completionBasis: 'percent',
        thresholds: { lagPoints: 5, nearDeadlineWorkdays: 3, nearDeadlineMinPercent: 90 },
      };
      const expected = assessments(settings);
      const rows = (await q(
        `SELECT item_id AS "itemId", completion::float8 AS completion, light FROM item_status WHERE plan_id = $1`,
        [planId],
      )) as { itemId: string; completion: number | null; light: string | null }[];
      const byId = new Map(rows.map((r) => [r.itemId, r]));
      CASES.forEach((c, n) => {
        const a = expected[n];
        expect({ name: c.name, light: byId.get(itemIds[n])!.light }).toEqual({
          name: c.name,
          light: a.counted ? a.light : null,
        });
        if (a.counted) expect(byId.get(itemIds[n])!.completion).toBeCloseTo(a.completion.percent, 2);
      });
      // The settings matter: some light differs from the defaults' (else this test proves nothing).
      const defaults = assessments();
      expect(expected.some((a, n) => a.counted && a.light !== defaults[n].light)).toBe(true);
    } finally {
      await q(
        `UPDATE plans SET lag_points = 20, near_deadline_workdays = 10, near_deadline_min_percent = 80, completion_basis = 'targets'
          WHERE id = $1`,
        [planId],
      );
      await t.app.get(RollupRepository).recomputePlan(planId, TODAY);
    }
  });

  it('an incremental roll-up of the changed items ends where a full recompute does', async () => {
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    const repo = t.app.get(RollupRepository);
    const outbox = t.app.get(OutboxRepository);
    const snapshot = async () => ({
      items: await q(
        `SELECT item_id, task_id, completion, expected, light, overdue_workdays, missing_reports, reports_due, reports_on_time
           FROM item_status WHERE plan_id = $1 ORDER BY item_id`,
        [planId],
      ),
      nodes: await q(
        `SELECT node_type, node_id, completion, expected, light, red, yellow, green FROM node_status WHERE plan_id = $1
          ORDER BY node_type, node_id`,
        [planId],
      ),
    });
    const before = await snapshot();
    const [owner] = await q(`SELECT id FROM users WHERE username = 'xxs.zhufeng1'`);
    const percentItem = itemIds[CASES.findIndex((c) => c.name === '只有完成率')];
    const lateItem = itemIds[CASES.findIndex((c) => c.name === '滞后超过 20 点')];
    const movedItem = itemIds[CASES.findIndex((c) => c.name === '已逾期')];
    await t.dataSource.transaction(async (em) => {
      // A newer approval, a deadline moved into the past, an item moved to the other key task.
      await em.query(
        `INSERT INTO progress_reports (organization_id, item_id, period_key, status, percent, created_by, reviewed_at)
         VALUES ($1, $2, 'incremental-test', 'approved', 95, $3, '2022-06-14T02:00:00Z')`,
        [orgId, percentItem, owner.id],
      );
      await em.query(`UPDATE items SET deadline = '2022-06-01' WHERE id = $1`, [lateItem]);
      await em.query(`UPDATE items SET task_id = $2 WHERE id = $1`, [movedItem, taskIds[0]]);
      for (const id of [percentItem, lateItem, movedItem]) await outbox.itemChanged(em, id);
    });
    try {
      const counts = await repo.recomputePending(planId, TODAY);
      expect(counts).toMatchObject({ items: 3 });
      const incremental = await snapshot();
      expect(incremental).not.toEqual(before);
      // The marks are consumed: a second job for the same plan has nothing to do.
      expect(await repo.recomputePending(planId, TODAY)).toBeNull();
      await repo.recomputePlan(planId, TODAY);
      expect(await snapshot()).toEqual(incremental);
      // And the read-only statement computes the same nodes as those stored.
      const select = (await q(ROLLUP_SELECT, [[planId], TODAY, null])) as {
        nodeId: string;
        light: string | null;
      }[];
      const stored = (await q(`SELECT node_id AS "nodeId", light FROM node_status WHERE plan_id = $1`, [
        planId,
      ])) as {
        nodeId: string;
        light: string | null;
      }[];
      const sort = (xs: { nodeId: string; light: string | null }[]) =>
        xs.map((x) => `${x.nodeId}:${x.light}`).sort();
      expect(sort(select)).toEqual(sort(stored));
    } finally {
      await q(`DELETE FROM progress_reports WHERE period_key = 'incremental-test'`);
      await q(`UPDATE items SET deadline = '2022-08-31' WHERE id = $1`, [lateItem]);
      await q(`UPDATE items SET task_id = $2 WHERE id = $1`, [movedItem, taskIds[1]]);
      await q(`DELETE FROM rollup_pending WHERE plan_id = $1`, [planId]);
      await repo.recomputePlan(planId, TODAY);
    }
  });
});
