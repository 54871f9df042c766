import { Page } from 'playwright-core';

import {
  allowResponses,
  browserSpec,
  expectClean,
  login,
  loginButton,
  shot,
  submitLogin,
} from '../helpers/browser';

const SESSION_KEY = 'duban.session';

/** 登录: the three ways a login goes wrong, each with its Chinese message, in a real browser. */
describe('登录 (login in the browser)', () => {
  // Three failures lock a username here (5 by default): the lock test stays short.
  const spec = browserSpec({ worker: false, env: { LOGIN_MAX_FAILURES: '3' } });

  const alertText = (page: Page) => page.getByRole('alert').innerText();
  const storedSession = (page: Page) =>
    page.evaluate(`JSON.parse(localStorage.getItem('${SESSION_KEY}') ?? 'null')`) as Promise<{
      accessToken: string;
      refreshToken: string;
    } | null>;
  const storeSession = (page: Page, value: { accessToken: string; refreshToken: string }) =>
    page.evaluate(`localStorage.setItem('${SESSION_KEY}', ${JSON.stringify(JSON.stringify(value))})`);

  it('the login page, on a PC and on a phone', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await spec.page(viewport);
      await page.goto('/login');
      await page.getByLabel('用户名').waitFor();
      await shot(page, 'login');
      await expectClean(page);
    }
  });

  it('a wrong password says so in Chinese and stays on the login page', async () => {
    const page = await spec.page();
    allowResponses(page, { status: 401, url: '/api/v1/auth/login', method: 'POST' });
    await page.goto('/login');
    await submitLogin(page, 'xxs.zhufeng1', 'not-the-password');
    expect(await alertText(page)).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await storedSession(page)).toBeNull();
    await shot(page, 'login-wrong-password');
    await expectClean(page);
  });

  it('a locked account (429) says it is locked and for how long', async () => {
    const page = await spec.page();
    allowResponses(
      page,
      { status: 401, url: '/api/v1/auth/login', method: 'POST' },
      { status: 429, url: '/api/v1/auth/login', method: 'POST' },
    );
    await page.goto('/login');
    // Each attempt waits for its own answer (the alert of the previous one is still on screen), with room
    // for a machine busy with the rest of the suite: argon2 and the database may be slow, never wrong.
    const answer = () =>
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST', {
        timeout: 90_000,
      });
    for (let i = 0; i < 3; i++) {
      const answered = answer();
      await submitLogin(page, 'yy.admin', `wrong-${i}`);
      expect((await answered).status()).toBe(401);
      // The button is busy until the answer is in; the next attempt waits for it.
      await loginButton(page).and(page.locator(':not(.ant-btn-loading)')).waitFor({ timeout: 90_000 });
    }
    const locked = answer();
    await submitLogin(page, 'yy.admin');
    expect((await locked).status()).toBe(429);
    await page.getByText('账号已暂时锁定').waitFor();
    const text = await alertText(page);
    expect(text).toContain('登录失败次数过多');
    // LOGIN_LOCK_SECONDS (900 s) from the Retry-After header.
    expect(text).toMatch(/请 1[45] 分钟后再试/);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, 'login-locked');
    await expectClean(page);
  }, 300_000);

  it('a page opened without a session goes to /login?next=… and back to it after login', async () => {
    const page = await spec.page();
    await page.goto('/messages?tab=unread');
    await page.waitForURL('**/login?**');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/messages?tab=unread');
    await login(page, 'xxs.zhufeng1');
    const url = new URL(page.url());
    expect(url.pathname + url.search).toBe('/messages?tab=unread');
    expect(await storedSession(page)).toMatchObject({ accessToken: expect.any(String) });
    await expectClean(page);
  });

  it('an expired access token is refreshed without the user noticing', async () => {
    const page = await spec.page();
    await login(page, 'xxs.zhufeng1');
    await page.goto('/messages');
    await page.getByRole('main').waitFor();
    await expectClean(page);
    const tokens = (await storedSession(page))!;
    // As after 15 idle minutes: the access token no longer passes, the refresh token still does.
    await storeSession(page, { ...tokens, accessToken: 'expired' });
    allowResponses(page, { status: 401, url: '/api/v1/' });
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).pathname).toBe('/messages');
    await page.getByRole('main').waitFor();
    const after = (await storedSession(page))!;
    expect(after.accessToken).not.toBe('expired');
    expect(after.refreshToken).not.toBe(tokens.refreshToken);
    await expectClean(page);
  });

  it('a session that cannot be refreshed goes to /login?next=<page> with a message, and back after login', async () => {
    const page = await spec.page();
    await login(page, 'xxs.zhufeng1');
    await page.goto('/messages');
    await page.getByRole('main').waitFor();
    await expectClean(page);
    // Revoked elsewhere (logged out, password reset): neither token passes any more.
    await storeSession(page, { accessToken: 'expired', refreshToken: 'revoked' });
    allowResponses(page, { status: 401, url: '/api/v1/' });
    await page.reload();
    await page.waitForURL('**/login?**');
    const url = new URL(page.url());
    expect(url.searchParams.get('next')).toBe('/messages');
    await page.getByText('登录已过期，请重新登录').waitFor();
    expect(await storedSession(page)).toBeNull();
    await shot(page, 'login-expired');
    await login(page, 'xxs.zhufeng1');
    expect(new URL(page.url()).pathname).toBe('/messages');
    await expectClean(page);
  });
});
