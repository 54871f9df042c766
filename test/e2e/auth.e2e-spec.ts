import { createHmac } from 'node:crypto';

import { Client } from 'pg';

import { readOrganizations } from '../../seeds';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { TEST_PASSWORD } from '../helpers/env';

/** Signs an HS256 JWT by hand, to build expired and forged tokens. */
function signJwt(payload: object, secret: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = enc({ alg: 'HS256', typ: 'JWT' });
  const body = enc(payload);
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

describe('登录与令牌 (auth)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES: '5' });
  });
  afterAll(() => t.close());

  it('every demo account (both bureaus and the platform) logs in and sees its own unit and organization', async () => {
    const orgs = readOrganizations();
    const accounts = orgs.flatMap((o) => o.users.map((u) => ({ org: o, user: u })));
    expect(accounts.length).toBeGreaterThan(50);
    for (const { org, user } of accounts) {
      const token = await t.login(user.username);
      const me = await t.http().get('/api/v1/auth/me').set(bearer(token)).expect(200);
      expect(me.body).toMatchObject({ username: user.username, name: user.name, roles: user.roles });
      expect(me.body.organization.code).toBe(org.code);
    }
    const roles = new Set(accounts.map((a) => a.user.roles).flat());
    expect([...roles].sort()).toEqual([
      'admin',
      'dispatcher',
      'head',
      'leader',
      'member',
      'sysadmin',
      'viewer',
    ]);
  });

  it('a wrong password and an unknown user get the same 401, telling neither part', async () => {
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.liming', password: 'nope-nope' });
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'no.such.user', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
  });

  it('six wrong passwords in a row for one username → the sixth is 429, and so is the right password then', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'xxs.zhaogang', password: `wrong-${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.zhaogang', password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The counter lives in Redis, so a second API replica (another app on the same Redis prefix) sees it.
    const replica = await createTestApp({ DATABASE_NAME: t.database, REDIS_PREFIX: t.config.redis.prefix });
    try {
      const res = await replica
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'xxs.zhaogang', password: TEST_PASSWORD });
      expect(res.status).toBe(429);
    } finally {
      await replica.close();
    }
  });

  it('no token, a malformed header, a tampered token and an expired token all get 401', async () => {
    await t.http().get('/api/v1/auth/me').expect(401);
    await t.http().get('/api/v1/units').set('Authorization', 'Basic abc').expect(401);
    const token = await t.login('xxs.admin');
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    // Claim to be someone else while keeping the original signature.
    const otherSub = claims.sub.endsWith('0') ? `${claims.sub.slice(0, -1)}1` : `${claims.sub.slice(0, -1)}0`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: otherSub })).toString('base64url')}.${s}`;
    const res = await t.http().get('/api/v1/auth/me').set(bearer(tampered)).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    const expired = signJwt({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, t.config.auth.jwtSecret);
    await t.http().get('/api/v1/auth/me').set(bearer(expired)).expect(401);
    const forged = signJwt({ ...claims }, 'another-secret-that-is-long-enough-000000');
    await t.http().get('/api/v1/auth/me').set(bearer(forged)).expect(401);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    await t.http().get('/api/v1/auth/me').set(bearer(unsigned)).expect(401);
    // The genuine token still works.
    await t.http().get('/api/v1/auth/me').set(bearer(token)).expect(200);
  });

  it('a correctly signed token without exp (one that would never expire) gets 401', async () => {
    const token = await t.login('xxs.admin');
    const { exp, ...claims } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      exp: number;
    };
    expect(exp).toEqual(expect.any(Number));
    const res = await t
      .http()
      .get('/api/v1/auth/me')
      .set(bearer(signJwt(claims, t.config.auth.jwtSecret)))
      .expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    // The same claims with exp back are accepted: the signature and the rest were fine.
    await t
      .http()
      .get('/api/v1/auth/me')
      .set(bearer(signJwt({ ...claims, exp }, t.config.auth.jwtSecret)))
      .expect(200);
  });

  it('a refresh token rotates once; its second use is refused and ends that login', async () => {
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.cityscape', password: TEST_PASSWORD })
      .expect(200);
    const first = login.body.refreshToken as string;
    const rotated = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(rotated.body.refreshToken).not.toBe(first);
    await t.http().get('/api/v1/auth/me').set(bearer(rotated.body.accessToken)).expect(200);

    const reused = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first });
    expect(reused.status).toBe(401);
    // Reuse signals theft: the whole chain is revoked, including the newer tokens.
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    await t.http().get('/api/v1/auth/me').set(bearer(rotated.body.accessToken)).expect(401);
  });

  it('two concurrent refreshes with one token: exactly one wins, and the double use ends that login', async () => {
    for (let round = 0; round < 5; round++) {
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'xxs.legal', password: TEST_PASSWORD })
        .expect(200);
      const results = await Promise.all(
        [1, 2].map(() =>
          t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: winner.body.refreshToken })
        .expect(401);
    }
  });

  it('logout ends the session at once: the access token and refresh token stop working', async () => {
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.sanitation', password: TEST_PASSWORD })
      .expect(200);
    await t.http().post('/api/v1/auth/logout').set(bearer(login.body.accessToken)).send({}).expect(204);
    await t.http().get('/api/v1/auth/me').set(bearer(login.body.accessToken)).expect(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
  });

  it('a deactivated user cannot log in, and their open session ends', async () => {
    const adminToken = await t.login('xxs.admin');
    const victim = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.nancheng1', password: TEST_PASSWORD })
      .expect(200);
    const me = await t.http().get('/api/v1/auth/me').set(bearer(victim.body.accessToken)).expect(200);
    await t
      .http()
      .post(`/api/v1/users/${me.body.id}/active`)
      .set(bearer(adminToken))
      .send({ active: false })
      .expect(201);
    await t.http().get('/api/v1/auth/me').set(bearer(victim.body.accessToken)).expect(401);
    const again = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.nancheng1', password: TEST_PASSWORD });
    expect(again.status).toBe(401);
    await t
      .http()
      .post(`/api/v1/users/${me.body.id}/active`)
      .set(bearer(adminToken))
      .send({ active: true })
      .expect(201);
    await t.login('xxs.nancheng1');
  });

  it('an authenticated GET /auth/me sends one query to the database (guard and handler share the row)', async () => {
    const token = await t.login('xxs.liming');
    // Every statement the app's pool sends goes through pg's Client#query.
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      const me = await t.http().get('/api/v1/auth/me').set(bearer(token)).expect(200);
      expect(me.body).toMatchObject({
        username: 'xxs.liming',
        unit: { id: expect.any(String), name: expect.any(String), kind: expect.any(String) },
        organization: { code: 'xxs', name: expect.any(String) },
      });
      // A statement is sent as text, or as a config object (a named statement) carrying its text.
      const statements = spy.mock.calls.map(([sql]) =>
        typeof sql === 'string' ? sql : String((sql as { text?: string }).text),
      );
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain('refresh_tokens');
    } finally {
      spy.mockRestore();
    }
  });
});
