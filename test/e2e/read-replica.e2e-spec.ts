import { execSync } from 'node:child_process';
import { join } from 'node:path';

import { Client } from 'pg';

import { bearer, createTestApp, TestApp } from '../helpers/app';
import { baseEnv, TEMPLATE_DB, withDatabase } from '../helpers/env';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';
import { OwnPostgres, pgBin, waitFor } from '../helpers/services';

type Counts = Record<string, number>;

/** `duban_db_heavy_reads_total` by `target/reason` from one app's /metrics. */
async function heavyReads(t: TestApp): Promise<Counts> {
  const text = (await t.http().get('/metrics').expect(200)).text;
  const counts: Counts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('duban_db_heavy_reads_total{')) continue;
    const target = /target="([^"]+)"/.exec(line)![1];
    const reason = /reason="([^"]+)"/.exec(line)![1];
    counts[`${target}/${reason}`] = Number(line.split(' ').pop());
  }
  return counts;
}
const delta = (after: Counts, before: Counts) =>
  Object.fromEntries(
    Object.keys(after)
      .filter((k) => after[k] !== (before[k] ?? 0))
      .map((k) => [k, after[k] - (before[k] ?? 0)]),
  );

/**
 * Heavy reads on a real streaming replica (pg_basebackup of a primary of this file's own that holds
 * a copy of the seeded template): served there when healthy, never behind the caller's own writes,
 * skipped when lagging beyond DATABASE_REPLICA_MAX_LAG_MS or down (no 5xx), used again once back.
 */
