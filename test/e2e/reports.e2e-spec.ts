import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('现场整治照片与台账'.repeat(50))]);

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

describe('进度填报 (progress reports)', () => {
  let t: TestApp;
  let dir: string;
  let idx: OrgIndex;
  let admin: string;
  let member: string;
  let head: string;
  let coMember: string;
  let itemId: string;
  let targetId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-evidence-'));
    t = await createTestApp({
      EVIDENCE_DIR: dir,
      EVIDENCE_MAX_BYTES: '50000',
      DUBAN_NOW: '2023-06-28T10:00:00+08:00',
    });
    [admin, member, head, coMember] = await Promise.all(
      ['xxs.dispatch', 'xxs.zhufeng1', 'xxs.zhufeng', 'xxs.dongcheng1'].map((u) => t.login(u)),
    );
    idx = await indexOrg(t, admin);
    const fx = await makeDraftPlan(t, admin, '填报测试计划');
    const item = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(admin))
      .send({
        taskId: fx.taskId,
        title: '拆除违法建设',
        leadUnitId: idx.units.get('zhufeng-squad'),
        coUnitIds: [idx.units.get('dongcheng-squad')],
        responsibleLeaderId: idx.users.get('xxs.liming'),
        ownerId: idx.users.get('xxs.zhufeng1'),
        startDate: '2023-01-01',
        deadline: '2023-12-31',
        cadence: 'monthly',
        targets: [{ metric: '拆除违法建设', comparator: '>=', value: 1.5, unit: '万平方米' }],
      })
      .expect(201);
    itemId = item.body.id;
    targetId = (await t.dataSource.query(`SELECT id FROM item_targets WHERE item_id = $1`, [itemId]))[0].id;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (token: string, reportId: string, file: Buffer, filename: string) =>
    t
      .http()
      .post(`/api/v1/reports/${reportId}/evidence`)
      .set(bearer(token))
      .attach('file', file, { filename });

  it('member reports with evidence → head returns → member resubmits → head approves; figures and history follow', async () => {
    const draft = await t
      .http()
      .put(`/api/v1/items/${itemId}/reports/2023-06`)
      .set(bearer(member))
      .send({
        percent: 40,
        progress: '完成拆除 6000 平方米',
        problems: '个别业主阻挠',
        nextSteps: '联合街道继续拆除',
        actuals: [{ targetId, value: 6000, unit: '平方米' }],
      })
      .expect(200);
    expect(draft.body).toMatchObject({ status: 'draft', percent: 40, periodKey: '2023-06' });
    const reportId = draft.body.id as string;
    const withFile = await upload(member, reportId, PDF, '拆违现场.pdf').expect(201);
    expect(withFile.body.evidence).toHaveLength(1);
    let r = (
      await t
        .http()
        .post(`/api/v1/reports/${reportId}/submit`)
        .set(bearer(member))
        .send({ version: withFile.body.version })
        .expect(200)
    ).body;
    expect(r.status).toBe('submitted');

    r = (
      await t
        .http()
        .post(`/api/v1/reports/${reportId}/return`)
        .set(bearer(head))
        .send({ version: r.version, comment: '请补充拆除前后对比照片' })
        .expect(200)
    ).body;
    expect(r).toMatchObject({ status: 'returned', reviewComment: '请补充拆除前后对比照片' });

    r = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-06`)
        .set(bearer(member))
        .send({
          version: r.version,
          percent: 40,
          progress: '完成拆除 6000 平方米，已补充对比照片',
          actuals: [{ targetId, value: 6000, unit: '平方米' }],
        })
        .expect(200)
    ).body;
    r = (
      await t
        .http()
        .post(`/api/v1/reports/${reportId}/submit`)
        .set(bearer(member))
        .send({ version: r.version })
        .expect(200)
    ).body;

    // A co-unit adds its part before approval; it is shown on the report and summed once.
    r = (
      await t
        .http()
        .post(`/api/v1/reports/${reportId}/contributions`)
        .set(bearer(coMember))
        .send({ text: '东城中队配合拆除 3000 平方米', actuals: [{ targetId, value: 0.3, unit: '万平方米' }] })
        .expect(201)
    ).body;
    expect(r.contributions).toEqual([
      expect.objectContaining({
        unitName: '东城街道综合执法中队',
        actuals: [{ targetId, value: 0.3, unit: '万平方米' }],
      }),
    ]);

    r = (
      await t
        .http()
        .post(`/api/v1/reports/${reportId}/approve`)
        .set(bearer(head))
        .send({ version: r.version })
        .expect(200)
    ).body;
    expect(r.status).toBe('approved');

    const progress = (await t.http().get(`/api/v1/items/${itemId}/progress`).set(bearer(member)).expect(200))
      .body;
    expect(progress).toMatchObject({ percent: 40, periodKey: '2023-06' });
    expect(progress.targets).toEqual([
      expect.objectContaining({
        targetId,
        metric: '拆除违法建设',
        unit: '万平方米',
        target: 1.5,
        actual: 0.9,
      }),
    ]);
    const item = (await t.http().get(`/api/v1/items/${itemId}`).set(bearer(member)).expect(200)).body;
    expect(item.status).toBe('in_progress');

    const history = (await t.http().get(`/api/v1/items/${itemId}/history`).set(bearer(head)).expect(200))
      .body as { action: string; actor: string; at: string }[];
    expect(history.map((h) => h.action)).toEqual([
      'create',
      'report-create',
      'evidence',
      'submit',
      'report-return',
      'report-update',
      'submit',
      'contribution',
      'report-approve',
    ]);
    expect(history[4].actor).toContain('xxs.zhufeng');
    expect(history[7].actor).toContain('xxs.dongcheng1');
    for (const h of history) expect(Number.isNaN(Date.parse(h.at))).toBe(false);

    // Once approved, the period is settled.
    await t
      .http()
      .put(`/api/v1/items/${itemId}/reports/2023-06`)
      .set(bearer(member))
      .send({ version: r.version, percent: 50, progress: '再改' })
      .expect(409);
    // A later report below the approved percent needs a reason.
    const lower = await t
      .http()
      .put(`/api/v1/items/${itemId}/reports/2023-07`)
      .set(bearer(member))
      .send({ percent: 30, progress: '复核后下调' })
      .expect(400);
    expect(lower.body.fields[0].field).toBe('decreaseReason');
  });

  it('two concurrent edits of one report: one succeeds, one gets 409, the stored report is the winner’s', async () => {
    const draft = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-08`)
        .set(bearer(member))
        .send({ percent: 50, progress: '初稿' })
        .expect(200)
    ).body;
    const results = await Promise.all(
      ['甲的进展', '乙的进展'].map((progress) =>
        t
          .http()
          .put(`/api/v1/items/${itemId}/reports/2023-08`)
          .set(bearer(member))
          .send({ version: draft.version, percent: 55, progress }),
      ),
    );
    expect(results.map((x) => x.status).sort()).toEqual([200, 409]);
    const winner = results.find((x) => x.status === 200)!.body;
    const stored = (
      await t.http().get(`/api/v1/items/${itemId}/reports`).set(bearer(member)).expect(200)
    ).body.find((x: { periodKey: string }) => x.periodKey === '2023-08');
    expect(stored.progress).toBe(winner.progress);
    expect(stored.version).toBe(draft.version + 1);
  });

  it('uploads too large or of a disallowed type are refused (413/415) and nothing is stored', async () => {
    const draft = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-09`)
        .set(bearer(member))
        .send({ percent: 60, progress: '九月' })
        .expect(200)
    ).body;
    const filesBefore = filesUnder(dir).length;
    const rowsBefore = Number(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence_files`))[0].n,
    );
    const blobs = async () =>
      Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence_blobs`))[0].n);
    const blobsBefore = await blobs();
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(60_000, 0x20)]);
    const tooBig = await upload(member, draft.id, big, '大文件.pdf');
    expect(tooBig.status).toBe(413);
    const exe = await upload(
      member,
      draft.id,
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'binary'),
      '伪装.pdf',
    );
    expect(exe.status).toBe(415);
    expect((await upload(member, draft.id, Buffer.from('#!/bin/sh\nrm -rf /'), 'run.sh')).status).toBe(415);
    expect(filesUnder(dir).length).toBe(filesBefore);
    expect(await blobs()).toBe(blobsBefore);
    expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence_files`))[0].n)).toBe(
      rowsBefore,
    );
  });

  it('another unit’s member may not report (403); a closed item takes no report (409); another organization cannot download evidence (404)', async () => {
    const other = await t.login('xxs.xicheng1');
    await t
      .http()
      .put(`/api/v1/items/${itemId}/reports/2023-10`)
      .set(bearer(other))
      .send({ percent: 10, progress: '越权' })
      .expect(403);

    const reports = (await t.http().get(`/api/v1/items/${itemId}/reports`).set(bearer(member)).expect(200))
      .body as { evidence: { id: string; url: string }[] }[];
    const evidence = reports.flatMap((x) => x.evidence)[0];
    const mine = await t.http().get(evidence.url).set(bearer(member)).buffer(true).expect(200);
    expect(mine.headers['content-disposition']).toContain(encodeURIComponent('拆违现场.pdf'));
    const foreign = await t.login('yy.admin');
    await t.http().get(evidence.url).set(bearer(foreign)).expect(404);
    await t.http().get(evidence.url).set(bearer(other)).expect(403);

    // Closed the only way an item closes: 销号 asked with evidence, approved by the office.
    const closeout = (
      await t
        .http()
        .post(`/api/v1/items/${itemId}/closeouts`)
        .set(bearer(member))
        .send({ note: '已完成', evidenceIds: [evidence.id] })
        .expect(201)
    ).body as { id: string };
    await t.http().post(`/api/v1/closeouts/${closeout.id}/approve`).set(bearer(admin)).send({}).expect(200);
    await t
      .http()
      .put(`/api/v1/items/${itemId}/reports/2023-11`)
      .set(bearer(member))
      .send({ percent: 100, progress: '已完成' })
      .expect(409);
  });
});
