import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';

describe('延期与销号 (extensions and close-out)', () => {
  let t: TestApp;
  let dir: string;
  let dispatch: string;
  let owner: string;
  let leader: string;
  let otherLeader: string;
  let itemId: string;

  const item = async () =>
    (await t.http().get(`/api/v1/items/${itemId}`).set(bearer(dispatch)).expect(200)).body;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-evidence-'));
    t = await createTestApp({ EVIDENCE_DIR: dir });
    [dispatch, owner, leader, otherLeader] = await Promise.all(
      ['xxs.dispatch', 'xxs.zhufeng1', 'xxs.liming', 'xxs.zhaogang'].map((u) => t.login(u)),
    );
    const idx = await indexOrg(t, dispatch);
    const fx = await makeDraftPlan(t, dispatch, '延期销号测试计划');
    itemId = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send({
          taskId: fx.taskId,
          title: '门前五包示范路段',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
          startDate: '2023-01-01',
          deadline: '2023-06-30',
          cadence: 'monthly',
        })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an extension asked and approved: the new deadline applies and the original stays on record', async () => {
    const asked = await t
      .http()
      .post(`/api/v1/items/${itemId}/extensions`)
      .set(bearer(owner))
      .send({ requestedDeadline: '2023-09-30', reason: '汛期影响施工' })
      .expect(201);
    expect(asked.body).toMatchObject({
      status: 'pending',
      originalDeadline: '2023-06-30',
      requestedDeadline: '2023-09-30',
    });
    await t
      .http()
      .post(`/api/v1/items/${itemId}/extensions`)
      .set(bearer(owner))
      .send({ requestedDeadline: '2023-10-31', reason: '再申请' })
      .expect(409);
    // Another leader does not decide on this line's items.
    await t
      .http()
      .post(`/api/v1/extensions/${asked.body.id}/approve`)
      .set(bearer(otherLeader))
      .send({})
      .expect(403);
    const approved = await t
      .http()
      .post(`/api/v1/extensions/${asked.body.id}/approve`)
      .set(bearer(leader))
      .send({ comment: '同意' })
      .expect(200);
    expect(approved.body.status).toBe('approved');
    expect(await item()).toMatchObject({ deadline: '2023-09-30', originalDeadline: '2023-06-30' });

    // A second extension keeps the very first deadline as the original.
    const again = await t
      .http()
      .post(`/api/v1/items/${itemId}/extensions`)
      .set(bearer(owner))
      .send({ requestedDeadline: '2023-10-31', reason: '材料未到' })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/extensions/${again.body.id}/refuse`)
      .set(bearer(dispatch))
      .send({})
      .expect(400);
    await t
      .http()
      .post(`/api/v1/extensions/${again.body.id}/refuse`)
      .set(bearer(dispatch))
      .send({ comment: '不予延期' })
      .expect(200);
    expect(await item()).toMatchObject({ deadline: '2023-09-30', originalDeadline: '2023-06-30' });
  });

  it('close-out requested, rejected, requested again, approved; then reopened by the dispatch office', async () => {
    const report = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-06`)
        .set(bearer(owner))
        .send({ percent: 100, progress: '示范路段建成' })
        .expect(200)
    ).body;
    const withFile = await t
      .http()
      .post(`/api/v1/reports/${report.id}/evidence`)
      .set(bearer(owner))
      .attach('file', Buffer.from('%PDF-1.7\n验收记录'), { filename: '验收记录.pdf' })
      .expect(201);
    const evidenceId = withFile.body.evidence[0].id as string;

    await t
      .http()
      .post(`/api/v1/items/${itemId}/closeouts`)
      .set(bearer(owner))
      .send({ note: '已完成', evidenceIds: [] })
      .expect(400);
    const first = await t
      .http()
      .post(`/api/v1/items/${itemId}/closeouts`)
      .set(bearer(owner))
      .send({ note: '示范路段已建成', evidenceIds: [evidenceId] })
      .expect(201);
    expect((await item()).status).toBe('awaiting_closeout');
    await t
      .http()
      .post(`/api/v1/closeouts/${first.body.id}/approve`)
      .set(bearer(leader))
      .send({})
      .expect(403);
    await t
      .http()
      .post(`/api/v1/closeouts/${first.body.id}/reject`)
      .set(bearer(dispatch))
      .send({ comment: '缺少群众满意度材料' })
      .expect(200);
    expect(await item()).toMatchObject({ status: 'in_progress', statusReason: '缺少群众满意度材料' });

    const second = await t
      .http()
      .post(`/api/v1/items/${itemId}/closeouts`)
      .set(bearer(owner))
      .send({ note: '已补充满意度调查', evidenceIds: [evidenceId] })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/closeouts/${second.body.id}/approve`)
      .set(bearer(dispatch))
      .send({})
      .expect(200);
    const closed = await item();
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).toBeTruthy();
    await t
      .http()
      .post(`/api/v1/closeouts/${second.body.id}/approve`)
      .set(bearer(dispatch))
      .send({})
      .expect(409);

    await t
      .http()
      .post(`/api/v1/items/${itemId}/reopen`)
      .set(bearer(owner))
      .send({ reason: '回头看' })
      .expect(403);
    await t
      .http()
      .post(`/api/v1/items/${itemId}/reopen`)
      .set(bearer(dispatch))
      .send({ reason: '回头看发现反弹' })
      .expect(204);
    expect(await item()).toMatchObject({ status: 'in_progress', closedAt: null });

    const history = (await t.http().get(`/api/v1/items/${itemId}/history`).set(bearer(dispatch)).expect(200))
      .body as { action: string; summary: string }[];
    expect(history.map((h) => h.action)).toEqual([
      'create',
      'extension-request',
      'extension-approve',
      'extension-request',
      'extension-refuse',
      'report-create',
      'evidence',
      'closeout-request',
      'closeout-reject',
      'closeout-request',
      'closeout-approve',
      'reopen',
    ]);
    expect(history[2].summary).toContain('完成时限由“2023-06-30”改为“2023-09-30”');
  });
});
