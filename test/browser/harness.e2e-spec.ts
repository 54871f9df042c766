import { existsSync, rmSync, statSync } from 'node:fs';

import {
  allowResponses,
  browserSpec,
  expectClean,
  samplePhoto,
  SCREENSHOT_DIR,
  shot,
  takeProblems,
} from '../helpers/browser';

/**
 * The browser harness itself, on the real system: the built API serves the built web app from its
 * default folder, and the page guard catches what the page specs rely on it to catch.
 */
describe('浏览器测试工具 (browser harness)', () => {
  const spec = browserSpec({ worker: false, template: 'e2e' });

  /** A blank page of the system's origin (not the app, whose own requests would mix in). */
  async function blankPage() {
    const page = await spec.page();
    await page.route('**/harness-blank', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
    );
    await page.goto('/harness-blank');
    return page;
  }

  it('the built API serves the built web app: index.html revalidated, hashed assets immutable', async () => {
    const page = await spec.page();
    const assets: { url: string; cacheControl?: string }[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/assets/'))
        assets.push({ url: res.url(), cacheControl: res.headers()['cache-control'] });
    });
    const res = await page.goto('/items/0b7c0e52-5a3c-4d2e-9d8f-2a1b3c4d5e6f');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);
    expect(res?.headers()['cache-control']).toBe('no-cache');
    await page.waitForLoadState('networkidle');
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets)
      expect(a).toEqual({ url: a.url, cacheControl: 'public, max-age=31536000, immutable' });
    await expectClean(page);
  });

  it('expectClean lists console errors, page errors, failed requests and unexpected responses ≥ 400', async () => {
    const page = await blankPage();
    await expectClean(page);
    await page.route('**/api/v1/broken', (route) => route.abort('failed'));
    await page.evaluate(async () => {
      console.error('渲染失败：示例');
      setTimeout(() => {
        throw new Error('未捕获的示例错误');
      });
      await fetch('/api/v1/no-such-thing');
      await fetch('/api/v1/broken').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    });
    const failure = await expectClean(page).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failure).toContain('[console] 渲染失败：示例');
    expect(failure).toContain('[pageerror] Error: 未捕获的示例错误');
    expect(failure).toMatch(/\[requestfailed\] GET .*\/api\/v1\/broken: net::ERR_FAILED/);
    expect(failure).toMatch(/\[response\] GET .*\/api\/v1\/no-such-thing → 404/);
    // Each problem is reported once: the check clears what it saw.
    await expectClean(page);
  });

  it('responses a test causes on purpose are declared and then not problems', async () => {
    const page = await blankPage();
    allowResponses(page, { status: 401, url: '/api/v1/auth/me', method: 'GET' });
    await page.evaluate(() => fetch('/api/v1/auth/me'));
    // Only the declared one: another status on the same address still counts.
    await page.evaluate(() => fetch('/api/v1/auth/me', { method: 'DELETE' }));
    expect(takeProblems(page).map((p) => p.status)).toEqual([404]);
  });

  it('screenshots land in .run/screenshots named by page and width; the phone preset is a touch screen', async () => {
    const desktop = await spec.page('desktop');
    await desktop.goto('/');
    const phone = await spec.page('phone');
    await phone.goto('/');
    for (const p of [`${SCREENSHOT_DIR}/harness-1366.png`, `${SCREENSHOT_DIR}/harness-375.png`])
      rmSync(p, { force: true });
    expect(await shot(desktop, 'harness')).toBe(`${SCREENSHOT_DIR}/harness-1366.png`);
    expect(await shot(phone, 'harness')).toBe(`${SCREENSHOT_DIR}/harness-375.png`);
    expect(
      existsSync(`${SCREENSHOT_DIR}/harness-375.png`) && statSync(`${SCREENSHOT_DIR}/harness-375.png`).size,
    ).toBeGreaterThan(1000);
    // Expressions, not functions: the tests compile without the DOM's types.
    expect(await phone.evaluate('[innerWidth, navigator.maxTouchPoints > 0]')).toEqual([375, true]);
    expect(await desktop.evaluate('innerWidth')).toBe(1366);
    await expectClean(desktop);
    await expectClean(phone);
  });

  it('a sample photo for evidence uploads is a real JPEG', () => {
    const photo = samplePhoto();
    expect(photo.mimeType).toBe('image/jpeg');
    expect([...photo.buffer.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(photo.buffer.length).toBeGreaterThan(2000);
  });

  it('tests can ask the API directly, as a given user', async () => {
    const token = await spec.system.token('xxs.zhufeng1');
    const me = await spec.system.call<{ username: string }>(token, '/auth/me');
    expect(me.username).toBe('xxs.zhufeng1');
    expect((await spec.system.request(undefined, '/auth/me')).status).toBe(401);
  });
});
