import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createCanvas } from '@napi-rs/canvas';
import { Client } from 'pg';
import { Browser, BrowserContext, chromium, ConsoleMessage, Locator, Page } from 'playwright-core';

import { createTestDatabase, dropTestDatabase, pinDatabaseClock } from './db';
import { DEMO_EVIDENCE_DIR, DEMO_NOW, ensureDemoTemplate } from './demo-template';
import { baseEnv, ROOT, TEMPLATE_DB, TEST_PASSWORD, withDatabase } from './env';
import { Proc, startProcess, stopAll } from './processes';
import { freePort, waitFor } from './services';

/**
 * Browser tests (test/browser/*.e2e-spec.ts): the built API (serving the built web app) and one worker
 * as real processes on a database cloned from the seeded template, driven by Debian's chromium through
 * playwright-core. One system and one browser per spec file (`browserSpec()`), a fresh browser context
 * (own storage, own session) per page.
 */

export const SCREENSHOT_DIR = join(ROOT, '.run', 'screenshots');
export const WEB_DIST = join(ROOT, 'web', 'dist');
export { DEMO_NOW };

export const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 375, height: 812 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export interface SystemOptions {
  /**
   * The database the system runs on, cloned from: `demo` (default) the seeded demo, as `npm run demo`
   * leaves it (base seed + the half-year replay; built once per run), `e2e` the e2e template (base seed +
   * a fixed history, no replay).
   */
  template?: 'demo' | 'e2e';
  /** The business clock the database is pinned to before the processes start (DEMO_NOW). */
  now?: string;
  /** false: the pinned clock runs on from `now` in real time (true). */
  frozen?: boolean;
  /** Extra environment for both processes. */
  env?: Record<string, string>;
  /** Start the worker too (true). */
  worker?: boolean;
}

export interface ApiResult<T> {
  status: number;
  body: T;
}

