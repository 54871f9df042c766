import { createHash, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import autocannon from 'autocannon';
import { Queue } from 'bullmq';

import { PIN_CLOCK_SQL } from '../../src/core/clock/clock';
import { bullConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/queue-names';
import { parseSentinels } from '../../src/core/redis/redis-options';
import { waitFor } from '../helpers/services';
import { MASTER_NAME } from '../helpers/sentinel';
import { Cluster, CLUSTER_PASSWORD, metricSum } from './cluster';

const REMINDERS = 2000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * Issue 18's first acceptance bullet on real components (test/cluster/cluster.ts): PostgreSQL primary +
 * streaming replica, Redis master + replica + 3 Sentinels, nginx in front of 2 API processes, 2 workers,
 * Prometheus. Each scenario prints its counted figures as `cluster: …` lines.
 */
describe('cluster: 2 APIs behind nginx, 2 workers, PostgreSQL replica, Redis Sentinel, Prometheus', () => {
  let c: Cluster;
  let sink: Server;
  const received = new Map<string, number>();
  let raw = 0;
  const tokens: Record<string, string> = {};
  let units: Map<string, string>;
  let users: Map<string, string>;
  /** Scenario c's window, for scenario f's query_range. */
  let batch: { from: number; to: number } | undefined;

  const call = async (base: string, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed } as Answer;
  };
  /** Through the proxy, expecting `status`. */
  const viaProxy = async (method: string, path: string, token: string, body: unknown, status: number) => {
    const r = await call(c.proxyUrl, method, path, token, body);
    if (r.status !== status)
      throw new Error(`${method} ${path}: ${r.status} (expected ${status}) ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const login = async (username: string) =>
    (await viaProxy('POST', '/api/v1/auth/login', '', { username, password: CLUSTER_PASSWORD }, 200))
      .accessToken as string;
  /** Dumps every process's output tail when a scenario fails. */
  const step = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (err) {
      console.error(`cluster: scenario failed, process output:\n${c?.tails(40)}`);
      throw err;
    }
  };

  /** A draft plan with one item owned by xxs.zhufeng1 (lead unit 中队), by the dispatcher through the proxy. */
  async function makePlan(title: string): Promise<{ planId: string; sectionId: string; taskId: string }> {
    const d = tokens.dispatch;
    const plan = await viaProxy('POST', '/api/v1/plans', d, { year: 2022, title }, 201);
    const section = await viaProxy(
      'POST',
      `/api/v1/plans/${plan.id}/sections`,
      d,
      { title: '集群测试部分', numbering: '一、' },
      201,
    );
    const task = await viaProxy(
      'POST',
      `/api/v1/sections/${section.id}/tasks`,
      d,
      { title: '集群测试任务', numbering: '（一）' },
      201,
    );
    return { planId: plan.id, sectionId: section.id, taskId: task.id };
  }
  async function makeItem(title: string): Promise<{ itemId: string; targetId: string }> {
    const fx = await makePlan(`${title}计划`);
    const item = await viaProxy(
      'POST',
      '/api/v1/items',
      tokens.dispatch,
      {
        taskId: fx.taskId,
        title,
        leadUnitId: units.get('zhufeng-squad'),
        responsibleLeaderId: users.get('xxs.liming'),
        ownerId: users.get('xxs.zhufeng1'),
        startDate: '2022-01-01',
        deadline: '2022-12-31',
        cadence: 'monthly',
        targets: [{ metric: '拆除违法建设', comparator: '>=', value: 1.5, unit: '万平方米' }],
      },
      201,
    );
    const [{ id: targetId }] = (await c.db.query(`SELECT id FROM item_targets WHERE item_id = $1`, [item.id]))
      .rows as { id: string }[];
    return { itemId: item.id, targetId };
  }

  beforeAll(async () => {
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        // Slow enough that sends are still going when the Redis master dies.
        setTimeout(() => {
          if (body.includes('集群提醒')) {
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
    c = await Cluster.start({ clock: '2022-06-15T10:00:00+08:00' });
    for (const [key, username] of Object.entries({
      admin: 'xxs.admin',
      dispatch: 'xxs.dispatch',
      member: 'xxs.zhufeng1',
      head: 'xxs.zhufeng',
    }))
      tokens[key] = await login(username);
    const u = (await viaProxy('GET', '/api/v1/units', tokens.admin, undefined, 200)) as {
      id: string;
      code: string;
    }[];
    const p = (await viaProxy('GET', '/api/v1/users', tokens.admin, undefined, 200)) as {
      id: string;
      username: string;
    }[];
    units = new Map(u.map((x) => [x.code, x.id]));
    users = new Map(p.map((x) => [x.username, x.id]));
  }, 240_000);

  afterAll(async () => {
    await c?.stop();
    sink?.closeAllConnections();
    await new Promise((r) => sink?.close(() => r(undefined)));
  }, 60_000);

  it(
    'a. a report submitted and approved through the proxy: its figures agree read from api1 and from api2',
    step(async () => {
      const { itemId, targetId } = await makeItem('集群填报事项');
      let r = await viaProxy(
        'PUT',
        `/api/v1/items/${itemId}/reports/2022-06`,
        tokens.member,
        {
          percent: 40,
          progress: '完成拆除 6000 平方米',
          actuals: [{ targetId, value: 6000, unit: '平方米' }],
        },
        200,
      );
      r = await viaProxy(
        'POST',
        `/api/v1/reports/${r.id}/submit`,
        tokens.member,
        { version: r.version },
        200,
      );
      r = await viaProxy('POST', `/api/v1/reports/${r.id}/approve`, tokens.head, { version: r.version }, 200);
      expect(r.status).toBe('approved');
      const seen: { percent: number; periodKey: string; actual: number; status: string }[] = [];
      for (const api of c.apis) {
        const progress = await call(api.url, 'GET', `/api/v1/items/${itemId}/progress`, tokens.member);
        const item = await call(api.url, 'GET', `/api/v1/items/${itemId}`, tokens.member);
        expect([progress.status, item.status]).toEqual([200, 200]);
        seen.push({
          percent: progress.body.percent,
          periodKey: progress.body.periodKey,
          actual: progress.body.targets[0].actual,
          status: item.body.status,
        });
      }
      const show = (s: (typeof seen)[0]) => `${s.percent}% ${s.periodKey} actual ${s.actual} ${s.status}`;
      console.log(
        `cluster: report approved via proxy; visible via api1=${show(seen[0])}, api2=${show(seen[1])}`,
      );
      expect(seen[0]).toEqual({ percent: 40, periodKey: '2022-06', actual: 0.6, status: 'in_progress' });
      expect(seen[1]).toEqual(seen[0]);
    }),
    60_000,
  );

  it(
    'b. evidence uploaded through api1 downloads byte-identical through api2 (and through the proxy)',
    step(async () => {
      const { itemId } = await makeItem('集群佐证事项');
      const draft = await viaProxy(
        'PUT',
        `/api/v1/items/${itemId}/reports/2022-06`,
        tokens.member,
        { percent: 10, progress: '佐证上传' },
        200,
      );
      const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1024 * 1024 - 2)]);
      const form = new FormData();
      form.append('file', new Blob([file], { type: 'application/pdf' }), '集群现场.pdf');
      const up = await fetch(`${c.apis[0].url}/api/v1/reports/${draft.id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.member}` },
        body: form,
      });
      expect(up.status).toBe(201);
      const evidence = ((await up.json()) as { evidence: { url: string; size: number }[] }).evidence[0];
      const got: Record<string, Buffer> = {};
      for (const [name, base] of [
        ['api2', c.apis[1].url],
        ['proxy', c.proxyUrl],
      ]) {
        const res = await fetch(`${base}${evidence.url}`, {
          headers: { authorization: `Bearer ${tokens.member}` },
        });
        expect(res.status).toBe(200);
        got[name] = Buffer.from(await res.arrayBuffer());
      }
      console.log(
        `cluster: evidence ${file.length} bytes uploaded via api1 (sha256 ${sha(file).slice(0, 12)}); ` +
          `downloaded via api2=${got.api2.length} bytes sha256 ${sha(got.api2).slice(0, 12)}, ` +
          `via proxy=${got.proxy.length} bytes sha256 ${sha(got.proxy).slice(0, 12)}`,
      );
      expect(sha(got.api2)).toBe(sha(file));
      expect(sha(got.proxy)).toBe(sha(file));
    }),
    60_000,
  );

  it(
    'c. the Redis master SIGKILLed during 2,000 reminders: Sentinel promotes, both workers carry on, each delivered once per key',
    step(async () => {
      const unitId = units.get('zhufeng-squad')!;
      const hook = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
      await viaProxy('POST', '/api/v1/admin/webhook-hosts', tokens.admin, { host: '127.0.0.1' }, 200);
      await viaProxy(
        'PUT',
        '/api/v1/channels',
        tokens.admin,
        {
          ownerType: 'unit',
          ownerId: unitId,
          channel: 'webhook',
          address: hook,
          secret: 'cluster-secret-0123456789',
        },
        200,
      );
      const fx = await makePlan('集群提醒');
      await c.db.query(
        `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, lead_unit_id, responsible_leader_id,
                            owner_id, start_date, deadline, cadence, weight, status)
         SELECT p.organization_id, p.id, $2, $3, g, '集群提醒-' || g, $4, $5, $6, DATE '2022-01-01', DATE '2022-09-30',
                'annual', 1, 'in_progress'
           FROM plans p, generate_series(1, $7::int) g WHERE p.id = $1`,
        [
          fx.planId,
          fx.sectionId,
          fx.taskId,
          unitId,
          users.get('xxs.liming'),
          users.get('xxs.zhufeng1'),
          REMINDERS,
        ],
      );
      await viaProxy('POST', `/api/v1/plans/${fx.planId}/publish`, tokens.dispatch, undefined, 200);
      // Past the deadline on a working day: every one of the 2,000 is due a reminder.
      await c.db.query(PIN_CLOCK_SQL, ['2022-10-08T10:00:00+08:00', true]);

      const count = async (sql: string) => Number((await c.db.query(sql)).rows[0].n);
      const pending = () => count(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'`);
      const connection = bullConnection({
        url: 'redis://127.0.0.1:1/0',
        prefix: c.prefix,
        sentinels: parseSentinels(c.redis.addresses)!,
        sentinelName: MASTER_NAME,
      });
      const notify = new Queue(QueueName.Notify, { connection, prefix: c.prefix });
      const system = new Queue(QueueName.System, { connection, prefix: c.prefix });
      for (const q of [notify, system]) q.on('error', () => undefined);
      const started = Date.now();
      batch = { from: started, to: started };
      try {
        await notify.add('reminders.scan', { tick: 'cluster' }, { jobId: 'scan-cluster' });
        await waitFor(
          'a quarter of the reminders delivered',
          async () => received.size >= REMINDERS / 4,
          90_000,
          10,
        );
        const atKill = received.size;
        const sent = () =>
          Promise.all(
            c.workers.map(async (w) =>
              metricSum(await c.metrics(w), 'duban_deliveries_total', {
                channel: 'webhook',
                outcome: 'sent',
              }),
            ),
          );
        const sentAtKill = await sent();
        const oldMaster = await c.killRedisMaster();
        const killedAt = Date.now();
        await waitFor(
          'Sentinel to promote the replica',
          async () => (await c.redis.masterPort()) !== oldMaster,
          30_000,
          100,
        );
        const promotedMs = Date.now() - killedAt;
        await waitFor(
          `all ${REMINDERS} reminders delivered`,
          async () => received.size >= REMINDERS && (await pending()) === 0,
          90_000,
          100,
        );
        const recoveredMs = Date.now() - killedAt;
        batch.to = Date.now();
        const messages = await count(
          `SELECT count(*)::int AS n FROM notifications n JOIN items i ON i.id = n.item_id
            WHERE i.title LIKE '集群提醒-%' AND n.level = 'remind'`,
        );
        const failed = await count(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'failed'`);
        // Who sent the rest depends on which worker reconnected first (BullMQ's back-off reaches 5 s).
        const afterKill = (await sent()).map((n, i) => n - sentAtKill[i]);
        // Both workers carry on: each completes jobs taken from the new master.
        const completed = () =>
          Promise.all(
            c.workers.map(async (w) =>
              metricSum(await c.metrics(w), 'duban_queue_jobs_total', {
                queue: 'system',
                outcome: 'completed',
              }),
            ),
          );
        const completed0 = await completed();
        let probes = 0;
        const bothMs = await waitFor(
          'both workers completing jobs after the failover',
          async () => {
            await system.addBulk(
              Array.from({ length: 20 }, () => ({
                name: 'system.probe',
                data: { holdMs: 100, note: 'cluster' },
              })),
            );
            probes += 20;
            const now = await completed();
            return now.every((n, i) => n > completed0[i]);
          },
          30_000,
          1000,
        );
        const probed = (await completed()).map((n, i) => n - completed0[i]);
        console.log(
          `cluster: ${REMINDERS} reminders; ${atKill} distinct delivered at the master kill; promoted after ${promotedMs} ms; ` +
            `all delivered ${recoveredMs} ms after the kill; distinct idempotency keys ${received.size}, raw sends ${raw} ` +
            `(duplicates ${raw - received.size}), in-app messages ${messages}, failed ${failed}; webhook sends after the kill by ` +
            `${afterKill.map((n, i) => `worker${i + 1}=${n}`).join(', ')}; ${probes} probe jobs after the batch, ` +
            `completed by ${probed.map((n, i) => `worker${i + 1}=${n}`).join(', ')} (both within ${bothMs} ms)`,
        );
        expect(atKill).toBeLessThan(REMINDERS);
        expect(received.size).toBe(REMINDERS);
        expect(messages).toBe(REMINDERS);
        expect(failed).toBe(0);
        expect(c.workers.every((w) => w.proc.child.exitCode === null)).toBe(true);
        expect(probed.every((n) => n > 0)).toBe(true);
      } finally {
        await Promise.all([notify.close(), system.close()]);
      }
    }),
    180_000,
  );

  it(
    'f. Prometheus scrapes all four /metrics; the notify queue depth rose above 0 during the batch and fell back to 0',
    step(async () => {
      // Every target up in the same evaluation. A scrape in the seconds after the Redis failover may
      // time out (the worker's queue figures wait on the reconnecting client), hence a bounded wait.
      let up: { labels: Record<string, string>; value: number }[] = [];
      const waited = await waitFor(
        'Prometheus: up == 1 for all four targets',
        async () => {
          up = await c.promQuery('up');
          return up.length === 4 && up.every((s) => s.value === 1);
        },
        20_000,
        500,
      ).catch((err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify(up)}`);
      });
      console.log(
        `cluster: prometheus up=${up.map((s) => `${s.labels.job}/${s.labels.instance}:${s.value}`).join(', ')} ` +
          `(all 1 after ${waited} ms)`,
      );
      expect(batch).toBeDefined();
      const query = 'max(duban_queue_jobs{queue="notify",state=~"waiting|active|delayed"})';
      // The fall is seen once the last scrapes after the batch are in.
      let series: [number, number][] = [];
      await waitFor(
        'the notify queue depth back at 0 in Prometheus',
        async () => {
          const [s] = await c.promRange(query, batch!.from - 5000, Date.now());
          series = s?.values ?? [];
          return series.length > 0 && series[series.length - 1][1] === 0;
        },
        30_000,
        1000,
      );
      const peak = Math.max(...series.map(([, v]) => v));
      const peakAt = series.findIndex(([, v]) => v === peak);
      const zeroAfter = series.slice(peakAt).findIndex(([, v]) => v === 0);
      console.log(
        `cluster: notify queue depth over the batch: ${series.length} samples, first ${series[0][1]}, peak ${peak} ` +
          `${((series[peakAt][0] - batch!.from) / 1000).toFixed(0)} s in, back to 0 ${zeroAfter} s after the peak, last ${series[series.length - 1][1]}`,
      );
      expect(peak).toBeGreaterThan(0);
      expect(zeroAfter).toBeGreaterThan(0);
    }),
    60_000,
  );

  it(
    'd. the PostgreSQL replica stopped: heavy reads through the proxy fall back to the primary without a 5xx; started again, it is used again',
    step(async () => {
      const search = () =>
        fetch(`${c.proxyUrl}/api/v1/items?pageSize=20&q=${encodeURIComponent('整治')}`, {
          headers: { authorization: `Bearer ${tokens.dispatch}` },
          signal: AbortSignal.timeout(15_000),
        }).then(async (r) => (await r.arrayBuffer(), r.status));
      const heavy = async (target: string) => {
        let n = 0;
        for (const a of c.apis) n += metricSum(await c.metrics(a), 'duban_db_heavy_reads_total', { target });
        return n;
      };
      const replicaCommits = () => Number(c.replica!.sql('SELECT sum(xact_commit) FROM pg_stat_database'));
      /** `n` searches, 4 at a time: their statuses. */
      const burst = async (n: number) => {
        const statuses: number[] = [];
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (statuses.length < n) statuses.push(await search().catch(() => 0));
          }),
        );
        return statuses;
      };

      // Up: searches are served by the replica: the API's counter says so, and independently the replica's
      // own transaction counter grows with them. A backend flushes that counter up to seconds late, so
      // half the searches is the bar (the routers' health probes alone add a few per second).
      const used = async (label: string) => {
        let commits = 0;
        let replicaReads = 0;
        await waitFor(
          `searches through the proxy served by the replica (${label})`,
          async () => {
            const [c0, r0] = [replicaCommits(), await heavy('replica')];
            const statuses = await burst(40);
            [commits, replicaReads] = [replicaCommits() - c0, (await heavy('replica')) - r0];
            return statuses.every((s) => s === 200) && commits >= 20 && replicaReads >= 40;
          },
          30_000,
          500,
        );
        console.log(
          `cluster: replica ${label}: 40 searches via proxy → replica xact_commit +${commits}, heavy reads target=replica +${replicaReads}`,
        );
      };
      await used('up');

      await c.stopReplica();
      const p0 = await heavy('primary');
      const until = Date.now() + 4000;
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (Date.now() < until) statuses.push(await search().catch(() => 0));
        }),
      );
      const primaryReads = (await heavy('primary')) - p0;
      const by = (f: (s: number) => boolean) => statuses.filter(f).length;
      const up = await Promise.all(
        c.apis.map(async (a) => metricSum(await c.metrics(a), 'duban_db_replica_up')),
      );
      console.log(
        `cluster: replica stopped: ${statuses.length} searches via proxy in 4 s → 2xx ${by((s) => s >= 200 && s < 300)}, ` +
          `5xx ${by((s) => s >= 500)}, errors ${by((s) => s === 0)}; heavy reads target=primary +${primaryReads}; ` +
          `duban_db_replica_up ${up.join('/')}`,
      );
      expect(statuses.length).toBeGreaterThan(10);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(primaryReads).toBeGreaterThanOrEqual(statuses.length);

      await c.startReplica();
      await used('started again');
    }),
    120_000,
  );

  it(
    'e. api1 SIGKILLed under autocannon load through the proxy: nothing lost beyond its in-flight requests; api2 carries the rest',
    step(async () => {
      const connections = 8;
      const route = '/api/v1/items';
      const served = async (i: number) =>
        metricSum(await c.metrics(c.apis[i]), 'duban_http_request_duration_seconds_count', { route });
      const before = await served(1);
      let killedAt = 0;
      const kill = setTimeout(() => {
        killedAt = Date.now();
        void c.killApi(0);
      }, 3000);
      const started = Date.now();
      const r = await autocannon({
        url: `${c.proxyUrl}${route}?pageSize=20`,
        connections,
        duration: 10,
        headers: { authorization: `Bearer ${tokens.dispatch}` },
      });
      clearTimeout(kill);
      const lost = r.non2xx + r.errors + r.timeouts;
      const api2 = (await served(1)) - before;
      console.log(
        `cluster: autocannon ${connections} connections 10 s via proxy, api1 SIGKILLed at ${((killedAt - started) / 1000).toFixed(1)} s: ` +
          `${r.requests.total} requests, 2xx ${r['2xx']}, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts} ` +
          `(lost ${lost} ≤ ${connections} in flight); api2 served ${api2}; api1 ${c.apis[0].proc.child.signalCode ?? 'alive'}`,
      );
      expect(killedAt).toBeGreaterThan(0);
      expect(c.apis[0].proc.child.signalCode).toBe('SIGKILL');
      expect(r['2xx']).toBeGreaterThan(0);
      expect(lost).toBeLessThanOrEqual(connections);
      // The survivor took over: it answered most of the run (all of it after the kill).
      expect(api2).toBeGreaterThan(r['2xx'] / 2);
      expect(c.apis[1].proc.child.exitCode).toBeNull();
    }),
    60_000,
  );
});
