/**
 * The monthly dispatch pack at scale: one plan of 100,000 items under 200 lead units, the business
 * clock at 2022-07-15, June's cycle closed by the real worker (roll-up, snapshots). Through the real
 * API and worker processes it times the JSON pack (GET /cycles/:id/dispatch-pack, as the dispatch
 * office: every figure over all items, each long list's first 200 rows), pages of 1000 rows of the
 * lists, the xlsx and the docx exports with every row (request → worker job → file ready), and prints
 * both processes' peak RSS. For scale it names a raw baseline: the overdue list as one bare statement.
 * Goals: JSON ≤ 1 s, xlsx ≤ 10 s, docx ≤ 10 s, RSS ≤ 400 MB.
 *
 *   npm run services:start && npm run build && node dist/bench/dispatch-pack.js
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Client } from 'pg';

import { seedCalendar } from '../seeds/calendar.seed';
import { addCycles, addItems, addSquads, peakRssMb, waitAndLogin } from './generate';
import { seedOrganizations } from '../seeds/organizations.seed';
import { createDataSource } from '../src/core/database/data-source';
import { bullConnection } from '../src/core/queue/queue.module';
import { QueueName } from '../src/core/queue/queue-names';
import { benchEnv, openBenchDatabase, ownerDatabaseUrl, withDb as withDatabase } from './lib';

// The schema owner: it creates and migrates the bench database (the bench then runs as it too).
const BASE_URL = ownerDatabaseUrl();
const { REDIS_URL } = benchEnv(['REDIS_URL']);
const DB = 'duban_bench_dispatch';
const NOW = '2022-07-15T10:00:00+08:00';
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const PASSWORD = 'bench-password-1';
const JWT_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuv';
const withDb = (db: string) => withDatabase(BASE_URL, db);

async function prepare(): Promise<void> {
  // Created marked, or reused: migrated either way.
  const { existed: exists } = await openBenchDatabase(BASE_URL, DB);
  const ds = createDataSource({ db: { url: withDb(DB), poolSize: 2, migrationsRun: false } });
  await ds.initialize();
  if (exists) {
    await ds.destroy();
    return ensureReminders();
  }
  await ds.transaction(async (em) => {
    await seedCalendar(em);
    await seedOrganizations(em, PASSWORD);
  });
  const t0 = performance.now();
  const q = (sql: string) => ds.query(sql);
  await addSquads(q);
  await q(`INSERT INTO plans (organization_id, year, title, status)
           SELECT o.id, 2022, '调度会压测计划', 'published' FROM organizations o WHERE o.code = 'xxs'`);
  await q(`INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order)
           SELECT p.organization_id, p.id, g || '、', '第' || g || '部分重点工作', g FROM plans p, generate_series(1, 20) g
            WHERE p.title = '调度会压测计划'`);
  await q(`INSERT INTO plan_tasks (organization_id, plan_id, section_id, title, sort_order)
           SELECT s.organization_id, s.plan_id, s.id, '重点任务' || g, g FROM plan_sections s, generate_series(1, 100) g`);
  await addItems(q, {
    title: '压测事项',
    perTask: 50,
    cadences: ['once', 'monthly', 'monthly', 'quarterly', 'ongoing'],
    closedAt: '2022-06-20T02:00:00Z',
  });
  const [owner] = await q(`SELECT id FROM users WHERE username = 'xxs.admin'`);
  await q(`INSERT INTO progress_reports (organization_id, item_id, period_key, status, percent, created_by, submitted_at,
                                          first_submitted_at, reviewed_at)
           SELECT organization_id, id, '2022-06', 'approved', (abs(hashtext(id::text)) % 100), '${owner.id}',
                  '2022-06-20T02:00:00Z', '2022-06-20T02:00:00Z', '2022-06-21T02:00:00Z'
             FROM items WHERE abs(hashtext(id::text)) % 2 = 0`);
  await addCycles(ds, '调度会压测计划');
  await ds.destroy();
  await ensureReminders();
  await q0(`ANALYZE`);
  console.log(`generated 100,000 items under 200 units in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function q0(sql: string): Promise<void> {
  const c = new Client({ connectionString: withDb(DB) });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/**
 * The escalation ladder as the reminder scan leaves it by June's cut-off (rules of
 * src/modules/reminders/domain/rules.ts, defaults): 提醒 for every item past its deadline, 催办 from
 * 3 working days overdue, 督办 from 8. The pack reads the level reached from these rows.
 */
