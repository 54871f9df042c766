import type { Locator, Page } from 'playwright-core';

import { browserSpec, expectClean, login, samplePhoto, shot } from '../helpers/browser';

/**
 * The daily loop in the browser, on the seeded demo (2022-06-15 10:00) and nothing else: the README's
 * walk-through item 竹峰片区停车秩序整治 (owner xxs.zhufeng1, 查处违停 ≥ 600 起, January–May approved, behind
 * schedule, June not started). The member finds it from 工作台 and 我的任务, fills June's report with a target
 * actual and a photo, the squad head returns it with a reason, the member reads the reason in 消息 and
 * resubmits on a phone, the head approves, and 我的任务 shows the new completion and light after a refresh.
 */
describe('填报与审核 (the daily loop in the browser, on the demo)', () => {
  const spec = browserSpec();
  const ITEM_TITLE = '竹峰片区停车秩序整治';
  const REASON = '请补充夜间违停查处的现场照片。';
  /** 查处违停, cumulative since January: 330 of the 600 起 target = 55 %. */
  const ACTUAL = 330;
  let itemId: string;

  interface ItemRow {
    id: string;
    title: string;
    figures: { completion: number | null; light: string | null; expected: number | null } | null;
  }
  interface Summary {
    reportDue: number;
    returned: number;
    dueSoon: number;
    overdue: number;
    toReview: number | null;
    unread: number;
  }

  const memberItem = async () =>
    spec.system.call<ItemRow>(await spec.system.token('xxs.zhufeng1'), `/items/${itemId}`);

  beforeAll(async () => {
    const mine = await spec.system.call<{ items: ItemRow[] }>(
      await spec.system.token('xxs.zhufeng1'),
      `/items?mine=true&q=${encodeURIComponent(ITEM_TITLE)}`,
    );
    const item = mine.items.find((i) => i.title === ITEM_TITLE);
    if (!item) throw new Error(`the demo has no ${ITEM_TITLE} among xxs.zhufeng1's items`);
    itemId = item.id;
  });

  const count = async (page: Page, testId: string) =>
    Number(await page.getByTestId(testId).locator('[data-value]').getAttribute('data-value'));

  /** The 我的任务 table row of the walk-through item (desktop) or its card (phone). */
  const itemRow = (page: Page): Locator =>
    page.locator('tr, .ant-list-item').filter({ has: page.getByRole('link', { name: ITEM_TITLE }) });

  async function submitConfirmed(page: Page, button: RegExp) {
    await page.getByRole('button', { name: button }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^提\s*交$/ })
      .click();
    await page.getByText('已提交，等待审核').first().waitFor();
  }

  it('xxs.zhufeng1: 工作台 counts equal the API’s; 我的任务 → the item → June’s report with 查处违停 and a photo; draft, submit', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const summary = await spec.system.call<Summary>(token, '/me/summary');
    expect(summary.reportDue).toBeGreaterThanOrEqual(1);
    const page = await spec.page('desktop');
    await login(page, 'xxs.zhufeng1');
    await page.getByTestId('count-reportDue').waitFor();
    expect({
      reportDue: await count(page, 'count-reportDue'),
      returned: await count(page, 'count-returned'),
      dueSoon: await count(page, 'count-dueSoon'),
      overdue: await count(page, 'count-overdue'),
      unread: await count(page, 'count-unread'),
    }).toEqual({
      reportDue: summary.reportDue,
      returned: summary.returned,
      dueSoon: summary.dueSoon,
      overdue: summary.overdue,
      unread: summary.unread,
    });
    await shot(page, 'loop-home-member');
    await expectClean(page);

    await page.getByRole('menuitem', { name: '我的任务' }).first().click();
    await page.waitForURL(/\/tasks/);
    await itemRow(page).waitFor();
    await shot(page, 'loop-tasks-before');
    await expectClean(page);
    await itemRow(page).getByRole('link', { name: ITEM_TITLE }).click();
    await page.getByRole('heading', { name: ITEM_TITLE }).waitFor();
    await shot(page, 'loop-item-before', { fullPage: true });
    await expectClean(page);

    await page.getByRole('button', { name: /填报.*6月进度/ }).click();
    await page.waitForURL(`**/items/${itemId}/report/2022-06`);
    await page.getByLabel('进展情况').waitFor();
    await shot(page, 'report-new', { fullPage: true });
    await page.getByLabel('完成率').fill('55');
    await page.getByLabel('进展情况').fill('6月上半月查处违停 190 起，商圈周边新施划泊位 40 个。');
    await page.getByLabel('存在问题').fill('学校周边接送高峰违停反弹。');
    await page.getByLabel('下步计划').fill('联合交警在上下学时段错时巡查。');
    await page.getByLabel('查处违停完成值').fill(String(ACTUAL));
    await page.getByRole('button', { name: /保存草稿/ }).click();
    await page.getByText('草稿已保存').waitFor();
    await page.locator('input[data-testid=evidence-file]').setInputFiles(samplePhoto('违停查处现场.jpg'));
    await page.getByText('已上传：违停查处现场.jpg').waitFor();
    await shot(page, 'report-filled', { fullPage: true });
    await submitConfirmed(page, /提交审核/);
    await page.getByText(`${ACTUAL} 起`).first().waitFor();
    await shot(page, 'report-submitted', { fullPage: true });
    await expectClean(page);

    const reports = await spec.system.call<
      {
        periodKey: string;
        status: string;
        percent: number;
        actuals: { value: number; unit: string }[];
        evidence: { filename: string }[];
      }[]
    >(token, `/items/${itemId}/reports`);
    expect(reports.find((r) => r.periodKey === '2022-06')).toMatchObject({
      status: 'submitted',
      percent: 55,
      actuals: [{ value: ACTUAL, unit: '起' }],
      evidence: [expect.objectContaining({ filename: '违停查处现场.jpg' })],
    });
    // 工作台's 待填报 went down by one.
    expect((await spec.system.call<Summary>(token, '/me/summary')).reportDue).toBe(summary.reportDue - 1);
  });

  it('xxs.zhufeng finds it in 审核 beside the demo’s other June report and returns it with a reason', async () => {
    const page = await spec.page('desktop');
    await login(page, 'xxs.zhufeng');
    await page.goto('/reviews');
    const row = page.getByTestId('review-row').filter({ hasText: ITEM_TITLE });
    await row.waitFor();
    // The demo's own pending report (filed on 06-14) waits in the same queue.
    await page.getByTestId('review-row').filter({ hasText: '竹峰片区市容秩序整治' }).waitFor();
    await shot(page, 'reviews');
    await expectClean(page);
    await row.getByRole('button', { name: /查\s*看/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('6月上半月查处违停 190 起').waitFor();
    await drawer.getByText('违停查处现场.jpg').waitFor();
    await shot(page, 'reviews-detail');
    await drawer.getByRole('button', { name: /退\s*回/ }).click();
    await page.getByLabel('退回意见').fill(REASON);
    await page.getByRole('button', { name: /确认退回/ }).click();
    await page.getByText('已退回').first().waitFor();
    await row.waitFor({ state: 'detached' });
    await expectClean(page);
  });

  it('on a phone the member reads the reason in 消息, opens the item and resubmits with a camera photo', async () => {
    const page = await spec.page('phone');
    await login(page, 'xxs.zhufeng1');
    await page.goto('/messages');
    const message = page.getByTestId('message').filter({ hasText: REASON });
    await message.first().waitFor();
    // Dated on the business day it was sent (the demo's 06-15), as every other date on the pages.
    await message.first().getByText('2022-06-15 10:00').waitFor();
    await shot(page, 'messages-returned');
    await expectClean(page);
    await message.first().click();
    await page.waitForURL(`**/items/${itemId}`);
    await page.getByRole('heading', { name: ITEM_TITLE }).waitFor();
    await expectClean(page);

    await page.getByRole('button', { name: /重新提交.*6月填报/ }).click();
    await page.waitForURL(`**/items/${itemId}/report/2022-06`);
    await page.getByTestId('returned-reason').getByText(REASON).waitFor();
    expect(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await shot(page, 'report-returned', { fullPage: true });
    await page
      .getByLabel('进展情况')
      .fill('6月上半月查处违停 190 起，商圈周边新施划泊位 40 个；已补充夜间查处照片。');
    await page.getByRole('button', { name: /拍照上传/ }).waitFor();
    await page.locator('input[data-testid=evidence-camera]').setInputFiles(samplePhoto('夜间查处.jpg'));
    await page.getByText('已上传：夜间查处.jpg').waitFor();
    await submitConfirmed(page, /重新提交/);
    expect(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await shot(page, 'report-resubmitted', { fullPage: true });
    await expectClean(page);
  });

  it('the head approves; the member’s open 我的任务 shows the new completion and light after 刷新', async () => {
    const before = await memberItem();
    // The demo's item lags (yellow) before June: the approval is what changes it.
    expect(before.figures).toMatchObject({ light: 'yellow' });
    const member = await spec.page('desktop');
    await login(member, 'xxs.zhufeng1');
    await member.goto('/tasks');
    const row = itemRow(member);
    await row.waitFor();
    const shownBefore = await row.getByTestId('completion').innerText();
    expect(await row.locator('[data-light]').getAttribute('data-light')).toBe('yellow');
    await expectClean(member);

    const head = await spec.page('desktop');
    await login(head, 'xxs.zhufeng');
    await head.goto('/reviews');
    const review = head.getByTestId('review-row').filter({ hasText: ITEM_TITLE });
    await review.getByRole('button', { name: /通\s*过/ }).click();
    await head
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /通\s*过/ })
      .click();
    await head.getByText('已通过').first().waitFor();
    await review.waitFor({ state: 'detached' });
    await shot(head, 'reviews-done');
    await expectClean(head);

    // The worker rolls the approval up: the member presses 刷新 (a refetch, no reload) until the row moves.
    const deadline = Date.now() + 45000;
    while ((await row.locator('[data-light]').getAttribute('data-light')) !== 'green') {
      if (Date.now() > deadline)
        throw new Error(`no green light after 45 s:\n${spec.system.output().slice(-3000)}`);
      await member.getByRole('button', { name: /刷\s*新/ }).click();
      await member.waitForTimeout(1000);
    }
    const after = await memberItem();
    // 330 of 600 起: 55 %, past 序时进度 − 20.
    expect(after.figures).toMatchObject({ light: 'green', completion: 55 });
    const shownAfter = await row.getByTestId('completion').innerText();
    expect(shownAfter).not.toBe(shownBefore);
    expect(shownAfter).toContain('55%');
    await shot(member, 'loop-tasks-after');
    await expectClean(member);
  });

  it('a member opening 审核 gets a clear 无权限 page, on a PC and on a phone', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await spec.page(viewport);
      await login(page, 'xxs.zhufeng1');
      await page.goto('/reviews');
      await page.getByText('无权限').first().waitFor();
      await page.getByText('没有审核权限').waitFor();
      await shot(page, 'reviews-forbidden');
      await expectClean(page);
    }
  });
});
