import { randomBytes } from 'node:crypto';

import { createTestDatabase, dropTestDatabase } from '../helpers/db';
import { baseEnv, TEST_PASSWORD, withDatabase } from '../helpers/env';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { freePort, waitFor } from '../helpers/services';

/**
 * The built API as a real process, its log captured: an access token passed in a query string
 * (Bull Board's `?token=`, or any route's) never appears in a log line, on any route.
 */
describe('请求日志不记录令牌 (token redaction in request logs)', () => {
  let database: string;
  let api: Proc;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase('logs');
    const env = baseEnv();
    const port = await freePort();
    api = startProcess('api', 'main.api.js', {
      ...env,
      DATABASE_URL: withDatabase(env.DATABASE_URL, database),
      REDIS_PREFIX: `l${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '3',
      PORT: String(port),
    });
    base = `http://127.0.0.1:${port}`;
    await waitFor('api ready', async () => (await fetch(`${base}/health/ready`)).status === 200, 45000);
  });

  afterAll(async () => {
    await stopAll([api]);
    await dropTestDatabase(database);
  });

  const login = async (username: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: TEST_PASSWORD }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  it("Bull Board's ?token= and a token in any route's query are logged as [已隐藏]", async () => {
    const token = await login('system');
    const requestIds = [`req-${randomBytes(6).toString('hex')}`, `req-${randomBytes(6).toString('hex')}`];
    const board = await fetch(`${base}/admin/queues?token=${token}`, {
      redirect: 'manual',
      headers: { 'x-request-id': requestIds[0] },
    });
    expect(board.status).toBe(302);
    const other = await fetch(`${base}/api/v1/calendar/2022?token=${token}&x=1`, {
      headers: { 'x-request-id': requestIds[1], authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(200);
    const lineOf = (id: string) =>
      api
        .output()
        .split('\n')
        .find((l) => l.includes(id) && l.includes('request completed'));
    await waitFor(
      'request log lines',
      async () => requestIds.every((id) => lineOf(id) !== undefined),
      5000,
      50,
    );
    expect((JSON.parse(lineOf(requestIds[0])!) as { req: { url: string } }).req.url).toBe(
      '/admin/queues?token=[已隐藏]',
    );
    expect((JSON.parse(lineOf(requestIds[1])!) as { req: { url: string } }).req.url).toBe(
      '/api/v1/calendar/2022?token=[已隐藏]&x=1',
    );
    // Nowhere in the whole log: not in a request line, not in fastify's own, not in an error.
    expect(api.output()).not.toContain(token);
    expect(api.output()).not.toContain(token.split('.')[2]);
  });

  it('every request gets one completion line: request id, method, url, route, status and duration', async () => {
    const token = await login('xxs.admin');
    const id = () => `req-${randomBytes(6).toString('hex')}`;
    const cases = [
      { id: id(), path: '/api/v1/auth/me', auth: true, status: 200, route: '/api/v1/auth/me' },
      { id: id(), path: '/api/v1/auth/me', auth: false, status: 401, route: '/api/v1/auth/me' },
      { id: id(), path: '/api/v1/units/not-a-uuid', auth: true, status: 400, route: '/api/v1/units/:id' },
    ];
    for (const c of cases) {
      const res = await fetch(`${base}${c.path}`, {
        headers: { 'x-request-id': c.id, ...(c.auth ? { authorization: `Bearer ${token}` } : {}) },
      });
      expect(res.status).toBe(c.status);
      await res.arrayBuffer();
    }
    type Line = {
      msg: string;
      req: { id: string; method: string; url: string };
      route: string;
      res: { statusCode: number };
      responseTime: number;
    };
    const completions = (rid: string) =>
      api
        .output()
        .split('\n')
        .filter((l) => l.includes(rid) && l.includes('request completed'))
        .map((l) => JSON.parse(l) as Line);
    await waitFor('completion lines', async () => cases.every((c) => completions(c.id).length > 0), 5000, 50);
    for (const c of cases) {
      const lines = completions(c.id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        req: { id: c.id, method: 'GET', url: c.path },
        route: c.route,
        res: { statusCode: c.status },
      });
      expect(typeof lines[0].responseTime).toBe('number');
    }
  });
});
