import { randomBytes } from 'node:crypto';

import { bearer, createTestApp, createTestWorker, TestApp, TestWorker } from '../helpers/app';
import { baseEnv, TEST_PASSWORD, withDatabase } from '../helpers/env';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { freePort, waitFor } from '../helpers/services';

/**
 * Two real API processes on one database and one Redis, as behind a load balancer: nothing one of
 * them keeps is needed by the other (docs/ARCHITECTURE.md, "What each replica keeps"). Each request
 * of a scenario goes to either process; the answers must be those of one system.
 */
describe('两个 API 副本 (two API replicas, nothing kept in process memory)', () => {
  let t: TestApp;
  let worker: TestWorker;
  const procs: Proc[] = [];
  let urls: string[];

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2022-07-15T10:00:00+08:00' });
    const base = baseEnv();
    const env = {
      ...base,
      DATABASE_URL: withDatabase(base.DATABASE_URL, t.database),
      MIGRATION_DATABASE_URL: withDatabase(base.MIGRATION_DATABASE_URL, t.database),
      REDIS_PREFIX: `r${randomBytes(4).toString('hex')}`,
      DATABASE_POOL_SIZE: '3',
      LOGIN_MAX_FAILURES: '5',
      LOGIN_ADDRESS_MAX_FAILURES: '8',
      // Behind one reverse proxy (nginx appends the address it saw to X-Forwarded-For).
      TRUST_PROXY: 'true',
    };
    const ports = [await freePort(), await freePort()];
    procs.push(
      ...ports.map((port, i) => startProcess(`api${i}`, 'main.api.js', { ...env, PORT: String(port) })),
    );
    urls = ports.map((port) => `http://127.0.0.1:${port}`);
    for (const [i, proc] of procs.entries()) {
      await waitFor(
        `${proc.name} ready`,
        async () => (await fetch(`${urls[i]}/health/ready`).catch(() => null))?.status === 200,
        45000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${proc.output()}`);
      });
    }
  });

  afterAll(async () => {
    await stopAll(procs);
    await worker?.close();
    await t?.close();
  });

  /** A login as the proxy forwards it: `client` is the address the proxy saw, `forged` what the client claimed. */
  const logout = (api: number, token: string) =>
    fetch(`${urls[api]}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: '{}',
    });

  const login = async (api: number, username: string, password: string, client: string, forged?: string) => {
    const res = await fetch(`${urls[api]}/api/v1/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': forged ? `${forged}, ${client}` : client,
      },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { accessToken?: string; code?: string };
    return { status: res.status, token: body.accessToken, code: body.code };
  };

  it('login failures through both processes count once: 40 guesses split across them → at most 5 checked; locked on both', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(i % 2, 'xxs.chenjing', `wrong-${i}`, '198.51.100.1')),
    );
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.every((a) => a.status === 401)).toBe(true);
    expect(answers.filter((a) => a.status === 429).every((a) => a.code === 'TOO_MANY_ATTEMPTS')).toBe(true);
    // Locked on both, even with the right password.
    for (const api of [0, 1])
      expect((await login(api, 'xxs.chenjing', TEST_PASSWORD, '198.51.100.1')).status).toBe(429);
  });

  it('the address limit counts the address the proxy saw, not one the client wrote into X-Forwarded-For', async () => {
    // One client sprays many accounts, claiming a new address each time (failed on TRUST_PROXY=true
    // trusting every hop: each forged address had a budget of its own, nothing was ever refused).
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await login(i % 2, `spray.${i}`, 'wrong', '203.0.113.9', `10.9.${i}.1`)).status);
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses.slice(8)).toEqual(Array(4).fill(429));
    // Another client behind the same proxy is not refused with it.
    expect((await login(1, 'xxs.approval', TEST_PASSWORD, '198.51.100.77')).status).toBe(200);
  });

  it('a session opened on one process works on the other; logging out on one ends it on both at once', async () => {
    const { token } = await login(0, 'xxs.dispatch', TEST_PASSWORD, '198.51.100.2');
    expect((await fetch(`${urls[1]}/api/v1/auth/me`, { headers: bearer(token!) })).status).toBe(200);
    expect((await logout(0, token!)).status).toBe(204);
    expect((await fetch(`${urls[1]}/api/v1/auth/me`, { headers: bearer(token!) })).status).toBe(401);
  });

  it('Bull Board: the cookie set by one process opens the board on the other, and dies with the session on both', async () => {
    const { token } = await login(0, 'system', TEST_PASSWORD, '198.51.100.3');
    const entry = await fetch(`${urls[0]}/admin/queues?token=${token}`, { redirect: 'manual' });
    expect(entry.status).toBe(302);
    const cookie = entry.headers.get('set-cookie')!.split(';')[0];
    const board = await fetch(`${urls[1]}/admin/queues/api/queues`, { headers: { cookie } });
    expect(board.status).toBe(200);
    const names = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['exports', 'notify', 'rollup', 'system']);
    expect((await logout(1, token!)).status).toBe(204);
    expect((await fetch(`${urls[0]}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(401);
  });

  it('a pack export requested through one process is followed and downloaded through the other', async () => {
    const [june] = (await t.dataSource.query(
      `SELECT c.id FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id JOIN organizations o ON o.id = p.organization_id
        WHERE o.code = 'xxs' AND p.status = 'published' AND c.period = '2022-06'`,
    )) as { id: string }[];
    worker = await createTestWorker(t);
    const { token } = await login(0, 'xxs.dispatch', TEST_PASSWORD, '198.51.100.4');
    const auth = { ...bearer(token!), 'content-type': 'application/json' };
    const started = await fetch(`${urls[0]}/api/v1/cycles/${june.id}/dispatch-pack/exports`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ format: 'xlsx' }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let status = '';
    await waitFor(
      'export done',
      async () => {
        const res = await fetch(`${urls[1]}/api/v1/pack-exports/${id}`, { headers: auth });
        status = ((await res.json()) as { status: string }).status;
        if (status === 'failed') throw new Error('export failed');
        return status === 'done';
      },
      60000,
    );
    const files = await Promise.all(
      urls.map(async (url) => {
        const res = await fetch(`${url}/api/v1/pack-exports/${id}/file`, { headers: auth });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('spreadsheetml');
        return Buffer.from(await res.arrayBuffer());
      }),
    );
    expect(files[1].subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
    expect(files[1].equals(files[0])).toBe(true);
  });
});
