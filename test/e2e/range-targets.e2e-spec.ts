import { bearer, createTestApp, createTestWorker, TestApp, TestWorker } from '../helpers/app';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';
import { waitFor } from '../helpers/services';

/** 区间指标 (issue 17): "新增实施垃圾分类街道 2～4 个" over HTTP, through a report, into the roll-up. */
describe('区间指标 (range targets)', () => {
  let t: TestApp;
  let worker: TestWorker;
  let idx: OrgIndex;
  let dispatch: string;
  let owner: string;
  let head: string;
  let fx: { planId: string; sectionId: string; taskId: string };

  const body = (targets: unknown[]) => ({
    taskId: fx.taskId,
    title: '新增实施垃圾分类街道',
    leadUnitId: idx.units.get('zhufeng-squad'),
    responsibleLeaderId: idx.users.get('xxs.liming'),
    ownerId: idx.users.get('xxs.zhufeng1'),
    startDate: '2023-06-01',
    deadline: '2023-12-31',
    cadence: 'monthly',
    targets,
  });
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2023-06-28T10:00:00+08:00' });
    worker = await createTestWorker(t);
    [dispatch, owner, head] = await Promise.all(
      ['xxs.dispatch', 'xxs.zhufeng1', 'xxs.zhufeng'].map((u) => t.login(u)),
    );
    idx = await indexOrg(t, dispatch);
    fx = await makeDraftPlan(t, dispatch, '区间指标测试计划');
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('a bad range is refused on the field in Chinese, and nothing is written', async () => {
    const [items, targets] = [await count('items'), await count('item_targets')];
    const post = (target: Record<string, unknown>) =>
      t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send(body([{ metric: '新增街道', unit: '个', comparator: 'range', value: 1, ...target }]))
        .expect(400)
        .then((r) => r.body as { message: string; fields: { field: string; message: string }[] });

    const inverted = await post({ value: 3, upper: 2 });
    expect(inverted.fields).toEqual([
      { field: 'targets.0.upper', message: expect.stringContaining('不能小于下限') as unknown },
    ]);
    expect(inverted.message).toContain('指标上限');
    expect((await post({})).fields).toEqual([
      { field: 'targets.0.upper', message: '指标上限（targets.0.upper）为必填项' },
    ]);
    expect((await post({ upper: null })).fields.map((f) => f.field)).toEqual(['targets.0.upperText']);
    expect((await post({ upper: 2, direction: 'decrease' })).fields.map((f) => f.field)).toEqual([
      'targets.0.direction',
    ]);
    expect((await post({ comparator: '>=', upper: 2 })).fields).toEqual([
      { field: 'targets.0.upper', message: expect.stringContaining('只用于区间指标') as unknown },
    ]);
    expect([await count('items'), await count('item_targets')]).toEqual([items, targets]);
  });

  it('the table refuses an upper bound outside a range, a range without one, an inverted or decreasing range', async () => {
    const [{ id: itemId }] = await t.dataSource.query(`SELECT id FROM items LIMIT 1`);
    const insert = (
      comparator: string,
      value: number,
      upper: number | null,
      upperText: string | null,
      direction = 'increase',
    ) =>
      t.dataSource.query(
        `INSERT INTO item_targets (item_id, sort_order, metric, comparator, value, value_text, unit, direction, value_upper, value_upper_text)
         VALUES ($1, 99, '约束', $2, $3::numeric, $3::text, '个', $4, $5, $6)`,
        [itemId, comparator, value, direction, upper, upperText],
      );
    await expect(insert('>=', 1, 2, '2')).rejects.toThrow(/ck_item_targets_upper/);
    await expect(insert('range', 1, null, null)).rejects.toThrow(/ck_item_targets_upper/);
    await expect(insert('range', 3, 2, '2')).rejects.toThrow(/ck_item_targets_upper/);
    await expect(insert('range', 1, 2, '2', 'decrease')).rejects.toThrow(/ck_item_targets_upper/);
    expect(await t.dataSource.query(`SELECT 1 FROM item_targets WHERE metric = '约束'`)).toEqual([]);
    // The same statement with a well-formed range goes in.
    await insert('range', 1, 2, '2');
    await t.dataSource.query(`DELETE FROM item_targets WHERE metric = '约束'`);
  });

  it('an item keeps both bounds, redacted or not, and shows them as "2～4 个"', async () => {
    const created = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(dispatch))
      .send(
        body([
          { metric: '新增实施垃圾分类街道', comparator: 'range', value: 2, upper: 4, unit: '个' },
          {
            metric: '每月集中研讨课题',
            comparator: 'range',
            value: null,
            valueText: 'x',
            upper: null,
            upperText: 'x',
            unit: '个',
          },
          { metric: '拆除违法建设', comparator: '>=', value: 1.5, unit: '万平方米' },
        ]),
      )
      .expect(201);
    const item = (await t.http().get(`/api/v1/items/${created.body.id}`).set(bearer(dispatch)).expect(200))
      .body as { targets: Record<string, unknown>[] };
    expect(item.targets).toEqual([
      expect.objectContaining({
        comparator: 'range',
        value: 2,
        upper: 4,
        upperText: '4',
        text: '新增实施垃圾分类街道 2～4 个',
      }),
      expect.objectContaining({ value: null, upper: null, upperText: 'x', text: '每月集中研讨课题 x～x 个' }),
      expect.objectContaining({ comparator: '>=', text: '拆除违法建设 ≥ 1.5 万平方米' }),
    ]);
    // Only a range has an upper bound.
    expect(item.targets[2]).not.toHaveProperty('upper');
  });

  it('reported actuals: below the lower bound is its share, inside the range is done (live rules and the SQL roll-up)', async () => {
    const make = async () => {
      const created = await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send(body([{ metric: '新增实施垃圾分类街道', comparator: 'range', value: 2, upper: 4, unit: '个' }]))
        .expect(201);
      const itemId = created.body.id as string;
      const [{ id }] = await t.dataSource.query(`SELECT id FROM item_targets WHERE item_id = $1`, [itemId]);
      return { itemId, targetId: id as string };
    };
    const below = await make();
    const inside = await make();
    const above = await make();
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(dispatch)).expect(200);

    const report = async ({ itemId, targetId }: { itemId: string; targetId: string }, value: number) => {
      const period = '2023-06';
      const draft = (
        await t
          .http()
          .put(`/api/v1/items/${itemId}/reports/${period}`)
          .set(bearer(owner))
          .send({ percent: 50, progress: `新增 ${value} 个街道`, actuals: [{ targetId, value, unit: '个' }] })
          .expect(200)
      ).body as { id: string; version: number };
      const submitted = (
        await t
          .http()
          .post(`/api/v1/reports/${draft.id}/submit`)
          .set(bearer(owner))
          .send({ version: draft.version })
          .expect(200)
      ).body as { version: number };
      await t
        .http()
        .post(`/api/v1/reports/${draft.id}/approve`)
        .set(bearer(head))
        .send({ version: submitted.version })
        .expect(200);
    };
    const rolledUp = async ({ itemId }: { itemId: string }, completion: number) => {
      await waitFor(
        `roll-up completion ${completion}`,
        async () =>
          (
            await t.dataSource.query(`SELECT completion::float8 AS c FROM item_status WHERE item_id = $1`, [
              itemId,
            ])
          )[0]?.c === completion,
        5000,
        50,
      );
      const status = (await t.http().get(`/api/v1/items/${itemId}/status`).set(bearer(dispatch)).expect(200))
        .body as { completion: number; targets: unknown[] };
      expect(status.completion).toBe(completion);
      return status;
    };

    await report(below, 1);
    await report(inside, 3);
    await report(above, 6);
    expect((await rolledUp(below, 50)).targets).toEqual([
      expect.objectContaining({ target: 2, upper: 4, actual: 1 }),
    ]);
    await rolledUp(inside, 100);
    await rolledUp(above, 100);
    const progress = (
      await t.http().get(`/api/v1/items/${below.itemId}/progress`).set(bearer(owner)).expect(200)
    ).body as { targets: unknown[] };
    expect(progress.targets).toEqual([expect.objectContaining({ target: 2, upper: 4, actual: 1 })]);
  });
});
