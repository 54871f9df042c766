import { Queue } from 'bullmq';

import { bullConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/queue-names';
import { RollupScheduler } from '../../src/modules/rollup/rollup.scheduler';
import { bearer, createTestApp, createTestWorker, TestApp, TestWorker } from '../helpers/app';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';
import { waitFor } from '../helpers/services';

interface Figures {
  completion: number | null;
  expected: number | null;
  light: string | null;
  red: number;
  yellow: number;
  green: number;
}
interface Tree {
  figures: Figures | null;
  sections: { id: string; figures: Figures | null; tasks: { id: string; figures: Figures | null }[] }[];
}

describe('进度汇总 (roll-up through the worker)', () => {
  let t: TestApp;
  let worker: TestWorker;
  let dispatch: string;
  let owner: string;
  let head: string;
  let planId: string;
  let itemId: string;
  let targetId: string;

  const tree = async () =>
    (await t.http().get(`/api/v1/plans/${planId}/tree`).set(bearer(dispatch)).expect(200)).body as Tree;

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2023-06-15T10:00:00+08:00' });
    worker = await createTestWorker(t);
    [dispatch, owner, head] = await Promise.all(
      ['xxs.dispatch', 'xxs.zhufeng1', 'xxs.zhufeng'].map((u) => t.login(u)),
    );
    const idx = await indexOrg(t, dispatch);
    const fx = await makeDraftPlan(t, dispatch, '汇总测试计划');
    planId = fx.planId;
    const item = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(dispatch))
      .send({
        taskId: fx.taskId,
        title: '新增停车泊位',
        leadUnitId: idx.units.get('zhufeng-squad'),
        responsibleLeaderId: idx.users.get('xxs.liming'),
        ownerId: idx.users.get('xxs.zhufeng1'),
        startDate: '2023-06-01',
        deadline: '2023-12-31',
        cadence: 'monthly',
        targets: [{ metric: '新增停车泊位', comparator: '>=', value: 200, unit: '个' }],
      })
      .expect(201);
    itemId = item.body.id;
    targetId = (await t.dataSource.query(`SELECT id FROM item_targets WHERE item_id = $1`, [itemId]))[0].id;
    await t.http().post(`/api/v1/plans/${planId}/publish`).set(bearer(dispatch)).expect(200);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('a published plan gets its figures from the worker: nothing done yet, 序时进度 by working days, a light', async () => {
    await waitFor('first roll-up', async () => (await tree()).figures !== null, 5000, 50);
    const first = await tree();
    // Started 06-01, no report due yet (June's is due 06-27), 序时进度 small: green.
    expect(first.figures).toMatchObject({ completion: 0, light: 'green', green: 1 });
    // 2023-06-01 … 06-15 (11 working days) against 06-01 … 12-31, counted on the official calendar.
    expect(first.figures!.expected).toBeGreaterThan(5);
    expect(first.figures!.expected).toBeLessThan(15);
  });

  it('approving a report moves the item, task, section and plan figures within 2 s, and no request computes them', async () => {
    const draft = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-06`)
        .set(bearer(owner))
        .send({ percent: 40, progress: '新增泊位 100 个', actuals: [{ targetId, value: 100, unit: '个' }] })
        .expect(200)
    ).body;
    const submitted = (
      await t
        .http()
        .post(`/api/v1/reports/${draft.id}/submit`)
        .set(bearer(owner))
        .send({ version: draft.version })
        .expect(200)
    ).body;
    // Let the submission's own roll-up finish first (its pending mark consumed).
    await waitFor(
      'submission rolled up',
      async () =>
        (await t.dataSource.query(`SELECT 1 FROM rollup_pending WHERE plan_id = $1`, [planId])).length === 0,
      2000,
      20,
    );
    await new Promise((r) => setTimeout(r, 100));
    const computedBefore = (
      await t.dataSource.query(`SELECT computed_at FROM item_status WHERE item_id = $1`, [itemId])
    )[0].computed_at;
    // Hold the roll-up queue for a moment: whatever the approval request does, it does alone.
    const queue = new Queue(QueueName.Rollup, {
      connection: bullConnection(t.config.redis),
      prefix: t.config.redis.prefix,
    });
    await queue.pause();
    const approvedAt = Date.now();
    try {
      await t
        .http()
        .post(`/api/v1/reports/${draft.id}/approve`)
        .set(bearer(head))
        .send({ version: submitted.version })
        .expect(200);
      await new Promise((r) => setTimeout(r, 300));
      // The approval request did not touch the figures: only the worker writes item_status.
      const right = await t.dataSource.query(`SELECT computed_at FROM item_status WHERE item_id = $1`, [
        itemId,
      ]);
      expect(right[0].computed_at).toEqual(computedBefore);
      expect((await tree()).sections[0].tasks[0].figures?.completion).toBe(0);
    } finally {
      await queue.resume();
      await queue.close();
    }

    // Within 2 s of the approval, the 300 ms hold included.
    await waitFor(
      'figures after approval',
      async () => (await tree()).sections[0].tasks[0].figures?.completion === 50,
      2000,
      25,
    );
    expect(Date.now() - approvedAt).toBeLessThan(2000);
    const after = await tree();
    // Target-based completion: 100 of 200 个 = 50 %, ahead of 序时进度, so green at every level.
    for (const f of [after.figures, after.sections[0].figures, after.sections[0].tasks[0].figures]) {
      expect(f).toMatchObject({ completion: 50, light: 'green', green: 1, red: 0, yellow: 0 });
    }
  });

  it('monthly milestones replace linear 序时进度, and the plan thresholds decide the light, through the API', async () => {
    const idx = await indexOrg(t, dispatch);
    const taskId = (await tree()).sections[0].tasks[0].id;
    // Annual reporting: nothing is owed before December, so only 序时进度 and thresholds matter.
    const created = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send({
          taskId,
          title: '全年计划推进',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
          startDate: '2023-01-01',
          deadline: '2023-12-31',
          cadence: 'annual',
        })
        .expect(201)
    ).body as { id: string; version: number };
    const status = async () =>
      (await t.http().get(`/api/v1/items/${created.id}/status`).set(bearer(dispatch)).expect(200)).body as {
        expected: number;
        expectedBasis: string;
        light: string;
        computed: { light: string; expected: number } | null;
      };
    // Linear: about 45 % of the year's working days gone, nothing done: behind by > 20 points.
    await waitFor('linear yellow', async () => (await status()).computed?.light === 'yellow', 2000, 25);
    expect((await status()).expectedBasis).toBe('linear');

    // Bad milestones are refused with the field named, and change nothing.
    for (const [milestones, field] of [
      [[{ month: '2022-12', percent: 5 }], 'milestones.0.month'],
      [
        [
          { month: '2023-03', percent: 20 },
          { month: '2023-05', percent: 10 },
        ],
        'milestones.1.percent',
      ],
      [[{ month: '2023-13', percent: 10 }], 'milestones.0.month'],
    ] as const) {
      const bad = await t
        .http()
        .patch(`/api/v1/items/${created.id}`)
        .set(bearer(dispatch))
        .send({ version: created.version, milestones })
        .expect(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const updated = (
      await t
        .http()
        .patch(`/api/v1/items/${created.id}`)
        .set(bearer(dispatch))
        .send({
          version: created.version,
          milestones: [
            { month: '2023-03', percent: 5 },
            { month: '2023-05', percent: 10 },
            { month: '2023-09', percent: 60 },
          ],
        })
        .expect(200)
    ).body as { milestones: { month: string; percent: number }[] };
    expect(updated.milestones).toHaveLength(3);
    // 序时进度 is now May's milestone, 10 %: within 20 points, green.
    await waitFor('milestone green', async () => (await status()).computed?.light === 'green', 2000, 25);
    expect(await status()).toMatchObject({ expected: 10, expectedBasis: 'milestone', light: 'green' });
    const history = (
      await t.http().get(`/api/v1/items/${created.id}/history`).set(bearer(dispatch)).expect(200)
    ).body as { changes: { field: string; after: string }[] }[];
    expect(JSON.stringify(history)).toContain('2023-05 达到 10%');

    // The plan's own threshold: lagging more than 5 points is yellow in this plan.
    const version = async () =>
      (await t.http().get(`/api/v1/plans/${planId}/settings`).set(bearer(dispatch)).expect(200)).body
        .version as number;
    const badSettings = await t
      .http()
      .patch(`/api/v1/plans/${planId}/settings`)
      .set(bearer(dispatch))
      .send({ version: await version(), lagPoints: 150 })
      .expect(400);
    expect(badSettings.body.fields[0].field).toBe('lagPoints');
    const zero = await t
      .http()
      .patch(`/api/v1/plans/${planId}/settings`)
      .set(bearer(dispatch))
      .send({ version: await version(), scoreWeights: { completion: 0, onTimeClose: 0, reportOnTime: 0 } })
      .expect(400);
    expect(zero.body.fields[0].field).toBe('scoreWeights');
    expect(
      (await t.http().get(`/api/v1/plans/${planId}/settings`).set(bearer(dispatch)).expect(200)).body,
    ).toMatchObject({ lagPoints: 20, scoreWeights: { completion: 0.5 } });
    await t
      .http()
      .patch(`/api/v1/plans/${planId}/settings`)
      .set(bearer(dispatch))
      .send({ version: await version(), lagPoints: 5, scoreWeights: { redPenalty: 0 } })
      .expect(200);
    await waitFor('threshold yellow', async () => (await status()).computed?.light === 'yellow', 2000, 25);
    expect((await status()).light).toBe('yellow');
    const settings = (
      await t.http().get(`/api/v1/plans/${planId}/settings`).set(bearer(dispatch)).expect(200)
    ).body;
    expect(settings).toMatchObject({ lagPoints: 5, scoreWeights: { completion: 0.5, redPenalty: 0 } });
    const [audit] = await t.dataSource.query(
      `SELECT before, after FROM audit_log WHERE entity_type = 'plan' AND entity_id = $1 AND action = 'settings'
        ORDER BY id DESC LIMIT 1`,
      [planId],
    );
    expect(audit).toMatchObject({ before: { lagPoints: 20 }, after: { lagPoints: 5 } });

    // Back to the defaults, and the item out of the way of the tests that follow.
    await t
      .http()
      .patch(`/api/v1/plans/${planId}/settings`)
      .set(bearer(dispatch))
      .send({ version: await version(), lagPoints: 20 })
      .expect(200);
    const item = (await t.http().get(`/api/v1/items/${created.id}`).set(bearer(dispatch)).expect(200)).body;
    await t
      .http()
      .post(`/api/v1/items/${created.id}/status`)
      .set(bearer(dispatch))
      .send({ version: item.version, status: 'cancelled', reason: '测试结束' })
      .expect(200);
  });

  it('an item past its deadline turns its task red', async () => {
    const item = (await t.http().get(`/api/v1/items/${itemId}`).set(bearer(dispatch)).expect(200)).body;
    await t
      .http()
      .patch(`/api/v1/items/${itemId}`)
      .set(bearer(dispatch))
      .send({ version: item.version, deadline: '2023-06-14' })
      .expect(200);
    await waitFor(
      'red light',
      async () => (await tree()).sections[0].tasks[0].figures?.light === 'red',
      2000,
      25,
    );
    const [status] = await t.dataSource.query(`SELECT overdue_workdays FROM item_status WHERE item_id = $1`, [
      itemId,
    ]);
    // Due Wednesday 06-14, today Thursday 06-15: one working day overdue.
    expect(status.overdue_workdays).toBe(1);
  });

  it('GET /items/:id/status explains the light with the same rules the worker applied', async () => {
    const res = (await t.http().get(`/api/v1/items/${itemId}/status`).set(bearer(owner)).expect(200)).body;
    expect(res.computed).toMatchObject({ light: 'red', completion: 50, overdueWorkdays: 1 });
    expect(res).toMatchObject({
      light: 'red',
      completion: 50,
      completionSource: 'targets',
      overdueWorkdays: 1,
    });
    expect(res.reasons[0]).toMatchObject({ code: 'overdue', light: 'red' });
    expect(res.reasons[0].text).toMatch(/[\u4e00-\u9fa5]/);
    expect(res.targets).toEqual([
      { metric: '新增停车泊位', unit: '个', target: 200, upper: null, actual: 100 },
    ]);
    expect(res.reports.map((r: { key: string }) => r.key)).toEqual(['2023-06']);
    await t
      .http()
      .get(`/api/v1/items/${itemId}/status`)
      .set(bearer(await t.login('xxs.xicheng1')))
      .expect(403);
    await t
      .http()
      .get(`/api/v1/items/${itemId}/status`)
      .set(bearer(await t.login('yy.admin')))
      .expect(404);
    const board = (await t.http().get(`/api/v1/plans/${planId}/scoreboard`).set(bearer(owner)).expect(200))
      .body;
    expect(board.asOf).toBe('2023-06-15');
    expect(board.lead).toEqual([
      expect.objectContaining({ unitName: '竹峰综合执法中队', rank: 1, items: 1, red: 1, band: 'green' }),
    ]);
    await t
      .http()
      .get(`/api/v1/plans/${planId}/scoreboard`)
      .set(bearer(await t.login('yy.admin')))
      .expect(404);
  });

  it('triggers coalesce into one roll-up, and a change landing while a roll-up runs is not missed', async () => {
    const idx = await indexOrg(t, dispatch);
    const taskId = (await tree()).sections[0].tasks[0].id;
    const settled = () =>
      waitFor(
        'pending marks consumed',
        async () =>
          (await t.dataSource.query(`SELECT 1 FROM rollup_pending WHERE plan_id = $1`, [planId])).length ===
          0,
        3000,
        20,
      );
    let item = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send({
          taskId,
          title: '合并与不遗漏',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          startDate: '2023-06-01',
          deadline: '2023-12-31',
          cadence: 'annual',
        })
        .expect(201)
    ).body as { id: string; version: number };
    await settled();
    const patch = async (body: object) => {
      item = (
        await t
          .http()
          .patch(`/api/v1/items/${item.id}`)
          .set(bearer(dispatch))
          .send({ version: item.version, ...body })
          .expect(200)
      ).body;
    };
    const queue = new Queue(QueueName.Rollup, {
      connection: bullConnection(t.config.redis),
      prefix: t.config.redis.prefix,
    });
    const runs = async () =>
      (await queue.getJobs(['completed'], 0, -1)).filter(
        (j) => j.name === 'rollup.plan' && (j.data as { planId: string }).planId === planId,
      ).length;
    try {
      // Twenty edits while no worker takes jobs: one waiting job absorbs them all.
      const before = await runs();
      await queue.pause();
      for (let n = 1; n <= 20; n++) await patch({ weight: n });
      await waitFor(
        'events relayed',
        async () =>
          (await t.dataSource.query(`SELECT 1 FROM outbox WHERE published_at IS NULL`)).length === 0,
        3000,
        20,
      );
      // A paused queue keeps its jobs in the wait list.
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      await queue.resume();
      await settled();
      expect((await runs()) - before).toBe(1);

      // Hold the roll-up mid-statement (it will wait to write node_status), change the item meanwhile.
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query(`LOCK TABLE node_status IN EXCLUSIVE MODE`);
        await patch({ weight: 1 });
        await waitFor(
          'a roll-up waiting inside its statement',
          async () =>
            (
              await t.dataSource.query(
                `SELECT 1 FROM pg_locks WHERE relation = 'node_status'::regclass AND NOT granted`,
              )
            ).length > 0,
          3000,
          20,
        );
        // This change's mark lands after the running roll-up took its marks.
        await patch({ deadline: '2023-06-14' });
        await waitFor(
          'second event relayed',
          async () =>
            (await t.dataSource.query(`SELECT 1 FROM outbox WHERE published_at IS NULL`)).length === 0,
          3000,
          20,
        );
      } finally {
        await holder.commitTransaction();
        await holder.release();
      }
      await waitFor(
        'the change made during the roll-up',
        async () =>
          (await t.dataSource.query(`SELECT light FROM item_status WHERE item_id = $1`, [item.id]))[0]
            ?.light === 'red',
        3000,
        20,
      );
      await settled();
    } finally {
      await queue.resume();
      await queue.close();
    }
  });

  it('with two workers, the scheduled full recompute runs once per tick and repairs every published plan', async () => {
    const second = await createTestWorker(t);
    try {
      const before = Number(
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM job_runs WHERE job = 'rollup.full'`))[0].n,
      );
      // Both workers' crons fire for the same quarter hour.
      await Promise.all([worker.get(RollupScheduler).tick(), second.get(RollupScheduler).tick()]);
      await waitFor(
        'full recompute finished',
        async () =>
          (
            await t.dataSource.query(
              `SELECT 1 FROM job_runs WHERE job = 'rollup.full' AND finished_at IS NOT NULL`,
            )
          ).length > before,
        10000,
        50,
      );
      await new Promise((r) => setTimeout(r, 500));
      const runs = (await t.dataSource.query(
        `SELECT tick, detail FROM job_runs WHERE job = 'rollup.full' ORDER BY id`,
      )) as { tick: string; detail: { plans: number } }[];
      expect(runs.length - before).toBe(1);
      // The two seeded 2022 plans and this test's plan are published; each got its figures.
      expect(runs[runs.length - 1].detail.plans).toBeGreaterThanOrEqual(3);
      const plans = (await t.dataSource.query(`SELECT id FROM plans WHERE status = 'published'`)) as {
        id: string;
      }[];
      for (const p of plans) {
        const rows = await t.dataSource.query(
          `SELECT 1 FROM node_status WHERE node_type = 'plan' AND node_id = $1`,
          [p.id],
        );
        expect(rows).toHaveLength(1);
      }
      // Cycles past their cut-off (report due before 2023-06-15) are closed by the same run.
      // …and their figures at the cut-off are kept, period by period, for the trend.
      const trend = (await t.http().get(`/api/v1/plans/${planId}/trend`).set(bearer(dispatch)).expect(200))
        .body as {
        points: {
          period: string;
          kind: string;
          subjectId: string;
          light: string | null;
          rank: number | null;
        }[];
      };
      const planPoints = trend.points.filter((p) => p.kind === 'plan' && p.period < '2023-06');
      expect(planPoints.map((p) => p.period)).toEqual([
        '2023-01',
        '2023-02',
        '2023-03',
        '2023-04',
        '2023-05',
      ]);
      // June, under way, is the live point: today's figures, not a snapshot.
      expect(trend.points.filter((p) => p.kind === 'plan' && p.period === '2023-06')).toEqual([
        expect.objectContaining({ live: true, subjectId: planId }),
      ]);
      // Each as of its own cut-off: this plan's items were all created on 06-15, so at every one of
      // those cut-offs there was nothing to count yet and no unit to rank (test/e2e/cutoff-snapshots
      // checks snapshots with figures).
      expect(planPoints.every((p) => p.light === null)).toBe(true);
      expect(trend.points.filter((p) => p.kind.startsWith('unit-'))).toEqual([]);
      await t
        .http()
        .get(`/api/v1/plans/${planId}/trend`)
        .set(bearer(await t.login('yy.admin')))
        .expect(404);
      const open = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM dispatch_cycles WHERE status = 'open' AND report_due < '2023-06-15'`,
      );
      expect(open[0].n).toBe(0);
    } finally {
      await second.close();
    }
  });
});
