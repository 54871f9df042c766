import type { Page } from 'playwright-core';

import { browserSpec, expectClean, login, shot } from '../helpers/browser';

/**
 * The daily pages on the seeded system (2022-06-15), as a squad member and a head see them: 工作台 counts are
 * the API's and open their lists, 我的任务 filters on the server and keeps its filters in the URL, the item
 * page shows the item's place, figures, reports, reminders and history, 消息 opens the item and marks the
 * message read — on a PC and at 375 px, with no console error or failed request on any page.
 */
describe('工作台、我的任务、事项详情、消息 (web pages)', () => {
  const spec = browserSpec();

  interface Summary {
    reportDue: number;
    returned: number;
    dueSoon: number;
    overdue: number;
    toReview: number | null;
    unread: number;
    lights: { red: number; yellow: number; green: number; none: number };
  }
  interface ItemPage {
    total: number;
    items: { id: string; title: string; figures: { light: string | null } | null }[];
  }

  // The e2e template gives the squad member no items of their own: the dispatch office gives them two (one
  // on schedule, one past its deadline), the member reports May on the first and the head returns it, so
  // 工作台, 我的任务, the item page and 消息 all have something real to show.
  const fixture = { itemId: '', overdueId: '', reason: '请补充夜查照片和台账' };
  beforeAll(async () => {
    const sys = spec.system;
    const dispatch = await sys.token('xxs.dispatch');
    const member = await sys.token('xxs.zhufeng1');
    const head = await sys.token('xxs.zhufeng');
    const me = await sys.call<{ id: string; unit: { id: string } }>(member, '/auth/me');
    const any = await sys.call<{ items: { taskId: string; responsibleLeader: { id: string } }[] }>(
      dispatch,
      '/items?pageSize=1',
    );
    const create = async (title: string, deadline: string) => {
      const item = await sys.call<{ id: string; status: string; version: number }>(dispatch, '/items', {
        method: 'POST',
        body: {
          taskId: any.items[0].taskId,
          title,
          detail: `${title}：集中整治，建立长效管理台账。`,
          leadUnitId: me.unit.id,
          responsibleLeaderId: any.items[0].responsibleLeader.id,
          ownerId: me.id,
          startDate: '2022-01-01',
          deadline,
          cadence: 'monthly',
        },
      });
      let current = item;
      for (const status of ['assigned', 'in_progress'] as const) {
        if (current.status === 'in_progress' || current.status === status) continue;
        current = await sys.call(dispatch, `/items/${item.id}/status`, {
          method: 'POST',
          body: { status, version: current.version },
        });
      }
      return item.id;
    };
    fixture.itemId = await create('竹峰夜市占道经营整治', '2022-12-31');
    fixture.overdueId = await create('竹峰菜场周边乱堆放清理', '2022-06-10');
    const draft = await sys.call<{ id: string; version: number }>(
      member,
      `/items/${fixture.itemId}/reports/2022-05`,
      { method: 'PUT', body: { percent: 30, progress: '5月开展夜市专项整治4次，清理占道摊点37处。' } },
    );
    const submitted = await sys.call<{ version: number }>(member, `/reports/${draft.id}/submit`, {
      method: 'POST',
      body: { version: draft.version },
    });
    await sys.call(head, `/reports/${draft.id}/return`, {
      method: 'POST',
      body: { version: submitted.version, comment: fixture.reason },
    });
    // The worker rolls the new items up (lights) from the outbox: wait until the overdue one is red.
    const deadline = Date.now() + 60000;
    for (;;) {
      const red = await sys.call<{ total: number }>(member, '/items?mine=true&light=red');
      if (red.total > 0) break;
      if (Date.now() > deadline) throw new Error(`no red light after 60 s:\n${sys.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 120000);

  async function count(page: Page, testId: string): Promise<number> {
    return Number(await page.getByTestId(testId).locator('[data-value]').getAttribute('data-value'));
  }

  /** The page has loaded (a first load; in-app navigation is waited for by what it shows: rowsToBe). */
  async function settle(page: Page) {
    await page.waitForLoadState('networkidle');
  }

  /** Waits (up to 10 s) until `selector`'s count is `n`, then asserts it (a failure names the count seen). */
  async function countToBe(page: Page, testId: string, n: number) {
    const locator = page.getByTestId(testId);
    const until = Date.now() + 10000;
    while ((await locator.count()) !== n && Date.now() < until) await page.waitForTimeout(100);
    expect({ testId, count: await locator.count() }).toEqual({ testId, count: n });
  }

  it('工作台: the member’s counts equal the API’s and each opens its list', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const summary = await spec.system.call<Summary>(token, '/me/summary');
    const page = await spec.page();
    await login(page, 'xxs.zhufeng1');
    await page.goto('/');
    await settle(page);
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
    // A member reviews nothing: no 待审核 count (the API says null).
    expect(summary.toReview).toBeNull();
    expect(await page.getByTestId('count-toReview').count()).toBe(0);
    for (const light of ['red', 'yellow', 'green', 'none'] as const)
      await expect(page.getByTestId(`light-${light}`).innerText()).resolves.toContain(
        String(summary.lights[light]),
      );
    await shot(page, 'home-member', { fullPage: true });
    await expectClean(page);

    // 已逾期 opens 我的任务 filtered to the same items the API counts.
    expect(summary.overdue).toBeGreaterThan(0);
    await page.getByTestId('count-overdue').click();
    await page.waitForURL(/\/tasks\?.*todo=overdue/);
    await settle(page);
    await countToBe(page, 'item-row', summary.overdue);
    await page.getByText(`共 ${summary.overdue} 项`).first().waitFor();
    await expectClean(page);
  });

  it('工作台 of a head shows 待审核 equal to the review queue', async () => {
    const token = await spec.system.token('xxs.zhufeng');
    const summary = await spec.system.call<Summary>(token, '/me/summary');
    const reviews = await spec.system.call<{ total: number }>(token, '/reviews');
    const page = await spec.page();
    await login(page, 'xxs.zhufeng');
    await page.goto('/');
    await settle(page);
    await page.getByTestId('count-toReview').waitFor();
    expect(await count(page, 'count-toReview')).toBe(reviews.total);
    expect(summary.toReview).toBe(reviews.total);
    await shot(page, 'home-head');
    await expectClean(page);
  });

  it('我的任务: light and status filters run on the server and survive a reload; the scope switches', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const red = await spec.system.call<ItemPage>(token, '/items?mine=true&light=red');
    const mine = await spec.system.call<ItemPage>(token, '/items?mine=true');
    const all = await spec.system.call<ItemPage>(token, '/items?pageSize=20');
    const returned = await spec.system.call<ItemPage>(token, '/items?mine=true&todo=returned');
    expect(red.total).toBeGreaterThan(0);
    expect(returned.total).toBe(1);
    expect(mine.total).toBe(2);

    const page = await spec.page();
    await login(page, 'xxs.zhufeng1');
    const asked: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/items') asked.push(new URL(r.url()).search);
    });
    await page.goto('/tasks');
    await settle(page);
    await countToBe(page, 'item-row', mine.total);
    await shot(page, 'tasks-member');

    await page.goto('/tasks?light=red');
    await settle(page);
    await countToBe(page, 'item-row', red.total);
    for (const it of red.items) await page.getByRole('link', { name: it.title }).first().waitFor();
    // The filter went to the server, paged: never a whole plan fetched to filter in the browser.
    expect(asked.some((q) => /light=red/.test(q) && /mine=true/.test(q) && /pageSize=20/.test(q))).toBe(true);
    expect(asked.every((q) => /pageSize=\d+/.test(q))).toBe(true);
    await page.reload();
    await settle(page);
    await countToBe(page, 'item-row', red.total);
    await expectClean(page);

    await page.goto('/tasks?todo=returned');
    await settle(page);
    await countToBe(page, 'item-row', returned.total);
    await page.getByRole('link', { name: returned.items[0].title }).first().waitFor();
    await expectClean(page);

    // 全部可查看: what the member may read (own unit and co-unit items), first page.
    await page.goto('/tasks');
    await settle(page);
    await page.getByText('全部可查看').click();
    await page.waitForURL(/scope=all/);
    await settle(page);
    await countToBe(page, 'item-row', all.items.length);
    await page.getByText(`共 ${all.total} 项`).first().waitFor();
    await expectClean(page);
  });

  it('事项详情: tree position, figures, targets, reports by period, reminders and history', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const item = await spec.system.call<{
      id: string;
      title: string;
      position: { section: { title: string }; task: { title: string } };
      leadUnit: { name: string };
    }>(token, `/items/${fixture.itemId}`);
    const full = item;
    const reports = await spec.system.call<{ periodKey: string }[]>(token, `/items/${item.id}/reports`);
    const history = await spec.system.call<{ actionName: string }[]>(token, `/items/${item.id}/history`);
    expect(reports.length).toBeGreaterThan(0);

    const page = await spec.page();
    await login(page, 'xxs.zhufeng1');
    await page.goto(`/items/${item.id}`);
    await settle(page);
    await page.getByRole('heading', { name: item.title }).waitFor();
    await page.getByText(full.position.task.title).first().waitFor();
    await page.getByText(full.position.section.title).first().waitFor();
    await page.getByText(full.leadUnit.name).first().waitFor();
    await page.getByText('亮灯依据').waitFor();
    await countToBe(page, 'report', reports.length);
    // The returned May report shows why, in the head's words.
    await page.getByText(fixture.reason).first().waitFor();
    await shot(page, 'item-member', { fullPage: true });
    await expectClean(page);

    await page.getByRole('tab', { name: '提醒催办' }).click();
    await settle(page);
    await page.getByRole('tab', { name: '操作记录' }).click();
    await settle(page);
    await countToBe(page, 'history-entry', history.length);
    // who, when, before → after: the owner assignment names the member.
    await page.getByText('责任人').first().waitFor();
    await expectClean(page);
  });

  it('消息: opening a message goes to its item and marks it read; the header count follows', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const before = await spec.system.call<{ unread: number }>(token, '/inbox/unread-count');
    const inbox = await spec.system.call<{
      items: { id: string; itemId: string | null; readAt: string | null }[];
    }>(token, '/inbox?unread=true&pageSize=20');
    // The head's return told the member, with the reason, about the item (newest first).
    const first = inbox.items.findIndex((m) => m.itemId === fixture.itemId);
    expect(first).toBeGreaterThanOrEqual(0);
    const message = inbox.items[first];

    const page = await spec.page();
    await login(page, 'xxs.zhufeng1');
    await page.goto('/messages?unread=true');
    await settle(page);
    await page.getByText(fixture.reason).first().waitFor();
    await shot(page, 'messages-member');
    await page.getByTestId('message').nth(first).click();
    await page.waitForURL(`**/items/${message.itemId}`);
    await settle(page);
    const after = await spec.system.call<{ unread: number }>(token, '/inbox/unread-count');
    expect(after.unread).toBe(before.unread - 1);
    // The header's badge is refetched after the read (antd puts the number in the title attribute).
    // (no badge at all at zero)
    if (after.unread > 0)
      await page
        .locator(`a.app-bell .ant-scroll-number[title="${after.unread}"]`)
        .waitFor({ state: 'attached', timeout: 10000 });
    else await page.locator('a.app-bell .ant-scroll-number').waitFor({ state: 'detached', timeout: 10000 });
    await expectClean(page);
  });

  it('at 375 px 工作台, 我的任务, 消息 and the item page fit the phone (no sideways scrolling)', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const mine = await spec.system.call<ItemPage>(token, '/items?mine=true');
    const page = await spec.page('phone');
    await login(page, 'xxs.zhufeng1');
    for (const [path, name] of [
      ['/', 'home-member'],
      ['/tasks', 'tasks-member'],
      ['/messages', 'messages-member'],
      [`/items/${mine.items[0].id}`, 'item-member'],
    ] as const) {
      await page.goto(path);
      await settle(page);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect({ path, width }).toEqual({ path, width: 375 });
      await shot(page, name, { fullPage: true });
      await expectClean(page);
    }
    // The list is cards on a phone, each one opening its item.
    await page.goto('/tasks');
    await settle(page);
    await countToBe(page, 'item-row', mine.total);
    await page.getByTestId('item-row').first().click();
    await page.waitForURL(/\/items\//);
    await settle(page);
    await expectClean(page);
  });
});