describe('只读副本 (read replica)', () => {
  let primary: OwnPostgres;
  let replica: OwnPostgres;
  let t: TestApp;
  let writer: string;
  let other: string;
  let plan: { planId: string; sectionId: string; taskId: string };
  let item: { id: string; version: number };

  const appOn = (over: Record<string, string> = {}) =>
    createTestApp({
      DATABASE_NAME: 'duban',
      DATABASE_URL: primary.url('duban'),
      MIGRATION_DATABASE_URL: primary.url('duban'),
      DATABASE_REPLICA_URL: replica.url('duban'),
      ...over,
    });
  const titles = async (app: TestApp, token: string) =>
    (
      (await app.http().get(`/api/v1/items?planId=${plan.planId}`).set(bearer(token)).expect(200)).body
        .items as { title: string }[]
    ).map((i) => i.title);
  const treeSections = async (app: TestApp, token: string) =>
    (
      (await app.http().get(`/api/v1/plans/${plan.planId}/tree`).set(bearer(token)).expect(200)).body
        .sections as { title: string }[]
    ).map((s) => s.title);
  const edit = async (app: TestApp, title: string) => {
    const res = await app
      .http()
      .patch(`/api/v1/items/${item.id}`)
      .set(bearer(writer))
      .send({ version: item.version, title })
      .expect(200);
    item = res.body as { id: string; version: number };
  };
  /** Until `app` serves one of `token`'s item lists from the replica (the background check has seen it healthy). */
  const untilReplicaServes = (app: TestApp, token: string, timeoutMs = 15000) =>
    waitFor(
      'heavy read on the replica',
      async () => {
        const before = await heavyReads(app);
        await titles(app, token);
        return delta(await heavyReads(app), before)['replica/replica'] === 1;
      },
      timeoutMs,
    );

  beforeAll(async () => {
    primary = await OwnPostgres.start();
    primary.sql('CREATE DATABASE duban');
    // The seeded template as it stands, into this primary (whose replica is then a copy of it).
    const template = withDatabase(baseEnv().MIGRATION_DATABASE_URL, TEMPLATE_DB);
    execSync(
      `${join(pgBin(), 'pg_dump')} --no-owner --no-privileges '${template}' | ` +
        `${join(pgBin(), 'psql')} -q -v ON_ERROR_STOP=1 '${primary.url('duban')}'`,
      { stdio: ['ignore', 'ignore', 'inherit'], shell: '/bin/bash' },
    );
    replica = await primary.startReplica();
    t = await appOn();
    writer = await t.login('xxs.dispatch');
    other = await t.login('xxs.admin');
    plan = await makeDraftPlan(t, writer, '只读副本测试计划');
    const idx = await indexOrg(t, writer);
    item = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(writer))
        .send({
          taskId: plan.taskId,
          title: '原标题',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          startDate: '2023-01-01',
          deadline: '2023-12-31',
          cadence: 'monthly',
        })
        .expect(201)
    ).body as { id: string; version: number };
  }, 180000);

  afterAll(async () => {
    await t?.close();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('heavy reads (item list, plan tree, scoreboard, trend, dispatch pack) are served by the healthy replica', async () => {
    const [cycle] = (await t.dataSource.query(
      `SELECT c.id FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id WHERE p.status = 'published' ORDER BY c.period LIMIT 1`,
    )) as { id: string }[];
    await untilReplicaServes(t, other);
    const commits = () =>
      Number(replica.sql(`SELECT xact_commit FROM pg_stat_database WHERE datname = 'duban'`));
    const before = await heavyReads(t);
    const commitsBefore = commits();
    for (let i = 0; i < 5; i++) expect(await titles(t, other)).toEqual(['原标题']);
    expect(await treeSections(t, other)).toEqual(['测试部分']);
    await t.http().get(`/api/v1/plans/${plan.planId}/scoreboard`).set(bearer(other)).expect(200);
    await t.http().get(`/api/v1/plans/${plan.planId}/trend`).set(bearer(other)).expect(200);
    await t.http().get(`/api/v1/cycles/${cycle.id}/dispatch-pack`).set(bearer(other)).expect(200);
    await t.http().get(`/api/v1/cycles/${cycle.id}/dispatch-pack/overdue`).set(bearer(other)).expect(200);
    expect(delta(await heavyReads(t), before)).toEqual({ 'replica/replica': 10 });
    // The replica itself saw them (its commit counter is flushed lazily: wait for it).
    await waitFor('replica commits', () => Promise.resolve(commits() >= commitsBefore + 10));
  });

  it('read-your-writes: with replay paused the writer reads their own write (primary), others read the replica', async () => {
    await untilReplicaServes(t, writer);
    replica.sql('SELECT pg_wal_replay_pause()');
    try {
      await edit(t, '改后标题');
      await t
        .http()
        .post(`/api/v1/plans/${plan.planId}/sections`)
        .set(bearer(writer))
        .send({ title: '新增部分', numbering: '二、' })
        .expect(201);
      const before = await heavyReads(t);
      expect(await titles(t, writer)).toEqual(['改后标题']);
      expect(await treeSections(t, writer)).toEqual(['测试部分', '新增部分']);
      // Someone else within DATABASE_REPLICA_MAX_LAG_MS: the replica, which has not replayed it yet.
      expect(await titles(t, other)).toEqual(['原标题']);
      expect(delta(await heavyReads(t), before)).toEqual({ 'primary/own_write': 2, 'replica/replica': 1 });
    } finally {
      replica.sql('SELECT pg_wal_replay_resume()');
    }
    // Replayed: the writer is served by the replica again, and sees the write there.
    await untilReplicaServes(t, writer);
    expect(await titles(t, other)).toEqual(['改后标题']);
  });

  it('a replica lagging beyond DATABASE_REPLICA_MAX_LAG_MS is skipped (lagging), and used again once caught up', async () => {
    const small = await appOn({ DATABASE_REPLICA_MAX_LAG_MS: '1000' });
    try {
      await untilReplicaServes(small, other);
      replica.sql('SELECT pg_wal_replay_pause()');
      try {
        await edit(t, '滞后期间的标题');
        await new Promise((r) => setTimeout(r, 2500));
        const before = await heavyReads(small);
        // Read on the primary: current, not the replica's stale rows.
        expect(await titles(small, other)).toEqual(['滞后期间的标题']);
        expect(await treeSections(small, other)).toEqual(['测试部分', '新增部分']);
        expect(delta(await heavyReads(small), before)).toEqual({ 'primary/lagging': 2 });
      } finally {
        replica.sql('SELECT pg_wal_replay_resume()');
      }
      await untilReplicaServes(small, other, 10000);
    } finally {
      await small.close();
    }
  });

  it('replica stopped: heavy reads all 200 from the primary (down / fallback_error); started again: used again', async () => {
    await untilReplicaServes(t, other);
    await replica.stop();
    try {
      const before = await heavyReads(t);
      for (let i = 0; i < 10; i++) {
        expect(await titles(t, other)).toEqual(['滞后期间的标题']);
        await t.http().get(`/api/v1/plans/${plan.planId}/scoreboard`).set(bearer(other)).expect(200);
      }
      const d = delta(await heavyReads(t), before);
      expect(d['replica/replica']).toBeUndefined();
      expect((d['primary/down'] ?? 0) + (d['primary/fallback_error'] ?? 0)).toBe(20);
      const metrics = (await t.http().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^duban_db_replica_up(\{[^}]*\})? 0$/m);
    } finally {
      await replica.start();
    }
    await untilReplicaServes(t, other, 15000);
    expect((await t.http().get('/metrics').expect(200)).text).toMatch(/^duban_db_replica_up(\{[^}]*\})? 1$/m);
  });

  it('DATABASE_REPLICA_URL unset: the guard never reads a mark and writes record none', async () => {
    const plain = await createTestApp({
      DATABASE_NAME: 'duban',
      DATABASE_URL: primary.url('duban'),
      MIGRATION_DATABASE_URL: primary.url('duban'),
    });
    const marks = () => Number(primary.sql(`SELECT count(*) FROM replica_read_marks`, 'duban'));
    const lock = new Client({ connectionString: primary.url('duban') });
    await lock.connect();
    try {
      await plain.http().get('/api/v1/auth/me').set(bearer(writer)).expect(200);
      const marksBefore = marks();
      // With the marks table locked, any request whose statement touched it would wait (then fail).
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE replica_read_marks IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      await plain.http().get('/api/v1/auth/me').set(bearer(writer)).expect(200);
      expect(await titles(plain, writer)).toEqual(['滞后期间的标题']);
      await lock.query('ROLLBACK');
      expect(Date.now() - started).toBeLessThan(3000);
      await edit(plain, '未配置副本时的标题');
      expect(marks()).toBe(marksBefore);
      const d = await heavyReads(plain);
      expect(d).toEqual({ 'primary/not_configured': 1 });
    } finally {
      await lock.end();
      await plain.close();
    }
  });
});
