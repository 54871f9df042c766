import { bearer, createTestApp, TestApp } from '../helpers/app';

/** Bull Board at /admin/queues: system administrators only, checked outside Nest's guards. */
describe('Bull Board at /admin/queues', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind a TLS-terminating proxy: X-Forwarded-Proto says how the browser reached us.
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  it('refuses anonymous callers, bad tokens, and every organization role, admins included', async () => {
    const anon = await t.http().get('/admin/queues').expect(401);
    expect(anon.body.message).toContain('未登录');
    await t.http().get('/admin/queues').set('authorization', 'Bearer not-a-token').expect(401);
    for (const user of ['xxs.dispatch', 'xxs.admin', 'yy.admin']) {
      const res = await t
        .http()
        .get('/admin/queues/api/queues')
        .set(bearer(await t.login(user)))
        .expect(403);
      expect(res.body.message).toBe('只有平台管理员可以查看任务队列');
    }
    const admin = await t.login('xxs.admin');
    const viaQuery = await t.http().get(`/admin/queues?token=${admin}`).expect(403);
    expect(viaQuery.headers['set-cookie']).toBeUndefined();
    await t.http().get('/admin/queues/api/queues').set('cookie', 'duban_board=forged').expect(401);
  });

  it('shows the queues to a system administrator, by header or by a path-scoped cookie set from ?token=', async () => {
    const token = await t.login('system');
    const api = await t.http().get('/admin/queues/api/queues').set(bearer(token)).expect(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['exports', 'notify', 'rollup', 'system']);
    const entry = await t.http().get(`/admin/queues?token=${token}`).expect(302);
    expect(entry.headers.location).toBe('/admin/queues');
    const setCookie = String(entry.headers['set-cookie']);
    expect(setCookie).toMatch(/duban_board=.+; Path=\/admin\/queues; HttpOnly; SameSite=Strict/);
    // Plain http: a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/Secure/);
    const page = await t.http().get('/admin/queues').set('cookie', setCookie.split(';')[0]).expect(200);
    expect(page.text).toContain('<html');
  });

  it('over TLS (X-Forwarded-Proto: https through a trusted proxy) the cookie is Secure', async () => {
    const token = await t.login('system');
    const entry = await t
      .http()
      .get(`/admin/queues?token=${token}`)
      .set('x-forwarded-proto', 'https')
      .expect(302);
    const setCookie = String(entry.headers['set-cookie']);
    expect(setCookie).toMatch(/; HttpOnly; SameSite=Strict;/);
    expect(setCookie).toMatch(/; Secure$/);
  });
});
