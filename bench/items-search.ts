/**
 * Item search at scale: 100,000 items under 2,000 key tasks and 200 units, three typical filters,
 * p50/p95 over HTTP (the whole stack: fastify, auth guard, validation, scope, SQL, JSON) next to
 * the very SQL statements those requests ran, replayed straight through pg in the same process the
 * way the app runs them (concurrent statements concurrently, on a pool) and interleaved with the HTTP
 * samples, so both see the same machine. Goal: HTTP p95 ≤ 50 ms.
 *
 *   npm run services:start && npm run build && node dist/bench/items-search.js [requests=200] [--yes]
 *   (DATABASE_URL or MIGRATION_DATABASE_URL and REDIS_URL required; --yes: the demo's own services)
 */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Client, Pool } from 'pg';

import { seedOrganizations } from '../seeds/organizations.seed';
import { ApiModule } from '../src/api.module';
import { AppConfig } from '../src/core/config/app-config';
import { createDataSource } from '../src/core/database/data-source';
import { configureApp } from '../src/core/http/configure-app';
import { createFastifyAdapter } from '../src/core/http/fastify-adapter';
import { ITEM_SORTS } from '../src/modules/plans/items.repository';
import { plainTextCondition, textSearchCondition } from '../src/modules/plans/text-search';
import {
  benchEnv,
  migrateDatabase,
  openBenchDatabase,
  ownerDatabaseUrl,
  pct,
  positionalArgs,
  runtimeDatabaseUrl,
  withDb,
} from './lib';

const DB = 'duban_bench_items';
/** The password of every account in the bench database. */
export const ITEMS_BENCH_PASSWORD = 'bench-password-1';

/**
 * Builds `duban_bench_items` once on the owner's server (marked, migrated; kept and migrated again on
 * later runs, which also grants the runtime role, DATABASE_URL's user, as `migrate` does); returns its
 * owner's URL. Also what bench/http uses for its 100,000-item case.
 */
