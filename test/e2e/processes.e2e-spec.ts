import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Client } from 'pg';

import { MIGRATIONS } from '../../migrations';
import { bullConnection } from '../../src/core/queue/queue.module';
import { createTestDatabase, dropTestDatabase } from '../helpers/db';
import { baseEnv, withDatabase } from '../helpers/env';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { freePort, waitFor } from '../helpers/services';

/** The built API and worker as real processes: config errors, concurrent start, logs, graceful shutdown. */
describe('两个进程 (api + worker processes)', () => {
  const procs: Proc[] = [];
  afterAll(() => stopAll(procs));

  describe('configuration errors stop the process with one line naming the variable', () => {
    const secretish = `pw-${randomBytes(6).toString('hex')}`;
    it.each([
      ['JWT_SECRET', { JWT_SECRET: '' }],
      ['DATABASE_URL', { DATABASE_URL: `mysql://root:${secretish}@localhost/x` }],
      ['MIGRATION_DATABASE_URL', { MIGRATION_DATABASE_URL: `mysql://root:${secretish}@localhost/x` }],
      ['PORT', { PORT: 'eighty' }],
    ])('%s', async (variable, override) => {
      for (const entry of ['main.api.js', 'main.worker.js']) {
        const env = { ...baseEnv(), JWT_SECRET: `js-${secretish}-0123456789abcdefghijklmnop`, ...override };
        const p = startProcess('bad-config', entry, env);
        procs.push(p);
        const { code } = await p.exited;
        expect(code).toBe(1);
        const lines = p.output().trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(variable);
        expect(lines[0]).toMatch(/环境变量/);
        expect(p.output()).not.toContain(secretish);
      }
    });

    it('production with the example and test-only settings refuses to start, naming each of them', async () => {
      const example = 'dev-only-secret-change-me-0123456789abcdef';
      const { DEMO_PASSWORD: _demo, NOTIFY_SECRET_KEY: _key, ...base } = baseEnv();
      for (const entry of ['main.api.js', 'main.worker.js']) {
        const p = startProcess('prod-config', entry, {
          ...base,
          NODE_ENV: 'production',
          JWT_SECRET: example,
          DUBAN_NOW: '2022-06-15T10:00:00+08:00',
          WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
          SWAGGER_ENABLED: 'true',
        });
        procs.push(p);
        const { code } = await p.exited;
        expect(code).toBe(1);
        const lines = p.output().trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('NODE_ENV=production');
        for (const name of [
          'JWT_SECRET',
          'DUBAN_NOW',
          'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
          'SWAGGER_ENABLED',
          'NOTIFY_SECRET_KEY',
        ])
          expect(lines[0]).toContain(name);
        expect(p.output()).not.toContain(example);
      }
    });
  });

  describe('two APIs and two workers started at once on a fresh database', () => {
    let database: string;
    let dir: string;
    let env: Record<string, string>;
    let apis: { proc: Proc; port: number }[];
    let workers: { proc: Proc; heartbeat: string }[];

    beforeAll(async () => {
      database = await createTestDatabase('fresh', null);
      dir = mkdtempSync(join(tmpdir(), 'duban-proc-'));
      const base = baseEnv();
      env = {
        ...base,
        DATABASE_URL: withDatabase(base.DATABASE_URL, database),
        MIGRATION_DATABASE_URL: withDatabase(base.MIGRATION_DATABASE_URL, database),
        REDIS_PREFIX: `p${randomBytes(4).toString('hex')}`,
        MIGRATIONS_RUN: 'true',
        LOG_LEVEL: 'info',
        DATABASE_POOL_SIZE: '3',
      };
      const ports = [await freePort(), await freePort()];
      apis = ports.map((port, i) => ({
        port,
        proc: startProcess(`api${i}`, 'main.api.js', { ...env, PORT: String(port) }),
      }));
      workers = [0, 1].map((i) => {
        const heartbeat = join(dir, `worker${i}.json`);
        return {
          heartbeat,
          proc: startProcess(`worker${i}`, 'main.worker.js', { ...env, WORKER_HEARTBEAT_FILE: heartbeat }),
        };
      });
      procs.push(...apis.map((a) => a.proc), ...workers.map((w) => w.proc));
    });

    afterAll(async () => {
      await stopAll(procs);
      await dropTestDatabase(database);
      rmSync(dir, { recursive: true, force: true });
    });

    it('all four become ready and the migrations ran exactly once', async () => {
      for (const { port, proc } of apis) {
        await waitFor(
          `${proc.name} ready`,
          async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
          45000,
        );
      }
      for (const { heartbeat, proc } of workers) {
        await waitFor(
          `${proc.name} heartbeat`,
          async () => JSON.parse(readFileSync(heartbeat, 'utf8')).ready === true,
          45000,
        );
      }
      // The migration record is the owner's: the runtime role may not even read it.
      const c = new Client({ connectionString: env.MIGRATION_DATABASE_URL });
      await c.connect();
      const { rows } = await c.query<{ name: string; n: number }>(
        'SELECT name, count(*)::int AS n FROM typeorm_migrations GROUP BY name',
      );
      await c.end();
      expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const ranIn = [...apis.map((a) => a.proc), ...workers.map((w) => w.proc)].filter((p) =>
        p.output().includes('已执行数据库迁移'),
      );
      expect(ranIn).toHaveLength(1);
    });

    it('the processes run as the runtime role, which owns nothing; the owner migrated', async () => {
      // Idle pooled connections close after 10 s: a readiness check makes each API hold one now.
      for (const { port } of apis)
        expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      const c = new Client({ connectionString: env.MIGRATION_DATABASE_URL });
      await c.connect();
      try {
        const sessions = await c.query<{ application_name: string; usename: string }>(
          `SELECT DISTINCT application_name, usename::text FROM pg_stat_activity
            WHERE datname = current_database() AND application_name IN ('duban-api', 'duban-worker', 'duban-outbox-listen')`,
        );
        expect(sessions.rows.map((r) => r.application_name).sort()).toEqual([
          'duban-api',
          'duban-outbox-listen',
          'duban-worker',
        ]);
        const runtime = new URL(env.DATABASE_URL).username;
        expect(new Set(sessions.rows.map((r) => r.usename))).toEqual(new Set([runtime]));
        const owners = await c.query<{ owner: string; n: number }>(
          `SELECT pg_get_userbyid(relowner)::text AS owner, count(*)::int AS n FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S', 'v', 'i') GROUP BY 1`,
        );
        expect(owners.rows.map((r) => r.owner)).toEqual([new URL(env.MIGRATION_DATABASE_URL).username]);
        expect(owners.rows.map((r) => r.owner)).not.toContain(runtime);
      } finally {
        await c.end();
      }
    });

    it('logs are JSON lines carrying the request id on every line of a request, never the password', async () => {
      const { port, proc } = apis[0];
      const password = `Secret-${randomBytes(6).toString('hex')}`;
      const requestId = `req-${randomBytes(6).toString('hex')}`;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          authorization: 'Bearer not-a-token',
        },
        body: JSON.stringify({ username: 'ghost.user', password }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-request-id')).toBe(requestId);
      const body = (await res.json()) as { requestId: string };
      expect(body.requestId).toBe(requestId);
      const linesOf = () =>
        proc
          .output()
          .trim()
          .split('\n')
          .filter((l) => l.includes(requestId));
      // The completion line is written after the response is sent: wait for it.
      await waitFor(
        'request log lines',
        async () => linesOf().some((l) => l.includes('request completed')),
        5000,
        50,
      );
      const lines = linesOf();
      const parsed = lines.map((l) => JSON.parse(l) as { req?: { id?: string }; msg: string });
      expect(parsed.length).toBeGreaterThanOrEqual(2); // the service's warning and the request completion
      expect(parsed.some((l) => l.msg.includes('登录失败'))).toBe(true);
      expect(parsed.every((l) => l.req?.id === requestId)).toBe(true);
      expect(proc.output()).not.toContain(password);
      expect(proc.output()).not.toContain('not-a-token');
    });

    it('SIGTERM: a worker finishes the job it holds, then exits; the API exits cleanly', async () => {
      const queue = new Queue('system', {
        connection: bullConnection({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX }),
        prefix: env.REDIS_PREFIX,
      });
      try {
        const job = await queue.add(
          'system.probe',
          { holdMs: 3000, note: 'shutdown test' },
          { jobId: `probe-${randomBytes(4).toString('hex')}`, attempts: 1 },
        );
        await waitFor('probe active', async () => (await job.getState()) === 'active', 10000, 50);
        const started = Date.now();
        for (const w of workers) w.proc.child.kill('SIGTERM');
        // While the held job drains, the heartbeats already say the workers are stopping.
        for (const w of workers)
          await waitFor(
            'heartbeat says stopping',
            async () =>
              (JSON.parse(readFileSync(w.heartbeat, 'utf8')) as { stopping?: boolean }).stopping === true,
            2000,
            20,
          );
        expect(await job.getState()).toBe('active');
        const exits = await Promise.all(workers.map((w) => w.proc.exited));
        // Exited by the re-raised SIGTERM after draining, not by the forced-exit timer (code 1).
        for (const e of exits) expect(e.code === 0 || e.signal === 'SIGTERM').toBe(true);
        expect(Date.now() - started).toBeLessThan(15000);
        const done = await queue.getJob(job.id!);
        // Completed, database round trip included: the worker drains its jobs before it closes Postgres.
        expect({ state: await done!.getState(), failed: done!.failedReason }).toEqual({
          state: 'completed',
          failed: undefined,
        });
        expect(done!.returnvalue).toMatchObject({ databaseTime: expect.any(String) });
        expect(done!.attemptsStarted).toBe(1);
        for (const w of workers)
          expect(JSON.parse(readFileSync(w.heartbeat, 'utf8'))).toMatchObject({
            ready: false,
            stopping: true,
          });
      } finally {
        await queue.close();
      }
      for (const a of apis) a.proc.child.kill('SIGTERM');
      const apiExits = await Promise.all(apis.map((a) => a.proc.exited));
      for (const e of apiExits) expect(e.code === 0 || e.signal === 'SIGTERM').toBe(true);
      expect(apis[0].proc.output()).toContain('收到 SIGTERM');
    });
  });
});
