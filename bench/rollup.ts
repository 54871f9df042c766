/**
 * Roll-up at scale: 100,000 items under 2,000 key tasks, 50 sections, 5 plans and 200 units.
 * Prints the full recompute time (the scheduled rollup.full job through the real worker) and its
 * ratio to the raw statement, ROLLUP_SELECT: the same figures computed in one read-only SELECT, timed
 * in the same run; the incremental latency from an approval's commit to visible figures through the
 * worker (pending mark + outbox → NOTIFY → relay → BullMQ → item and ancestors); and the worker's
 * peak RSS.
 * Goals: full recompute ≤ 1.5× the raw statement; incremental p99 ≤ 200 ms; worker RSS ≤ 250 MB.
 *
 *   npm run services:start && npm run build && node dist/bench/rollup.js [approvals=30]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { Queue } from 'bullmq';

import { seedCalendar } from '../seeds/calendar.seed';
import { addCycles, addItems, addSquads, peakRssMb } from './generate';
import { seedOrganizations } from '../seeds/organizations.seed';
import { createDataSource } from '../src/core/database/data-source';
import { OutboxRepository } from '../src/core/outbox/outbox.repository';
import { bullConnection } from '../src/core/queue/queue.module';
import { jobId, QueueName } from '../src/core/queue/queue-names';
import { ROLLUP_SELECT, ROLLUP_WORK_MEM } from '../src/modules/rollup/rollup.sql';
import {
  benchEnv,
  openBenchDatabase,
  ownerDatabaseUrl,
  pct,
  positionalArgs,
  withDb as withDatabase,
} from './lib';

// The schema owner: it creates and migrates the bench database (the bench then runs as it too).
const BASE_URL = ownerDatabaseUrl();
const { REDIS_URL } = benchEnv(['REDIS_URL']);
const DB = 'duban_bench_rollup';
const TODAY = '2022-06-15';
const APPROVALS = Number(positionalArgs()[0] ?? 30);
const withDb = (db: string) => withDatabase(BASE_URL, db);

/** For scale only: plan completion as one GROUP BY over all items and their latest approved percent. */
const NAIVE_STATEMENT = `
SELECT i.plan_id, sum(coalesce(r.percent, 0) * i.weight) / sum(i.weight) AS completion
  FROM items i
  LEFT JOIN LATERAL (SELECT percent FROM progress_reports p WHERE p.item_id = i.id AND p.status = 'approved'
                      ORDER BY reviewed_at DESC LIMIT 1) r ON true
 GROUP BY i.plan_id`;

