/**
 * Issue 18's bench: item search and plan tree throughput through the proxy (nginx) with 1 vs 2 API
 * replicas and with vs without the PostgreSQL read replica, all in one run on one cluster
 * (test/cluster/cluster.ts: it starts its own PostgreSQL primary + streaming replica, Redis + Sentinels,
 * nginx; no BENCH_URL, DATABASE_URL or running services needed, only the binaries `npm run test:cluster`
 * needs). Four API processes, two proxy listeners each:
 *
 *   p1  1 API, primary only (no DATABASE_REPLICA_URL)   — the baseline
 *   p2  2 APIs, primary only
 *   r1  1 API with the replica (heavy reads go there)
 *   r2  2 APIs with the replica
 *
 * Data: the seed (both organizations, the 2022 plans) plus a generated published plan of 10 sections ×
 * 20 key tasks and `--per-task` items under every key task (titles `违停整治压测事项…`), loaded before the
 * replica is taken. Targets, logged in as the dispatcher (xxs.dispatch):
 *
 *   search  GET /api/v1/items?q=违停&pageSize=50       (every generated item matches)
 *   tree    GET /api/v1/plans/:id/tree                  (the generated plan: 10 sections, 200 key tasks)
 *
 * Rounds are interleaved (each round runs every configuration, in a rotated order, for each target) and
 * the figures are medians over the rounds; ratios are taken per round (same machine state), then their
 * median and spread. The replica's use is checked on the APIs' own /metrics
 * (`duban_db_heavy_reads_total{target}`). On 2 vCPUs the question is whether anything serializes (2 APIs
 * at least as fast as 1, no non-2xx), not a 2×: the exit code is 0 either way, the verdict is printed.
 *
 *   npm run bench:cluster -- [--connections=24] [--duration=8] [--rounds=3] [--per-task=50]
 *   node dist/bench/cluster.js …   (after `npx nest build`)
 */
import { loadavg } from 'node:os';

import autocannon from 'autocannon';
import { Pool } from 'pg';

import { Cluster, CLUSTER_PASSWORD, Member, metricSum } from '../test/cluster/cluster';
import { addItems, addSquads } from './generate';
import { median } from './lib';

const PLAN_TITLE = '集群压测计划';
const QUERY = '违停';

interface Config {
  key: 'p1' | 'p2' | 'r1' | 'r2';
  label: string;
  /** Indexes of the cluster's APIs behind this configuration's proxy listener. */
  apis: number[];
  replica: boolean;
}

/** APIs 0 and 1 have DATABASE_REPLICA_URL, 2 and 3 do not. */
const CONFIGS: Config[] = [
  { key: 'p1', label: '1 API, primary only (baseline)', apis: [2], replica: false },
  { key: 'p2', label: '2 APIs, primary only', apis: [2, 3], replica: false },
  { key: 'r1', label: '1 API + read replica', apis: [0], replica: true },
  { key: 'r2', label: '2 APIs + read replica', apis: [0, 1], replica: true },
];

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  replicaReads: number;
  primaryReads: number;
  load: number;
}

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return Number(arg ? arg.slice(name.length + 3) : fallback);
}

const load1 = () => loadavg()[0].toFixed(2);

