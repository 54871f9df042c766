/**
 * The item list page under load (issue 19): `GET /api/v1/items` pages of 50 rows (lights, completion,
 * next report, position: what 我的任务 / 工作台 show) at 50 concurrent connections on the 100,000-item
 * bench database (built by bench/items-search.ts's builder), against a raw ceiling started here: a
 * minimal fastify server answering one primary-key SELECT through pg (pool 10) on the same database.
 * The API runs as its own process (`dist/src/main.api.js`), like production; autocannon drives both.
 * Goals: list pages ≥ 0.3 of the ceiling (median of the rounds) and p99 ≤ 100 ms.
 *
 *   MIGRATION_DATABASE_URL=… REDIS_URL=… node dist/bench/items-list.js [rounds=3] [seconds=10] [connections=50]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import autocannon from 'autocannon';
import { Client } from 'pg';

import { createDataSource } from '../src/core/database/data-source';
import { runMigrationsLocked } from '../src/core/database/migrate';
import { prepareItemsDatabase } from './items-search';
import { ownerDatabaseUrl } from './lib';

const ROUNDS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 10);
const CONNECTIONS = Number(process.argv[4] ?? 50);

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required (the bench never guesses which services to use)`);
  return v;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

/** The ceiling: fastify + pg, one primary-key SELECT of a user row per request (no auth, no framework). */
const CEILING = `
const fastify = require('fastify')();
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
fastify.get('/raw', async () => {
  const { rows } = await pool.query('SELECT id, username, name, roles FROM users WHERE id = $1', [process.env.USER_ID]);
  return rows[0];
});
fastify.get('/health', async () => ({ ok: true }));
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

/** Stored figures for every item (the bench builder runs no roll-up): the list reads them like production. */
async function ensureFigures(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM item_status`)).rows as { n: number }[];
  if (n === 0) {
    await db.query(`
      INSERT INTO item_status (item_id, organization_id, plan_id, completion, expected, light)
      SELECT id, organization_id, plan_id, (abs(hashtext(id::text)) % 100), 50,
             (ARRAY['red','yellow','green','green'])[1 + abs(hashtext(id::text)) % 4]
        FROM items WHERE status NOT IN ('suspended', 'cancelled')`);
    await db.query(`ANALYZE item_status`);
  }
  await db.end();
}

interface Round {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function cannon(url: string, headers: Record<string, string>): Promise<Round> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  // The builder would fall back to the demo's Postgres: this bench never does.
  required('MIGRATION_DATABASE_URL');
  const redisUrl = required('REDIS_URL');
  const url = await prepareItemsDatabase(ownerDatabaseUrl());
  // A database built earlier may predate the list's index: migrate it like a deployment would.
  const ds = createDataSource({ db: { url, poolSize: 1, migrationsRun: false } });
  await ds.initialize();
  await runMigrationsLocked(ds);
  await ds.destroy();
  await ensureFigures(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  const [{ id: squad }] = (await db.query(`SELECT id FROM units WHERE code = 'bench-s7'`)).rows as {
    id: string;
  }[];
  const [{ id: userId }] = (await db.query(`SELECT id FROM users WHERE username = 'xxs.dispatch'`)).rows as {
    id: string;
  }[];
  await db.end();

  const root = join(__dirname, '..', '..');
  const [apiPort, rawPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const start = (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  try {
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
    const api = start([...prof, join(root, 'dist/src/main.api.js')], {
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: 'bench',
      PORT: String(apiPort),
      JWT_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuv',
      LOG_LEVEL: 'warn',
      SWAGGER_ENABLED: 'false',
    });
    const raw = start(['-e', CEILING], { DATABASE_URL: url, PORT: String(rawPort), USER_ID: userId });
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const rawUrl = `http://127.0.0.1:${rawPort}`;
    await Promise.all([waitFor(`${apiUrl}/health/live`, api), waitFor(`${rawUrl}/health`, raw)]);

    const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'xxs.dispatch', password: 'bench-password-1' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };

    const cases: [string, string, Record<string, string>][] = [
      ['raw ceiling (fastify + pg PK SELECT)', `${rawUrl}/raw`, {}],
      [
        'items ?unitId=…&status=…&pageSize=50',
        `${apiUrl}/api/v1/items?unitId=${squad}&status=in_progress,assigned&pageSize=50`,
        auth,
      ],
      [
        'items ?status=in_progress&pageSize=50',
        `${apiUrl}/api/v1/items?status=in_progress&pageSize=50`,
        auth,
      ],
    ];
    // A warm-up request each (and a check that they answer 200 with 50 rows).
    for (const [name, u, h] of cases.slice(1)) {
      const res = await fetch(u, { headers: h });
      const body = (await res.json()) as { items: unknown[]; total: number };
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
      const bytes = JSON.stringify(body).length;
      console.log(`${name}: ${body.items.length} rows of ${body.total}, ${(bytes / 1024).toFixed(1)} KB`);
    }
    console.log(
      `\nautocannon -c ${CONNECTIONS} -d ${SECONDS}, ${ROUNDS} rounds (the load generator shares the CPUs)`,
    );
    const results = new Map<string, Round[]>(cases.map(([n]) => [n, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, u, h] of cases) {
        const r = await cannon(u, h);
        results.get(name)!.push(r);
        console.log(
          `round ${round}  ${name.padEnd(40)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms${r.errors ? `  ${r.errors} errors` : ''}`,
        );
      }
    }
    const ceiling = median(results.get(cases[0][0])!.map((r) => r.rps));
    console.log(`\nmedian over ${ROUNDS} rounds; ceiling ${ceiling.toFixed(0)} req/s`);
    for (const [name] of cases.slice(1)) {
      const rs = results.get(name)!;
      const ratio = median(rs.map((r) => r.rps)) / ceiling;
      const p99 = median(rs.map((r) => r.p99));
      const met = ratio >= 0.3 && p99 <= 100;
      console.log(
        `${name.padEnd(40)} ratio ${ratio.toFixed(2)} (goal ≥ 0.30)  p99 ${p99} ms (goal ≤ 100)  ${met ? 'MET' : 'NOT MET'}`,
      );
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