async function prepare(): Promise<void> {
  // Created marked, or reused: migrated either way.
  const { existed: exists } = await openBenchDatabase(BASE_URL, DB);
  if (exists) return;
  const ds = createDataSource({ db: { url: withDb(DB), poolSize: 2, migrationsRun: false } });
  await ds.initialize();
  await ds.transaction(async (em) => {
    await seedCalendar(em);
    await seedOrganizations(em, 'bench-password-1');
  });
  const t0 = performance.now();
  const q = (sql: string) => ds.query(sql);
  await addSquads(q);
  await q(`INSERT INTO plans (organization_id, year, title, status)
           SELECT o.id, 2022, '压测计划' || g, 'published' FROM organizations o, generate_series(1, 5) g WHERE o.code = 'xxs'`);
  await q(`INSERT INTO plan_sections (organization_id, plan_id, title, sort_order)
           SELECT p.organization_id, p.id, '部分' || g, g FROM plans p, generate_series(1, 10) g WHERE p.title LIKE '压测计划%'`);
  await q(`INSERT INTO plan_tasks (organization_id, plan_id, section_id, title, sort_order)
           SELECT s.organization_id, s.plan_id, s.id, '任务' || g, g FROM plan_sections s, generate_series(1, 40) g`);
  await addItems(q, {
    title: '事项',
    perTask: 50,
    cadences: ['once', 'weekly', 'monthly', 'quarterly', 'ongoing'],
    closedAt: '2022-05-20T02:00:00Z',
  });
  await q(`INSERT INTO item_targets (item_id, sort_order, metric, comparator, value, value_text, unit, direction)
           SELECT id, 1, '指标', '>=', 100, '100', '个', 'increase' FROM items WHERE abs(hashtext(id::text)) % 10 < 3`);
  const [owner] = await q(`SELECT id FROM users WHERE username = 'xxs.admin'`);
  await q(`INSERT INTO progress_reports (organization_id, item_id, period_key, status, percent, created_by, submitted_at,
                                          first_submitted_at, reviewed_at)
           SELECT organization_id, id, '2022-05', 'approved', (abs(hashtext(id::text)) % 100), '${owner.id}',
                  '2022-05-20T02:00:00Z', '2022-05-20T02:00:00Z', '2022-05-21T02:00:00Z'
             FROM items WHERE abs(hashtext(id::text)) % 2 = 0`);
  await q(`INSERT INTO report_actuals (report_id, target_id, value, unit, target_value)
           SELECT r.id, t.id, r.percent, '个', r.percent FROM progress_reports r JOIN item_targets t ON t.item_id = r.item_id`);
  await addCycles(ds, '压测计划%');
  await q(`ANALYZE`);
  const [{ n }] = await q(`SELECT count(*)::int AS n FROM items`);
  console.log(`generated ${n} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await ds.destroy();
}

async function main(): Promise<void> {
  await prepare();
  const ds = createDataSource({ db: { url: withDb(DB), poolSize: 4, migrationsRun: false } });
  await ds.initialize();
  const plans = (
    (await ds.query(`SELECT id FROM plans WHERE title LIKE '压测计划%' ORDER BY title`)) as { id: string }[]
  ).map((p) => p.id);

  // The real worker process: outbox relay (LISTEN/NOTIFY) → BullMQ → roll-up.
  const worker: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.worker.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: withDb(DB),
      REDIS_URL,
      REDIS_PREFIX: 'bench-rollup',
      JWT_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuv',
      DUBAN_NOW: `${TODAY}T10:00:00+08:00`,
      MIGRATIONS_RUN: 'false',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    },
    stdio: 'inherit',
  });
  process.once('exit', () => worker.kill('SIGTERM'));
  const queue = new Queue(QueueName.Rollup, {
    connection: bullConnection({ url: REDIS_URL, prefix: 'bench-rollup' }),
    prefix: 'bench-rollup',
  });

  /** One scheduled full recompute, as the cron enqueues it, timed from enqueue to its finished run. */
  const fullRecompute = async (tick: string): Promise<number> => {
    const t0 = performance.now();
    await queue.add('rollup.full', { tick }, { jobId: jobId('rollup-full', tick) });
    for (;;) {
      const [run] = await ds.query(
        `SELECT finished_at FROM job_runs WHERE job = 'rollup.full' AND tick = $1 AND finished_at IS NOT NULL`,
        [tick],
      );
      if (run) return performance.now() - t0;
      if (performance.now() - t0 > 120_000) throw new Error('no full recompute within 120 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  // Warm up (the first run also writes every item's row), then time each three times, interleaved.
  const run = `${Date.now()}`;
  await fullRecompute(`bench-${run}-warm`);
  await ds.query(`VACUUM ANALYZE item_status`);
  // The raw statement gets the session settings the worker's roll-up transaction has.
  const rawStatement = () =>
    ds.transaction(async (em) => {
      await em.query(ROLLUP_WORK_MEM);
      await em.query(ROLLUP_SELECT, [plans, TODAY, null]);
    });
  await rawStatement();
  await ds.query(NAIVE_STATEMENT);
  const raw: number[] = [];
  const naive: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now();
    await rawStatement();
    raw.push(performance.now() - t0);
    t0 = performance.now();
    await ds.query(NAIVE_STATEMENT);
    naive.push(performance.now() - t0);
    full.push(await fullRecompute(`bench-${run}-${i}`));
  }
  const rawMs = Math.min(...raw);
  const fullMs = Math.min(...full);
  const naiveMs = Math.min(...naive);
  console.log(
    `\nraw statement: the same roll-up as one read-only SELECT (ROLLUP_SELECT in src/modules/rollup/rollup.sql.ts):`,
  );
  console.log(
    `  every item's completion, 序时进度, light and owed reports, and every task, section and plan: ${rawMs.toFixed(0)} ms`,
  );
  console.log(
    `full recompute: the scheduled rollup.full job through the worker (locks, diff, writes, cycle cut-offs): ${fullMs.toFixed(0)} ms`,
  );
  console.log(`ratio full / raw: ${(fullMs / rawMs).toFixed(2)}  (goal ≤ 1.5)`);
  console.log(
    `for scale: plan completion alone from the latest approved percent (one GROUP BY, no lights, no owed reports): ${naiveMs.toFixed(0)} ms`,
  );

  // Incremental: an approval commits with its pending mark and outbox row (the services' own code);
  // the relay is woken by NOTIFY, the job recomputes that item and its ancestors.
  const outbox = new OutboxRepository(ds);
  const latencies: number[] = [];
  const reports = (await ds.query(
    `SELECT r.id, r.item_id, i.plan_id, i.task_id FROM progress_reports r JOIN items i ON i.id = r.item_id
      WHERE r.status = 'approved' ORDER BY r.id LIMIT $1`,
    [APPROVALS],
  )) as { id: string; item_id: string; plan_id: string; task_id: string }[];
  for (const r of reports) {
    const planRow = async () =>
      (
        await ds.query(`SELECT computed_at FROM node_status WHERE node_type = 'plan' AND node_id = $1`, [
          r.plan_id,
        ])
      )[0] as { computed_at: Date } | undefined;
    const before = (await planRow())!.computed_at;
    const t0 = performance.now();
    await ds.transaction(async (em) => {
      await em.query(
        `UPDATE progress_reports SET percent = (percent + 7) % 100, reviewed_at = now() WHERE id = $1`,
        [r.id],
      );
      await outbox.itemChanged(em, r.item_id);
    });
    for (;;) {
      const row = await planRow();
      if (row && new Date(row.computed_at) > new Date(before)) break;
      if (performance.now() - t0 > 30000) throw new Error('no roll-up within 30 s');
      await new Promise((res) => setTimeout(res, 2));
    }
    latencies.push(performance.now() - t0);
    await new Promise((res) => setTimeout(res, 20));
  }
  console.log(
    `\nincremental, approval commit → item, task, section and plan figures visible (${latencies.length} approvals, 20,000-item plans):`,
  );
  // Under 100 samples the 99th percentile is the maximum: it is printed as that.
  const tail =
    latencies.length >= 100
      ? `p99 ${pct(latencies, 0.99).toFixed(0)} ms   max ${Math.max(...latencies).toFixed(0)} ms`
      : `maximum ${Math.max(...latencies).toFixed(0)} ms (= p99 over ${latencies.length} samples)`;
  console.log(`  p50 ${pct(latencies, 0.5).toFixed(0)} ms   ${tail}  (goal p99 ≤ 200 ms)`);
  console.log(`worker peak RSS: ${peakRssMb(worker.pid!).toFixed(0)} MB  (goal ≤ 250 MB)`);
  worker.kill('SIGTERM');
  await queue.close();
  await ds.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
