import { bearer, createTestApp, TestApp } from '../helpers/app';
import { superuserClient } from '../helpers/db';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';

describe('审计留痕 (audit)', () => {
  let t: TestApp;
  let itemId: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('xxs.dispatch');
    const idx = await indexOrg(t, admin);
    const fx = await makeDraftPlan(t, admin, '审计测试计划');
    const created = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(admin))
      .send({
        taskId: fx.taskId,
        title: '违停整治',
        leadUnitId: idx.units.get('zhufeng-squad'),
        responsibleLeaderId: idx.users.get('xxs.liming'),
        startDate: '2023-01-01',
        deadline: '2023-06-30',
        cadence: 'weekly',
        targets: [{ metric: '拖移违停车辆', comparator: '>=', value: 200, unit: '辆' }],
      })
      .expect(201);
    itemId = created.body.id;
    await t
      .http()
      .put(`/api/v1/items/${itemId}/owner`)
      .set(bearer(admin))
      .send({ version: created.body.version, ownerId: idx.users.get('xxs.zhufeng1') })
      .expect(200);
  });
  afterAll(() => t.close());

  it('an assignment shows its before and after in the item’s history, in Chinese, with actor and time', async () => {
    const history = (await t.http().get(`/api/v1/items/${itemId}/history`).set(bearer(admin)).expect(200))
      .body as {
      action: string;
      actor: string;
      at: string;
      changes: { field: string; fieldName: string; before: string; after: string }[];
      summary: string;
    }[];
    expect(history.map((h) => h.action)).toEqual(['create', 'assign']);
    const assign = history[1];
    expect(assign.actor).toBe('刘洋（xxs.dispatch）');
    expect(assign.changes).toEqual(
      expect.arrayContaining([
        { field: 'ownerId', fieldName: '责任人', before: '（空）', after: '蒋浩' },
        { field: 'status', fieldName: '状态', before: '草稿', after: '已分派' },
      ]),
    );
    expect(assign.summary).toContain('分派责任人');
    expect(assign.summary).toContain('责任人由“（空）”改为“蒋浩”');
    expect(Date.now() - new Date(assign.at).getTime()).toBeLessThan(60_000);
  });

  it('the chain verifies while untouched', async () => {
    const res = await t.http().get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(res.body).toMatchObject({ ok: true, firstBroken: null });
    expect(res.body.checked).toBeGreaterThan(0);
  });

  it('the app’s own database role cannot change or delete an audit row', async () => {
    await expect(
      t.dataSource.query(`UPDATE audit_log SET actor_name = '别人' WHERE entity_id = $1`, [itemId]),
    ).rejects.toThrow();
    await expect(
      t.dataSource.query(`DELETE FROM audit_log WHERE entity_id = $1`, [itemId]),
    ).rejects.toThrow();
    await expect(t.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow();
  });

  it('a superuser who edits a row behind the app’s back is caught by /audit/verify', async () => {
    const db = superuserClient(t.database);
    await db.connect();
    try {
      // Even a superuser meets the trigger; only replication mode slips past it.
      await expect(
        db.query(`UPDATE audit_log SET actor_name = '别人' WHERE entity_id = $1`, [itemId]),
      ).rejects.toThrow(/只能追加/);
      await db.query(`SET session_replication_role = replica`);
      const { rows } = await db.query<{ id: string; chain_seq: string }>(
        `UPDATE audit_log SET after = jsonb_set(after, '{ownerId}', '"00000000-0000-4000-8000-000000000000"')
          WHERE entity_id = $1 AND action = 'assign' RETURNING id::text, chain_seq::text`,
        [itemId],
      );
      expect(rows).toHaveLength(1);
      const res = await t.http().get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.firstBroken).toMatchObject({ id: rows[0].id, seq: Number(rows[0].chain_seq) });
      expect(res.body.message).toContain('断裂');
    } finally {
      await db.end();
    }
  });

  it('another organization’s chain is unaffected and verifies', async () => {
    const other = await t.login('yy.admin');
    const res = await t.http().get('/api/v1/audit/verify').set(bearer(other)).expect(200);
    expect(res.body.ok).toBe(true);
  });
});
