import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../../src/core/database/data-source';
import { runMigrationsLocked } from '../../src/core/database/migrate';
import { createTestApp, TestApp } from '../helpers/app';
import { OwnPostgres, OwnRedis, waitFor } from '../helpers/services';

/**
 * Readiness follows the real dependencies: this file runs the API against a Redis and a
 * PostgreSQL of its own, kills them for real, and watches /health/ready go 503 and come back.
 */
describe('健康检查 (health)', () => {
  let redis: OwnRedis;
  let pg: OwnPostgres;
  let t: TestApp;

  const ready = () => t.http().get('/health/ready');

  beforeAll(async () => {
    [redis, pg] = await Promise.all([OwnRedis.start(), OwnPostgres.start()]);
    const c = new Client({ connectionString: pg.url() });
    await c.connect();
    await c.query('CREATE DATABASE duban');
    await c.end();
    const ds = new DataSource(
      dataSourceOptions({ db: { url: pg.url('duban'), poolSize: 1, migrationsRun: false } }),
    );
    await ds.initialize();
    await runMigrationsLocked(ds);
    await ds.destroy();
    t = await createTestApp({ DATABASE_NAME: 'duban', DATABASE_URL: pg.url('duban'), REDIS_URL: redis.url });
  }, 60000);

  afterAll(async () => {
    await t?.close();
    await redis?.kill();
    await pg?.destroy();
  });

  it('live is always 200; ready is 200 with both parts up', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const res = await ready().expect(200);
    expect(res.body).toEqual({ status: 'ok', message: '服务就绪', checks: { database: 'up', redis: 'up' } });
  });

  it('Redis killed → 503 naming Redis; Redis back → 200 by itself within 30 s', async () => {
    await redis.kill();
    const down = await ready().expect(503);
    expect(down.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      checks: { database: 'up', redis: 'down' },
    });
    expect(down.body.message).toContain('Redis');
    expect(down.body.message).not.toContain('PostgreSQL');
    await t.http().get('/health/live').expect(200);

    await redis.start();
    const took = await waitFor(
      'ready after Redis returns',
      async () => (await ready()).status === 200,
      30000,
      250,
    );
    expect(took).toBeLessThan(30000);
  });

  it('PostgreSQL stopped → 503 naming PostgreSQL; back → 200 by itself within 30 s', async () => {
    await pg.stop();
    const down = await ready().expect(503);
    expect(down.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      checks: { database: 'down', redis: 'up' },
    });
    expect(down.body.message).toContain('PostgreSQL');
    await pg.start();
    const took = await waitFor(
      'ready after PostgreSQL returns',
      async () => (await ready()).status === 200,
      30000,
      250,
    );
    expect(took).toBeLessThan(30000);
    // And business requests work again on the recovered pool.
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'whatever' });
    expect(res.status).toBe(401);
  });
});
