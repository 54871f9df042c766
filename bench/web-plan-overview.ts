/**
 * 计划总览 of a 100,000-item plan in a real browser: one published plan (20 sections × 100 key tasks × 50
 * items, 200 lead units), figures computed by the real worker's roll-up, the built API serving the built
 * web app, Debian's chromium through playwright-core. It times, as the dispatch office, from navigating
 * to /plan until the first screen shows (the plan's figures and its sections), five times, and for scale
 * GET /plans/:id/tree alone over HTTP. Goal: first screen < 2 s — it holds because the page loads the
 * sections and key tasks only; a key task's items come when it is opened.
 *
 *   npm run services:start && npx nest build && npm run build:web && node dist/bench/web-plan-overview.js
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Client } from 'pg';
import { chromium } from 'playwright-core';

import { seedCalendar } from '../seeds/calendar.seed';
import { seedOrganizations } from '../seeds/organizations.seed';
import { createDataSource } from '../src/core/database/data-source';
import { bullConnection } from '../src/core/queue/queue.module';
import { QueueName } from '../src/core/queue/queue-names';
import { addCycles, addItems, addSquads, waitAndLogin } from './generate';
import { benchEnv, openBenchDatabase, ownerDatabaseUrl, withDb as withDatabase } from './lib';

// The schema owner: it creates and migrates the bench database (the bench then runs as it too).
const BASE_URL = ownerDatabaseUrl();
const { REDIS_URL } = benchEnv(['REDIS_URL']);
const DB = 'duban_bench_overview';
const TITLE = '计划总览压测计划';
const NOW = '2022-06-15T10:00:00+08:00';
const PORT = Number(process.env.BENCH_PORT ?? 3918);
const PASSWORD = 'bench-password-1';
const JWT_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuv';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RUNS = 5;
const withDb = (db: string) => withDatabase(BASE_URL, db);

/** Builds the bench database once (reused while it exists: drop it to regenerate). */
async function prepare(): Promise<boolean> {
  // Created marked, or reused: migrated either way.
  const { existed: exists } = await openBenchDatabase(BASE_URL, DB);
  const ds = createDataSource({ db: { url: withDb(DB), poolSize: 2, migrationsRun: false } });
  await ds.initialize();
  if (exists) {
    await ds.destroy();
    return false;
  }
  await ds.transaction(async (em) => {
    await seedCalendar(em);
    await seedOrganizations(em, PASSWORD);
  });
  const t0 = performance.now();
  const q = (sql: string) => ds.query(sql);
  await addSquads(q);
  await q(`INSERT INTO plans (organization_id, year, title, status)
           SELECT o.id, 2022, '${TITLE}', 'published' FROM organizations o WHERE o.code = 'xxs'`);
  await q(`INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order)
           SELECT p.organization_id, p.id, g || '、', '第' || g || '部分重点工作', g FROM plans p, generate_series(1, 20) g
            WHERE p.title = '${TITLE}'`);
  await q(`INSERT INTO plan_tasks (organization_id, plan_id, section_id, numbering, title, sort_order)
           SELECT s.organization_id, s.plan_id, s.id, '（' || g || '）', '重点任务' || g, g
             FROM plan_sections s, generate_series(1, 100) g`);
  await addItems(q, {
    title: '压测事项',
    perTask: 50,
    cadences: ['once', 'monthly', 'monthly', 'quarterly', 'ongoing'],
    closedAt: '2022-05-20T02:00:00Z',
  });
  const [owner] = await q(`SELECT id FROM users WHERE username = 'xxs.admin'`);
  await q(`INSERT INTO progress_reports (organization_id, item_id, period_key, status, percent, created_by, submitted_at,
                                          first_submitted_at, reviewed_at)
           SELECT organization_id, id, '2022-05', 'approved', (abs(hashtext(id::text)) % 100), '${owner.id}',
                  '2022-05-20T02:00:00Z', '2022-05-20T02:00:00Z', '2022-05-21T02:00:00Z'
             FROM items WHERE abs(hashtext(id::text)) % 2 = 0`);
  await addCycles(ds, TITLE);
  await q('ANALYZE');
  await ds.destroy();
  console.log(`generated 100,000 items under 200 units in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

async function main(): Promise<void> {
  const web = join(__dirname, '..', '..', 'web', 'dist', 'index.html');
  if (!existsSync(web)) throw new Error(`${web} is missing: run npm run build:web first`);
  const fresh = await prepare();
  const db = new Client({ connectionString: withDb(DB) });
  await db.connect();
  const prefix = `bench-overview-${Date.now()}`;
  const env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: withDb(DB),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    JWT_SECRET,
    DUBAN_NOW: NOW,
    MIGRATIONS_RUN: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${PORT}`,
  };
  const dist = join(__dirname, '..', 'src');
  const children: ChildProcess[] = [];
  process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  const start = (file: string) => {
    const child = spawn(process.execPath, [join(dist, file)], { env, stdio: 'inherit' });
    children.push(child);
    return child;
  };
  const api = start('main.api.js');

  // The figures the tree shows come from the roll-up: the worker's full run once, on a fresh database.
  const [{ n: computed }] = (
    await db.query(
      `SELECT count(*)::int AS n FROM item_status s JOIN plans p ON p.id = s.plan_id WHERE p.title = $1`,
      [TITLE],
    )
  ).rows as { n: number }[];
  if (fresh || computed === 0) {
    const worker = start('main.worker.js');
    const rollup = new Queue(QueueName.Rollup, {
      connection: bullConnection({ url: REDIS_URL, prefix }),
      prefix,
    });
    const tick = `bench-${Date.now()}`;
    await rollup.add('rollup.full', { tick }, { jobId: `rollup-full-${tick}` });
    const t0 = performance.now();
    for (;;) {
      const { rowCount } = await db.query(
        `SELECT 1 FROM job_runs WHERE job = 'rollup.full' AND tick = $1 AND finished_at IS NOT NULL`,
        [tick],
      );
      if (rowCount) break;
      if (performance.now() - t0 > 300_000) throw new Error('no roll-up within 5 min');
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`roll-up: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await rollup.close();
    worker.kill('SIGTERM');
  }

  const base = `http://127.0.0.1:${PORT}`;
  const accessToken = await waitAndLogin(base, 'xxs.dispatch', PASSWORD);
  const plans = (await (
    await fetch(`${base}/api/v1/plans`, { headers: { authorization: `Bearer ${accessToken}` } })
  ).json()) as { id: string; title: string }[];
  const plan = plans.find((p) => p.title === TITLE)!;
  const [{ n: items }] = (
    await db.query(`SELECT count(*)::int AS n FROM items WHERE plan_id = $1`, [plan.id])
  ).rows as { n: number }[];

  // For scale: the one request the first screen waits for, alone.
  const treeTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/plans/${plan.id}/tree`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await res.text();
    treeTimes.push(performance.now() - t);
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill('xxs.dispatch');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));

  // From navigation to the first screen: the summary's figures and every section row visible. Through
  // the menu's link (/plan: the plans list, then the default plan's tree) and a link naming the plan.
  const firstScreen = async (path: string) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await page.goto(`${base}${path}`);
      await page.getByTestId('plan-summary').getByTestId('completion').waitFor();
      await page.getByTestId('plan-section').nth(19).waitFor();
      times.push(performance.now() - t);
    }
    return times;
  };
  const viaMenu = await firstScreen('/plan');
  const times = await firstScreen(`/plan?planId=${plan.id}`);
  const sections = await page.getByTestId('plan-section').count();
  // Opening a key task: its first page of items from the server.
  await page.getByTestId('plan-section').first().getByRole('button').click();
  const t = performance.now();
  await page.getByTestId('plan-task').first().getByRole('button').click();
  await page.getByTestId('plan-item').nth(19).waitFor();
  const openTask = performance.now() - t;
  await browser.close();
  await db.end();
  api.kill('SIGTERM');

  const ms = (v: number) => `${Math.round(v)} ms`;
  const summary = (label: string, v: number[]) => {
    const sorted = [...v].sort((a, b) => a - b);
    console.log(
      `计划总览 first screen, ${label} (navigate → figures and sections visible): first ${ms(v[0])}, ` +
        `median ${ms(sorted[Math.floor(RUNS / 2)])}, worst ${ms(sorted[RUNS - 1])} (goal < 2000 ms)`,
    );
    return sorted[Math.floor(RUNS / 2)];
  };
  console.log(`plan: ${items.toLocaleString('en')} items, ${sections} sections shown`);
  console.log(`GET /plans/:id/tree alone: first ${ms(treeTimes[0])}, best ${ms(Math.min(...treeTimes))}`);
  const medians = [summary('/plan (menu)', viaMenu), summary('/plan?planId=…', times)];
  console.log(`opening a key task (its first 20 items): ${ms(openTask)}`);
  process.exit(Math.max(...medians) < 2000 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
