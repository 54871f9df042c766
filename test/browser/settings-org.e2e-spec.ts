import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import type { Page } from 'playwright-core';

import { browserSpec, expectClean, login, shot } from '../helpers/browser';

/**
 * 设置 on the seeded demo as the organization's admin (xxs.admin): 单位 (create), 用户 (create; a platform
 * administrator's row is read-only and says why), Webhook 白名单 (add a host), 通知渠道 (a webhook whose
 * 发送测试消息 reaches a local sink, and a robot whose receiver is down answers in Chinese); a head gets
 * 无权限 without a request. Loopback sinks need WEBHOOK_ALLOW_PRIVATE_NETWORKS (tests only).
 */
describe('设置: 单位、用户、通知渠道、Webhook 白名单 (web)', () => {
  const spec = browserSpec({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  let sink: Server;
  const hits: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hits.push({ url: req.url!, headers: req.headers, body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    await new Promise((r) => sink?.close(() => r(undefined)));
  });

  /** antd puts a space between two Chinese characters of a button: 保存 → "保 存". */
  const button = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

  /** The pictures without the success toasts still fading out. */
  async function quiet(page: Page) {
    await page
      .locator('.ant-message-notice')
      .last()
      .waitFor({ state: 'detached', timeout: 10000 })
      .catch(() => {});
  }

  async function openTab(page: Page, path: string) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }

  interface Unit {
    id: string;
    name: string;
    code: string;
    parentId: string | null;
  }
  interface User {
    id: string;
    username: string;
    name: string;
    unitId: string;
    roles: string[];
  }

  it('单位: the tree loads; an admin creates a unit and it is in /units', async () => {
    const token = await spec.system.token('xxs.admin');
    const before = await spec.system.call<Unit[]>(token, '/units');
    const page = await spec.page();
    await login(page, 'xxs.admin');
    await openTab(page, '/settings?tab=units');
    // Every active unit of the organization is a row of the tree (expanded).
    const rows = page.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const shown = (await rows.locator('td:first-child').allTextContents()).map((t) => t.trim());
    expect(shown.sort()).toEqual(before.map((u) => u.name).sort());
    // Nested: a squad sits under its brigade (one level deeper).
    const indent = (name: string) =>
      rows.filter({ hasText: name }).locator('.ant-table-row-indent').first().getAttribute('class');
    await expect(indent('竹峰综合执法中队')).resolves.toContain('indent-level-1');
    await expect(indent('综合执法大队')).resolves.toContain('indent-level-0');
    await page.getByRole('button', { name: /新建单位/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('单位名称').fill('测试新建中队');
    await dialog.getByRole('button', { name: button('保存') }).click();
    await page.getByRole('cell', { name: '测试新建中队', exact: true }).waitFor();
    const after = await spec.system.call<Unit[]>(token, '/units');
    expect(after.filter((u) => u.name === '测试新建中队')).toEqual([
      expect.objectContaining({ name: '测试新建中队', kind: 'squad', parentId: null }),
    ]);
    await expectClean(page);
    await quiet(page);
    await shot(page, 'settings-units');
  });

  it('用户: the list loads by unit; an admin creates a user who can log in; a platform administrator is read-only', async () => {
    const token = await spec.system.token('xxs.admin');
    const units = await spec.system.call<Unit[]>(token, '/units');
    const squad = units.find((u) => u.code === 'zhufeng-squad')!;
    // A platform administrator in the organization (normally made by the CLI) cannot be edited here.
    await spec.system.query(
      `UPDATE users SET roles = array_append(roles, 'sysadmin') WHERE username = 'xxs.viewer'`,
    );
    const page = await spec.page();
    await login(page, 'xxs.admin');
    await openTab(page, `/settings?tab=users&unit=${squad.id}`);
    const listed = await spec.system.call<User[]>(token, `/users?unitId=${squad.id}`);
    for (const u of listed) await page.getByRole('cell', { name: u.username, exact: true }).waitFor();
    await page.getByRole('button', { name: /新建用户/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('登录名').fill('xxs.zhufeng9');
    await dialog.getByLabel('姓名').fill('测试队员');
    await dialog.getByLabel('初始密码').fill('new-member-2022');
    await dialog.getByRole('button', { name: button('保存') }).click();
    await page.getByRole('cell', { name: 'xxs.zhufeng9', exact: true }).waitFor();
    const created = (await spec.system.call<User[]>(token, `/users?unitId=${squad.id}`)).find(
      (u) => u.username === 'xxs.zhufeng9',
    );
    expect(created).toMatchObject({ name: '测试队员', unitId: squad.id, roles: ['member'] });
    await expect(spec.system.token('xxs.zhufeng9', 'new-member-2022')).resolves.toEqual(expect.any(String));

    const viewer = (await spec.system.call<User[]>(token, '/users')).find(
      (u) => u.username === 'xxs.viewer',
    )!;
    await openTab(page, `/settings?tab=users&unit=${viewer.unitId}`);
    const viewerRow = page.getByRole('row').filter({ hasText: 'xxs.viewer' });
    await viewerRow.waitFor();
    await expect(viewerRow.getByRole('button').count()).resolves.toBe(0);
    await viewerRow.getByText('不可编辑').hover();
    await page.getByRole('tooltip', { name: /平台管理员账号只能通过命令行管理/ }).waitFor();
    await expectClean(page);
    await quiet(page);
    await shot(page, 'settings-users');
  });

  it('Webhook 白名单 and 通知渠道: a test message reaches the sink; an unreachable robot answers in Chinese', async () => {
    const port = (sink.address() as AddressInfo).port;
    const page = await spec.page();
    await login(page, 'xxs.admin');
    await openTab(page, '/settings?tab=webhook-hosts');
    await page.getByText('oapi.dingtalk.com').waitFor();
    await page.getByLabel('主机名').fill('127.0.0.1');
    await page.getByRole('button', { name: button('添加') }).click();
    await page.locator('code', { hasText: '127.0.0.1' }).waitFor();
    await expectClean(page);
    await quiet(page);
    await shot(page, 'settings-webhook-hosts');

    // The admin's own unit's channels (the default owner).
    await openTab(page, '/settings?tab=channels');
    const row = (name: string) => page.getByRole('row').filter({ hasText: name });
    const dialog = page.getByRole('dialog');
    await row('Webhook')
      .getByRole('button', { name: button('设置') })
      .click();
    await dialog.getByLabel('完整地址（含令牌）').fill(`http://127.0.0.1:${port}/duban?token=sink-token`);
    await dialog.getByLabel(/签名密钥/).fill('sink-secret-0123456789');
    await dialog.getByRole('button', { name: button('保存') }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Saved: shown without its token, the secret only as "stored".
    await row('Webhook').getByText(`http://127.0.0.1:${port}/duban?…`).waitFor();
    await row('Webhook').getByText('已保存密钥').waitFor();
    expect(await page.content()).not.toMatch(/sink-token|sink-secret/);

    await row('Webhook').getByRole('button', { name: '发送测试消息' }).click();
    await page.getByRole('alert').filter({ hasText: 'Webhook：测试成功' }).waitFor();
    expect(hits).toHaveLength(1);
    expect(hits[0].url).toBe('/duban?token=sink-token');
    expect(JSON.parse(hits[0].body)).toMatchObject({ title: '【测试】督办系统测试消息' });
    expect(hits[0].headers['x-duban-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    // A robot whose receiver is not listening: the Chinese reason, and nothing reached the sink.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(() => r(undefined)));
    await row('企业微信机器人')
      .getByRole('button', { name: button('设置') })
      .click();
    await dialog.getByLabel('完整地址（含令牌）').fill(`http://127.0.0.1:${dead}/cgi-bin/webhook/send?key=k`);
    await dialog.getByRole('button', { name: button('保存') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row('企业微信机器人').getByRole('button', { name: '发送测试消息' }).click();
    const failed = page.getByRole('alert').filter({ hasText: '企业微信机器人：测试失败' });
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toContain('测试消息发送失败：推送请求失败：对方拒绝连接');
    expect(hits).toHaveLength(1);
    await expectClean(page);
    await quiet(page);
    await shot(page, 'settings-channels');
  });

  it('a head opening 设置 gets 无权限 without a request', async () => {
    const page = await spec.page();
    await login(page, 'xxs.zhufeng');
    const calls: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/v1\/(units|users|channels|admin)/.test(r.url())) calls.push(r.url());
    });
    await openTab(page, '/settings');
    await page.getByText('无权限').first().waitFor();
    expect(calls).toEqual([]);
    await expectClean(page);
    await shot(page, 'settings-forbidden');
  });
});
