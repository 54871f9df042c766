import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';

/** GET /reviews?itemId=: the item page's 审核 panel shows what on this one item waits for the caller. */
describe('审核队列按事项筛选 (GET /reviews?itemId=)', () => {
  let t: TestApp;
  let dispatch: string;
  let member: string;
  let head: string;
  const items: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2023-06-28T10:00:00+08:00' });
    [dispatch, member, head] = await Promise.all(
      ['xxs.dispatch', 'xxs.zhufeng1', 'xxs.zhufeng'].map((u) => t.login(u)),
    );
    const idx = await indexOrg(t, dispatch);
    const fx = await makeDraftPlan(t, dispatch, '审核筛选测试计划');
    for (const title of ['门前五包示范路段', '流动摊贩整治']) {
      const id = (
        await t
          .http()
          .post('/api/v1/items')
          .set(bearer(dispatch))
          .send({
            taskId: fx.taskId,
            title,
            leadUnitId: idx.units.get('zhufeng-squad'),
            responsibleLeaderId: idx.users.get('xxs.liming'),
            ownerId: idx.users.get('xxs.zhufeng1'),
            startDate: '2023-01-01',
            deadline: '2023-12-31',
            cadence: 'monthly',
          })
          .expect(201)
      ).body.id as string;
      items.push(id);
      const saved = await t
        .http()
        .put(`/api/v1/items/${id}/reports/2023-06`)
        .set(bearer(member))
        .send({ percent: 40, progress: `${title}：本月推进情况` })
        .expect(200);
      await t
        .http()
        .post(`/api/v1/reports/${saved.body.id}/submit`)
        .set(bearer(member))
        .send({ version: saved.body.version })
        .expect(200);
    }
    await t
      .http()
      .post(`/api/v1/items/${items[0]}/extensions`)
      .set(bearer(member))
      .send({ requestedDeadline: '2024-03-31', reason: '汛期影响施工' })
      .expect(201);
  });
  afterAll(() => t.close());

  const queue = async (token: string, query: string) =>
    (await t.http().get(`/api/v1/reviews${query}`).set(bearer(token)).expect(200)).body as {
      total: number;
      items: { kind: string; item: { id: string } }[];
    };

  it('lists only the given item, each kind by who decides it', async () => {
    const all = await queue(head, '');
    expect(new Set(all.items.map((r) => r.item.id))).toEqual(new Set(items));

    const first = await queue(head, `?itemId=${items[0]}`);
    // The head decides the report; the extension is the leader's and the dispatch office's.
    expect(first.total).toBe(1);
    expect(first.items).toEqual([
      expect.objectContaining({ kind: 'report', item: expect.objectContaining({ id: items[0] }) }),
    ]);

    const byDispatch = await queue(dispatch, `?itemId=${items[0]}`);
    expect(byDispatch.items.map((r) => r.kind).sort()).toEqual(['extension', 'report']);
    expect(byDispatch.items.every((r) => r.item.id === items[0])).toBe(true);

    const second = await queue(dispatch, `?itemId=${items[1]}&kind=extension`);
    expect(second.total).toBe(0);
  });

  it('refuses an item id that is not a uuid (400, in Chinese) and still refuses a member (403)', async () => {
    const bad = await t.http().get('/api/v1/reviews?itemId=abc').set(bearer(head)).expect(400);
    expect(JSON.stringify(bad.body)).toContain('事项');
    await t.http().get(`/api/v1/reviews?itemId=${items[0]}`).set(bearer(member)).expect(403);
  });
});
