import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { Queue } from 'bullmq';

import { parseSentinels } from '../../src/core/redis/redis-options';
import { bullConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/queue-names';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { baseEnv, TEST_PASSWORD } from '../helpers/env';
import { indexOrg, makeDraftPlan, routeUnitToWebhook } from '../helpers/fixtures';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { MASTER_NAME, SentinelSet } from '../helpers/sentinel';
import { freePort, waitFor } from '../helpers/services';

const N = 2000;
const CONCURRENCY = 8;

/**
 * Redis behind Sentinel: a master, a replica, three Sentinels; a real API and a real worker configured
 * with REDIS_SENTINELS only. 2,000 due reminders go out through a webhook sink; the master is killed
 * with SIGKILL midway. Sentinel promotes the replica, the worker carries on through it, every reminder
 * reaches the sink (distinct idempotency keys = 2,000), the in-app messages are exactly 2,000, and the
 * API's readiness and login throttle work again on the new master.
 */
describe('Redis Sentinel failover: the master SIGKILLed during 2,000 reminders', () => {
  let t: TestApp;
  let redis: SentinelSet;
  let sink: Server;
  const received = new Map<string, number>();
  let raw = 0;
  const procs: Proc[] = [];
  let apiPort: number;
  let prefix: string;

  const sentinelEnv = () => ({
    REDIS_URL: 'redis://127.0.0.1:1/0', // host and port unused in Sentinel mode: a dead address proves it
    REDIS_SENTINELS: redis.addresses,
    REDIS_SENTINEL_NAME: MASTER_NAME,
    REDIS_PREFIX: prefix,
  });
  const processEnv = () => ({
    ...baseEnv(),
    ...sentinelEnv(),
    DATABASE_URL: t.config.db.url,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '4',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    NOTIFY_CONCURRENCY: String(CONCURRENCY),
    NOTIFY_LEASE_SECONDS: '5',
    LOGIN_MAX_FAILURES: '3',
  });
  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);
  const inApp = () =>
    count(`SELECT count(*)::int AS n FROM notifications n JOIN items i ON i.id = n.item_id
            WHERE i.title LIKE '哨兵提醒%' AND n.level = 'remind'`);
  const pending = () => count(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'`);
  const distinct = () => received.size;
  const api = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${apiPort}${path}`, init);
  const login = (username: string, password: string) =>
    api('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).then((r) => r.status);

  beforeAll(async () => {
    redis = await SentinelSet.start();
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        // Slow enough that sends are still going when the master dies.
        setTimeout(() => {
          if (body.includes('哨兵提醒')) {
            raw++;
            const key = req.headers['idempotency-key'] as string;
            received.set(key, (received.get(key) ?? 0) + 1);
          }
          res.setHeader('content-type', 'application/json');
          res.end('{"ok":true}');
        }, 15);
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    // A Redis Cluster-style hash-tag prefix, as documented for Cluster: BullMQ takes it as its `prefix`.
    prefix = `{${t.config.redis.prefix}}`;
    const [admin, dispatch] = await Promise.all([t.login('xxs.admin'), t.login('xxs.dispatch')]);
    const idx = await indexOrg(t, dispatch);
    const unitId = idx.units.get('zhufeng-squad')!;
    await routeUnitToWebhook(
      t,
      admin,
      unitId,
      `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`,
      'sentinel-secret-0123456789',
    );
    const fx = await makeDraftPlan(t, dispatch, '哨兵', 2022);
    await t.dataSource.query(
      `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, lead_unit_id, responsible_leader_id,
                          owner_id, start_date, deadline, cadence, weight, status)
       SELECT p.organization_id, p.id, $2, $3, g, '哨兵提醒-' || g, $4, $5, $6, DATE '2022-01-01', DATE '2022-09-30',
              'annual', 1, 'in_progress'
         FROM plans p, generate_series(1, $7::int) g WHERE p.id = $1`,
      [
        fx.planId,
        fx.sectionId,
        fx.taskId,
        unitId,
        idx.users.get('xxs.liming'),
        idx.users.get('xxs.zhufeng1'),
        N,
      ],
    );
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(dispatch)).expect(200);
    await pinDatabaseClock(t.dataSource, '2022-10-08T10:00:00+08:00');
    apiPort = await freePort();
    procs.push(
      startProcess('api', 'main.api.js', { ...processEnv(), PORT: String(apiPort) }),
      startProcess('worker', 'main.worker.js', processEnv()),
    );
    await waitFor('API ready', async () => (await api('/health/ready')).status === 200, 45_000);
  }, 120_000);

  afterAll(async () => {
    await stopAll(procs);
    await t?.close();
    sink?.closeAllConnections();
    await new Promise((r) => sink?.close(() => r(undefined)));
    await redis?.stop();
  });

  it('the replica is promoted, every reminder goes out once per key, the throttle and readiness recover', async () => {
    const started = Date.now();
    // The producer side through the Sentinels as well: the same options builder as the app's.
    const connection = bullConnection({
      url: 'redis://127.0.0.1:1/0',
      prefix,
      sentinels: parseSentinels(redis.addresses)!,
      sentinelName: MASTER_NAME,
    });
    const notify = new Queue(QueueName.Notify, { connection, prefix });
    const system = new Queue(QueueName.System, { connection, prefix });
    for (const q of [notify, system]) q.on('error', () => undefined);
    await notify.add('reminders.scan', { tick: 'sentinel' }, { jobId: 'scan-sentinel' });

    const oldMaster = redis.master;
    expect(await redis.masterPort()).toBe(oldMaster);
    await waitFor('a quarter delivered', async () => distinct() >= N / 4, 60_000, 10);
    const atKill = distinct();
    await redis.kill(oldMaster);
    const killedAt = Date.now();
    await waitFor(
      'the replica promoted',
      async () => (await redis.masterPort()) === redis.replica,
      30_000,
      100,
    );
    const promotedMs = Date.now() - killedAt;
    await waitFor('all delivered', async () => distinct() >= N && (await pending()) === 0, 60_000, 100);
    const recoveredMs = Date.now() - killedAt;
    // A job added after the promotion is taken and finished by the same worker: it follows the new master.
    const probe = await system.add('system.probe', { holdMs: 10, note: 'after failover' });
    await waitFor(
      'a job after the failover done',
      async () => (await probe.getState()) === 'completed',
      20_000,
      100,
    );
    await Promise.all([notify.close(), system.close()]);

    // The API's plain client follows the master too: readiness, then the login throttle (which fails
    // open while Redis is away, so only a working Redis can refuse the 4th wrong password).
    await waitFor('API ready again', async () => (await api('/health/ready')).status === 200, 20_000, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await login('xxs.office', `wrong-${i}`));
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(await login('xxs.sanitation', TEST_PASSWORD)).toBe(200);

    const failed = await count(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'failed'`);
    const messages = await inApp();
    console.log(
      `sentinel failover: ${N} reminders; ${atKill} distinct delivered at the kill; replica promoted after ` +
        `${promotedMs} ms; all delivered ${recoveredMs} ms after the kill; distinct idempotency keys ${distinct()}, ` +
        `raw sends ${raw} (duplicates ${raw - distinct()}), in-app messages ${messages}, failed ${failed}; ` +
        `whole run ${Date.now() - started} ms`,
    );
    expect(atKill).toBeLessThan(N);
    expect(distinct()).toBe(N);
    expect(messages).toBe(N);
    expect(failed).toBe(0);
    // At-least-once: a resend only for a send in flight when its job's Redis went away.
    expect(raw - distinct()).toBeLessThanOrEqual(CONCURRENCY);
    // The API and worker never had a usable REDIS_URL host: everything above went through the Sentinels.
    expect(procs.every((p) => p.child.exitCode === null)).toBe(true);
  }, 120_000);
});