export async function prepareItemsDatabase(ownerUrl: string): Promise<string> {
  let { existed, url } = await openBenchDatabase(ownerUrl, DB);
  if (existed) {
    const check = createDataSource({ db: { url, poolSize: 1, migrationsRun: false } });
    await check.initialize();
    const [{ n }] = (await check.query(`SELECT count(*)::int AS n FROM items`)) as { n: number }[];
    await check.destroy();
    if (n >= 100_000) return url;
    console.log(`${DB} holds ${n} items (an interrupted build?): building it again`);
    ({ existed, url } = await openBenchDatabase(ownerUrl, DB, { fresh: true }));
  }
  // One connection, without the app's 30 s statement timeout: on a busy machine the bulk inserts take longer.
  const ds = createDataSource({ db: { url, poolSize: 1, migrationsRun: false } });
  await ds.initialize();
  await ds.query(`SET statement_timeout = 0`);
  await ds.transaction((em) => seedOrganizations(em, ITEMS_BENCH_PASSWORD));
  const t0 = performance.now();
  // 200 units: 20 squads under the brigade, each with 9 sub-teams; generated in SQL, set-based.
  // (A data-modifying CTE's rows are invisible to its own statement, so paths are set afterwards.)
  await ds.query(`
    INSERT INTO units (organization_id, parent_id, path, code, name, kind, sort_order)
    SELECT b.organization_id, b.id, '', 'bench-s' || g, '压测中队' || g, 'squad', g
      FROM units b JOIN organizations o ON o.id = b.organization_id AND o.code = 'xxs', generate_series(1, 20) g
     WHERE b.code = 'brigade'`);
  await ds.query(
    `UPDATE units u SET path = p.path || u.id || '/' FROM units p WHERE p.id = u.parent_id AND u.code LIKE 'bench-s%'`,
  );
  await ds.query(`
    INSERT INTO units (organization_id, parent_id, path, code, name, kind, sort_order)
    SELECT s.organization_id, s.id, '', s.code || '-t' || g, s.name || '第' || g || '组', 'squad', g
      FROM units s, generate_series(1, 9) g WHERE s.code LIKE 'bench-s%'`);
  await ds.query(
    `UPDATE units u SET path = p.path || u.id || '/' FROM units p WHERE p.id = u.parent_id AND u.code LIKE 'bench-s%-t%'`,
  );
  await ds.query(`
    WITH org AS (SELECT id FROM organizations WHERE code = 'xxs')
    INSERT INTO plans (organization_id, year, title, status) SELECT id, 2022, '压测计划', 'published' FROM org`);
  await ds.query(`
    INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order)
    SELECT p.organization_id, p.id, g || '、', '压测部分' || g, g FROM plans p, generate_series(1, 5) g WHERE p.title = '压测计划'`);
  await ds.query(`
    INSERT INTO plan_tasks (organization_id, plan_id, section_id, numbering, title, sort_order)
    SELECT s.organization_id, s.plan_id, s.id, '（' || g || '）', s.title || '重点任务' || g, g
      FROM plan_sections s, generate_series(1, 400) g WHERE s.title LIKE '压测部分%'`);
  await ds.query(`
    WITH u AS (SELECT array_agg(id ORDER BY code) AS ids FROM units WHERE code LIKE 'bench-s%'),
         l AS (SELECT array_agg(id) AS ids FROM users WHERE 'leader' = ANY(roles) AND username LIKE 'xxs.%'),
         t AS (SELECT id, section_id, plan_id, organization_id, row_number() OVER (ORDER BY id) AS n FROM plan_tasks WHERE title LIKE '压测%')
    INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, detail, lead_unit_id,
                       responsible_leader_id, start_date, deadline, cadence, status)
    SELECT t.organization_id, t.plan_id, t.section_id, t.id, g,
           (ARRAY['违停整治','门前五包','垃圾清运','户外广告','拆除违建','油烟治理'])[1 + (t.n + g) % 6] || '事项' || t.n || '-' || g,
           '压测事项内容：' || (ARRAY['开展违停整治','落实门前五包','清运生活垃圾','规范户外广告','拆除违法建设','治理餐饮油烟'])[1 + (t.n * g) % 6],
           u.ids[1 + (t.n * 7 + g) % 200], l.ids[1 + (t.n + g) % cardinality(l.ids)],
           DATE '2022-01-01', DATE '2022-01-01' + ((t.n * 13 + g * 17) % 365)::int,
           (ARRAY['once','weekly','monthly','quarterly','ongoing'])[1 + (t.n + g) % 5],
           (ARRAY['assigned','in_progress','in_progress','awaiting_closeout','closed'])[1 + (t.n * 3 + g) % 5]
      FROM t, u, l, generate_series(1, 50) g`);
  await ds.query(`
    INSERT INTO item_co_units (item_id, unit_id)
    SELECT i.id, u.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM items) i
      JOIN LATERAL (SELECT id FROM units WHERE code LIKE 'bench-s%' ORDER BY code OFFSET (i.n % 200) LIMIT 1) u ON true
     WHERE i.n % 5 = 0`);
  await ds.query(`ANALYZE`);
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM items`);
  const [{ u }] = await ds.query(`SELECT count(*)::int AS u FROM units`);
  console.log(`generated ${n} items, ${u} units in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await ds.destroy();
  // The runtime role's grants once more, now that the rows exist (what `migrate` runs after migrating).
  const runtime = runtimeDatabaseUrl(ownerUrl);
  await migrateDatabase(url, runtime && withDb(runtime, DB));
  return url;
}

