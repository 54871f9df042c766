import { bearer, createTestApp, TestApp } from '../helpers/app';

/** Bull Board at /admin/queues: admins only, checked outside Nest's guards. */
describe('Bull Board at /admin/queues', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses anonymous callers, bad tokens and non-admins', async () => {
    const anon = await t.http().get('/admin/queues').expect(401);
    expect(anon.body.message).toContain('未登录');
    await t.http().get('/admin/queues').set('authorization', 'Bearer not-a-token').expect(401);
    await t
      .http()
      .get('/admin/queues/api/queues')
      .set(bearer(await t.login('xxs.dispatch')))
      .expect(403);
    await t.http().get('/admin/queues/api/queues').set('cookie', 'duban_board=forged').expect(401);
  });

  it('shows the queues to an admin, by header or by a path-scoped cookie set from ?token=', async () => {
    const token = await t.login('xxs.admin');
    const api = await t.http().get('/admin/queues/api/queues').set(bearer(token)).expect(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['exports', 'notify', 'rollup', 'system']);
    const entry = await t.http().get(`/admin/queues?token=${token}`).expect(302);
    expect(entry.headers.location).toBe('/admin/queues');
    const setCookie = String(entry.headers['set-cookie']);
    expect(setCookie).toMatch(/duban_board=.+; Path=\/admin\/queues; HttpOnly; SameSite=Strict/);
    const page = await t.http().get('/admin/queues').set('cookie', setCookie.split(';')[0]).expect(200);
    expect(page.text).toContain('<html');
  });
});
