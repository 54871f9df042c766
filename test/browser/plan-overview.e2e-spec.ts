import type { Page } from 'playwright-core';

import { browserSpec, expectClean, login, shot } from '../helpers/browser';

/**
 * 计划总览 and 领导视图 on the seeded demo (2022-06-15 10:00, no setup writes): the plan's completion, light
 * and colour counts are the tree's; opening a section and a key task loads the task's items from the
 * server; filtering by red lists only red items, as many as the API counts; a leader's view lists the
 * items they answer for, red and overdue first, as many as the API's — with no console error or failed
 * request on any page.
 */
describe('计划总览、领导视图 (web pages)', () => {
  const spec = browserSpec();

  interface Figures {
    completion: number | null;
    expected: number | null;
    light: string | null;
    red: number;
    yellow: number;
    green: number;
  }
  interface Tree {
    plan: { id: string; title: string };
    itemsCount: number;
    figures: Figures | null;
    sections: {
      id: string;
      title: string;
      itemsCount: number;
      tasks: { id: string; title: string; itemsCount: number }[];
    }[];
  }
  interface ItemPage {
    total: number;
    items: { id: string; title: string; overdue: boolean; figures: { light: string | null } | null }[];
  }

  const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 10) / 10}%`);

  async function plan(token: string): Promise<Tree> {
    const plans = await spec.system.call<{ id: string; status: string; year: number }[]>(token, '/plans');
    const published = plans.filter((p) => p.status === 'published').sort((a, b) => b.year - a.year)[0];
    return spec.system.call<Tree>(token, `/plans/${published.id}/tree`);
  }

  async function countToBe(page: Page, testId: string, n: number) {
    const locator = page.getByTestId(testId);
    const until = Date.now() + 10000;
    while ((await locator.count()) !== n && Date.now() < until) await page.waitForTimeout(100);
    expect({ testId, count: await locator.count() }).toEqual({ testId, count: n });
  }

  it('计划总览: the plan’s completion, light and counts are the tree’s; a key task’s items load when opened', async () => {
    const token = await spec.system.token('xxs.dispatch');
    const tree = await plan(token);
    expect(tree.figures).not.toBeNull();
    const f = tree.figures!;
    const page = await spec.page();
    await login(page, 'xxs.dispatch');
    await page.goto('/plan');
    await page.getByTestId('plan-tree').waitFor();

    const summary = page.getByTestId('plan-summary');
    expect({
      completion: await summary.getByTestId('completion').innerText(),
      light: await page.getByTestId('plan-light').locator('[data-light]').getAttribute('data-light'),
      red: await page.getByTestId('plan-counts').locator('[data-count=red]').getAttribute('data-value'),
      yellow: await page.getByTestId('plan-counts').locator('[data-count=yellow]').getAttribute('data-value'),
      green: await page.getByTestId('plan-counts').locator('[data-count=green]').getAttribute('data-value'),
      items: await page.getByTestId('plan-items-count').innerText(),
    }).toEqual({
      completion: `完成 ${percent(f.completion)}`,
      light: f.light,
      red: String(f.red),
      yellow: String(f.yellow),
      green: String(f.green),
      items: String(tree.itemsCount),
    });
    await countToBe(page, 'plan-section', tree.sections.length);
    // Nothing below the sections is shown (nor fetched) until a section is opened.
    expect(await page.getByTestId('plan-task').count()).toBe(0);

    const section = tree.sections.find((s) => s.tasks.some((t) => t.itemsCount > 0))!;
    const task = section.tasks.find((t) => t.itemsCount > 0)!;
    const items = await spec.system.call<ItemPage>(token, `/items?taskId=${task.id}&pageSize=20`);
    await page.getByTestId('plan-section').filter({ hasText: section.title }).getByRole('button').click();
    await countToBe(page, 'plan-task', section.tasks.length);
    const loaded = page.waitForResponse((r) => r.url().includes(`taskId=${task.id}`));
    await page.getByTestId('plan-task').filter({ hasText: task.title }).getByRole('button').click();
    await loaded;
    await countToBe(page, 'plan-item', items.items.length);
    expect(await page.getByTestId('plan-item').allInnerTexts()).toEqual(
      items.items.map((i) => expect.stringContaining(i.title) as unknown as string),
    );
    await shot(page, 'plan-overview');
    await expectClean(page);

    // On a phone the same tree, one column, no horizontal page scroll.
    const phone = await spec.page('phone');
    await login(phone, 'xxs.dispatch');
    await phone.goto('/plan');
    await phone.getByTestId('plan-section').first().waitFor();
    await phone.getByTestId('plan-section').first().getByRole('button').click();
    await phone.getByTestId('plan-task').first().waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await shot(phone, 'plan-overview');
    await expectClean(phone);

    // An item opens its page.
    await page.getByTestId('plan-item').first().getByRole('link').click();
    await page.waitForURL(new RegExp(`/items/${items.items[0].id}$`));
    await expectClean(page);
  });

  it('计划总览 filtered by red lists only red items, as many as the API counts', async () => {
    const token = await spec.system.token('xxs.dispatch');
    const tree = await plan(token);
    const red = await spec.system.call<ItemPage>(
      token,
      `/items?planId=${tree.plan.id}&light=red&pageSize=100`,
    );
    expect(red.total).toBeGreaterThan(0);
    const page = await spec.page();
    await login(page, 'xxs.dispatch');
    await page.goto('/plan');
    await page.getByTestId('plan-tree').waitFor();
    // The filter as a user sets it: the 灯色 select, 红灯.
    await page.getByLabel('灯色').click();
    // antd's role=option elements are a hidden accessibility list; the visible option is its own element.
    await page.locator('.ant-select-item-option').filter({ hasText: '红灯' }).click();
    await page.waitForURL(/light=red/);
    await page.keyboard.press('Escape');
    await page.getByTestId('filtered-total').waitFor();
    expect(await page.getByTestId('filtered-total').innerText()).toBe(`共 ${red.total} 项`);
    await countToBe(page, 'plan-item', Math.min(20, red.total));
    const lights = await page
      .getByTestId('plan-item')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-light')));
    expect(new Set(lights)).toEqual(new Set(['red']));
    expect(await page.getByTestId('plan-tree').count()).toBe(0);
    await shot(page, 'plan-overview-red');
    await expectClean(page);
  });

  it('领导视图: the leader’s items, red and overdue first, as many as the API’s, with the trend chart', async () => {
    const token = await spec.system.token('xxs.liming');
    const me = await spec.system.call<{ id: string }>(token, '/auth/me');
    const tree = await plan(token);
    const mine = await spec.system.call<ItemPage>(
      token,
      `/items?planId=${tree.plan.id}&leaderId=${me.id}&sort=attention&pageSize=10`,
    );
    const red = await spec.system.call<ItemPage>(
      token,
      `/items?planId=${tree.plan.id}&leaderId=${me.id}&light=red&pageSize=1`,
    );
    expect(mine.total).toBeGreaterThan(0);
    const page = await spec.page();
    await login(page, 'xxs.liming');
    await page.goto('/leader');
    await page.getByTestId('leader-item').first().waitFor();
    expect({
      total: await page.getByTestId('leader-total').locator('[data-value]').getAttribute('data-value'),
      red: await page.getByTestId('leader-red').locator('[data-value]').getAttribute('data-value'),
    }).toEqual({ total: String(mine.total), red: String(red.total) });
    await countToBe(page, 'leader-item', mine.items.length);
    expect(await page.getByTestId('leader-item').allInnerTexts()).toEqual(
      mine.items.map((i) => expect.stringContaining(i.title) as unknown as string),
    );
    // Red first: the page's first rows are the red ones.
    const lights = await page
      .getByTestId('leader-item')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-light')));
    const firstNonRed = lights.findIndex((l) => l !== 'red');
    expect(lights.slice(firstNonRed === -1 ? lights.length : firstNonRed)).not.toContain('red');
    expect(lights.filter((l) => l === 'red').length).toBe(Math.min(red.total, lights.length));
    // The units I oversee: the API's rows; one opens the list of its items.
    const units = await spec.system.call<{ unit: { name: string }; items: number }[]>(
      token,
      `/items/by-unit?planId=${tree.plan.id}&leaderId=${me.id}`,
    );
    expect(units.reduce((n, u) => n + u.items, 0)).toBe(mine.total);
    await countToBe(page, 'leader-unit', units.length);
    expect(await page.getByTestId('leader-unit').allInnerTexts()).toEqual(
      units.map((u) => expect.stringContaining(u.unit.name) as unknown as string),
    );
    await page.getByTestId('leader-trend').waitFor();
    expect(Number(await page.getByTestId('leader-trend').getAttribute('data-points'))).toBeGreaterThan(1);
    await shot(page, 'leader');
    await page.getByTestId('leader-unit').first().click();
    await page.waitForURL(/unit=/);
    await page.getByText(`共 ${units[0].items} 项`).waitFor();
    await countToBe(page, 'leader-item', Math.min(10, units[0].items));
    await expectClean(page);
  });
});
