import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bearer, createTestApp, createTestWorker, TestApp, TestWorker } from '../helpers/app';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';
import { waitFor } from '../helpers/services';

interface Item {
  id: string;
  version: number;
  status: string;
  deadline: string;
  originalDeadline: string | null;
  weight: number;
  detail: string;
  tags: string[];
}

/**
 * Issue 13, points 1–4: status changes owned by a workflow go only through it, plan-level fields
 * bind the units once the plan is published, decisions check the item's status (and requests lapse
 * with their item), a key task's move reaches the figures, and plan settings are not lost in a race.
 */
describe('工作流完整性 (workflow integrity)', () => {
  let t: TestApp;
  let dir: string;
  let idx: OrgIndex;
  let dispatch: string;
  let head: string;
  let owner: string;
  let fx: { planId: string; sectionId: string; taskId: string };

  const get = async (id: string) =>
    (await t.http().get(`/api/v1/items/${id}`).set(bearer(dispatch)).expect(200)).body as Item;

  const makeItem = async (taskId = fx.taskId, over: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send({
          taskId,
          title: '门前五包示范路段',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
          startDate: '2023-01-01',
          deadline: '2023-06-30',
          cadence: 'monthly',
          weight: 1,
          targets: [{ metric: '示范路段', comparator: '>=', value: 3, unit: '条' }],
          ...over,
        })
        .expect(201)
    ).body as Item;

  const setStatus = (token: string, item: { id: string; version: number }, status: string, reason?: string) =>
    t
      .http()
      .post(`/api/v1/items/${item.id}/status`)
      .set(bearer(token))
      .send({ version: item.version, status, reason });

  /** The owner reports with a file and asks for 销号: the item awaits the dispatch office. */
  const askCloseout = async (itemId: string): Promise<string> => {
    const report = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-06`)
        .set(bearer(owner))
        .send({ percent: 100, progress: '示范路段建成' })
        .expect(200)
    ).body as { id: string };
    const evidence = (
      await t
        .http()
        .post(`/api/v1/reports/${report.id}/evidence`)
        .set(bearer(owner))
        .attach('file', Buffer.from('%PDF-1.7\n验收记录'), { filename: '验收记录.pdf' })
        .expect(201)
    ).body.evidence[0].id as string;
    const closeout = await t
      .http()
      .post(`/api/v1/items/${itemId}/closeouts`)
      .set(bearer(owner))
      .send({ note: '已完成', evidenceIds: [evidence] })
      .expect(201);
    return closeout.body.id as string;
  };

  const actions = async (itemId: string) =>
    (
      (await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [
        itemId,
      ])) as {
        action: string;
      }[]
    ).map((r) => r.action);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-workflow-'));
    t = await createTestApp({ DUBAN_NOW: '2023-06-15T10:00:00+08:00', EVIDENCE_DIR: dir });
    [dispatch, head, owner] = await Promise.all(
      ['xxs.dispatch', 'xxs.zhufeng', 'xxs.zhufeng1'].map((u) => t.login(u)),
    );
    idx = await indexOrg(t, dispatch);
    fx = await makeDraftPlan(t, dispatch, '工作流完整性测试计划');
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(dispatch)).expect(200);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('1. status changes owned by a workflow go only through it', () => {
    it('a head puts an item to work but cannot close it or reopen it through the status change', async () => {
      let item = await makeItem();
      const started = await setStatus(head, item, 'in_progress').expect(200);
      item = started.body;
      expect(item.status).toBe('in_progress');

      const toAwaiting = await setStatus(head, item, 'awaiting_closeout').expect(400);
      expect(toAwaiting.body.fields[0]).toMatchObject({ field: 'status' });
      expect(toAwaiting.body.message).toContain('销号申请');

      const closeoutId = await askCloseout(item.id);
      item = await get(item.id);
      expect(item.status).toBe('awaiting_closeout');
      // Neither the head nor the dispatch office closes it by a plain status change.
      for (const token of [head, dispatch]) {
        const res = await setStatus(token, item, 'closed').expect(400);
        expect(res.body.message).toBe('事项销号须由督查室审核销号申请');
        await setStatus(token, item, 'in_progress').expect(400);
      }
      expect(await get(item.id)).toMatchObject({ status: 'awaiting_closeout', version: item.version });

      await t
        .http()
        .post(`/api/v1/closeouts/${closeoutId}/approve`)
        .set(bearer(dispatch))
        .send({})
        .expect(200);
      item = await get(item.id);
      expect(item.status).toBe('closed');
      for (const token of [head, dispatch]) {
        const res = await setStatus(token, item, 'in_progress').expect(400);
        expect(res.body.message).toContain('回头看');
      }
      expect((await get(item.id)).status).toBe('closed');
      await t
        .http()
        .post(`/api/v1/items/${item.id}/reopen`)
        .set(bearer(dispatch))
        .send({ reason: '回头看发现反弹' })
        .expect(204);
      expect((await get(item.id)).status).toBe('in_progress');
    });

    it('suspending, resuming and cancelling are the dispatch office’s, with a reason', async () => {
      let item = await makeItem();
      for (const status of ['suspended', 'cancelled']) {
        const res = await setStatus(head, item, status, '人手不足').expect(403);
        expect(res.body.message).toBe('暂停、恢复和取消事项由督查室决定');
      }
      expect((await get(item.id)).status).toBe('assigned');
      item = (await setStatus(dispatch, item, 'suspended', '汛期暂停').expect(200)).body;
      await setStatus(head, item, 'in_progress').expect(403);
      item = (await setStatus(dispatch, item, 'in_progress').expect(200)).body;
      expect(item.status).toBe('assigned'); // back to where it was suspended from
    });
  });

  describe('2. plan-level fields: the office changes them, the unit asks for an extension', () => {
    it('a head gets 403 naming the fields (and 延期申请 for the deadline); nothing changes', async () => {
      const item = await makeItem();
      const res = await t
        .http()
        .patch(`/api/v1/items/${item.id}`)
        .set(bearer(head))
        .send({
          version: item.version,
          deadline: '2023-09-30',
          weight: 5,
          targets: [{ metric: '示范路段', comparator: '>=', value: 1, unit: '条' }],
        })
        .expect(403);
      expect(res.body.message).toContain('完成时限、权重、量化指标');
      expect(res.body.message).toContain('延期申请');
      expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual([
        'deadline',
        'weight',
        'targets',
      ]);
      const after = await get(item.id);
      expect(after).toMatchObject({
        version: item.version,
        deadline: '2023-06-30',
        weight: 1,
        originalDeadline: null,
      });
      expect(await actions(item.id)).toEqual(['create']);

      // What is the unit's own stays the head's, and values sent back unchanged are no change.
      const own = await t
        .http()
        .patch(`/api/v1/items/${item.id}`)
        .set(bearer(head))
        .send({
          version: item.version,
          detail: '分三段实施',
          tags: ['示范'],
          deadline: '2023-06-30',
          weight: 1,
        })
        .expect(200);
      expect(own.body).toMatchObject({ detail: '分三段实施', tags: ['示范'], deadline: '2023-06-30' });
    });

    it('the dispatch office moves a deadline: audited, and the first deadline stays on record', async () => {
      let item = await makeItem();
      item = (
        await t
          .http()
          .patch(`/api/v1/items/${item.id}`)
          .set(bearer(dispatch))
          .send({ version: item.version, deadline: '2023-08-31' })
          .expect(200)
      ).body;
      expect(item).toMatchObject({ deadline: '2023-08-31', originalDeadline: '2023-06-30' });
      item = (
        await t
          .http()
          .patch(`/api/v1/items/${item.id}`)
          .set(bearer(dispatch))
          .send({ version: item.version, deadline: '2023-10-31' })
          .expect(200)
      ).body;
      expect(item).toMatchObject({ deadline: '2023-10-31', originalDeadline: '2023-06-30' });
      const [audit] = await t.dataSource.query(
        `SELECT actor_name, before, after FROM audit_log WHERE entity_id = $1 AND action = 'update' ORDER BY id LIMIT 1`,
        [item.id],
      );
      expect(audit.actor_name).toContain('xxs.dispatch');
      expect(audit.before).toEqual({ deadline: '2023-06-30', originalDeadline: null });
      expect(audit.after).toEqual({ deadline: '2023-08-31', originalDeadline: '2023-06-30' });
    });

    it('while the plan is a draft the head still shapes the breakdown, and no original is kept', async () => {
      const draft = await makeDraftPlan(t, dispatch, '草稿计划');
      const item = await makeItem(draft.taskId);
      const res = await t
        .http()
        .patch(`/api/v1/items/${item.id}`)
        .set(bearer(head))
        .send({ version: item.version, deadline: '2023-09-30', weight: 2 })
        .expect(200);
      expect(res.body).toMatchObject({ deadline: '2023-09-30', weight: 2, originalDeadline: null });
    });
  });

  describe('3. decisions check the item; pending requests lapse with it', () => {
    it('a suspended item cannot be closed: its close-out request was withdrawn, and it resumes in progress', async () => {
      const item = await makeItem();
      const closeoutId = await askCloseout(item.id);
      const awaiting = await get(item.id);
      const suspended = (await setStatus(dispatch, awaiting, 'suspended', '上级调整').expect(200))
        .body as Item;
      const [request] = (
        await t.http().get(`/api/v1/items/${item.id}/closeouts`).set(bearer(dispatch)).expect(200)
      ).body;
      expect(request).toMatchObject({ status: 'withdrawn', statusName: '已撤销' });
      await t
        .http()
        .post(`/api/v1/closeouts/${closeoutId}/approve`)
        .set(bearer(dispatch))
        .send({})
        .expect(409);
      expect((await get(item.id)).status).toBe('suspended');
      expect(await actions(item.id)).toContain('closeout-withdraw');

      const resumed = (await setStatus(dispatch, suspended, 'in_progress').expect(200)).body as Item;
      expect(resumed.status).toBe('in_progress');
    });

    it('a close-out decision needs the item awaiting close-out; an extension decision needs it open', async () => {
      // Requests left pending on a stopped item (rows from before requests lapsed) are refused too.
      const item = await makeItem();
      const closeoutId = await askCloseout(item.id);
      const extension = (
        await t
          .http()
          .post(`/api/v1/items/${item.id}/extensions`)
          .set(bearer(owner))
          .send({ requestedDeadline: '2023-09-30', reason: '汛期影响施工' })
          .expect(201)
      ).body as { id: string };
      await t.dataSource.query(
        `UPDATE items SET status = 'cancelled', status_reason = '并入其他事项' WHERE id = $1`,
        [item.id],
      );
      const closing = await t
        .http()
        .post(`/api/v1/closeouts/${closeoutId}/approve`)
        .set(bearer(dispatch))
        .send({})
        .expect(409);
      expect(closing.body.message).toBe('事项当前为“已取消”，不能审核销号申请');
      const extending = await t
        .http()
        .post(`/api/v1/extensions/${extension.id}/approve`)
        .set(bearer(dispatch))
        .send({})
        .expect(409);
      expect(extending.body.message).toBe('事项当前为“已取消”，不能审批延期申请');
      expect(await get(item.id)).toMatchObject({
        status: 'cancelled',
        deadline: '2023-06-30',
        closedAt: null,
      });
    });

    it('cancelling an item withdraws its pending extension (audited); it can no longer be approved', async () => {
      const item = await makeItem();
      const extension = (
        await t
          .http()
          .post(`/api/v1/items/${item.id}/extensions`)
          .set(bearer(owner))
          .send({ requestedDeadline: '2023-09-30', reason: '汛期影响施工' })
          .expect(201)
      ).body as { id: string };
      await setStatus(dispatch, await get(item.id), 'cancelled', '并入其他事项').expect(200);
      const [listed] = (
        await t.http().get(`/api/v1/items/${item.id}/extensions`).set(bearer(dispatch)).expect(200)
      ).body;
      expect(listed).toMatchObject({ status: 'withdrawn', decisionComment: '事项已取消：并入其他事项' });
      await t
        .http()
        .post(`/api/v1/extensions/${extension.id}/approve`)
        .set(bearer(dispatch))
        .send({})
        .expect(409);
      expect((await get(item.id)).deadline).toBe('2023-06-30');
      const history = (
        await t.http().get(`/api/v1/items/${item.id}/history`).set(bearer(dispatch)).expect(200)
      ).body as { action: string; actionName: string }[];
      expect(history.map((h) => h.action)).toEqual([
        'create',
        'extension-request',
        'status',
        'extension-withdraw',
      ]);
    });
  });

  describe('4. structure moves reach the figures; settings edits are not lost', () => {
    let worker: TestWorker;
    beforeAll(async () => {
      worker = await createTestWorker(t);
    });
    afterAll(() => worker.close());

    it('moving a key task to another section moves its items’ figures from the old section to the new', async () => {
      const plan = await makeDraftPlan(t, dispatch, '结构调整测试计划');
      const other = (
        await t
          .http()
          .post(`/api/v1/plans/${plan.planId}/sections`)
          .set(bearer(dispatch))
          .send({ title: '第二部分', numbering: '二、' })
          .expect(201)
      ).body as { id: string };
      await makeItem(plan.taskId, { deadline: '2023-12-31' });
      await t.http().post(`/api/v1/plans/${plan.planId}/publish`).set(bearer(dispatch)).expect(200);
      type Tree = {
        sections: { id: string; figures: { green: number; red: number; yellow: number } | null }[];
      };
      const section = async (id: string) => {
        const tree = (
          await t.http().get(`/api/v1/plans/${plan.planId}/tree`).set(bearer(dispatch)).expect(200)
        ).body as Tree;
        return tree.sections.find((s) => s.id === id)!.figures;
      };
      await waitFor('first roll-up', async () => (await section(plan.sectionId)) !== null, 10000, 50);
      expect(await section(other.id)).toBeNull();

      await t
        .http()
        .patch(`/api/v1/tasks/${plan.taskId}`)
        .set(bearer(dispatch))
        .send({ sectionId: other.id })
        .expect(200);
      await waitFor(
        'figures follow the move',
        async () => (await section(plan.sectionId)) === null && (await section(other.id)) !== null,
        10000,
        50,
      );
      const moved = await section(other.id);
      expect(moved!.green + moved!.yellow + moved!.red).toBe(1);
    });

    it('two settings edits from the same version: one 200, one 409, and no field is lost', async () => {
      const read = async () =>
        (await t.http().get(`/api/v1/plans/${fx.planId}/settings`).set(bearer(dispatch)).expect(200))
          .body as {
          version: number;
          lagPoints: number;
          nearDeadlineWorkdays: number;
        };
      const first = await read();
      expect(first.version).toBeGreaterThanOrEqual(1);
      const edits = [{ lagPoints: 15 }, { nearDeadlineWorkdays: 5 }];
      const results = await Promise.all(
        edits.map((edit) =>
          t
            .http()
            .patch(`/api/v1/plans/${fx.planId}/settings`)
            .set(bearer(dispatch))
            .send({ version: first.version, ...edit }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body.message).toBe('该计划已被他人修改，请刷新后重试');
      expect(loser.body.fields[0].field).toBe('version');
      const winner = results.findIndex((r) => r.status === 200);
      const stored = await read();
      expect(stored.version).toBe(first.version + 1);
      expect(stored).toMatchObject(edits[winner]);

      // The loser re-reads and applies its edit on top: both fields hold.
      await t
        .http()
        .patch(`/api/v1/plans/${fx.planId}/settings`)
        .set(bearer(dispatch))
        .send({ version: stored.version, ...edits[1 - winner] })
        .expect(200);
      expect(await read()).toMatchObject({ lagPoints: 15, nearDeadlineWorkdays: 5 });

      const missing = await t
        .http()
        .patch(`/api/v1/plans/${fx.planId}/settings`)
        .set(bearer(dispatch))
        .send({ lagPoints: 10 })
        .expect(400);
      expect(missing.body.fields[0].field).toBe('version');
    });
  });
});
