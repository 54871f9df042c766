import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Workbook } from 'exceljs';

import { browserSpec, expectClean, login, shot } from '../helpers/browser';

interface Cycle {
  id: string;
  period: string;
  status: string;
  meetingId: string | null;
}
interface Pack {
  summary: { overdue: number; atRisk: number };
  overdue: { visible: boolean; title: string | null; leadUnit: string; overdueWorkdays: number }[];
}

/**
 * 月调度 on the seeded demo (2022-06-15 10:00) as the dispatch office: the May pack's overdue count is the
 * API's, the .xlsx export downloads and parses, and a meeting recorded with one action makes a 交办 item that
 * shows in its owner's 我的任务.
 */
describe('月调度 (web page)', () => {
  const spec = browserSpec();
  const fixture = { planId: '', cycles: [] as Cycle[], token: '' };

  beforeAll(async () => {
    fixture.token = await spec.system.token('xxs.dispatch');
    const plans = await spec.system.call<{ id: string; status: string; year: number }[]>(
      fixture.token,
      '/plans',
    );
    const plan = plans.filter((p) => p.status === 'published').sort((a, b) => b.year - a.year)[0];
    fixture.planId = plan.id;
    fixture.cycles = await spec.system.call<Cycle[]>(fixture.token, `/plans/${plan.id}/cycles`);
  });

  const cycle = (period: string) => {
    const c = fixture.cycles.find((x) => x.period === period);
    if (!c) throw new Error(`the demo plan has no ${period} cycle`);
    return c;
  };

  it('the May pack: overdue count and rows as the API has them; the .xlsx export downloads and parses', async () => {
    const may = cycle('2022-05');
    const pack = await spec.system.call<Pack>(fixture.token, `/cycles/${may.id}/dispatch-pack`);
    expect(pack.summary.overdue).toBeGreaterThan(0);
    const page = await spec.page('desktop');
    await login(page, 'xxs.dispatch');
    await page.goto(`/dispatch?cycleId=${may.id}`);
    const overdue = page.getByTestId('pack-overdue').locator('[data-value]');
    await overdue.waitFor({ state: 'attached' });
    expect(Number(await overdue.getAttribute('data-value'))).toBe(pack.summary.overdue);
    // The list pages on the server: its first page, total as the summary's.
    await page.getByText(`共 ${pack.summary.overdue} 项`).first().waitFor();
    expect(await page.getByTestId('overdue-row').count()).toBe(Math.min(20, pack.summary.overdue));
    const first = pack.overdue[0];
    await expect(page.getByTestId('overdue-row').first().innerText()).resolves.toContain(first.title!);
    await page.getByTestId('chart-trend').locator('canvas').waitFor();
    await shot(page, 'dispatch');
    await expectClean(page);

    const dir = mkdtempSync(join(tmpdir(), 'duban-dispatch-'));
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 30000 }),
        page.getByTestId('export-xlsx').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const file = join(dir, 'pack.xlsx');
      await download.saveAs(file);
      const book = new Workbook();
      await book.xlsx.readFile(file);
      const sheet = book.getWorksheet('逾期事项');
      expect(sheet).toBeDefined();
      const rows: string[][] = [];
      sheet!.eachRow((row) => rows.push((row.values as unknown[]).map((v) => String(v ?? ''))));
      const row = rows.find((r) => r.includes(first.title!));
      expect(row).toBeDefined();
      expect(row).toEqual(expect.arrayContaining([first.leadUnit, String(first.overdueWorkdays)]));
      await page.getByText('Excel 台账已下载').waitFor();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expectClean(page);
  });

  it('records a meeting with one action; the 交办 item shows in its owner’s 我的任务', async () => {
    // June (open at the demo's clock) has no meeting yet on the demo; else the first cycle without one.
    const june = cycle('2022-06');
    const target = june.meetingId ? fixture.cycles.find((c) => !c.meetingId) : june;
    if (!target) throw new Error('every demo cycle has its meeting recorded');
    const users = await spec.system.call<{ id: string; username: string; name: string; unitId: string }[]>(
      fixture.token,
      '/users',
    );
    const units = await spec.system.call<{ id: string; name: string }[]>(fixture.token, '/units');
    const owner = users.find((u) => u.username === 'xxs.zhufeng1')!;
    const leader = users.find((u) => u.username === 'xxs.liming')!;
    const unit = units.find((u) => u.id === owner.unitId)!;
    const title = `月调度交办：竹峰中队违停整治回头看 ${Date.now() % 100000}`;

    const page = await spec.page('desktop');
    await login(page, 'xxs.dispatch');
    await page.goto(`/dispatch?cycleId=${target.id}&tab=meeting`);
    await page.getByTestId('meeting-create').click();
    const form = page.getByTestId('meeting-form');
    await form.getByLabel('参会人员').click();
    await page.keyboard.type('李明');
    await page.keyboard.press('Enter');
    await page.getByTestId('add-action').click();
    await form.getByLabel('内容').fill('竹峰中队开展主次干道违停整治回头看');
    await form.getByLabel('事项名称').fill(title);
    // Picks an option by its title in the open dropdown (a closing one may still be on screen: last()), and
    // checks that it took: under load a click that lands while the searched list re-renders can be lost.
    const pick = async (label: string, search: string, option: string) => {
      const field = form
        .locator('.ant-form-item')
        .filter({ has: page.getByLabel(label) })
        .last();
      for (let attempt = 1; ; attempt++) {
        await form.getByLabel(label).click();
        await page.keyboard.type(search);
        await page.locator('.ant-select-dropdown').getByTitle(option, { exact: true }).last().click();
        try {
          await field.filter({ hasText: option }).waitFor({ timeout: 3000 });
          return;
        } catch (err) {
          if (attempt === 3) throw err;
        }
      }
    };
    await pick('牵头单位', unit.name, unit.name);
    await pick('责任人', owner.username, `${owner.name}（${owner.username}）`);
    await pick('责任领导', leader.name, leader.name);
    await form.getByLabel('完成时限').click();
    await form.getByLabel('完成时限').fill('2022-07-22');
    await page.keyboard.press('Enter');
    await page
      .getByRole('button', { name: '保 存' })
      .or(page.getByRole('button', { name: '保存' }))
      .click();
    const record = page.getByTestId('meeting-record');
    await record.getByRole('link', { name: title }).waitFor();
    await expect(record.innerText()).resolves.toContain('2022-07-22');
    await shot(page, 'dispatch-meeting');
    await expectClean(page);

    // Edited: another attendee (PATCH with the record's version).
    await page.getByTestId('meeting-edit').click();
    await form.getByLabel('参会人员').click();
    await page.keyboard.type('王建国');
    await page.keyboard.press('Enter');
    await page
      .getByRole('button', { name: '保 存' })
      .or(page.getByRole('button', { name: '保存' }))
      .click();
    await record.getByText('李明、王建国').waitFor();
    await expectClean(page);

    // The API has it too: one action outcome whose item belongs to xxs.zhufeng1.
    const cycles = await spec.system.call<Cycle[]>(fixture.token, `/plans/${fixture.planId}/cycles`);
    const meetingId = cycles.find((c) => c.id === target.id)!.meetingId;
    const meeting = await spec.system.call<{ outcomes: { kind: string; item: { title: string } | null }[] }>(
      fixture.token,
      `/meetings/${meetingId}`,
    );
    expect(meeting.outcomes).toEqual([
      expect.objectContaining({ kind: 'action', item: expect.objectContaining({ title }) }),
    ]);

    const mine = await spec.page('desktop');
    await login(mine, 'xxs.zhufeng1');
    await mine.goto(`/tasks?q=${encodeURIComponent(title)}`);
    await mine.getByTestId('item-row').filter({ hasText: title }).first().waitFor();
    await shot(mine, 'dispatch-action-tasks');
    await expectClean(mine);
  });

  it('a head reads the pack and the meeting record but cannot record or edit it', async () => {
    const may = cycle('2022-05');
    const token = await spec.system.token('xxs.zhufeng');
    const pack = await spec.system.call<Pack>(token, `/cycles/${may.id}/dispatch-pack`);
    const page = await spec.page('desktop');
    await login(page, 'xxs.zhufeng');
    await page.goto(`/dispatch?cycleId=${may.id}`);
    const overdue = page.getByTestId('pack-overdue').locator('[data-value]');
    await overdue.waitFor({ state: 'attached' });
    expect(Number(await overdue.getAttribute('data-value'))).toBe(pack.summary.overdue);
    await page.getByRole('tab', { name: /会议记录/ }).click();
    await page.getByTestId(may.meetingId ? 'meeting-record' : 'meeting-empty').waitFor();
    expect(await page.getByTestId('meeting-edit').count()).toBe(0);
    expect(await page.getByTestId('meeting-create').count()).toBe(0);
    await shot(page, 'dispatch-head');
    await expectClean(page);
  });
});