async function ensureReminders(): Promise<void> {
  await q0(`
    INSERT INTO reminders (key, organization_id, plan_id, item_id, kind, level, audience, due_on, title, lines)
    SELECT x.kind || '.' || i.id || '.' || i.deadline, i.organization_id, i.plan_id, i.id, x.kind, x.level, x.audience,
           wd.date, '压测提醒', '[]'
      FROM items i JOIN plans p ON p.id = i.plan_id AND p.title = '调度会压测计划'
      JOIN work_day_index d ON d.calendar_id = work_calendar(i.organization_id) AND d.date = i.deadline
      CROSS JOIN (VALUES ('deadline-overdue', 'remind', 'owner', 1), ('urge', 'urge', 'lead_heads', 3),
                         ('supervise', 'supervise', 'leader_and_dispatch', 8)) x(kind, level, audience, after)
      JOIN work_day_index wd ON wd.calendar_id = d.calendar_id AND wd.idx = d.idx + x.after AND wd.working
     WHERE i.status <> 'closed' AND wd.date <= DATE '2022-07-15'
    ON CONFLICT (key) DO NOTHING`);
}

async function main(): Promise<void> {
  await prepare();
  const ds = createDataSource({ db: { url: withDb(DB), poolSize: 2, migrationsRun: false } });
  await ds.initialize();
  const prefix = `bench-dispatch-${Date.now()}`;
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
  };
  const dist = join(__dirname, '..', 'src');
  // As `npm run start:worker` and `npm run start:api` run them.
  // e.g. BENCH_WORKER_NODE_ARGS="--max-old-space-size=512" to see the figures past today's limit.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '--max-old-space-size=192')
    .split(' ')
    .filter(Boolean);
  const worker: ChildProcess = spawn(process.execPath, [...nodeArgs, join(dist, 'main.worker.js')], {
    env,
    stdio: 'inherit',
  });
  const api: ChildProcess = spawn(process.execPath, [join(dist, 'main.api.js')], { env, stdio: 'inherit' });
  process.once('exit', () => {
    worker.kill('SIGKILL');
    api.kill('SIGKILL');
  });
  let stopping = false;
  for (const [name, child] of [
    ['worker', worker],
    ['API', api],
  ] as const) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`${name} exited (${code ?? signal}) during the bench`);
      process.exit(1);
    });
  }

  // The worker's scheduled run: figures for every item, May and June closed and snapshotted.
  const rollup = new Queue(QueueName.Rollup, {
    connection: bullConnection({ url: REDIS_URL, prefix }),
    prefix,
  });
  const tick = `bench-${Date.now()}`;
  await rollup.add('rollup.full', { tick }, { jobId: `rollup-full-${tick}` });
  const t0 = performance.now();
  for (;;) {
    const [run] = await ds.query(
      `SELECT 1 FROM job_runs WHERE job = 'rollup.full' AND tick = $1 AND finished_at IS NOT NULL`,
      [tick],
    );
    if (run) break;
    if (performance.now() - t0 > 300_000) throw new Error('no roll-up within 5 min');
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`roll-up and June's cut-off: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const [cycle] = await ds.query(
    `SELECT c.id, c.plan_id, c.report_due FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id
      WHERE p.title = '调度会压测计划' AND c.period = '2022-06'`,
  );

  const base = `http://127.0.0.1:${PORT}`;
  const accessToken = await waitAndLogin(base, 'xxs.dispatch', PASSWORD);
  const auth = { authorization: `Bearer ${accessToken}` };

  // JSON: first call and the best of five.
  const json: number[] = [];
  let size = 0;
  let counts = '';
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/cycles/${cycle.id}/dispatch-pack`, { headers: auth });
    const body = await res.text();
    json.push(performance.now() - t);
    if (!res.ok) throw new Error(`pack: ${res.status} ${body.slice(0, 200)}`);
    size = body.length;
    const pack = JSON.parse(body) as {
      summary: { overdue: number; atRisk: number; closedSince: number };
      overdue: unknown[];
      scoreboard: unknown[];
      listRows: number;
    };
    counts =
      `${pack.summary.overdue} overdue, ${pack.summary.atRisk} at risk, ${pack.summary.closedSince} closed since ` +
      `the last meeting, ${pack.scoreboard.length} units ranked; each list's first ${pack.listRows} rows`;
  }
  // The rest of a list comes by pages: a deep page of the overdue list and the first of the at-risk one.
  const pageTimes: Record<string, number[]> = { overdue: [], 'at-risk': [] };
  for (const [list, page] of [
    ['overdue', 20],
    ['at-risk', 1],
  ] as const) {
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const res = await fetch(
        `${base}/api/v1/cycles/${cycle.id}/dispatch-pack/${list}?page=${page}&pageSize=1000`,
        {
          headers: auth,
        },
      );
      const body = (await res.json()) as { items: unknown[] };
      if (!res.ok || body.items.length !== 1000) throw new Error(`${list} page: ${res.status}`);
      pageTimes[list].push(performance.now() - t);
    }
  }
  // Raw baseline: the overdue list as one bare statement (no read rule, no escalation lookup).
  const raw: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await ds.query(
      `SELECT i.id, i.title, lu.name, i.deadline, wa.idx - wd.idx FROM items i JOIN units lu ON lu.id = i.lead_unit_id
         JOIN work_day_index wd ON wd.calendar_id = (SELECT work_calendar(organization_id) FROM plans WHERE id = $1)
          AND wd.date = i.deadline
         JOIN work_day_index wa ON wa.calendar_id = wd.calendar_id AND wa.date = $2::date
        WHERE i.plan_id = $1 AND i.deadline < $2::date AND i.status NOT IN ('cancelled', 'suspended', 'draft')
          AND (i.closed_at IS NULL OR (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`,
      [cycle.plan_id, cycle.report_due],
    );
    raw.push(performance.now() - t);
  }

  const exportOnce = async (format: 'xlsx' | 'docx') => {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/cycles/${cycle.id}/dispatch-pack/exports`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ format }),
    });
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const s = (await (await fetch(`${base}/api/v1/pack-exports/${id}`, { headers: auth })).json()) as {
        status: string;
        error: string | null;
      };
      if (s.status === 'done') break;
      if (s.status === 'failed') throw new Error(`${format} export failed: ${s.error}`);
      if (performance.now() - t > 300_000) throw new Error(`${format} export not done within 5 min`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const file = await fetch(`${base}/api/v1/pack-exports/${id}/file`, { headers: auth });
    const bytes = (await file.arrayBuffer()).byteLength;
    return { ms: performance.now() - t, bytes };
  };
  const xlsx = [await exportOnce('xlsx'), await exportOnce('xlsx')];
  const docx = [await exportOnce('docx'), await exportOnce('docx')];

  const best = (xs: number[]) => Math.min(...xs);
  console.log(`\npack of June 2022 (${counts}; ${(size / 1024).toFixed(0)} KB of JSON)`);
  console.log(
    `  JSON through the API: first ${json[0].toFixed(0)} ms, best of five ${best(json.slice(1)).toFixed(0)} ms  (goal ≤ 1000 ms)`,
  );
  console.log(
    `  pages of 1000 rows: overdue page 20 best ${best(pageTimes.overdue).toFixed(0)} ms, at-risk page 1 best ${best(pageTimes['at-risk']).toFixed(0)} ms`,
  );
  console.log(
    `  raw baseline, the overdue list as one bare statement: ${best(raw).toFixed(0)} ms; ratio ${(best(json.slice(1)) / best(raw)).toFixed(1)}`,
  );
  console.log(
    `  xlsx, request → worker → file ready: ${xlsx.map((x) => (x.ms / 1000).toFixed(1)).join(' s, ')} s (${(xlsx[0].bytes / 1024 / 1024).toFixed(1)} MB)  (goal ≤ 10 s)`,
  );
  console.log(
    `  docx with three charts: ${docx.map((x) => (x.ms / 1000).toFixed(1)).join(' s, ')} s (${(docx[0].bytes / 1024).toFixed(0)} KB)  (goal ≤ 10 s)`,
  );
  console.log(
    `peak RSS: worker ${peakRssMb(worker.pid!).toFixed(0)} MB, API ${peakRssMb(api.pid!).toFixed(0)} MB  (goal ≤ 400 MB)`,
  );
  stopping = true;
  worker.kill('SIGTERM');
  api.kill('SIGTERM');
  await Promise.all([new Promise((r) => worker.once('exit', r)), new Promise((r) => api.once('exit', r))]);
  await rollup.obliterate({ force: true }).catch(() => undefined);
  await rollup.close();
  await ds.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
