import { Client } from 'pg';

import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';

describe('具体事项 (items)', () => {
  let t: TestApp;
  let token: string;
  let idx: OrgIndex;
  let fx: { planId: string; sectionId: string; taskId: string };

  const make = (over: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/v1/items')
      .set(bearer(token))
      .send({
        taskId: fx.taskId,
        title: '事项',
        leadUnitId: idx.units.get('zhufeng-squad'),
        responsibleLeaderId: idx.users.get('xxs.liming'),
        startDate: '2023-01-01',
        deadline: '2023-12-31',
        cadence: 'monthly',
        ...over,
      })
      .expect(201)
      .then((r) => r.body as { id: string; version: number; status: string });

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2023-07-01T10:00:00+08:00' });
    token = await t.login('xxs.dispatch');
    idx = await indexOrg(t, token);
    fx = await makeDraftPlan(t, token, '事项测试计划');
  });
  afterAll(() => t.close());

  it('search filters by unit (with sub-units), owner, status, deadline range, overdue and text; pages with a total', async () => {
    const a = await make({
      title: '竹峰违停整治',
      deadline: '2023-03-31',
      ownerId: idx.users.get('xxs.zhufeng1'),
    });
    const b = await make({
      title: '东城违停整治',
      leadUnitId: idx.units.get('dongcheng-squad'),
      deadline: '2023-09-30',
    });
    const c = await make({
      title: '法制审核',
      leadUnitId: idx.units.get('legal'),
      coUnitIds: [idx.units.get('zhufeng-squad')],
    });
    const q = (query: string) =>
      t
        .http()
        .get(`/api/v1/items?planId=${fx.planId}&${query}`)
        .set(bearer(token))
        .expect(200)
        .then((r) => (r.body.items as { id: string }[]).map((i) => i.id).sort());
    const sorted = (...ids: string[]) => ids.sort();

    expect(await q(`unitId=${idx.units.get('brigade')}`)).toEqual(sorted(a.id, b.id, c.id)); // c via co-unit 竹峰
    expect(await q(`unitId=${idx.units.get('brigade')}&includeSubunits=false`)).toEqual([]);
    expect(await q(`leadUnitId=${idx.units.get('brigade')}`)).toEqual(sorted(a.id, b.id));
    expect(await q(`ownerId=${idx.users.get('xxs.zhufeng1')}`)).toEqual([a.id]);
    expect(await q('status=assigned')).toEqual([a.id]);
    expect(await q('status=draft,assigned')).toEqual(sorted(a.id, b.id, c.id));
    expect(await q('deadlineFrom=2023-04-01&deadlineTo=2023-10-01')).toEqual([b.id]);
    expect(await q('overdueAsOf=2023-07-01')).toEqual([a.id]);
    expect(await q(`q=${encodeURIComponent('违停')}`)).toEqual(sorted(a.id, b.id));
    expect(await q(`q=${encodeURIComponent('100%_')}`)).toEqual([]);

    const page = await t
      .http()
      .get(`/api/v1/items?planId=${fx.planId}&sort=deadline&pageSize=2&page=1`)
      .set(bearer(token))
      .expect(200);
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([a.id, b.id]);
    expect(page.body.items[0].overdue).toBe(true);
    const last = await t
      .http()
      .get(`/api/v1/items?planId=${fx.planId}&sort=deadline&pageSize=2&page=2`)
      .set(bearer(token))
      .expect(200);
    expect(last.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    const beyond = await t
      .http()
      .get(`/api/v1/items?planId=${fx.planId}&pageSize=2&page=9`)
      .set(bearer(token))
      .expect(200);
    expect(beyond.body).toMatchObject({ total: 3, items: [] });
    const bad = await t
      .http()
      .get('/api/v1/items?sort=DROP TABLE&pageSize=500')
      .set(bearer(token))
      .expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['pageSize', 'sort']);
  });

  it('search by key task lists only that task’s items (计划总览 loads a task’s items when it is expanded)', async () => {
    const other = (
      await t
        .http()
        .post(`/api/v1/sections/${fx.sectionId}/tasks`)
        .set(bearer(token))
        .send({ title: '另一个重点任务', numbering: '（二）' })
        .expect(201)
    ).body as { id: string };
    const mine = await make({ title: '本任务事项' });
    const theirs = await make({ title: '另一任务事项', taskId: other.id });
    const ids = (taskId: string) =>
      t
        .http()
        .get(`/api/v1/items?taskId=${taskId}&pageSize=200`)
        .set(bearer(token))
        .expect(200)
        .then((r) => (r.body.items as { id: string; taskId: string }[]).map((i) => i.id));
    expect(await ids(other.id)).toEqual([theirs.id]);
    const first = await ids(fx.taskId);
    expect(first).toContain(mine.id);
    expect(first).not.toContain(theirs.id);
    await t.http().get('/api/v1/items?taskId=nope').set(bearer(token)).expect(400);
  });

  it('sort=attention puts red lights first, then overdue items, then yellow (领导视图)', async () => {
    const task = (
      await t
        .http()
        .post(`/api/v1/sections/${fx.sectionId}/tasks`)
        .set(bearer(token))
        .send({ title: '关注排序', numbering: '（三）' })
        .expect(201)
    ).body as { id: string };
    const green = await make({ taskId: task.id, title: '绿灯', deadline: '2023-02-28' });
    const yellow = await make({ taskId: task.id, title: '黄灯', deadline: '2023-08-31' });
    const overdue = await make({ taskId: task.id, title: '逾期', deadline: '2023-06-30' });
    const red = await make({ taskId: task.id, title: '红灯', deadline: '2023-12-31' });
    const light = (id: string, l: string) =>
      t.dataSource.query(
        `INSERT INTO item_status (item_id, organization_id, plan_id, light)
         SELECT id, organization_id, plan_id, $2 FROM items WHERE id = $1`,
        [id, l],
      );
    await light(green.id, 'green');
    await light(yellow.id, 'yellow');
    await light(red.id, 'red');
    // The green one is past its deadline too but was closed: it is not overdue.
    await t.dataSource.query(`UPDATE items SET status = 'closed' WHERE id = $1`, [green.id]);
    const order = await t
      .http()
      .get(`/api/v1/items?taskId=${task.id}&sort=attention`)
      .set(bearer(token))
      .expect(200)
      .then((r) => (r.body.items as { id: string }[]).map((i) => i.id));
    expect(order).toEqual([red.id, overdue.id, yellow.id, green.id]);
  });

  it('by-unit counts a leader’s items per lead unit, red and overdue first (领导视图: the units I oversee)', async () => {
    const plan = await makeDraftPlan(t, token, '分管单位计数');
    const at = (over: Record<string, unknown>) => make({ taskId: plan.taskId, ...over });
    const zhufengRed = await at({ deadline: '2023-12-31' });
    await at({ deadline: '2023-05-31' }); // 竹峰, overdue on 2023-07-01
    const legal = await at({ leadUnitId: idx.units.get('legal'), deadline: '2023-12-31' });
    await at({
      leadUnitId: idx.units.get('dongcheng-squad'),
      responsibleLeaderId: idx.users.get('xxs.wangjianguo'),
    });
    await t.dataSource.query(
      `INSERT INTO item_status (item_id, organization_id, plan_id, light)
       SELECT id, organization_id, plan_id, 'red' FROM items WHERE id = $1`,
      [zhufengRed.id],
    );
    await t.dataSource.query(`UPDATE items SET status = 'closed' WHERE id = $1`, [legal.id]);
    const rows = (
      await t
        .http()
        .get(`/api/v1/items/by-unit?planId=${plan.planId}&leaderId=${idx.users.get('xxs.liming')}`)
        .set(bearer(token))
        .expect(200)
    ).body as { unit: { id: string }; items: number; open: number; red: number; overdue: number }[];
    expect(
      rows.map((r) => ({ unit: r.unit.id, items: r.items, open: r.open, red: r.red, overdue: r.overdue })),
    ).toEqual([
      { unit: idx.units.get('zhufeng-squad'), items: 2, open: 2, red: 1, overdue: 1 },
      { unit: idx.units.get('legal'), items: 1, open: 0, red: 0, overdue: 0 },
    ]);
    // Without a leader: every readable item of the plan, 东城 included.
    const all = (
      await t.http().get(`/api/v1/items/by-unit?planId=${plan.planId}`).set(bearer(token)).expect(200)
    ).body as { items: number }[];
    expect(all.reduce((n, r) => n + r.items, 0)).toBe(4);
    // A member reads only their unit's items: the counts say no more than that.
    const member = await t.login('xxs.zhufeng1');
    const theirs = (
      await t.http().get(`/api/v1/items/by-unit?planId=${plan.planId}`).set(bearer(member)).expect(200)
    ).body as { unit: { id: string } }[];
    expect(theirs.map((r) => r.unit.id)).toEqual([idx.units.get('zhufeng-squad')]);
    await t.http().get('/api/v1/items/by-unit').set(bearer(token)).expect(400);
  });

  it('two concurrent edits of one item: exactly one wins, the other gets 409, and the winner’s change is stored', async () => {
    const item = await make({ title: '并发测试' });
    const results = await Promise.all(
      ['甲的标题', '乙的标题'].map((title) =>
        t.http().patch(`/api/v1/items/${item.id}`).set(bearer(token)).send({ version: item.version, title }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.message).toContain('已被他人修改');
    const stored = (await t.http().get(`/api/v1/items/${item.id}`).set(bearer(token)).expect(200)).body;
    expect(stored.title).toBe(winner.body.title);
    expect(stored.version).toBe(item.version + 1);
  });

  it('status follows the rules: suspension needs a reason, 销号 goes through its request, cancelled is final', async () => {
    let item = await make({ title: '状态测试', ownerId: idx.users.get('xxs.zhufeng1') });
    expect(item.status).toBe('assigned');
    const go = async (status: string, reason?: string, keep = 200) => {
      const res = await t
        .http()
        .post(`/api/v1/items/${item.id}/status`)
        .set(bearer(token))
        .send({ version: item.version, status, reason });
      if (keep === 200 && res.status === 200) item = res.body;
      return res;
    };
    expect((await go('in_progress')).status).toBe(200);
    expect((await go('suspended', undefined, 400)).status).toBe(400);
    expect((await go('suspended', '汛期暂停')).status).toBe(200);
    expect(item.status).toBe('suspended');
    expect((await go('in_progress')).body.status).toBe('in_progress');
    const toAwaiting = await go('awaiting_closeout', undefined, 400);
    expect(toAwaiting.status).toBe(400);
    expect(toAwaiting.body.message).toContain('销号申请');
    expect((await go('cancelled', '重复事项')).status).toBe(200);
    expect((await go('in_progress', undefined, 400)).body.message).toBe('已取消的事项不能再变更状态');
  });

  it('closing a key task with open items asks what to do with them; then does exactly that', async () => {
    const task = (
      await t
        .http()
        .post(`/api/v1/sections/${fx.sectionId}/tasks`)
        .set(bearer(token))
        .send({ title: '待关闭任务' })
        .expect(201)
    ).body;
    const one = await make({ taskId: task.id, title: '未办结一' });
    const two = await make({ taskId: task.id, title: '未办结二' });
    const ask = await t
      .http()
      .post(`/api/v1/tasks/${task.id}/close`)
      .set(bearer(token))
      .send({ status: 'cancelled', reason: '机构调整' })
      .expect(409);
    expect(ask.body.message).toContain('2 个未办结');
    expect(ask.body.fields[0].field).toBe('openItems');
    for (const id of [one.id, two.id])
      expect((await t.http().get(`/api/v1/items/${id}`).set(bearer(token))).body.status).toBe('draft');
    await t
      .http()
      .post(`/api/v1/tasks/${task.id}/close`)
      .set(bearer(token))
      .send({ status: 'cancelled', reason: '机构调整', openItems: 'cancel' })
      .expect(200);
    for (const id of [one.id, two.id]) {
      const item = (await t.http().get(`/api/v1/items/${id}`).set(bearer(token))).body;
      expect(item).toMatchObject({ status: 'cancelled', statusReason: '机构调整' });
    }
  });

  it('bad references and dates are refused on the field, and nothing is written', async () => {
    const before = Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM items`))[0].n);
    const post = (over: Record<string, unknown>) =>
      t
        .http()
        .post('/api/v1/items')
        .set(bearer(token))
        .send({
          taskId: fx.taskId,
          title: '坏数据',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          startDate: '2023-01-01',
          deadline: '2023-12-31',
          cadence: 'monthly',
          ...over,
        });
    expect((await post({ deadline: '2023-02-30' })).body.fields[0].field).toBe('deadline');
    expect((await post({ deadline: '2022-12-31' })).body.fields[0].field).toBe('deadline');
    expect((await post({ responsibleLeaderId: idx.users.get('xxs.zhufeng1') })).body.fields[0].field).toBe(
      'responsibleLeaderId',
    );
    expect((await post({ ownerId: idx.users.get('xxs.dongcheng1') })).body.fields[0].field).toBe('ownerId');
    expect((await post({ coUnitIds: [idx.units.get('zhufeng-squad')] })).body.fields[0].field).toBe(
      'coUnitIds',
    );
    const badTarget = await post({
      targets: [{ metric: '拆违', comparator: '>>', value: 'many', unit: '' }],
    });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'targets.0.comparator',
      'targets.0.unit',
      'targets.0.value',
    ]);
    expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM items`))[0].n)).toBe(before);
    // Updates are validated field by field too (the update DTO inherits the create DTO's rules).
    const item = await make({ title: '校验更新' });
    const res = await t
      .http()
      .patch(`/api/v1/items/${item.id}`)
      .set(bearer(token))
      .send({
        version: item.version,
        deadline: '31/12/2023',
        cadence: 'daily',
        ownerId: idx.users.get('xxs.zhufeng1'),
      })
      .expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'cadence',
      'deadline',
      'ownerId',
    ]);
  });

  it('once the plan is published an item is cancelled, not deleted', async () => {
    const item = await make({ title: '发布后' });
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(token)).expect(200);
    const res = await t
      .http()
      .delete(`/api/v1/items/${item.id}?version=${item.version}`)
      .set(bearer(token))
      .expect(409);
    expect(res.body.message).toContain('只能取消');
    await t
      .http()
      .post(`/api/v1/items/${item.id}/status`)
      .set(bearer(token))
      .send({ version: item.version, status: 'cancelled', reason: '不再需要' })
      .expect(200);
  });

  it('a long list counts up to 1000 rows past the page ("1000+"), pages on in plan order, and counts exactly on request', async () => {
    const big = await makeDraftPlan(t, token, '大量事项计划', 2024);
    const first = await make({ taskId: big.taskId, title: '批量事项' });
    // A second key task placed before the first: plan order lists its items first.
    const [{ id: early }] = (await t.dataSource.query(
      `INSERT INTO plan_tasks (organization_id, plan_id, section_id, numbering, title, sort_order)
       SELECT organization_id, plan_id, section_id, '（零）', '靠前的重点任务', -1 FROM plan_tasks WHERE id = $1
       RETURNING id`,
      [big.taskId],
    )) as { id: string }[];
    const copy = (task: string, n: number, from: number) =>
      t.dataSource.query(
        `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, detail, lead_unit_id,
                            responsible_leader_id, start_date, deadline, cadence, status)
         SELECT organization_id, plan_id, section_id, $2, g, title || g, detail, lead_unit_id,
                responsible_leader_id, start_date, deadline, cadence, status
           FROM items, generate_series($3::int, $3::int + $4::int - 1) g WHERE id = $1`,
        [first.id, task, from, n],
      );
    await copy(big.taskId, 700, 1000);
    await copy(early, 600, 1);
    const all = 1 + 700 + 600;
    const inPlanOrder = (
      (await t.dataSource.query(
        `SELECT i.id FROM items i JOIN plan_tasks t ON t.id = i.task_id JOIN plan_sections s ON s.id = i.section_id
          WHERE i.plan_id = $1 ORDER BY s.sort_order, t.sort_order, i.sort_order, i.id`,
        [big.planId],
      )) as { id: string }[]
    ).map((r) => r.id);
    const get = (query: string) =>
      t
        .http()
        .get(`/api/v1/items?planId=${big.planId}&${query}`)
        .set(bearer(token))
        .expect(200)
        .then(
          (r) => r.body as { total: number; totalCapped: boolean; items: { id: string }[]; page: number },
        );

    const p1 = await get('pageSize=50');
    expect(p1).toMatchObject({ total: 1000, totalCapped: true });
    expect(p1.items.map((i) => i.id)).toEqual(inPlanOrder.slice(0, 50));
    // Past the first thousand the bound moves with the page: the rows there are reachable, in order.
    const p13 = await get('pageSize=100&page=13');
    expect(p13).toMatchObject({ total: all, totalCapped: false });
    expect(p13.items.map((i) => i.id)).toEqual(inPlanOrder.slice(1200, 1300));
    const p12 = await get('pageSize=50&page=12');
    expect(p12.items.map((i) => i.id)).toEqual(inPlanOrder.slice(550, 600));
    expect((await get('pageSize=50&page=12')).items.map((i) => i.id)).toEqual(p12.items.map((i) => i.id));
    // The unit filter walks the same way, by lead unit and by co-unit.
    const byLead = await get(`pageSize=50&unitId=${idx.units.get('zhufeng-squad')}`);
    expect(byLead).toMatchObject({ total: 1000, totalCapped: true });
    expect(byLead.items.map((i) => i.id)).toEqual(inPlanOrder.slice(0, 50));
    await t.dataSource.query(
      `INSERT INTO item_co_units (item_id, unit_id) SELECT id, $2 FROM items WHERE plan_id = $1 AND sort_order % 5 <> 0`,
      [big.planId, idx.units.get('legal')],
    );
    const byCo = await get(`pageSize=50&page=2&unitId=${idx.units.get('legal')}`);
    const even = (
      (await t.dataSource.query(`SELECT id FROM items WHERE plan_id = $1 AND sort_order % 5 <> 0`, [
        big.planId,
      ])) as {
        id: string;
      }[]
    ).map((r) => r.id);
    expect(even.length).toBeGreaterThan(1000);
    expect(byCo.items.map((i) => i.id)).toEqual(inPlanOrder.filter((id) => even.includes(id)).slice(50, 100));
    // Exact on request (the 领导视图's counts); a short list is exact anyway.
    expect(await get('pageSize=1&exactTotal=true')).toMatchObject({ total: all, totalCapped: false });
    const ones = [...Array(700).keys()].map((n) => n + 1000).concat([...Array(600).keys()].map((n) => n + 1));
    expect(await get(`pageSize=10&q=${encodeURIComponent('批量事项1')}`)).toMatchObject({
      total: ones.filter((g) => String(g).startsWith('1')).length,
      totalCapped: false,
    });
    const other = await get('pageSize=50&sort=title');
    expect(other).toMatchObject({ total: 1000, totalCapped: true });
    expect(other.items).toHaveLength(50);
  });

  it('a list page is two statements after the guard’s (count and ids, rows), an item two: the unit path and the day come with the session row', async () => {
    const a = await make({ title: '往返计数' });
    await make({ title: '往返计数二' });
    // Every statement the app's pool sends goes through pg's Client#query (text, or a named statement's config).
    const spy = jest.spyOn(Client.prototype, 'query');
    const statements = () =>
      spy.mock.calls.map(([sql]) =>
        typeof sql === 'string' ? sql : String((sql as { text?: string }).text),
      );
    try {
      const list = await t
        .http()
        .get(`/api/v1/items?planId=${fx.planId}&q=往返计数&pageSize=1`)
        .set(bearer(token))
        .expect(200);
      expect(list.body).toMatchObject({ total: 2, totalCapped: false, page: 1, pageSize: 1 });
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ position: { plan: { id: fx.planId } }, overdue: false });
      const sent = statements();
      expect(sent).toHaveLength(3);
      expect(sent[0]).toContain('duban_now()'); // the guard's session row, with the business clock
      expect(sent[1]).toContain('page_ids'); // the bounded count and the page's ids
      spy.mockClear();

      const item = await t.http().get(`/api/v1/items/${a.id}`).set(bearer(token)).expect(200);
      expect(item.body).toMatchObject({ id: a.id, title: '往返计数', overdue: false });
      expect(statements()).toHaveLength(3);
      spy.mockClear();

      // Past the last page: no rows, the total still told.
      const past = await t
        .http()
        .get(`/api/v1/items?planId=${fx.planId}&q=往返计数&pageSize=1&page=3`)
        .set(bearer(token))
        .expect(200);
      expect(past.body).toMatchObject({ total: 2, items: [] });
      expect(statements()).toHaveLength(2); // no rows to read
    } finally {
      spy.mockRestore();
    }
  });

  it('view=row gives each listed item the fields the list pages render, exactly as the full view has them', async () => {
    const a = await make({
      title: '列表行',
      detail: '一段很长的内容'.repeat(20),
      cadence: 'weekly',
      coUnitIds: [idx.units.get('legal')],
      targets: [{ metric: '整治点位', comparator: '>=', value: 3, unit: '个' }],
    });
    await make({ title: '列表行二', deadline: '2023-03-31' });
    const rowKeys = [
      'id',
      'title',
      'leadUnit',
      'responsibleLeader',
      'owner',
      'deadline',
      'originalDeadline',
      'status',
      'figures',
      'nextReport',
      'position',
      'statusName',
      'overdue',
    ];
    for (const query of [`planId=${fx.planId}`, `planId=${fx.planId}&q=列表行&sort=deadline`]) {
      const full = await t.http().get(`/api/v1/items?${query}`).set(bearer(token)).expect(200);
      const rows = await t.http().get(`/api/v1/items?${query}&view=row`).set(bearer(token)).expect(200);
      const { items: fullItems, ...fullHead } = full.body as { items: Record<string, unknown>[] };
      const { items: rowItems, ...rowHead } = rows.body as { items: Record<string, unknown>[] };
      expect(rowHead).toEqual(fullHead);
      expect(rowItems.map((r) => r.id)).toEqual(fullItems.map((r) => r.id));
      expect(rowItems.length).toBeGreaterThan(1);
      rowItems.forEach((row, i) => {
        expect(Object.keys(row).sort()).toEqual([...rowKeys].sort());
        expect(row).toEqual(Object.fromEntries(rowKeys.map((k) => [k, fullItems[i][k]])));
      });
      expect(JSON.stringify(rows.body).length).toBeLessThan(JSON.stringify(full.body).length);
    }
    const weekly = (
      await t.http().get(`/api/v1/items?planId=${fx.planId}&q=列表行&view=row`).set(bearer(token)).expect(200)
    ).body.items.find((r: { id: string }) => r.id === a.id);
    expect(weekly).toMatchObject({ title: '列表行', overdue: false, statusName: expect.any(String) });
    const bad = await t.http().get('/api/v1/items?view=brief').set(bearer(token)).expect(400);
    expect(bad.body.fields).toEqual([{ field: 'view', message: expect.stringContaining('视图') }]);
  });
});
