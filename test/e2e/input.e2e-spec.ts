import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bearer, createTestApp, TestApp } from '../helpers/app';
import { zipBomb } from '../../src/modules/plans/sheet/zip.fixtures';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';
import { multipartBody } from '../helpers/multipart';

/** Multipart bodies as the inject helper takes them. */
const multipart = (fields: Record<string, string>, file?: { name: string; data: Buffer }) => {
  const { body, contentType } = multipartBody(fields, file);
  return { payload: body, contentType };
};

const PDF = Buffer.from('%PDF-1.7\n现场整治照片');

interface ErrorBody {
  code: string;
  message: string;
  fields?: { field: string; message: string }[];
}

describe('错误输入一律 4xx、中文说明 (bad input)', () => {
  let t: TestApp;
  let dir: string;
  let idx: OrgIndex;
  let dispatcher: string;
  let admin: string;
  let member: string;
  let stranger: string;
  let planId: string;
  let taskId: string;
  let itemId: string;
  let reportId: string;
  let cycleId: string;

  const inject = (opts: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    token?: string;
    payload?: string | Buffer;
    contentType?: string;
  }) =>
    t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: opts.method,
        url: opts.url,
        payload: opts.payload,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.contentType ? { 'content-type': opts.contentType } : {}),
        },
      });
  const body = (res: { body: string }) => JSON.parse(res.body) as ErrorBody;
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-input-'));
    t = await createTestApp({
      EVIDENCE_DIR: dir,
      EVIDENCE_MAX_BYTES: '50000',
      IMPORT_MAX_BYTES: '200000',
      DUBAN_NOW: '2023-06-28T10:00:00+08:00',
    });
    [dispatcher, admin, member, stranger] = await Promise.all(
      ['xxs.dispatch', 'xxs.admin', 'xxs.zhufeng1', 'xxs.xicheng1'].map((u) => t.login(u)),
    );
    idx = await indexOrg(t, admin);
    const fx = await makeDraftPlan(t, dispatcher, '错误输入测试计划');
    planId = fx.planId;
    taskId = fx.taskId;
    itemId = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatcher))
        .send({
          taskId,
          title: '拆除违法建设',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
          startDate: '2023-01-01',
          deadline: '2023-12-31',
          cadence: 'monthly',
        })
        .expect(201)
    ).body.id;
    reportId = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-06`)
        .set(bearer(member))
        .send({ percent: 40, progress: '完成拆除 6000 平方米' })
        .expect(200)
    ).body.id;
    cycleId = (
      await t.dataSource.query(
        `SELECT c.id FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id
          JOIN organizations o ON o.id = p.organization_id
         WHERE o.id = (SELECT organization_id FROM users WHERE username = 'xxs.admin') AND c.period = '2022-06'`,
      )
    )[0].id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('impossible dates (2022-02-30) in queries and bodies → 400 naming the field', async () => {
    for (const [query, field] of [
      ['overdueAsOf=2022-02-30', 'overdueAsOf'],
      ['deadlineFrom=2022-02-30', 'deadlineFrom'],
      ['deadlineTo=2021-02-29', 'deadlineTo'],
      ['deadlineFrom=0000-01-01', 'deadlineFrom'],
    ]) {
      const res = await t.http().get(`/api/v1/items?${query}`).set(bearer(dispatcher));
      expect(res.status).toBe(400);
      expect(res.body.fields[0].field).toBe(field);
      expect(res.body.fields[0].message).toMatch(/（.+）不是有效的日期/);
    }
    const meeting = await t
      .http()
      .post(`/api/v1/cycles/${cycleId}/meeting`)
      .set(bearer(dispatcher))
      .send({ heldOn: '2022-02-30' });
    expect(meeting.status).toBe(400);
    expect(meeting.body.fields[0]).toMatchObject({ field: 'heldOn' });
    expect(meeting.body.fields[0].message).toMatch(/^会议日期（heldOn）不是有效的日期/);
  });

  it('a NUL character in a body, query, path, form field or file name → 400 naming the field; nothing written', async () => {
    const audits = await count('audit_log');
    const plan = await inject({
      method: 'POST',
      url: '/api/v1/plans',
      token: dispatcher,
      payload: JSON.stringify({ year: 2024, title: '计划\u0000标题' }),
      contentType: 'application/json',
    });
    expect(plan.statusCode).toBe(400);
    expect(body(plan).fields).toEqual([{ field: 'title', message: expect.stringContaining('空字符') }]);
    const nested = await inject({
      method: 'PATCH',
      url: `/api/v1/items/${itemId}`,
      token: dispatcher,
      payload: JSON.stringify({ version: 1, tags: ['好', 'a\u0000'] }),
      contentType: 'application/json',
    });
    expect(nested.statusCode).toBe(400);
    expect(body(nested).fields?.[0].field).toBe('tags.1');
    const query = await inject({ method: 'GET', url: '/api/v1/items?q=a%00b', token: dispatcher });
    expect(query.statusCode).toBe(400);
    expect(body(query).fields?.[0].field).toBe('q');
    const path = await inject({ method: 'DELETE', url: '/api/v1/admin/webhook-hosts/a%00b', token: admin });
    expect(path.statusCode).toBe(400);
    // A path no API route matches reaches the web app's catch-all: still a 400 in our shape, not a 500.
    const unrouted = await inject({ method: 'GET', url: '/api/v1/cycles/a%00b', token: dispatcher });
    expect(unrouted.statusCode).toBe(400);
    expect(body(unrouted).message).toContain('空字符');
    // A lone surrogate is valid JSON but not UTF-8 text: refused before it reaches PostgreSQL.
    const surrogate = await inject({
      method: 'POST',
      url: '/api/v1/plans',
      token: dispatcher,
      payload: '{"year":2024,"title":"计划\\ud800"}',
      contentType: 'application/json',
    });
    expect(surrogate.statusCode).toBe(400);
    expect(body(surrogate).fields).toEqual([
      { field: 'title', message: expect.stringContaining('无效的字符') },
    ]);
    const named = multipart({}, { name: 'a\u0000b.pdf', data: PDF });
    const upload = await inject({
      method: 'POST',
      url: `/api/v1/reports/${reportId}/evidence`,
      token: member,
      payload: named.payload,
      contentType: named.contentType,
    });
    expect(upload.statusCode).toBe(400);
    expect(body(upload).fields?.[0].field).toBe('file');
    const field = multipart(
      { year: '2024', title: '导入\u0000' },
      { name: 'plan.xlsx', data: zipBomb(1024) },
    );
    const imported = await inject({
      method: 'POST',
      url: '/api/v1/plans/import',
      token: dispatcher,
      payload: field.payload,
      contentType: field.contentType,
    });
    expect(imported.statusCode).toBe(400);
    expect(body(imported).fields?.[0].field).toBe('title');
    expect(await count('audit_log')).toBe(audits);
    expect(await count('evidence_files')).toBe(0);
  });

  it('a JSON body nested 5,000 levels deep → 400 with a Chinese message', async () => {
    for (const payload of [
      `{"title":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    ]) {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/plans',
        token: dispatcher,
        payload,
        contentType: 'application/json',
      });
      expect(res.statusCode).toBe(400);
      expect(body(res)).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('嵌套层数过多'),
      });
    }
  });

  it('huge, non-finite, negative or fractional page numbers → 400 naming the page', async () => {
    const huge = '9'.repeat(22);
    const urls = [
      '/api/v1/items',
      '/api/v1/inbox',
      '/api/v1/notify/failed',
      `/api/v1/cycles/${cycleId}/dispatch-pack/overdue`,
    ];
    for (const url of urls) {
      for (const page of ['1e400', 'Infinity', huge, '-1', '1.5', 'NaN']) {
        const res = await t.http().get(`${url}?page=${page}`).set(bearer(dispatcher));
        expect({ url, page, status: res.status }).toEqual({ url, page, status: 400 });
        expect(res.body.fields[0]).toMatchObject({
          field: 'page',
          message: expect.stringMatching(/^页码（page）/),
        });
      }
    }
    await t.http().get('/api/v1/notify/failed?page=2').set(bearer(dispatcher)).expect(200);
  });

  it('null for a required plan setting → 400, the settings unchanged', async () => {
    const before = (
      await t.http().get(`/api/v1/plans/${planId}/settings`).set(bearer(dispatcher)).expect(200)
    ).body;
    for (const field of ['reportDueWorkdays', 'onTimeBasis', 'lagPoints', 'scoreWeights', 'openPack']) {
      const res = await t
        .http()
        .patch(`/api/v1/plans/${planId}/settings`)
        .set(bearer(dispatcher))
        .send({ version: before.version, [field]: null });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.fields[0].field).toBe(field);
      expect(res.body.fields[0].message).toMatch(/不能为空$/);
    }
    const nullWeight = await t
      .http()
      .patch(`/api/v1/plans/${planId}/settings`)
      .set(bearer(dispatcher))
      .send({ version: before.version, scoreWeights: { completion: null } });
    expect(nullWeight.status).toBe(400);
    expect((await t.http().get(`/api/v1/plans/${planId}/settings`).set(bearer(dispatcher))).body).toEqual(
      before,
    );
  });

  it('null for an item list or number (targets, milestones, tags, co-units, weight, detail) → 400, the item unchanged', async () => {
    const before = (await t.http().get(`/api/v1/items/${itemId}`).set(bearer(dispatcher)).expect(200)).body;
    const fields = ['targets', 'milestones', 'tags', 'coUnitIds', 'weight', 'detail'];
    for (const field of fields) {
      const res = await t
        .http()
        .patch(`/api/v1/items/${itemId}`)
        .set(bearer(dispatcher))
        .send({ version: before.version, [field]: null });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.fields[0].field).toBe(field);
    }
    expect((await t.http().get(`/api/v1/items/${itemId}`).set(bearer(dispatcher))).body).toEqual(before);
  });

  it('malformed multipart (no boundary, truncated) → 400; not multipart → 415; never 500', async () => {
    const good = multipart({ year: '2024' }, { name: 'plan.xlsx', data: zipBomb(1024) });
    for (const url of ['/api/v1/plans/import', `/api/v1/reports/${reportId}/evidence`]) {
      const token = url.includes('import') ? dispatcher : member;
      const noBoundary = await inject({
        method: 'POST',
        url,
        token,
        payload: good.payload,
        contentType: 'multipart/form-data',
      });
      expect(noBoundary.statusCode).toBe(400);
      expect(body(noBoundary).message).toMatch(/上传内容不完整或格式不正确/);
      const truncated = await inject({
        method: 'POST',
        url,
        token,
        payload: good.payload.subarray(0, good.payload.length - 40),
        contentType: good.contentType,
      });
      expect(truncated.statusCode).toBe(400);
      const json = await inject({
        method: 'POST',
        url,
        token,
        payload: '{"file":"x"}',
        contentType: 'application/json',
      });
      expect(json.statusCode).toBe(415);
    }
  });

  it('sheet uploads: a zip bomb → 413, an empty file → 400 "文件为空"; nothing written', async () => {
    const plans = await count('plans');
    const bomb = multipart({ year: '2024', title: '炸弹' }, { name: 'plan.xlsx', data: zipBomb() });
    const res = await inject({
      method: 'POST',
      url: '/api/v1/plans/import',
      token: dispatcher,
      payload: bomb.payload,
      contentType: bomb.contentType,
    });
    expect(res.statusCode).toBe(413);
    expect(body(res).message).toContain('解压后过大');
    const empty = multipart({ year: '2024' }, { name: 'plan.xlsx', data: Buffer.alloc(0) });
    const emptySheet = await inject({
      method: 'POST',
      url: '/api/v1/plans/import',
      token: dispatcher,
      payload: empty.payload,
      contentType: empty.contentType,
    });
    expect(emptySheet.statusCode).toBe(400);
    expect(body(emptySheet).fields).toEqual([
      { field: 'file', message: expect.stringContaining('文件为空') },
    ]);
    const emptyEvidence = multipart({}, { name: '现场.pdf', data: Buffer.alloc(0) });
    const evidence = await inject({
      method: 'POST',
      url: `/api/v1/reports/${reportId}/evidence`,
      token: member,
      payload: emptyEvidence.payload,
      contentType: emptyEvidence.contentType,
    });
    expect(evidence.statusCode).toBe(400);
    expect(body(evidence).message).toContain('文件为空');
    expect(await count('plans')).toBe(plans);
    expect(await count('evidence_files')).toBe(0);
  });

  it('the role is checked before an upload is read: no right → 403, whatever the body', async () => {
    const big = multipart({ year: '2024' }, { name: 'plan.xlsx', data: Buffer.alloc(300_000, 1) });
    const sheet = await inject({
      method: 'POST',
      url: '/api/v1/plans/import',
      token: member,
      payload: big.payload,
      contentType: big.contentType,
    });
    expect(sheet.statusCode).toBe(403);
    const broken = multipart({}, { name: '现场.pdf', data: PDF });
    const evidence = await inject({
      method: 'POST',
      url: `/api/v1/reports/${reportId}/evidence`,
      token: stranger,
      payload: broken.payload.subarray(0, 60),
      contentType: 'multipart/form-data',
    });
    expect(evidence.statusCode).toBe(403);
    // The one who may upload still can.
    const ok = multipart({}, { name: '现场.pdf', data: PDF });
    const uploaded = await inject({
      method: 'POST',
      url: `/api/v1/reports/${reportId}/evidence`,
      token: member,
      payload: ok.payload,
      contentType: ok.contentType,
    });
    expect(uploaded.statusCode).toBe(201);
  });

  it('whitespace-only titles, names, reasons and text → 400 naming the field', async () => {
    const blank = ' \u3000\t ';
    const cases: [string, string, string, object, string][] = [
      ['post', '/api/v1/plans', dispatcher, { year: 2024, title: blank }, 'title'],
      ['post', `/api/v1/plans/${planId}/sections`, dispatcher, { title: blank }, 'title'],
      [
        'post',
        `/api/v1/sections/${(await t.dataSource.query(`SELECT section_id FROM plan_tasks WHERE id = $1`, [taskId]))[0].section_id}/tasks`,
        dispatcher,
        { title: blank },
        'title',
      ],
      ['patch', `/api/v1/tasks/${taskId}`, dispatcher, { title: blank }, 'title'],
      ['post', '/api/v1/items', dispatcher, { taskId, title: blank }, 'title'],
      ['patch', `/api/v1/units/${idx.units.get('zhufeng-squad')}`, admin, { name: blank }, 'name'],
      ['post', `/api/v1/items/${itemId}/reopen`, dispatcher, { reason: blank }, 'reason'],
      [
        'post',
        `/api/v1/items/${itemId}/extensions`,
        member,
        { requestedDeadline: '2024-03-31', reason: blank },
        'reason',
      ],
      [
        'put',
        `/api/v1/items/${itemId}/reports/2023-05`,
        member,
        { percent: 10, progress: blank },
        'progress',
      ],
      [
        'post',
        `/api/v1/cycles/${cycleId}/meeting`,
        dispatcher,
        { heldOn: '2022-07-08', title: blank },
        'title',
      ],
    ];
    for (const [method, url, token, send, field] of cases) {
      const res = await (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)
        [method](url)
        .set(bearer(token))
        .send(send);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect((res.body as ErrorBody).fields?.find((f) => f.field === field)?.message).toMatch(
        /（\w+）不能为空$/,
      );
    }
  });

  it('every validation message names the field in Chinese; a type error says it is a type error', async () => {
    const percent = async (value: unknown) =>
      (
        await t
          .http()
          .put(`/api/v1/items/${itemId}/reports/2023-06`)
          .set(bearer(member))
          .send({ version: 1, percent: value, progress: '进展' })
          .expect(400)
      ).body as ErrorBody;
    expect((await percent('abc')).fields).toEqual([
      { field: 'percent', message: '完成率（percent）必须是数字' },
    ]);
    expect((await percent(150)).fields).toEqual([
      { field: 'percent', message: '完成率（percent）不能大于 100' },
    ]);
    const noTask = await t
      .http()
      .post('/api/v1/items')
      .set(bearer(dispatcher))
      .send({ title: 'x'.repeat(201) })
      .expect(400);
    const messages = (noTask.body as ErrorBody).fields!.map((f) => f.message);
    expect(messages).toContain('重点任务（taskId）为必填项');
    expect(messages).toContain('事项名称（title）长度超出限制（最多 200 个字符）');
    for (const m of messages) expect(m).toMatch(/^[\u4e00-\u9fa5].*（\w+）/);
    const badId = await t.http().get('/api/v1/items/not-an-id').set(bearer(dispatcher)).expect(400);
    expect(badId.body.fields).toEqual([{ field: 'id', message: '路径中的 ID（id）格式不正确，应为 UUID' }]);
    const badUrl = await inject({ method: 'GET', url: '/api/v1/items/%ZZ', token: dispatcher });
    expect(badUrl.statusCode).toBe(400);
    expect(body(badUrl)).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求地址格式不正确' });
    const longUrl = await inject({
      method: 'GET',
      url: `/api/v1/items/${'x'.repeat(300)}`,
      token: dispatcher,
    });
    expect(longUrl.statusCode).toBe(414);
    expect(body(longUrl)).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求地址过长' });
  });
});
