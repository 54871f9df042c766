import { createTestApp, TestApp } from '../helpers/app';
import { TEST_PASSWORD } from '../helpers/env';
import { OwnRedis } from '../helpers/services';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { code?: string; message?: string };
}

async function listening(overrides: Record<string, string> = {}) {
  const t = await createTestApp({ LOGIN_MAX_FAILURES: '5', ...overrides });
  await t.app.listen(0, '127.0.0.1');
  const url = `${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/auth/login`;
  const login = async (username: string, password: string): Promise<Answer> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as Answer['body'],
    };
  };
  return { t, login };
}

/**
 * Login limits count an attempt before its password is checked (one Redis script), so a burst
 * cannot slip past them; and the per-address limit is gentle enough that one person failing behind
 * an office NAT is not a switch that locks everyone else out.
 */
describe('登录限流 (login throttle)', () => {
  let t: TestApp;
  let login: Awaited<ReturnType<typeof listening>>['login'];

  beforeAll(async () => {
    ({ t, login } = await listening());
  });
  afterAll(() => t?.close());

  it('40 concurrent attempts with the right password among them → at most 5 are checked, the rest 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login('xxs.chenjing', i === 20 ? TEST_PASSWORD : `wrong-${i}`)),
    );
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.every((a) => a.status === 401 || a.status === 200)).toBe(true);
    // The right password logs in only if it was among the few checked; otherwise it is refused too.
    if (answers[20].status !== 200) expect(answers[20].status).toBe(429);
    for (const a of answers.filter((x) => x.status === 429)) {
      expect(a.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(a.body.message).toMatch(/^登录失败次数过多，请 \d+ 分钟后再试$/);
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('20 failures from one address (four users locked) → another user behind it still logs in', async () => {
    for (const username of ['xxs.office', 'xxs.party', 'xxs.legal', 'no.such.user']) {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await login(username, `wrong-${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    }
    // The locked users stay locked, even with the right password …
    expect((await login('xxs.office', TEST_PASSWORD)).status).toBe(429);
    // … but a colleague at the same address is not locked out with them.
    expect((await login('xxs.cityscape', TEST_PASSWORD)).status).toBe(200);
    expect((await login('xxs.sanitation', 'wrong')).status).toBe(401);
    expect((await login('xxs.sanitation', TEST_PASSWORD)).status).toBe(200);
  });

  it('a successful login clears the username’s failures', async () => {
    for (let i = 0; i < 4; i++) expect((await login('xxs.approval', `wrong-${i}`)).status).toBe(401);
    expect((await login('xxs.approval', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('xxs.approval', `wrong-${i}`)).status).toBe(401);
    expect((await login('xxs.approval', TEST_PASSWORD)).status).toBe(200);
  });

  describe('the address-wide ceiling', () => {
    let small: Awaited<ReturnType<typeof listening>>;
    beforeAll(async () => {
      small = await listening({ LOGIN_ADDRESS_MAX_FAILURES: '8' });
    });
    afterAll(() => small?.t.close());

    it('past it, new usernames from that address wait; users who logged in from there before do not', async () => {
      expect((await small.login('xxs.smart', TEST_PASSWORD)).status).toBe(200);
      for (const username of ['xxs.sand', 'xxs.brigade'])
        for (let i = 0; i < 4; i++) expect((await small.login(username, `wrong-${i}`)).status).toBe(401);
      const stranger = await small.login('xxs.zhufeng', TEST_PASSWORD);
      expect(stranger.status).toBe(429);
      expect(Number(stranger.retryAfter)).toBeGreaterThan(0);
      expect((await small.login('xxs.smart', TEST_PASSWORD)).status).toBe(200);
      // The exemption is not a way around the per-username limit.
      for (let i = 0; i < 5; i++) expect((await small.login('xxs.smart', `wrong-${i}`)).status).toBe(401);
      expect((await small.login('xxs.smart', TEST_PASSWORD)).status).toBe(429);
    });
  });

  it('Redis down → the limit fails open (argon2 still slows guessing), nobody is locked out', async () => {
    const redis = await OwnRedis.start();
    const own = await listening({ REDIS_URL: redis.url, DATABASE_NAME: t.database });
    try {
      await redis.kill();
      expect((await own.login('xxs.antiviolation', 'wrong')).status).toBe(401);
      expect((await own.login('xxs.antiviolation', TEST_PASSWORD)).status).toBe(200);
      // Back up before closing: the app's queue connections wait for Redis to close cleanly.
      await redis.start();
    } finally {
      await own.t.close();
      await redis.kill();
    }
  });
});
