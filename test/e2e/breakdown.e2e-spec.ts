import ExcelJS from 'exceljs';

import { bearer, createTestApp, TestApp } from '../helpers/app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function cells(file: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    out[n - 1] = Array.from({ length: 11 }, (_, c) => {
      const v = row.getCell(c + 1).value;
      return v === null || v === undefined
        ? ''
        : String(typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : v);
    });
  });
  return out;
}

/** Downloads a binary response as a Buffer. */
function binary(res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('任务分解表 (breakdown sheet)', () => {
  let t: TestApp;
  let token: string;
  let planId: string;

  const count = async (table: string) =>
    Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);
  const download = async (id: string) =>
    (
      await t
        .http()
        .get(`/api/v1/plans/${id}/breakdown.xlsx`)
        .set(bearer(token))
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;

  beforeAll(async () => {
    t = await createTestApp({ IMPORT_MAX_BYTES: '200000' });
    token = await t.login('xxs.dispatch');
    const plans = (await t.http().get('/api/v1/plans').set(bearer(token)).expect(200)).body as {
      id: string;
      year: number;
    }[];
    planId = plans.find((p) => p.year === 2022)!.id;
  });
  afterAll(() => t.close());

  it('exports the 2022 plan as one sheet with the standard columns, frozen header and every item', async () => {
    const res = await t
      .http()
      .get(`/api/v1/plans/${planId}/breakdown.xlsx`)
      .set(bearer(token))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect((ws.getRow(2).values as string[]).slice(1)).toEqual([
      '序号',
      '重点任务',
      '具体事项',
      '牵头单位',
      '配合单位',
      '责任领导',
      '责任人',
      '完成时限',
      '工作频次',
      '量化指标',
      '状态',
    ]);
    const rows = await cells(res.body as Buffer);
    const itemRows = rows.slice(2).filter((r) => /^\d+$/.test(r[0]));
    expect(itemRows).toHaveLength(80);
    expect(rows.some((r) => r[9].includes('拆除违法建设 ≥ x.x 万平方米'))).toBe(true);
    // A range keeps both bounds in the sheet (区间指标, issue 17).
    expect(rows.some((r) => r[9] === '每月集中研讨课题 x～x 个')).toBe(true);
  });

  it('export → import → export yields the same sheet, cell for cell', async () => {
    const first = await download(planId);
    const imported = await t
      .http()
      .post('/api/v1/plans/import')
      .set(bearer(token))
      .field('year', '2030')
      .attach('file', first, { filename: 'breakdown.xlsx', contentType: XLSX })
      .expect(201);
    expect(imported.body).toMatchObject({ items: 80, tasks: 21, sections: 5 });
    expect(imported.body.plan).toMatchObject({
      year: 2030,
      status: 'draft',
      title: '2022年工作目标和重点任务',
    });
    const second = await download(imported.body.plan.id);
    expect(await cells(second)).toEqual(await cells(first));
    // The range targets came back as ranges, both bounds kept (redacted ones as their text).
    const ranges = (await t.dataSource.query(
      `SELECT t.metric, t.value, t.value_text AS "valueText", t.value_upper AS upper, t.value_upper_text AS "upperText"
         FROM item_targets t JOIN items i ON i.id = t.item_id
        WHERE i.plan_id = $1 AND t.comparator = 'range' ORDER BY t.metric`,
      [imported.body.plan.id],
    )) as Record<string, unknown>[];
    expect(ranges).toEqual([
      {
        metric: '各街道综合执法中队明确"门前五包"示范主次干道',
        value: null,
        valueText: 'x',
        upper: null,
        upperText: 'x',
      },
      { metric: '每月集中研讨课题', value: null, valueText: 'x', upper: null, upperText: 'x' },
    ]);
  });

  it('a bad sheet → 422 listing every bad row and column in Chinese, and nothing written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('任务分解表');
    ws.addRow([
      '序号',
      '重点任务',
      '具体事项',
      '牵头单位',
      '配合单位',
      '责任领导',
      '责任人',
      '完成时限',
      '工作频次',
      '量化指标',
      '状态',
    ]);
    ws.addRow(['一、', '坚持精细管理']);
    ws.addRow([
      1,
      '（一）开展市容提质行动',
      '正常的一行',
      '市容科',
      '',
      '李明',
      '',
      '2023-06-30',
      '每月',
      '',
      '',
    ]);
    ws.addRow([
      2,
      '（一）开展市容提质行动',
      '单位不存在',
      '宇宙管理局',
      '',
      '李明',
      '',
      '2023-06-30',
      '每月',
      '',
      '',
    ]);
    ws.addRow([
      3,
      '（一）开展市容提质行动',
      '日期看不懂',
      '市容科',
      '',
      '李明',
      '',
      '下辈子',
      '每月',
      '',
      '',
    ]);
    ws.addRow([4, '（一）开展市容提质行动', '', '市容科', '', '李明', '', '2023-06-30', '每月', '', '']);
    ws.addRow([
      5,
      '（一）开展市容提质行动',
      '指标乱写',
      '市容科',
      '',
      '李明',
      '',
      '2023-06-30',
      '每月',
      '拆违很多很多',
      '',
    ]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await Promise.all(
      ['plans', 'plan_sections', 'plan_tasks', 'items', 'audit_log'].map(count),
    );
    const res = await t
      .http()
      .post('/api/v1/plans/import')
      .set(bearer(token))
      .field('year', '2031')
      .field('title', '坏表')
      .attach('file', file, { filename: 'bad.xlsx', contentType: XLSX })
      .expect(422);
    expect(res.body.code).toBe('UNPROCESSABLE');
    const fields = (res.body.fields as { field: string; message: string }[]).map((f) => f.field);
    expect(fields).toEqual(['第4行·牵头单位', '第5行·完成时限', '第6行·具体事项', '第7行·量化指标']);
    expect(res.body.fields[0].message).toContain('宇宙管理局');
    expect(res.body.message).toContain('未导入任何内容');
    expect(
      await Promise.all(['plans', 'plan_sections', 'plan_tasks', 'items', 'audit_log'].map(count)),
    ).toEqual(before);
  });

  it('a file over the size limit → 413; not an .xlsx → 415; no file part at all → 415; nothing written', async () => {
    const before = await count('plans');
    const big = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.alloc(300_000, 1)]);
    const tooBig = await t
      .http()
      .post('/api/v1/plans/import')
      .set(bearer(token))
      .field('year', '2032')
      .attach('file', big, { filename: 'big.xlsx', contentType: XLSX });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const csv = await t
      .http()
      .post('/api/v1/plans/import')
      .set(bearer(token))
      .field('year', '2032')
      .attach('file', Buffer.from('序号,重点任务\n1,x'), { filename: 'plan.csv', contentType: 'text/csv' });
    expect(csv.status).toBe(415);
    const disguised = await t
      .http()
      .post('/api/v1/plans/import')
      .set(bearer(token))
      .field('year', '2032')
      .attach('file', Buffer.from('not a zip at all'), { filename: 'plan.xlsx', contentType: XLSX });
    expect(disguised.status).toBe(415);
    await t.http().post('/api/v1/plans/import').set(bearer(token)).send({ year: 2032 }).expect(415);
    expect(await count('plans')).toBe(before);
  });

  it('only the dispatch office and admins import', async () => {
    const head = await t.login('xxs.cityscape');
    const first = await download(planId);
    await t
      .http()
      .post('/api/v1/plans/import')
      .set(bearer(head))
      .field('year', '2033')
      .attach('file', first, { filename: 'x.xlsx', contentType: XLSX })
      .expect(403);
  });
});
