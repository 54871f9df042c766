import { Page } from 'playwright-core';

import { browserSpec, expectClean, login, shot } from '../helpers/browser';

/**
 * The daily loop in the browser, on the seeded demo (2022-06-15): a squad member fills June's report with a
 * target actual in another unit and a photo, the squad head returns it with a reason, the member reads the reason
 * and resubmits from a phone, the head approves; a member opening 审核 gets 无权限.
 */
describe('填报与审核 (the daily loop in the browser)', () => {
  const spec = browserSpec();
  const ITEM_TITLE = '竹峰农贸市场周边流动摊点整治';
  const REASON = '请补充整治前后的对比照片。';
  let itemId: string;
  let photo: Buffer;

  interface ItemRow {
    id: string;
    title: string;
    version: number;
    figures: { completion: number | null } | null;
  }

  beforeAll(async () => {
    const dispatch = await spec.system.token('xxs.dispatch');
    // The 竹峰 squad's own item, added to the published plan by the dispatch office as it may: its head
    // (xxs.zhufeng) reviews it, its member (xxs.zhufeng1) owns it; one 量化指标 in 万平方米.
    const [head, member] = await Promise.all(
      ['xxs.zhufeng', 'xxs.zhufeng1'].map(async (u) =>
        spec.system.call<{ id: string; unit: { id: string } }>(await spec.system.token(u), '/auth/me'),
      ),
    );
    const some = await spec.system.call<{
      items: (ItemRow & { taskId: string; responsibleLeader: { id: string } })[];
    }>(dispatch, '/items?status=in_progress&pageSize=1');
    const created = await spec.system.call<ItemRow>(dispatch, '/items', {
      body: {
        taskId: some.items[0].taskId,
        title: ITEM_TITLE,
        leadUnitId: head.unit.id,
        responsibleLeaderId: some.items[0].responsibleLeader.id,
        ownerId: member.id,
        startDate: '2022-01-01',
        deadline: '2022-12-31',
        cadence: 'monthly',
        targets: [{ metric: '清理流动摊点', comparator: '>=', value: 2, unit: '万平方米' }],
      },
    });
    itemId = created.id;
    // Any real picture will do as the evidence photo: a PNG of the login page.
    const page = await spec.page('phone');
    await page.goto('/login');
    photo = await page.screenshot();
  });

  const reportUrl = () => `/items/${itemId}/report/2022-06`;

  async function submitConfirmed(page: Page, button: RegExp) {
    await page.getByRole('button', { name: button }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^提\s*交$/ })
      .click();
    await page.getByText('已提交，等待审核').first().waitFor();
  }

  it('a member fills June’s report: percent, texts, a target actual in ㎡, a photo; saves a draft and submits', async () => {
    const page = await spec.page('desktop');
    await login(page, 'xxs.zhufeng1');
    await page.goto(reportUrl());
    await page.getByLabel('进展情况').waitFor();
    await shot(page, 'report-new', { fullPage: true });
    await page.getByLabel('完成率').fill('60');
    await page.getByLabel('进展情况').fill('清理流动摊点 86 处，设置临时疏导点 2 个。');
    await page.getByLabel('存在问题').fill('早晚高峰反弹较多。');
    await page.getByLabel('下步计划').fill('联合市场监管开展错时巡查。');
    await page.getByLabel('清理流动摊点完成值').fill('8000');
    // The unit picker offers the target's quantity: ㎡ against 万平方米, converted as the server does.
    await page
      .locator('.ant-select')
      .filter({ has: page.getByLabel('清理流动摊点单位') })
      .click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="平方米"]').click();
    await page.getByText('合 0.8 万平方米').waitFor();
    await page.getByRole('button', { name: /保存草稿/ }).click();
    await page.getByText('草稿已保存').waitFor();
    await page.locator('input[data-testid=evidence-file]').setInputFiles({
      name: '整治现场.png',
      mimeType: 'image/png',
      buffer: photo,
    });
    await page.getByText('已上传：整治现场.png').waitFor();
    await shot(page, 'report-filled', { fullPage: true });
    await submitConfirmed(page, /提交审核/);
    await page.getByText('8000 平方米').waitFor();
    await shot(page, 'report-submitted', { fullPage: true });
    await expectClean(page);

    const member = await spec.system.token('xxs.zhufeng1');
    const reports = await spec.system.call<
      {
        periodKey: string;
        status: string;
        percent: number;
        actuals: { value: number; unit: string }[];
        evidence: unknown[];
      }[]
    >(member, `/items/${itemId}/reports`);
    expect(reports.find((r) => r.periodKey === '2022-06')).toMatchObject({
      status: 'submitted',
      percent: 60,
      actuals: [{ value: 8000, unit: '平方米' }],
      evidence: [expect.objectContaining({ filename: '整治现场.png' })],
    });
  });

  it('the squad head finds it in 审核, reads it and returns it with a reason', async () => {
    const page = await spec.page('desktop');
    await login(page, 'xxs.zhufeng');
    await page.goto('/reviews');
    const row = page.getByTestId('review-row').filter({ hasText: ITEM_TITLE });
    await row.waitFor();
    await shot(page, 'reviews');
    await row.getByRole('button', { name: /查\s*看/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('清理流动摊点 86 处').waitFor();
    await drawer.getByText('整治现场.png').waitFor();
    await shot(page, 'reviews-detail');
    await drawer.getByRole('button', { name: /退\s*回/ }).click();
    await page.getByLabel('退回意见').fill(REASON);
    await page.getByRole('button', { name: /确认退回/ }).click();
    await page.getByText('已退回').first().waitFor();
    await row.waitFor({ state: 'detached' });
    await expectClean(page);
  });

  it('on a phone the member reads the reason, adds a photo from the camera input and resubmits', async () => {
    const member = await spec.system.token('xxs.zhufeng1');
    const inbox = await spec.system.call<{ items: { body: string; itemId: string | null }[] }>(
      member,
      '/inbox',
    );
    expect(inbox.items.some((m) => m.body.includes(REASON))).toBe(true);

    const page = await spec.page('phone');
    await login(page, 'xxs.zhufeng1');
    await page.goto(reportUrl());
    await page.getByTestId('returned-reason').getByText(REASON).waitFor();
    expect(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await shot(page, 'report-returned');
    await page.getByLabel('进展情况').fill('清理流动摊点 86 处，设置临时疏导点 2 个；补充整治前后对比照片。');
    await page.getByRole('button', { name: /拍照上传/ }).waitFor();
    await page.locator('input[data-testid=evidence-camera]').setInputFiles({
      name: '整治后.png',
      mimeType: 'image/png',
      buffer: photo,
    });
    await page.getByText('已上传：整治后.png').waitFor();
    await submitConfirmed(page, /重新提交/);
    await shot(page, 'report-resubmitted', { fullPage: true });
    await expectClean(page);
  });

  it('the head approves from the queue; the item’s completion follows', async () => {
    const before = await spec.system.call<ItemRow>(
      await spec.system.token('xxs.zhufeng1'),
      `/items/${itemId}`,
    );
    expect(before.figures?.completion ?? null).not.toBe(40);
    const page = await spec.page('desktop');
    await login(page, 'xxs.zhufeng');
    await page.goto('/reviews');
    const row = page.getByTestId('review-row').filter({ hasText: ITEM_TITLE });
    await row.getByRole('button', { name: /通\s*过/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /通\s*过/ })
      .click();
    await page.getByText('已通过').first().waitFor();
    await row.waitFor({ state: 'detached' });
    await shot(page, 'reviews-done');
    await expectClean(page);

    const member = await spec.system.token('xxs.zhufeng1');
    const deadline = Date.now() + 30000;
    let completion: number | null | undefined;
    while (Date.now() < deadline) {
      completion = (await spec.system.call<ItemRow>(member, `/items/${itemId}`)).figures?.completion;
      if (completion === 40) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // The 量化指标 decides the completion: 8000 ㎡ = 0.8 of the 2 万平方米 target.
    expect(completion).toBe(40);
  });

  it('a member opening 审核 gets a clear 无权限 page, on a PC and on a phone', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await spec.page(viewport);
      await login(page, 'xxs.zhufeng1');
      await page.goto('/reviews');
      await page.getByText('无权限').waitFor();
      await page.getByText('没有审核权限').waitFor();
      await shot(page, 'reviews-forbidden');
      await expectClean(page);
    }
  });
});
