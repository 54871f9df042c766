import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';

/**
 * The permission matrix of issue 3: role × endpoint × own unit / other unit / other organization.
 * Fixture (xx市): item A led by 竹峰综合执法中队 (under 综合执法大队), co-unit 法制科, leader 李明,
 * owner 蒋浩; item B led by 环卫科, leader 赵刚, no owner.
 */
describe('权限矩阵 (permission matrix)', () => {
  let t: TestApp;
  let idx: OrgIndex;
  const tokens = new Map<string, string>();
  let fx: { planId: string; sectionId: string; taskId: string };
  let itemA: string;
  let itemB: string;

  const USERS = [
    'xxs.admin', // admin
    'xxs.dispatch', // dispatcher
    'xxs.viewer', // viewer
    'xxs.brigade', // head, lead unit's parent
    'xxs.zhufeng', // head of the lead unit
    'xxs.legal', // head of item A's co-unit
    'xxs.sanitation', // head of another unit (item B's lead)
    'xxs.zhufeng1', // member, owner of item A
    'xxs.dongcheng1', // member of another unit
    'xxs.liming', // leader answering for item A
    'xxs.zhaogang', // leader answering for item B
    'yy.admin', // another organization's admin
    'yy.police1', // another organization's member
  ] as const;
  type Who = (typeof USERS)[number];
  const tk = (who: Who) => tokens.get(who)!;

  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  let sheetFile: Buffer | undefined;
  /** A valid breakdown sheet (the fixture plan's own export), so refusals are about who asks, not the file. */
  const sheet = async (): Promise<Buffer> => {
    if (!sheetFile) {
      const res = await t
        .http()
        .get(`/api/v1/plans/${fx.planId}/breakdown.xlsx`)
        .set(bearer(tk('xxs.admin')))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      sheetFile = res.body as Buffer;
    }
    return sheetFile;
  };
  const version = async (id: string) =>
    (
      (
        await t
          .http()
          .get(`/api/v1/items/${id}`)
          .set(bearer(tk('xxs.admin')))
          .expect(200)
      ).body as { version: number }
    ).version;

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of USERS) tokens.set(u, await t.login(u));
    idx = await indexOrg(t, tk('xxs.admin'));
    fx = await makeDraftPlan(t, tk('xxs.admin'), '权限测试计划');
    const base = { taskId: fx.taskId, startDate: '2023-01-01', deadline: '2023-12-31', cadence: 'monthly' };
    itemA = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(tk('xxs.admin')))
        .send({
          ...base,
          title: '竹峰示范路段整治',
          leadUnitId: idx.units.get('zhufeng-squad'),
          coUnitIds: [idx.units.get('legal')],
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
        })
        .expect(201)
    ).body.id;
    itemB = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(tk('xxs.admin')))
        .send({
          ...base,
          title: '环卫考核方案',
          leadUnitId: idx.units.get('sanitation'),
          responsibleLeaderId: idx.users.get('xxs.zhaogang'),
        })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  // Expected status of reading and of changing item A, per caller.
  const A: Record<Who, { read: number; write: number }> = {
    'xxs.admin': { read: 200, write: 200 },
    'xxs.dispatch': { read: 200, write: 200 },
    'xxs.viewer': { read: 200, write: 403 },
    'xxs.brigade': { read: 200, write: 200 },
    'xxs.zhufeng': { read: 200, write: 200 },
    'xxs.legal': { read: 200, write: 403 },
    'xxs.sanitation': { read: 403, write: 403 },
    'xxs.zhufeng1': { read: 200, write: 403 },
    'xxs.dongcheng1': { read: 403, write: 403 },
    'xxs.liming': { read: 200, write: 403 },
    'xxs.zhaogang': { read: 403, write: 403 },
    'yy.admin': { read: 404, write: 404 },
    'yy.police1': { read: 404, write: 404 },
  };

  describe.each(USERS.map((u) => [u]))('%s on item A', (who) => {
    it(`GET /items/:id → ${A[who].read}`, async () => {
      await t
        .http()
        .get(`/api/v1/items/${itemA}`)
        .set(bearer(tk(who)))
        .expect(A[who].read);
    });
    it(`GET /items/:id/history → ${A[who].read}`, async () => {
      await t
        .http()
        .get(`/api/v1/items/${itemA}/history`)
        .set(bearer(tk(who)))
        .expect(A[who].read);
    });
    it(`PATCH /items/:id → ${A[who].write}`, async () => {
      const v = await version(itemA);
      await t
        .http()
        .patch(`/api/v1/items/${itemA}`)
        .set(bearer(tk(who)))
        .send({ version: v, tags: [who] })
        .expect(A[who].write);
    });
    it(`PUT /items/:id/owner → ${A[who].write}`, async () => {
      const v = await version(itemA);
      await t
        .http()
        .put(`/api/v1/items/${itemA}/owner`)
        .set(bearer(tk(who)))
        .send({ version: v, ownerId: idx.users.get('xxs.zhufeng1') })
        .expect(A[who].write);
    });
    it(`POST /items/:id/status → ${A[who].write}`, async () => {
      // Putting the item to work is the move everyone who manages it may make (销号 has its own
      // workflow; suspending and cancelling are the office's): start from 已分派 each time.
      await t.dataSource.query(`UPDATE items SET status = 'assigned', version = version + 1 WHERE id = $1`, [
        itemA,
      ]);
      const v = await version(itemA);
      await t
        .http()
        .post(`/api/v1/items/${itemA}/status`)
        .set(bearer(tk(who)))
        .send({ version: v, status: 'in_progress' })
        .expect(A[who].write);
    });
    it(`DELETE /items/:id → ${A[who].write === 200 ? 'allowed (tested once below)' : A[who].write}`, async () => {
      if (A[who].write === 200) return; // deleting is checked once, below, so the item stays for the others
      const v = await version(itemA);
      await t
        .http()
        .delete(`/api/v1/items/${itemA}?version=${v}`)
        .set(bearer(tk(who)))
        .expect(A[who].write);
    });
    it('GET /items lists exactly the fixture items the caller may read', async () => {
      const res = await t
        .http()
        .get(`/api/v1/items?planId=${fx.planId}`)
        .set(bearer(tk(who)));
      if (who.startsWith('yy.')) {
        expect(res.body.total).toBe(0);
        return;
      }
      const ids = (res.body.items as { id: string }[]).map((i) => i.id).sort();
      const expected = [...(A[who].read === 200 ? [itemA] : []), ...(readsB.has(who) ? [itemB] : [])].sort();
      expect(ids).toEqual(expected);
      expect(res.body.total).toBe(expected.length);
    });
  });
  const readsB = new Set<Who>(['xxs.admin', 'xxs.dispatch', 'xxs.viewer', 'xxs.sanitation', 'xxs.zhaogang']);

  it('creating an item: a head only inside their subtree; members, leaders and viewers never', async () => {
    const body = (lead: string) => ({
      taskId: fx.taskId,
      title: '新事项',
      leadUnitId: idx.units.get(lead),
      responsibleLeaderId: idx.users.get('xxs.liming'),
      startDate: '2023-01-01',
      deadline: '2023-06-30',
      cadence: 'once',
    });
    await t
      .http()
      .post('/api/v1/items')
      .set(bearer(tk('xxs.brigade')))
      .send(body('zhufeng-squad'))
      .expect(201);
    await t
      .http()
      .post('/api/v1/items')
      .set(bearer(tk('xxs.brigade')))
      .send(body('sanitation'))
      .expect(403);
    for (const who of ['xxs.zhufeng1', 'xxs.liming', 'xxs.viewer'] as const) {
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(tk(who)))
        .send(body('zhufeng-squad'))
        .expect(403);
    }
    // Another organization's key task does not exist for them: refused on the field, nothing learnt.
    const res = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(tk('yy.admin')))
      .send(body('zhufeng-squad'))
      .expect(400);
    expect(res.body.fields[0]).toMatchObject({ field: 'taskId', message: '重点任务不存在' });
  });

  it('a head assigns owners only among their own subtree, and only people of the lead unit', async () => {
    const v = await version(itemA);
    const res = await t
      .http()
      .put(`/api/v1/items/${itemA}/owner`)
      .set(bearer(tk('xxs.zhufeng')))
      .send({ version: v, ownerId: idx.users.get('xxs.dongcheng1') })
      .expect(400);
    expect(res.body.fields[0].field).toBe('ownerId');
  });

  it('a head cannot hand an item to a unit outside their subtree', async () => {
    const v = await version(itemA);
    await t
      .http()
      .patch(`/api/v1/items/${itemA}`)
      .set(bearer(tk('xxs.zhufeng')))
      .send({ version: v, leadUnitId: idx.units.get('sanitation') })
      .expect(403);
  });

  it('the lead unit’s head may delete an item of a draft plan; afterwards it is gone', async () => {
    const created = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(tk('xxs.zhufeng')))
      .send({
        taskId: fx.taskId,
        title: '待删除事项',
        leadUnitId: idx.units.get('zhufeng-squad'),
        responsibleLeaderId: idx.users.get('xxs.liming'),
        startDate: '2023-01-01',
        deadline: '2023-03-31',
        cadence: 'once',
      })
      .expect(201);
    await t
      .http()
      .delete(`/api/v1/items/${created.body.id}?version=1`)
      .set(bearer(tk('xxs.zhufeng')))
      .expect(204);
    await t
      .http()
      .get(`/api/v1/items/${created.body.id}`)
      .set(bearer(tk('xxs.admin')))
      .expect(404);
  });

  describe('plan, section and key-task endpoints: admin and dispatcher manage; everyone in the organization reads', () => {
    const managers: Who[] = ['xxs.admin', 'xxs.dispatch'];
    const others: Who[] = ['xxs.viewer', 'xxs.brigade', 'xxs.zhufeng1', 'xxs.liming'];

    it.each([...managers, ...others].map((w) => [w]))(
      '%s reads the plan list, the plan and its tree',
      async (who) => {
        await t
          .http()
          .get('/api/v1/plans')
          .set(bearer(tk(who)))
          .expect(200);
        await t
          .http()
          .get(`/api/v1/plans/${fx.planId}`)
          .set(bearer(tk(who)))
          .expect(200);
        await t
          .http()
          .get(`/api/v1/plans/${fx.planId}/tree`)
          .set(bearer(tk(who)))
          .expect(200);
        await t
          .http()
          .get(`/api/v1/plans/${fx.planId}/breakdown.xlsx`)
          .set(bearer(tk(who)))
          .expect(200);
      },
    );

    it.each(others.map((w) => [w]))('%s may change none of them (403)', async (who) => {
      const h = bearer(tk(who));
      await t.http().post('/api/v1/plans').set(h).send({ year: 2024, title: '越权计划' }).expect(403);
      await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(h).expect(403);
      await t.http().post(`/api/v1/plans/${fx.planId}/archive`).set(h).expect(403);
      await t.http().post(`/api/v1/plans/${fx.planId}/copy`).set(h).send({ year: 2024 }).expect(403);
      await t.http().post(`/api/v1/plans/${fx.planId}/sections`).set(h).send({ title: 'x' }).expect(403);
      await t.http().patch(`/api/v1/sections/${fx.sectionId}`).set(h).send({ title: 'x' }).expect(403);
      await t.http().delete(`/api/v1/sections/${fx.sectionId}`).set(h).expect(403);
      await t.http().post(`/api/v1/sections/${fx.sectionId}/tasks`).set(h).send({ title: 'x' }).expect(403);
      await t.http().patch(`/api/v1/tasks/${fx.taskId}`).set(h).send({ title: 'x' }).expect(403);
      await t.http().delete(`/api/v1/tasks/${fx.taskId}`).set(h).expect(403);
      await t
        .http()
        .post(`/api/v1/tasks/${fx.taskId}/close`)
        .set(h)
        .send({ status: 'closed', openItems: 'close' })
        .expect(403);
      await t.http().get('/api/v1/audit/verify').set(h).expect(403);
      await t
        .http()
        .post('/api/v1/plans/import')
        .set(h)
        .field('year', '2025')
        .attach('file', await sheet(), { filename: 'plan.xlsx', contentType: XLSX })
        .expect(403);
    });

    it.each(['yy.admin', 'yy.police1'].map((w) => [w]))(
      '%s (another organization) gets 404 for every one of them',
      async (who) => {
        const h = bearer(tk(who as Who));
        await t.http().get(`/api/v1/plans/${fx.planId}`).set(h).expect(404);
        await t.http().get(`/api/v1/plans/${fx.planId}/tree`).set(h).expect(404);
        await t.http().get(`/api/v1/plans/${fx.planId}/breakdown.xlsx`).set(h).expect(404);
        const plans = (await t.http().get('/api/v1/plans').set(h).expect(200)).body as { id: string }[];
        expect(plans.map((p) => p.id)).not.toContain(fx.planId);
        if (who === 'yy.admin') {
          await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(h).expect(404);
          await t.http().post(`/api/v1/plans/${fx.planId}/archive`).set(h).expect(404);
          await t.http().post(`/api/v1/plans/${fx.planId}/copy`).set(h).send({ year: 2024 }).expect(404);
          await t.http().post(`/api/v1/plans/${fx.planId}/sections`).set(h).send({ title: 'x' }).expect(404);
          await t.http().patch(`/api/v1/sections/${fx.sectionId}`).set(h).send({ title: 'x' }).expect(404);
          await t.http().delete(`/api/v1/sections/${fx.sectionId}`).set(h).expect(404);
          await t
            .http()
            .post(`/api/v1/sections/${fx.sectionId}/tasks`)
            .set(h)
            .send({ title: 'x' })
            .expect(404);
          await t.http().patch(`/api/v1/tasks/${fx.taskId}`).set(h).send({ title: 'x' }).expect(404);
          await t.http().delete(`/api/v1/tasks/${fx.taskId}`).set(h).expect(404);
          await t
            .http()
            .post(`/api/v1/tasks/${fx.taskId}/close`)
            .set(h)
            .send({ status: 'closed', openItems: 'close' })
            .expect(404);
          await t
            .http()
            .post('/api/v1/plans/import')
            .set(h)
            .field('planId', fx.planId)
            .attach('file', await sheet(), { filename: 'plan.xlsx', contentType: XLSX })
            .expect(404);
        }
      },
    );

    it('the dispatcher manages structure: sections and tasks created, renamed, and the plan copied', async () => {
      const h = bearer(tk('xxs.dispatch'));
      const s = (
        await t
          .http()
          .post(`/api/v1/plans/${fx.planId}/sections`)
          .set(h)
          .send({ title: '第二部分', numbering: '二、' })
          .expect(201)
      ).body;
      const k = (
        await t.http().post(`/api/v1/sections/${s.id}/tasks`).set(h).send({ title: '新任务' }).expect(201)
      ).body;
      await t
        .http()
        .patch(`/api/v1/tasks/${k.id}`)
        .set(h)
        .send({ title: '新任务（改）', sectionId: fx.sectionId })
        .expect(200);
      await t.http().delete(`/api/v1/sections/${s.id}`).set(h).expect(204);
      const copy = (
        await t.http().post(`/api/v1/plans/${fx.planId}/copy`).set(h).send({ year: 2024 }).expect(201)
      ).body;
      const tree = (await t.http().get(`/api/v1/plans/${copy.id}/tree`).set(h).expect(200)).body;
      expect(tree.plan).toMatchObject({ year: 2024, status: 'draft' });
      expect(tree.itemsCount).toBeGreaterThanOrEqual(2);
    });
  });
});
