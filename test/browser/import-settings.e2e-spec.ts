import { readFileSync } from 'node:fs';

import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';

import { allowResponses, browserSpec, expectClean, login, shot } from '../helpers/browser';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 导入导出 and the admin's 设置 tabs 提醒规则, 工作日历, 计划设置 on the seeded demo as `xxs.admin`: a 任务分解表
 * with two bad rows shows both rows' problems by row and column and writes nothing; the same sheet made good
 * imports as a new draft plan; the current sheet downloads and parses; each settings tab loads and one change
 * of each saves (read back through the API).
 */
describe('导入导出、设置 (web pages)', () => {
  const spec = browserSpec();
  const fixture = { token: '', planId: '', sheet: Buffer.alloc(0) };

  interface Plan {
    id: string;
    year: number;
    title: string;
    status: string;
  }
  const plans = () => spec.system.call<Plan[]>(fixture.token, '/plans');

  beforeAll(async () => {
    fixture.token = await spec.system.token('xxs.admin');
    const plan = (await plans()).find((p) => p.year === 2022 && p.status === 'published');
    if (!plan) throw new Error('the demo has no published 2022 plan');
    fixture.planId = plan.id;
    const res = await fetch(`${spec.system.baseUrl}/api/v1/plans/${plan.id}/breakdown.xlsx`, {
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    if (!res.ok) throw new Error(`breakdown.xlsx: ${res.status}`);
    fixture.sheet = Buffer.from(await res.arrayBuffer());
  });

  /** The plan's own sheet with 工作频次 of the first item row and 完成时限 of the third made wrong. */
  async function badSheet(): Promise<{ file: Buffer; rows: [number, string][] }> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fixture.sheet as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = ws.getRow(2).values as unknown[];
    const col = (name: string) => header.indexOf(name);
    const itemRows: number[] = [];
    ws.eachRow((row, n) => {
      // Item rows carry the running number; section rows are merged across the columns.
      if (n > 2 && /^\d+$/.test(row.getCell(col('序号')).text) && row.getCell(col('完成时限')).text)
        itemRows.push(n);
    });
    const [a, , b] = itemRows;
    ws.getRow(a).getCell(col('工作频次')).value = '随缘';
    ws.getRow(b).getCell(col('完成时限')).value = '下辈子';
    return {
      file: Buffer.from(await wb.xlsx.writeBuffer()),
      rows: [
        [a, '工作频次'],
        [b, '完成时限'],
      ],
    };
  }

  /** The <input> of an antd field: the test id sits on the input itself or on its wrapper. */
  const field = (page: Page, testId: string) =>
    page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

  async function upload(page: Page, name: string, file: Buffer, year: number) {
    await field(page, 'import-year').fill(String(year));
    await page.locator('input[type=file]').setInputFiles({ name, mimeType: XLSX, buffer: file });
    await page.getByTestId('import-submit').click();
  }

  it('导入导出: two bad rows → both row·column problems, nothing written; the good sheet imports; the sheet downloads', async () => {
    const before = await plans();
    const { file, rows } = await badSheet();
    const page = await spec.page();
    await login(page, 'xxs.admin');
    await page.goto('/import');
    allowResponses(page, { status: 422, url: '/api/v1/plans/import', method: 'POST' });
    await upload(page, '任务分解表-有错.xlsx', file, 2031);
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    await expect(errors.textContent()).resolves.toContain('表格中的内容均未写入');
    const problems = page.getByTestId('import-problem');
    const seen: [number, string | null, string | null][] = [];
    for (const tr of await problems.all()) {
      const td = tr.locator('td');
      seen.push([
        Number(await tr.getAttribute('data-row')),
        await td.nth(1).textContent(),
        await td.nth(2).textContent(),
      ]);
    }
    expect(seen.map(([row, column]) => [row, column])).toEqual(rows);
    expect(seen[0][2]).toContain('随缘');
    expect(seen[1][2]).toContain('下辈子');
    expect((await plans()).length).toBe(before.length);
    await expectClean(page);
    await shot(page, 'import-errors');

    // The plan's own sheet, unchanged, imports as a new draft plan.
    await field(page, 'import-title').fill('2031年导入测试计划');
    await upload(page, '任务分解表.xlsx', fixture.sheet, 2031);
    const success = page.getByTestId('import-success');
    await success.waitFor();
    const after = await plans();
    expect(after.length).toBe(before.length + 1);
    const imported = after.find((p) => p.year === 2031)!;
    expect(imported).toMatchObject({ title: '2031年导入测试计划', status: 'draft' });
    const items = await spec.system.call<{ total: number }>(
      fixture.token,
      `/items?planId=${imported.id}&pageSize=1`,
    );
    await expect(success.textContent()).resolves.toContain(`${items.total} 项具体事项`);
    expect(await success.getByRole('link', { name: '查看计划' }).getAttribute('href')).toBe(
      `/plan?planId=${imported.id}`,
    );
    await expectClean(page);
    await shot(page, 'import-success');

    // The current sheet of the picked plan (the published 2022 one by default) downloads with its name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(2).getCell(3).text).toBe('具体事项');
    await expectClean(page);
  });

  it('设置 · 工作日历: national marks show; a day made a local holiday is saved for the organization', async () => {
    const page = await spec.page();
    await login(page, 'xxs.admin');
    await page.goto('/settings?tab=calendar');
    // 2022-01: 元旦 (01-01..03) national holidays, 01-29/30 调休 workdays.
    await page.getByTestId('calendar-mark-holiday').first().waitFor();
    expect(await page.getByTestId('calendar-mark-workday').count()).toBeGreaterThan(0);
    await expectClean(page);

    // 2022-01-14 is a Friday, a national workday.
    await page.locator('td[title="2022-01-14"]').click();
    await field(page, 'calendar-day-name').fill('本局防汛值守调休');
    await page.getByTestId('calendar-day-save').click();
    await page.getByTestId('calendar-mark-holiday-local').waitFor();
    await page.getByTestId('calendar-local-row').filter({ hasText: '2022-01-14' }).waitFor();
    const local = await spec.system.call<{ holidays: { date: string; name: string }[] }>(
      fixture.token,
      '/calendar/2022/local',
    );
    expect(local.holidays).toContainEqual({ date: '2022-01-14', name: '本局防汛值守调休' });
    await expectClean(page);
    await shot(page, 'settings-calendar');
  });

  it('设置 · 提醒规则 and 计划设置: each loads the plan’s settings and a change saves', async () => {
    const page = await spec.page();
    await login(page, 'xxs.admin');
    await page.goto('/settings?tab=reminders');
    const urge = field(page, 'reminders-urge-after');
    await urge.waitFor();
    const reminders = await spec.system.call<{ urgeAfter: number }>(
      fixture.token,
      `/plans/${fixture.planId}/reminder-settings`,
    );
    await expect(urge.inputValue()).resolves.toBe(String(reminders.urgeAfter));
    await urge.fill(String(reminders.urgeAfter + 2));
    await page.getByTestId('reminders-save').click();
    await page.getByText('提醒规则已保存').waitFor();
    await expect(
      spec.system.call(fixture.token, `/plans/${fixture.planId}/reminder-settings`),
    ).resolves.toMatchObject({ urgeAfter: reminders.urgeAfter + 2 });
    await expectClean(page);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, 'settings-reminders');

    await page.getByRole('tab', { name: '计划设置' }).click();
    const lag = field(page, 'plan-settings-lag');
    await lag.waitFor();
    const settings = await spec.system.call<{ lagPoints: number; version: number }>(
      fixture.token,
      `/plans/${fixture.planId}/settings`,
    );
    await expect(lag.inputValue()).resolves.toBe(String(settings.lagPoints));
    await lag.fill(String(settings.lagPoints + 5));
    await page.getByTestId('plan-settings-save').click();
    await page.getByText('计划设置已保存').waitFor();
    const saved = await spec.system.call<{ lagPoints: number; version: number }>(
      fixture.token,
      `/plans/${fixture.planId}/settings`,
    );
    expect(saved.lagPoints).toBe(settings.lagPoints + 5);
    expect(saved.version).toBeGreaterThan(settings.version);
    await expectClean(page);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, 'settings-plan');

    // Someone else saves in between: the stale form's save is a 409, said as such.
    await spec.system.call(fixture.token, `/plans/${fixture.planId}/settings`, {
      method: 'PATCH',
      body: { version: saved.version, lagPoints: saved.lagPoints + 1 },
    });
    allowResponses(page, { status: 409, url: `/plans/${fixture.planId}/settings`, method: 'PATCH' });
    await page.getByTestId('plan-settings-save').click();
    await page.getByTestId('plan-settings-conflict').waitFor();
    await expectClean(page);
  });
});