export interface BrowserSystem {
  /** http://127.0.0.1:<port>, no trailing slash: the web app at `/`, the API at `/api/v1`. */
  baseUrl: string;
  database: string;
  api: Proc;
  worker?: Proc;
  /** An access token from the API's own login (password: the seeded one, TEST_PASSWORD). */
  token(username: string, password?: string): Promise<string>;
  /** Calls the API as `token` (a path under /api/v1, or a full path starting with /api or /health); throws unless 2xx. */
  call<T = unknown>(token: string, path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** The same without the 2xx check: status and parsed body. */
  request<T = unknown>(
    token: string | undefined,
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<ApiResult<T>>;
  /** SQL on the system's database as the runtime role (what the app itself may do). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Moves the business clock (duban_now()) for the API and the worker alike. */
  pinClock(at: string, frozen?: boolean): Promise<void>;
  /** What both processes have printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the API and a worker on free ports and a fresh database; resolves once /health/ready is 200. */
export async function startSystem(options: SystemOptions = {}): Promise<BrowserSystem> {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`${WEB_DIST}/index.html is missing: run \`npm run build:web\` first (npm test does)`);
  const demo = (options.template ?? 'demo') === 'demo';
  const database = await createTestDatabase('t', demo ? await ensureDemoTemplate() : TEMPLATE_DB);
  const base = baseEnv();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const evidence = mkdtempSync(join(tmpdir(), 'duban-browser-evidence-'));
  // The replay's uploads: their rows came with the clone, so their files come along too.
  if (demo) cpSync(DEMO_EVIDENCE_DIR, evidence, { recursive: true });
  const env: Record<string, string> = {
    ...base,
    DATABASE_URL: withDatabase(base.DATABASE_URL, database),
    MIGRATION_DATABASE_URL: withDatabase(base.MIGRATION_DATABASE_URL, database),
    DATABASE_POOL_SIZE: '4',
    REDIS_PREFIX: `b${randomBytes(4).toString('hex')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    EVIDENCE_DIR: evidence,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const procs: Proc[] = [];
  const output = () => procs.map((p) => `--- ${p.name} ---\n${p.output()}`).join('\n');
  const stop = async () => {
    await stopAll(procs);
    await db.end().catch(() => undefined);
    await dropTestDatabase(database);
    rmSync(evidence, { recursive: true, force: true });
  };
  try {
    await pinDatabaseClock(db, options.now ?? DEMO_NOW, options.frozen ?? true);
    const api = startProcess('api', 'main.api.js', env);
    procs.push(api);
    const worker = options.worker === false ? undefined : startProcess('worker', 'main.worker.js', env);
    if (worker) procs.push(worker);
    await waitFor(
      'the API at /health/ready',
      async () => {
        const dead = procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
        if (dead) throw new Error(`${dead.name} exited`);
        return (await fetch(`${baseUrl}/health/ready`)).status === 200;
      },
      90000,
      250,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${output()}`);
    });
    const dead = procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited before the API was ready\n${output()}`);

    const request = async <T>(
      token: string | undefined,
      path: string,
      init: { method?: string; body?: unknown } = {},
    ): Promise<ApiResult<T>> => {
      const url = `${baseUrl}${/^\/(api|health)(\/|$)/.test(path) ? path : `/api/v1${path}`}`;
      const res = await fetch(url, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: the text as it is.
      }
      return { status: res.status, body: body as T };
    };
    return {
      baseUrl,
      database,
      api,
      worker,
      token: async (username, password = TEST_PASSWORD) => {
        const res = await request<{ accessToken: string }>(undefined, '/auth/login', {
          body: { username, password },
        });
        if (res.status !== 200)
          throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body.accessToken;
      },
      call: async <T>(token: string, path: string, init?: { method?: string; body?: unknown }) => {
        const res = await request<T>(token, path, init);
        if (res.status < 200 || res.status > 299)
          throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      },
      request,
      query: async <T>(sql: string, params?: unknown[]) => (await db.query(sql, params)).rows as T[],
      pinClock: (at, frozen = true) => pinDatabaseClock(db, at, frozen),
      output,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Debian's chromium (CHROMIUM_PATH overrides), headless; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(`${executablePath} is missing: apt-get install chromium fonts-noto-cjk (npm test does)`);
  return chromium.launch({
    executablePath,
    headless: true,
    // Root (containers, CI) cannot use chromium's sandbox; /dev/shm is small in containers.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
}

/** Something that went wrong on a page: what expectClean reports. */
export interface Problem {
  kind: 'console' | 'pageerror' | 'requestfailed' | 'response';
  text: string;
  url?: string;
  status?: number;
}

/** A failing response a test means to cause (the 401 of a wrong password). */
export interface ExpectedResponse {
  status: number;
  /** Part of the URL (a string) or a pattern; any URL when unset. */
  url?: string | RegExp;
  method?: string;
}

interface Guard {
  problems: Problem[];
  expected: ExpectedResponse[];
}

const guards = new WeakMap<Page, Guard>();

function matches(e: ExpectedResponse, status: number, url: string, method?: string): boolean {
  if (e.status !== status) return false;
  if (e.method && method && e.method.toUpperCase() !== method.toUpperCase()) return false;
  if (e.url === undefined) return true;
  return typeof e.url === 'string' ? url.includes(e.url) : e.url.test(url);
}

/** Chromium's own console line for a 4xx/5xx resource: "Failed to load resource: … status of 401 (…)". */
function failedResourceStatus(msg: ConsoleMessage): number | undefined {
  const m = /^Failed to load resource: the server responded with a status of (\d{3})/.exec(msg.text());
  return m ? Number(m[1]) : undefined;
}

/** Records console errors, uncaught page errors, failed requests and responses ≥ 400 of `page`. */
export function guardPage(page: Page): void {
  const guard: Guard = { problems: [], expected: [] };
  guards.set(page, guard);
  const expected = (status: number, url: string, method?: string) =>
    guard.expected.some((e) => matches(e, status, url, method));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    const status = failedResourceStatus(msg);
    // The browser's echo of a failing response: reported once, as that response (below), or expected.
    if (status !== undefined) return;
    guard.problems.push({ kind: 'console', text: msg.text(), url });
  });
  page.on('pageerror', (err) => guard.problems.push({ kind: 'pageerror', text: err.stack ?? err.message }));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? 'failed';
    // A request the page itself gave up (leaving the page, a query cancelled on unmount) is no failure.
    if (failure === 'net::ERR_ABORTED') return;
    guard.problems.push({
      kind: 'requestfailed',
      text: `${req.method()} ${req.url()}: ${failure}`,
      url: req.url(),
    });
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status < 400) return;
    const method = res.request().method();
    if (expected(status, res.url(), method)) return;
    guard.problems.push({
      kind: 'response',
      text: `${method} ${res.url()} → ${status}`,
      url: res.url(),
      status,
    });
  });
}

/** Declares failing responses the test causes on purpose; they are not problems for expectClean. */
export function allowResponses(page: Page, ...expected: ExpectedResponse[]): void {
  const guard = guards.get(page);
  if (!guard) throw new Error('allowResponses: the page was not made by newPage()/guardPage()');
  guard.expected.push(...expected);
}

/** The problems recorded so far (and clears them). */
export function takeProblems(page: Page): Problem[] {
  const guard = guards.get(page);
  if (!guard) throw new Error('takeProblems: the page was not made by newPage()/guardPage()');
  return guard.problems.splice(0);
}

/**
 * Fails, listing them, when the page logged a console error, threw, had a request fail or got an
 * unexpected response ≥ 400 since the last check. Clears what it saw, so call it after every page.
 */
export async function expectClean(page: Page): Promise<void> {
  // Let the last responses and console lines of the page arrive before judging it.
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
  const problems = takeProblems(page);
  if (problems.length > 0) {
    const lines = problems.map(
      (p) => `  [${p.kind}] ${p.text}${p.url && p.kind === 'console' ? ` (${p.url})` : ''}`,
    );
    throw new Error(`page ${page.url()} is not clean:\n${lines.join('\n')}`);
  }
}

export interface NewPageOptions {
  /** The address relative page.goto('/x') resolves against (the system's baseUrl). */
  baseUrl?: string;
  /** Accept-Language and navigator.language (zh-CN, as the users have it; time zone Asia/Shanghai). */
  locale?: string;
}

/**
 * A page in a browser context of its own (own storage: one session per page), sized to a preset or
 * any viewport; phone = 375×812 with touch, mobile layout and a 2× screen. Guarded (guardPage).
 */
export async function newPage(
  browser: Browser,
  viewport: ViewportName | { width: number; height: number } = 'desktop',
  options: NewPageOptions = {},
): Promise<Page> {
  const phone = viewport === 'phone';
  const size = typeof viewport === 'string' ? VIEWPORTS[viewport] : viewport;
  const context: BrowserContext = await browser.newContext({
    viewport: size,
    isMobile: phone,
    hasTouch: phone,
    deviceScaleFactor: phone ? 2 : 1,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: options.baseUrl,
  });
  const page = await context.newPage();
  guardPage(page);
  return page;
}

/** Fills and submits the real login form (does not wait for the result). */
export async function submitLogin(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await loginButton(page).click();
}

/**
 * The login form's submit button, found by its role and not by its accessible name: antd keeps the
 * collapsed loading icon (aria-label "loading") in the button until its leave transition ends, which a
 * starved headless chromium may never finish, so a name such as /^登录$/ can stop matching for good.
 */
export function loginButton(page: Page): Locator {
  return page.locator('.login-card form button[type="submit"]');
}

/** Logs in through the real login form and waits until the app has left /login. */
export async function login(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await submitLogin(page, username, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15000 });
}

/**
 * Saves what the page shows to .run/screenshots/<name>-<width>.png (git-ignored) and returns the path.
 * Animations are finished first, so two runs give comparable pictures.
 */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

/**
 * A small real JPEG photo (a 640×480 "site photo"), for evidence uploads: pass it to
 * `locator.setInputFiles(samplePhoto())` or to a file chooser.
 */
export function samplePhoto(name = '现场照片.jpg'): { name: string; mimeType: string; buffer: Buffer } {
  const canvas = createCanvas(640, 480);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#7fa7c9';
  ctx.fillRect(0, 0, 640, 300);
  ctx.fillStyle = '#8a8f7a';
  ctx.fillRect(0, 300, 640, 180);
  ctx.fillStyle = '#c0392b';
  ctx.fillRect(260, 200, 120, 140);
  return { name, mimeType: 'image/jpeg', buffer: canvas.toBuffer('image/jpeg') };
}

export interface BrowserSpec {
  /** The running system (after beforeAll). */
  readonly system: BrowserSystem;
  readonly browser: Browser;
  /** newPage() against this system's address (relative page.goto('/x') works); closed after the spec. */
  page(viewport?: ViewportName | { width: number; height: number }): Promise<Page>;
}

/**
 * Call at the top of a spec file (or describe): starts the system and the browser in beforeAll and
 * stops both in afterAll, one of each per spec file.
 */
export function browserSpec(options: SystemOptions = {}): BrowserSpec {
  let system: BrowserSystem | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // Both at once; whichever started is stopped by afterAll even when the other failed.
    const [s, b] = await Promise.allSettled([startSystem(options), launchBrowser()]);
    if (s.status === 'fulfilled') system = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
    // The first spec of a run also builds the demo template (the replay: about half a minute, more on a
    // busy machine).
  }, 420000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  }, 60000);
  return {
    get system() {
      if (!system) throw new Error('the system is not started (beforeAll failed?)');
      return system;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not started (beforeAll failed?)');
      return browser;
    },
    page: (viewport = 'desktop') => {
      if (!browser || !system) throw new Error('the browser spec is not started (beforeAll failed?)');
      return newPage(browser, viewport, { baseUrl: system.baseUrl });
    },
  };
}
