/**
 * HTTP throughput under autocannon (issue 19): a raw ceiling this bench starts itself (a minimal
 * fastify + one primary-key SELECT of a user row through pg, pool 10, on the API's own database) and
 * the API at BENCH_URL, three rounds each, 50 connections for 10 s by default:
 *
 *   ceiling                     GET /users/:id on the ceiling server
 *   auth/me                     GET /api/v1/auth/me (authenticated)
 *   items by status             GET /api/v1/items?status=in_progress&pageSize=50
 *   items by unit + status      GET /api/v1/items?unitId=…&status=in_progress,assigned&pageSize=50
 *   items, text 违停             GET /api/v1/items?q=违停&pageSize=50
 *   … view=row                  the two lists above as list rows (`view=row`: what the list pages render)
 *   constant page (full / row)  one real page of `items ?status=` (full, then row), fetched at start and
 *                               served as constant bytes by the ceiling's fastify: what the payload alone
 *                               costs (serialising nothing, no database)
 *
 * It prints req/s, p50/p99 per round, the median ratio to the ceiling over the rounds and whether each
 * goal is met (auth/me ≥ 0.5 of the ceiling; item lists ≥ 0.3 and p99 ≤ 100 ms). The 100,000-item case:
 * build `duban_bench_items` (`node dist/bench/http.js --build-items`, the builder of bench/items-search),
 * run the API on it and point DATABASE_URL at it too.
 *
 *   BENCH_URL=… DATABASE_URL=… BENCH_USERNAME=… BENCH_PASSWORD=… node dist/bench/http.js \
 *     [--connections=50] [--duration=10] [--rounds=3] [--only=ceiling,auth] [--yes]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Pool } from 'pg';

import { benchEnv, median, ownerDatabaseUrl } from './lib';

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
// autocannon ships no types; this is the part of its API the bench uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

const CEILING_SQL = `SELECT id, organization_id, unit_id, username, name, roles FROM users WHERE id = $1`;

/** The ceiling server (a child process: it must not share an event loop with the load generator). */
async function serveCeiling(): Promise<void> {
  const { default: fastify } = await import('fastify');
  const pool = new Pool({ connectionString: process.env.CEILING_DATABASE_URL, max: 10 });
  const app = fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/users/:id', async (req) => {
    const { rows } = await pool.query(CEILING_SQL, [req.params.id]);
    return rows[0] ?? null;
  });
  // Constant list pages: the bytes of real pages (CEILING_PAGES: a directory of <name>.json files).
  const pages = new Map<string, Buffer>();
  for (const name of ['full', 'row']) {
    if (process.env.CEILING_PAGES)
      pages.set(name, readFileSync(join(process.env.CEILING_PAGES, `${name}.json`)));
  }
  app.get<{ Params: { name: string } }>('/pages/:name', async (req, reply) => {
    const page = pages.get(req.params.name);
    if (!page) return reply.code(404).send();
    return reply.type('application/json; charset=utf-8').send(page);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
}

function startCeiling(databaseUrl: string, pagesDir: string): Promise<{ url: string; stop: () => void }> {
  const child = fork(__filename, ['--serve-ceiling'], {
    env: { ...process.env, CEILING_DATABASE_URL: databaseUrl, CEILING_PAGES: pagesDir },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`ceiling server exited (${code})`)));
    child.once('message', (m: { port: number }) =>
      resolve({ url: `http://127.0.0.1:${m.port}`, stop: () => child.kill() }),
    );
  });
}

interface Target {
  key: string;
  label: string;
  url: string;
  headers?: Record<string, string>;
  /** The goal: minimum ratio to the ceiling, and maximum p99 in ms. */
  goal?: { ratio: number; p99?: number };
}

export interface HttpBenchOptions {
  connections: number;
  duration: number;
  rounds: number;
  /** Target keys to run (the ceiling always runs). */
  only?: string[];
}

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

export function optionsFromArgv(): HttpBenchOptions {
  const only = option('only', '');
  return {
    connections: Number(option('connections', '50')),
    duration: Number(option('duration', '10')),
    rounds: Number(option('rounds', '3')),
    only: only ? only.split(',') : undefined,
  };
}