async function main(): Promise<void> {
  const N = Number(positionalArgs()[0] ?? 200);
  const ownerUrl = ownerDatabaseUrl();
  const { REDIS_URL } = benchEnv(['REDIS_URL']);
  const ownerDbUrl = await prepareItemsDatabase(ownerUrl);
  // The app logs in as the runtime role (DATABASE_URL's user) when there is one, as deployed.
  const runtime = runtimeDatabaseUrl(ownerUrl);
  const dbUrl = runtime ? withDb(runtime, DB) : ownerDbUrl;
  const config = AppConfig.fromEnv({
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: 'bench',
    JWT_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuv',
    LOG_LEVEL: 'warn',
    SWAGGER_ENABLED: 'false',
  });
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), {
    logger: false,
  });
  await configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  // Record every statement the app sends, with when it started and ended, so the same SQL can be
  // replayed without the app and the way the app ran it: statements in flight together (Promise.all)
  // are replayed together, one wave after another; a named prepared statement (the list's count and
  // page ids, its rows, the guard's session: `pool.query({ name, text, values })`, outside TypeORM)
  // is replayed as one. Hooked on pg's Client, under TypeORM and the pool alike; the replay pool's
  // own clients are not recorded.
  type Recorded = { sql: string; name?: string; params: unknown[]; start: number; end: number };
  let recording: Recorded[] | null = null;
  const replayClients = new WeakSet<object>();
  const clientQuery = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    if (!recording || replayClients.has(this)) return clientQuery.apply(this, args);
    const config = (typeof args[0] === 'string' ? { text: args[0] } : args[0]) as {
      text: string;
      name?: string;
      values?: unknown[];
    };
    const rec: Recorded = {
      sql: config.text,
      name: config.name,
      params: (Array.isArray(args[1]) ? args[1] : config.values) ?? [],
      start: performance.now(),
      end: Infinity,
    };
    recording.push(rec);
    const done = () => (rec.end = performance.now());
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const callback = args[cb] as (...r: unknown[]) => void;
      args[cb] = (...r: unknown[]) => {
        done();
        callback(...r);
      };
      return clientQuery.apply(this, args);
    }
    const result = clientQuery.apply(this, args) as Promise<unknown> | undefined;
    result?.then(done, done);
    return result;
  } as typeof Client.prototype.query;
  const wavesOf = (recorded: Recorded[]) => {
    const waves: Recorded[][] = [];
    for (const r of [...recorded].sort((x, y) => x.start - y.start)) {
      const wave = waves[waves.length - 1];
      if (wave && wave.some((w) => w.end > r.start)) wave.push(r);
      else waves.push([r]);
    }
    return waves;
  };

  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'xxs.dispatch', password: ITEMS_BENCH_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  // A pool like the app's (its size, jit off as the app's sessions run), so concurrent statements run concurrently.
  const raw = new Pool({ connectionString: dbUrl, max: config.db.poolSize, options: '-c jit=off' });
  raw.on('connect', (client) => replayClients.add(client));
  const replay = (s: Recorded) =>
    s.name ? raw.query({ name: s.name, text: s.sql, values: s.params }) : raw.query(s.sql, s.params);
  const [{ id: squad }] = (await raw.query(`SELECT id FROM units WHERE code = 'bench-s7'`)).rows as {
    id: string;
  }[];
  // A selective 10-character query: the start of one generated title (a handful of items).
  const [{ selective }] = (
    await raw.query(
      `SELECT substr(title, 1, 10) AS selective FROM items WHERE title LIKE '违停整治事项1234-%' LIMIT 1`,
    )
  ).rows as { selective: string }[];
  const text = (q: string) => `q=${encodeURIComponent(q)}`;
  const filters: [string, string][] = [
    ['unit subtree + status', `unitId=${squad}&status=in_progress,assigned`],
    ['overdue as of a date, by deadline', `overdueAsOf=2022-06-15&sort=deadline`],
    ['free text + cadence', `${text('违停')}&cadence=monthly`],
    ['free text 违停', text('违停')],
    ['free text 违停整治', text('违停整治')],
    [`free text ${selective}`, text(selective)],
  ];
  console.log(`\n${N} requests per filter, page size 50, sequential (latency, not throughput);`);
  console.log(`each HTTP request followed by one replay of its statements (interleaved samples)`);
  console.log(
    `${'filter'.padEnd(36)} ${'HTTP p50'.padStart(9)} ${'HTTP p95'.padStart(9)} ${'SQL p50'.padStart(9)} ${'SQL p95'.padStart(9)}  ratio p95  total  statements`,
  );
  for (const [name, qs] of filters) {
    const http: number[] = [];
    const sql: number[] = [];
    let total = 0;
    let waves: Recorded[][] = [];
    for (let i = 0; i < N + 10; i++) {
      recording = i === 0 ? [] : null;
      const t0 = performance.now();
      const res = await fetch(`${url}/api/v1/items?${qs}&pageSize=50`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      const body = (await res.json()) as { total: number };
      if (res.status !== 200) throw new Error(`status ${res.status}: ${JSON.stringify(body)}`);
      total = body.total;
      if (i >= 10) http.push(performance.now() - t0);
      if (i === 0) waves = wavesOf(recording ?? []);
      const t1 = performance.now();
      for (const wave of waves) await Promise.all(wave.map(replay));
      if (i >= 10) sql.push(performance.now() - t1);
    }
    const shape = waves.map((w) => w.length).join('+');
    console.log(
      `${name.padEnd(36)} ${pct(http, 0.5).toFixed(1).padStart(7)}ms ${pct(http, 0.95).toFixed(1).padStart(7)}ms ` +
        `${pct(sql, 0.5).toFixed(1).padStart(7)}ms ${pct(sql, 0.95).toFixed(1).padStart(7)}ms  ` +
        `${(pct(http, 0.95) / pct(sql, 0.95)).toFixed(2).padStart(8)}  ${total}  ${shape}`,
    );
  }
  console.log(
    `\nraw SQL = the statements one request ran (session, count and page ids, rows; named prepared statements as` +
      ` such), replayed via pg in the same waves ("2+1": two at once, then one)`,
  );
  // What the exact total of a text search costs on its own (the count over the n-gram index).
  const [{ org }] = (await raw.query(`SELECT id AS org FROM organizations WHERE code = 'xxs'`)).rows as {
    org: string;
  }[];
  // The text condition against the plain substring filter it replaced (a sequential scan: strpos, or
  // ILIKE with Latin letters), statement by statement, alternating the two each round so both see
  // the same load: the exact count, a count capped at 1,000, and a page of 50 in plan order.
  const shapes: [string, (cond: string) => string][] = [
    ['count', (c) => `SELECT count(*)::int AS n FROM items i WHERE i.organization_id = $1 AND ${c}`],
    [
      'count capped at 1,000',
      (c) =>
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM items i WHERE i.organization_id = $1 AND ${c} LIMIT 1001) x`,
    ],
    [
      'page of 50, plan order',
      (
        c,
      ) => `SELECT i.id FROM items i JOIN plan_tasks t ON t.id = i.task_id JOIN plan_sections s ON s.id = i.section_id
               WHERE i.organization_id = $1 AND ${c} ORDER BY ${ITEM_SORTS.plan} LIMIT 50`,
    ],
  ];
  console.log(`\ntext condition: n-gram index vs plain substring scan, ${N} alternating rounds, via pg`);
  console.log(
    `${'query'.padEnd(14)} ${'statement'.padEnd(24)} ${'plain p50'.padStart(9)} ${'p95'.padStart(8)} ${'index p50'.padStart(9)} ${'p95'.padStart(8)}  index/plain p50`,
  );
  for (const q of ['违停', '违停整治', selective]) {
    for (const [shape, sql] of shapes) {
      const runs = [plainTextCondition, textSearchCondition].map((build) => {
        const params: unknown[] = [org];
        return { sql: sql(build(q, (v) => `$${params.push(v)}`)), params, times: [] as number[] };
      });
      for (let i = 0; i < N + 4; i++) {
        for (const run of i % 2 ? runs : [...runs].reverse()) {
          const t0 = performance.now();
          await raw.query(run.sql, run.params);
          if (i >= 4) run.times.push(performance.now() - t0);
        }
      }
      const [a, b] = runs.map((r) => [pct(r.times, 0.5), pct(r.times, 0.95)]);
      console.log(
        `${q.padEnd(14)} ${shape.padEnd(24)} ${a[0].toFixed(1).padStart(7)}ms ${a[1].toFixed(1).padStart(6)}ms ${b[0].toFixed(1).padStart(7)}ms ${b[1].toFixed(1).padStart(6)}ms  ${(b[0] / a[0]).toFixed(2).padStart(8)}`,
      );
    }
  }
  await raw.end();
  await app.close();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
