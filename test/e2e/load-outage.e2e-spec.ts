import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { seedCalendar } from '../../seeds';
import { seedOrganizations } from '../../seeds/organizations.seed';
import { dataSourceOptions } from '../../src/core/database/data-source';
import { runMigrationsLocked } from '../../src/core/database/migrate';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { TEST_PASSWORD } from '../helpers/env';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';
import { OwnPostgres } from '../helpers/services';

interface Shot {
  at: number;
  ms: number;
  status: number; // 0: the client gave up waiting (a hang)
  retryAfter: string | null;
  code?: string;
}

/**
 * A PostgreSQL restart while item creations stream in, on a cluster of this file's own (killed for
 * real, immediate mode): requests caught by it answer 503 with Retry-After (never 500, never hang),
 * and once the database is back the same API process writes again, without a restart.
 */
describe('数据库重启中的写入 (load: outage)', () => {
  let pg: OwnPostgres;
  let t: TestApp;

  beforeAll(async () => {
    pg = await OwnPostgres.start();
    const c = new Client({ connectionString: pg.url() });
    await c.connect();
    await c.query('CREATE DATABASE duban');
    await c.end();
    const ds = new DataSource(
      dataSourceOptions({ db: { url: pg.url('duban'), poolSize: 1, migrationsRun: false } }),
    );
    await ds.initialize();
    await runMigrationsLocked(ds);
    // Users and units are enough: the plan is made through the API.
    await ds.transaction(async (em) => {
      await seedCalendar(em);
      await seedOrganizations(em, TEST_PASSWORD);
    });
    await ds.destroy();
    t = await createTestApp({
      DATABASE_NAME: 'duban',
      DATABASE_URL: pg.url('duban'),
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    });
    await t.app.listen(0, '127.0.0.1');
  }, 90000);

  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  it('PostgreSQL restarted during writes → 503 with Retry-After meanwhile, then 201 again on the same process', async () => {
    const token = await t.login('xxs.dispatch');
    const idx = await indexOrg(t, token);
    const fx = await makeDraftPlan(t, token, '重启测试计划');
    const url = `${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/items`;
    const shots: Shot[] = [];
    let n = 0;
    let stop = false;
    const t0 = Date.now();
    const writer = async () => {
      while (!stop) {
        const started = Date.now();
        const shot: Shot = { at: started - t0, ms: 0, status: 0, retryAfter: null };
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { ...bearer(token), 'content-type': 'application/json' },
            body: JSON.stringify({
              taskId: fx.taskId,
              title: `重启期间的事项 ${n++}`,
              leadUnitId: idx.units.get('zhufeng-squad'),
              responsibleLeaderId: idx.users.get('xxs.liming'),
              startDate: '2023-01-01',
              deadline: '2023-12-31',
              cadence: 'monthly',
            }),
            signal: AbortSignal.timeout(15000),
          });
          shot.status = res.status;
          shot.retryAfter = res.headers.get('retry-after');
          shot.code = ((await res.json()) as { code?: string }).code;
        } catch {
          shot.status = 0;
        }
        shot.ms = Date.now() - started;
        shots.push(shot);
        if (shot.status !== 201) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const writers = Array.from({ length: 4 }, writer);

    const createdBefore = async (min: number) => {
      while (shots.filter((s) => s.status === 201).length < min) await new Promise((r) => setTimeout(r, 50));
    };
    await createdBefore(10);
    await pg.stop();
    const downAt = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 1500));
    await pg.start();
    const upAt = Date.now() - t0;
    const createdAtRestart = shots.filter((s) => s.status === 201).length;
    await createdBefore(createdAtRestart + 10);
    stop = true;
    await Promise.all(writers);

    const statuses = new Set(shots.map((s) => s.status));
    expect([...statuses].filter((s) => s !== 201 && s !== 503)).toEqual([]);
    const refused = shots.filter((s) => s.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const s of refused) {
      expect(s.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(s.retryAfter)).toBeGreaterThan(0);
    }
    // Requests sent while the database was down were answered promptly, not held.
    const whileDown = shots.filter((s) => s.at >= downAt + 200 && s.at < upAt - 200);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.every((s) => s.status === 503 && s.ms < 5000)).toBe(true);
    // Writes resumed on the same pool, and every 201 is a stored row.
    expect(shots.some((s) => s.at > upAt && s.status === 201)).toBe(true);
    const [{ count }] = (await t.dataSource.query(
      `SELECT count(*)::int AS count FROM items WHERE task_id = $1`,
      [fx.taskId],
    )) as { count: number }[];
    expect(count).toBeGreaterThanOrEqual(shots.filter((s) => s.status === 201).length);
  }, 90000);
});