/** Runs the rounds, prints the table and the goals; returns the median ratio of each target to the ceiling. */
export async function runHttpBench(opts: HttpBenchOptions): Promise<Record<string, number>> {
  const env = benchEnv(['BENCH_URL', 'DATABASE_URL', 'BENCH_USERNAME', 'BENCH_PASSWORD'] as const);
  const base = env.BENCH_URL.replace(/\/$/, '');
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: env.BENCH_USERNAME, password: env.BENCH_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login as ${env.BENCH_USERNAME} at ${base} failed: ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as {
    sub: string;
  };
  const auth = { authorization: `Bearer ${accessToken}` };

  // The unit of the unit filter: the bench database's squad bench-s7 (a subtree of 10 units), else
  // the unit leading the most open items.
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: 1 });
  const { rows } = await pool.query<{ id: string }>(
    `SELECT lead_unit_id AS id FROM items WHERE status IN ('in_progress', 'assigned') GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  );
  const [{ n: items }] = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM items`)).rows;
  const bench7 = (await pool.query<{ id: string }>(`SELECT id FROM units WHERE code = 'bench-s7'`)).rows[0];
  await pool.end();
  const unitId = bench7?.id ?? rows[0]?.id;
  if (!unitId) throw new Error('no items in the database: nothing to list');

  // The constant pages: one real page of the status list, as full items and as list rows.
  const statusList = `${base}/api/v1/items?status=in_progress&pageSize=50`;
  const unitList = `${base}/api/v1/items?unitId=${unitId}&status=in_progress,assigned&pageSize=50`;
  const pagesDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const pageBytes: Record<string, number> = {};
  for (const [name, url] of [
    ['full', statusList],
    ['row', `${statusList}&view=row`],
  ]) {
    const res = await fetch(url, { headers: auth });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${url}: status ${res.status} before the runs`);
    writeFileSync(join(pagesDir, `${name}.json`), body);
    pageBytes[name] = body.length;
  }
  const ceiling = await startCeiling(env.DATABASE_URL, pagesDir);
  const listGoal = { ratio: 0.3, p99: 100 };
  const targets: Target[] = [
    { key: 'ceiling', label: 'ceiling: fastify + pg PK SELECT', url: `${ceiling.url}/users/${claims.sub}` },
    {
      key: 'auth',
      label: 'GET /auth/me',
      url: `${base}/api/v1/auth/me`,
      headers: auth,
      goal: { ratio: 0.5 },
    },
    { key: 'status', label: 'items ?status=in_progress', url: statusList, headers: auth, goal: listGoal },
    { key: 'unit', label: 'items ?unitId&status', url: unitList, headers: auth, goal: listGoal },
    {
      key: 'status-row',
      label: 'items ?status=… view=row',
      url: `${statusList}&view=row`,
      headers: auth,
      goal: listGoal,
    },
    {
      key: 'unit-row',
      label: 'items ?unitId&status view=row',
      url: `${unitList}&view=row`,
      headers: auth,
      goal: listGoal,
    },
    {
      key: 'const',
      label: `constant page, full (${(pageBytes.full / 1024).toFixed(0)} KB)`,
      url: `${ceiling.url}/pages/full`,
    },
    {
      key: 'const-row',
      label: `constant page, row (${(pageBytes.row / 1024).toFixed(0)} KB)`,
      url: `${ceiling.url}/pages/row`,
    },
    {
      key: 'text',
      label: 'items ?q=违停',
      url: `${base}/api/v1/items?q=${encodeURIComponent('违停')}&pageSize=50`,
      headers: auth,
    },
  ].filter((t) => t.key === 'ceiling' || !opts.only || opts.only.includes(t.key));

  try {
    for (const t of targets) {
      const res = await fetch(t.url, { headers: t.headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${t.label}: status ${res.status} before the runs`);
    }
    console.log(
      `${items} items in the database; autocannon -c ${opts.connections} -d ${opts.duration}, ${opts.rounds} rounds\n`,
    );
    console.log(
      `${'round  target'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50'.padStart(7)} ${'p99'.padStart(7)}  ratio`,
    );
    const ratios: Record<string, number[]> = {};
    const p99s: Record<string, number[]> = {};
    for (let round = 1; round <= opts.rounds; round++) {
      let ceilingRps = 0;
      for (const t of targets) {
        const r = await autocannon({
          url: t.url,
          connections: opts.connections,
          duration: opts.duration,
          headers: t.headers,
        });
        const rps = r.requests.total / r.duration;
        if (t.key === 'ceiling') ceilingRps = rps;
        const ratio = rps / ceilingRps;
        (ratios[t.key] ??= []).push(ratio);
        (p99s[t.key] ??= []).push(r.latency.p99);
        const bad = r.non2xx + r.errors + r.timeouts;
        console.log(
          `${String(round).padEnd(6)} ${t.label.padEnd(37)} ${rps.toFixed(0).padStart(8)} ${`${r.latency.p50}`.padStart(5)}ms ${`${r.latency.p99}`.padStart(5)}ms  ${ratio.toFixed(2)}${bad ? `   (${bad} non-2xx/errors/timeouts)` : ''}`,
        );
      }
    }
    console.log(`\nmedian over ${opts.rounds} rounds (ratio = req/s ÷ the same round's ceiling):`);
    const out: Record<string, number> = {};
    for (const t of targets.filter((x) => x.key !== 'ceiling')) {
      const ratio = median(ratios[t.key]);
      const p99 = median(p99s[t.key]);
      out[t.key] = ratio;
      const verdict = !t.goal
        ? t.key.startsWith('const')
          ? 'reference: the payload alone'
          : 'no goal here (text search: see bench/items-search)'
        : (ratio >= t.goal.ratio && (t.goal.p99 === undefined || p99 <= t.goal.p99) ? 'MET' : 'NOT MET') +
          ` (goal ratio ≥ ${t.goal.ratio}${t.goal.p99 !== undefined ? `, p99 ≤ ${t.goal.p99} ms` : ''})`;
      console.log(`  ${t.label.padEnd(37)} ratio ${ratio.toFixed(2)}  p99 ${p99} ms  ${verdict}`);
    }
    return out;
  } finally {
    ceiling.stop();
    rmSync(pagesDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve-ceiling')) return serveCeiling();
  if (process.argv.includes('--build-items')) {
    const { prepareItemsDatabase } = await import('./items-search');
    const url = await prepareItemsDatabase(ownerDatabaseUrl());
    console.log(
      `built ${url.replace(/\/\/([^:/]+):[^@]*@/, '//$1:***@')}: run the API on it, then this bench`,
    );
    return;
  }
  await runHttpBench(optionsFromArgv());
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