/** The generated plan (published, xxs): 10 sections × 20 key tasks, `perTask` items under every key task. */
async function generate(db: Pool, perTask: number): Promise<void> {
  const t0 = performance.now();
  const q = async (sql: string) => (await db.query<{ id: string }>(sql)).rows;
  await addSquads(q);
  await q(`INSERT INTO plans (organization_id, year, title, status)
           SELECT o.id, 2022, '${PLAN_TITLE}', 'published' FROM organizations o WHERE o.code = 'xxs'`);
  await q(`INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order)
           SELECT p.organization_id, p.id, g || '、', '第' || g || '部分重点工作', g FROM plans p, generate_series(1, 10) g
            WHERE p.title = '${PLAN_TITLE}'`);
  await q(`INSERT INTO plan_tasks (organization_id, plan_id, section_id, title, sort_order)
           SELECT s.organization_id, s.plan_id, s.id, '重点任务' || g, g
             FROM plan_sections s JOIN plans p ON p.id = s.plan_id AND p.title = '${PLAN_TITLE}', generate_series(1, 20) g`);
  // Every key task (the seeded plans' too) gets `perTask` generated items.
  await addItems(q, {
    title: '违停整治压测事项',
    perTask,
    cadences: ['once', 'monthly', 'monthly', 'quarterly', 'ongoing'],
    closedAt: '2022-06-20T02:00:00Z',
  });
  await q('ANALYZE');
  const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM items')).rows;
  console.log(
    `bench: ${n} items in the database, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

/** Heavy reads served by `members` so far, by target (replica / primary). */
async function heavyReads(c: Cluster, members: Member[]): Promise<{ replica: number; primary: number }> {
  let replica = 0;
  let primary = 0;
  for (const m of members) {
    const text = await c.metrics(m);
    replica += metricSum(text, 'duban_db_heavy_reads_total', { target: 'replica' });
    primary += metricSum(text, 'duban_db_heavy_reads_total', { target: 'primary' });
  }
  return { replica, primary };
}

async function main(): Promise<void> {
  const connections = option('connections', 24);
  const duration = option('duration', 8);
  const rounds = option('rounds', 3);
  const perTask = option('per-task', 50);
  console.log(
    `bench/cluster: -c ${connections} -d ${duration} s, ${rounds} rounds, ${perTask} items per key task; ` +
      `load average at start ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const c = await Cluster.start({
    apis: 4,
    workers: 0,
    prometheus: false,
    apiEnv: (i): Record<string, string | null> => (i >= 2 ? { DATABASE_REPLICA_URL: null } : {}),
    proxies: Object.fromEntries(CONFIGS.map((cfg) => [cfg.key, cfg.apis])),
    afterSeed: (db) => generate(db, perTask),
    log: (l) => console.log(l),
  });
  let failed = false;
  try {
    const login = await fetch(`${c.proxyUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'xxs.dispatch', password: CLUSTER_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    const [{ id: planId }] = (
      await c.db.query<{ id: string }>(`SELECT id FROM plans WHERE title = $1`, [PLAN_TITLE])
    ).rows;
    const targets = [
      { key: 'search', path: `/api/v1/items?q=${encodeURIComponent(QUERY)}&pageSize=50` },
      { key: 'tree', path: `/api/v1/plans/${planId}/tree` },
    ];
    // One request each through every listener: the routes answer 200 with real content.
    for (const t of targets)
      for (const cfg of CONFIGS) {
        const res = await fetch(`${c.proxyUrls[cfg.key]}${t.path}`, { headers });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${cfg.key} ${t.path}: ${res.status} ${body.slice(0, 300)}`);
        if (cfg.key === 'p1') {
          const json = JSON.parse(body) as { total?: number; sections?: unknown[] };
          console.log(
            `bench: ${t.key} ${t.path} → ${body.length} bytes` +
              (t.key === 'search' ? `, total ${json.total}` : `, ${json.sections?.length} sections`),
          );
        }
      }

    const run = async (cfg: Config, path: string, seconds: number): Promise<Sample> => {
      const members = cfg.apis.map((i) => c.apis[i]);
      const before = await heavyReads(c, members);
      const r = await autocannon({
        url: `${c.proxyUrls[cfg.key]}${path}`,
        connections,
        duration: seconds,
        headers,
      });
      const after = await heavyReads(c, members);
      return {
        rps: r.requests.total / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        replicaReads: after.replica - before.replica,
        primaryReads: after.primary - before.primary,
        load: loadavg()[0],
      };
    };

    // Warm-up: JIT, pools and both servers' caches, 2 s per configuration and target (not counted).
    for (const t of targets) for (const cfg of CONFIGS) await run(cfg, t.path, 2);

    const samples = new Map<string, Sample[]>(); // `${target}/${config}`
    for (let round = 0; round < rounds; round++) {
      const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]);
      console.log(`round ${round + 1}: order ${order.map((cfg) => cfg.key).join(' ')}, load ${load1()}`);
      for (const t of targets)
        for (const cfg of order) {
          const s = await run(cfg, t.path, duration);
          const k = `${t.key}/${cfg.key}`;
          samples.set(k, [...(samples.get(k) ?? []), s]);
          console.log(
            `  ${t.key.padEnd(6)} ${cfg.key}  ${s.rps.toFixed(0).padStart(5)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms` +
              `  non-2xx ${s.non2xx}  errors ${s.errors}  heavy reads replica/primary ${s.replicaReads}/${s.primaryReads}` +
              `  load ${s.load.toFixed(2)}`,
          );
        }
    }

    console.log(`\nmedians over ${rounds} rounds (-c ${connections} -d ${duration} s):`);
    let bad = 0;
    let replicaMissed = false;
    for (const t of targets)
      for (const cfg of CONFIGS) {
        const ss = samples.get(`${t.key}/${cfg.key}`)!;
        const nonOk = ss.reduce((a, s) => a + s.non2xx + s.errors, 0);
        bad += nonOk;
        const rep = ss.reduce((a, s) => a + s.replicaReads, 0);
        const all = rep + ss.reduce((a, s) => a + s.primaryReads, 0);
        const share = all ? rep / all : 0;
        if (cfg.replica ? share < 0.9 : rep > 0) replicaMissed = true;
        console.log(
          `  ${t.key.padEnd(6)} ${cfg.label.padEnd(32)} ${median(ss.map((s) => s.rps))
            .toFixed(0)
            .padStart(5)} req/s` +
            `  p50 ${median(ss.map((s) => s.p50))} ms  p99 ${median(ss.map((s) => s.p99))} ms` +
            `  non-2xx+errors ${nonOk}  on the replica ${(share * 100).toFixed(1)} % of ${all} heavy reads`,
        );
      }

    const ratio = (target: string, num: Config['key'], den: Config['key']) => {
      const a = samples.get(`${target}/${num}`)!;
      const b = samples.get(`${target}/${den}`)!;
      const rs = a.map((s, i) => s.rps / b[i].rps);
      return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs), rs };
    };
    const RATIOS: [Config['key'], Config['key'], string][] = [
      ['r2', 'r1', '2 APIs ÷ 1 API, with the replica'],
      ['p2', 'p1', '2 APIs ÷ 1 API, primary only'],
      ['r1', 'p1', 'replica ÷ no replica, 1 API'],
      ['r2', 'p2', 'replica ÷ no replica, 2 APIs'],
      ['r2', 'p1', '2 APIs + replica ÷ baseline (1 API, primary only)'],
    ];
    console.log('\nratios of req/s, per round (median, spread):');
    const scaling: number[] = [];
    for (const t of targets)
      for (const [num, den, label] of RATIOS) {
        const r = ratio(t.key, num, den);
        if (num === 'r2' && den === 'r1') scaling.push(r.median);
        console.log(
          `  ${t.key.padEnd(6)} ${label.padEnd(50)} ${r.median.toFixed(2)}  (${r.rs.map((x) => x.toFixed(2)).join(', ')})`,
        );
      }

    // "Within noise": the rounds on this shared machine move by ±10 %.
    const serializes = scaling.some((r) => r < 0.9);
    console.log(
      `\nverdict: ${!serializes && bad === 0 ? 'nothing serializes' : 'SOMETHING SERIALIZES OR FAILS'} — ` +
        `2 APIs ÷ 1 API (with the replica) ${scaling.map((r) => r.toFixed(2)).join(' / ')} (search / tree), ` +
        `${bad} non-2xx or errors` +
        (replicaMissed ? '; WARNING: the replica was not used as configured (see the shares above)' : '') +
        `; load average at the end ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
  } catch (err) {
    failed = true;
    console.error(err);
    console.error(c.tails(30));
  } finally {
    await c.stop();
  }
  process.exit(failed ? 1 : 0);
}

void main();
