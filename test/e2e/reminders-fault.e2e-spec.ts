import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { Queue } from 'bullmq';
import Redis from 'ioredis';

import { bullConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/queue-names';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { baseEnv } from '../helpers/env';
import { indexOrg, makeDraftPlan, routeUnitToWebhook } from '../helpers/fixtures';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { waitFor } from '../helpers/services';

const N = 10_000;
const CONCURRENCY = 16;

/**
 * 10,000 due reminders, two worker processes, one killed with SIGKILL midway (and, in the second
 * round, Redis's keys deleted midway): every reminder reaches the sink, raw duplicates stay within
 * the killed worker's sends in flight, and the in-app messages are exactly 10,000.
 */
describe('reminders under faults: 10,000 due, SIGKILL and a flushed Redis', () => {
  let t: TestApp;
  let sink: Server;
  const received = new Map<string, number>();
  let raw = 0;
  const procs: Proc[] = [];
  let admin: string;
  let dispatch: string;
  let unitId: string;

  const workerEnv = () => ({
    ...baseEnv(),
    DATABASE_URL: t.config.db.url,
    REDIS_PREFIX: t.config.redis.prefix,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '6',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    NOTIFY_CONCURRENCY: String(CONCURRENCY),
    NOTIFY_LEASE_SECONDS: '5',
  });
  const ours = async (level = 'remind') => {
    // Fresh statistics: just after 10,000 bulk-inserted items, stale ones (tens of rows) can make the planner loop
    // over notifications per item (no index on item_id) past the 30 s statement timeout.
    await t.dataSource.query('ANALYZE items, notifications');
    return Number(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM notifications n JOIN items i ON i.id = n.item_id
            WHERE i.title LIKE '压测提醒%' AND n.level = $1`,
          [level],
        )
      )[0].n,
    );
  };
  const pending = async () =>
    Number(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'`))[0].n,
    );
  const distinct = () => [...received.keys()].length;

  /** A plan of `n` items with one deadline, owned in the squad whose unit webhook is the sink. */
  const makeItems = async (title: string, deadline: string) => {
    const idx = await indexOrg(t, dispatch);
    const fx = await makeDraftPlan(t, dispatch, title, 2022);
    await t.dataSource.query(
      `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, lead_unit_id, responsible_leader_id,
                          owner_id, start_date, deadline, cadence, weight, status)
       SELECT p.organization_id, p.id, $2, $3, g, '压测提醒' || $6::text || '-' || g, $4, $5, $7, DATE '2022-01-01', $8::date, 'annual', 1,
              'in_progress'
         FROM plans p, generate_series(1, $9::int) g WHERE p.id = $1`,
      [
        fx.planId,
        fx.sectionId,
        fx.taskId,
        unitId,
        idx.users.get('xxs.liming'),
        title,
        idx.users.get('xxs.zhufeng1'),
        deadline,
        N,
      ],
    );
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(dispatch)).expect(200);
  };

  const startScan = async (tick: string) => {
    const q = new Queue(QueueName.Notify, {
      connection: bullConnection(t.config.redis),
      prefix: t.config.redis.prefix,
    });
    await q.add('reminders.scan', { tick }, { jobId: `scan-fault-${tick}` });
    await q.close();
  };

  beforeAll(async () => {
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        // A little latency, so sends are in flight when a worker dies.
        setTimeout(() => {
          if (body.includes('压测提醒')) {
            raw++;
            const key = req.headers['idempotency-key'] as string;
            received.set(key, (received.get(key) ?? 0) + 1);
          }
          res.setHeader('content-type', 'application/json');
          res.end('{"ok":true}');
        }, 3);
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    [admin, dispatch] = await Promise.all([t.login('xxs.admin'), t.login('xxs.dispatch')]);
    const idx = await indexOrg(t, dispatch);
    unitId = idx.units.get('zhufeng-squad')!;
    await routeUnitToWebhook(
      t,
      admin,
      unitId,
      `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`,
      'fault-secret-0123456789',
    );
  }, 120_000);
  afterAll(async () => {
    await stopAll(procs);
    await t.close();
    await new Promise((r) => sink.close(() => r(undefined)));
  });

  it('a worker killed with SIGKILL midway: all 10,000 delivered, duplicates within its sends in flight', async () => {
    await makeItems('故障一', '2022-09-30');
    await pinDatabaseClock(t.dataSource, '2022-10-08T10:00:00+08:00');
    const a = startProcess('worker-a', 'main.worker.js', workerEnv());
    const b = startProcess('worker-b', 'main.worker.js', workerEnv());
    procs.push(a, b);
    await startScan('kill');
    await waitFor('a third delivered', async () => distinct() >= N / 3, 60_000, 20);
    a.child.kill('SIGKILL');
    await a.exited;
    const rawAtKill = raw;
    procs.push(startProcess('worker-a2', 'main.worker.js', workerEnv()));
    await waitFor('all delivered', async () => distinct() >= N && (await pending()) === 0, 90_000, 100);
    expect(rawAtKill).toBeLessThan(N);
    expect(distinct()).toBe(N);
    expect(raw - distinct()).toBeLessThanOrEqual(CONCURRENCY);
    expect(await ours()).toBe(N);
    expect(
      Number(
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'failed'`))[0].n,
      ),
    ).toBe(0);
  }, 180_000);

  it("Redis's keys deleted midway: after the next dispatch all are delivered, none missing", async () => {
    received.clear();
    raw = 0;
    await t.dataSource.query(
      `UPDATE items SET status = 'closed', closed_at = now() WHERE title LIKE '压测提醒故障一%'`,
    );
    await makeItems('故障二', '2022-10-10');
    // Overdue day 1 for these (10-11), the earlier ones are in an old window: only the new ones are due.
    await pinDatabaseClock(t.dataSource, '2022-10-11T10:00:00+08:00');
    await startScan('flush');
    await waitFor('some delivered', async () => distinct() >= N / 4, 60_000, 20);
    const redis = new Redis(t.config.redis.url);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${t.config.redis.prefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    await waitFor('all delivered', async () => distinct() >= N && (await pending()) === 0, 90_000, 100);
    expect(distinct()).toBe(N);
    expect(raw - distinct()).toBeLessThanOrEqual(2 * CONCURRENCY);
    expect(await ours()).toBe(2 * N);
  }, 180_000);
});
