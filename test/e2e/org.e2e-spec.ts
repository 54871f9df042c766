import { bearer, createTestApp, TestApp } from '../helpers/app';

interface Unit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  depth: number;
  active: boolean;
}
interface User {
  id: string;
  username: string;
  unitId: string;
  roles: string[];
}

describe('组织、单位与人员 (org)', () => {
  let t: TestApp;
  let xxsAdmin: string;
  let yyAdmin: string;
  let xxsMember: string;
  let xxsUnits: Unit[];
  let yyUnits: Unit[];
  let yyUsers: User[];

  const count = async (table: string) =>
    Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    [xxsAdmin, yyAdmin, xxsMember] = await Promise.all([
      t.login('xxs.admin'),
      t.login('yy.admin'),
      t.login('xxs.zhufeng1'),
    ]);
    xxsUnits = (await t.http().get('/api/v1/units').set(bearer(xxsAdmin)).expect(200)).body;
    yyUnits = (await t.http().get('/api/v1/units').set(bearer(yyAdmin)).expect(200)).body;
    yyUsers = (await t.http().get('/api/v1/users').set(bearer(yyAdmin)).expect(200)).body;
  });
  afterAll(() => t.close());

  const unitByCode = (units: Unit[], code: string) => units.find((u) => u.code === code)!;

  it('lists only the caller’s organization: its unit tree in order, with depth', async () => {
    expect(xxsUnits.map((u) => u.name)).toEqual(
      expect.arrayContaining(['局领导', '督查室', '法制科', '竹峰综合执法中队', '环卫公司', '市住建局']),
    );
    expect(xxsUnits.map((u) => u.name)).not.toContain('公安城管大队');
    expect(yyUnits.map((u) => u.name)).toEqual(
      expect.arrayContaining(['公安城管大队', '岳阳楼区', '城陵矶新港区', '华润燃气', '局属事业单位']),
    );
    const zhufeng = unitByCode(xxsUnits, 'zhufeng-squad');
    expect(zhufeng.depth).toBe(1);
    expect(zhufeng.parentId).toBe(unitByCode(xxsUnits, 'brigade').id);
    const users: User[] = (await t.http().get('/api/v1/users').set(bearer(xxsMember)).expect(200)).body;
    expect(users.every((u) => u.username.startsWith('xxs.'))).toBe(true);
  });

  it('an admin creates, renames, moves and deactivates a unit; every change is audited with before/after', async () => {
    const brigade = unitByCode(xxsUnits, 'brigade');
    const created = await t
      .http()
      .post('/api/v1/units')
      .set(bearer(xxsAdmin))
      .send({ name: '高新区综合执法中队', kind: 'squad', code: 'gaoxin-squad', parentId: brigade.id })
      .expect(201);
    expect(created.body).toMatchObject({
      name: '高新区综合执法中队',
      depth: 1,
      parentId: brigade.id,
      kindName: '中队',
    });
    const id = created.body.id as string;

    await t
      .http()
      .patch(`/api/v1/units/${id}`)
      .set(bearer(xxsAdmin))
      .send({ name: '高新综合执法中队' })
      .expect(200);
    const moved = await t
      .http()
      .patch(`/api/v1/units/${id}`)
      .set(bearer(xxsAdmin))
      .send({ parentId: null })
      .expect(200);
    expect(moved.body).toMatchObject({ parentId: null, depth: 0, name: '高新综合执法中队' });
    await t
      .http()
      .post(`/api/v1/units/${id}/active`)
      .set(bearer(xxsAdmin))
      .send({ active: false })
      .expect(201);

    const listed: Unit[] = (await t.http().get('/api/v1/units').set(bearer(xxsAdmin)).expect(200)).body;
    expect(listed.find((u) => u.id === id)).toBeUndefined();
    const all: Unit[] = (
      await t.http().get('/api/v1/units?includeInactive=true').set(bearer(xxsAdmin)).expect(200)
    ).body;
    expect(all.find((u) => u.id === id)).toMatchObject({ active: false });

    const audit = (await t.dataSource.query(
      `SELECT action, before, after, actor_name, request_id FROM audit_log WHERE entity_type = 'unit' AND entity_id = $1 ORDER BY id`,
      [id],
    )) as {
      action: string;
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      actor_name: string;
      request_id: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'move', 'deactivate']);
    expect(audit[1]).toMatchObject({
      before: { name: '高新区综合执法中队' },
      after: { name: '高新综合执法中队' },
    });
    expect(audit[2]).toMatchObject({ before: { parentId: brigade.id }, after: { parentId: null } });
    expect(audit.every((a) => a.actor_name.includes('xxs.admin') && a.request_id)).toBe(true);
  });

  it('moving a unit under its own descendant is refused; a moved subtree keeps its children', async () => {
    const brigade = unitByCode(xxsUnits, 'brigade');
    const zhufeng = unitByCode(xxsUnits, 'zhufeng-squad');
    const res = await t
      .http()
      .patch(`/api/v1/units/${brigade.id}`)
      .set(bearer(xxsAdmin))
      .send({ parentId: zhufeng.id })
      .expect(400);
    expect(res.body.fields[0].field).toBe('parentId');

    const office = unitByCode(xxsUnits, 'office');
    await t
      .http()
      .patch(`/api/v1/units/${brigade.id}`)
      .set(bearer(xxsAdmin))
      .send({ parentId: office.id })
      .expect(200);
    const after: Unit[] = (await t.http().get('/api/v1/units').set(bearer(xxsAdmin)).expect(200)).body;
    expect(after.find((u) => u.id === zhufeng.id)).toMatchObject({ depth: 2, parentId: brigade.id });
    await t
      .http()
      .patch(`/api/v1/units/${brigade.id}`)
      .set(bearer(xxsAdmin))
      .send({ parentId: null })
      .expect(200);
  });

  it('a unit with active people cannot be deactivated', async () => {
    const zhufeng = unitByCode(xxsUnits, 'zhufeng-squad');
    const res = await t
      .http()
      .post(`/api/v1/units/${zhufeng.id}/active`)
      .set(bearer(xxsAdmin))
      .send({ active: false })
      .expect(409);
    expect(res.body.message).toContain('人员');
  });

  it('an admin creates a user who can then log in; changes of roles and unit are audited', async () => {
    const zhufeng = unitByCode(xxsUnits, 'zhufeng-squad');
    const created = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(xxsAdmin))
      .send({
        username: 'xxs.zhufeng2',
        name: '王小二',
        unitId: zhufeng.id,
        roles: ['member'],
        password: 'first-pass-123',
      })
      .expect(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    await t.login('xxs.zhufeng2', 'first-pass-123');
    const dongcheng = unitByCode(xxsUnits, 'dongcheng-squad');
    const updated = await t
      .http()
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(xxsAdmin))
      .send({ unitId: dongcheng.id, roles: ['member', 'viewer'] })
      .expect(200);
    expect(updated.body).toMatchObject({ unitId: dongcheng.id, roles: ['member', 'viewer'] });
    const [row] = (await t.dataSource.query(
      `SELECT before, after FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action = 'update'`,
      [created.body.id],
    )) as { before: Record<string, unknown>; after: Record<string, unknown> }[];
    expect(row.before).toEqual({ unitId: zhufeng.id, roles: ['member'] });
    expect(row.after).toEqual({ unitId: dongcheng.id, roles: ['member', 'viewer'] });

    await t
      .http()
      .post(`/api/v1/users/${created.body.id}/password`)
      .set(bearer(xxsAdmin))
      .send({ password: 'second-pass-456' })
      .expect(204);
    const old = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'xxs.zhufeng2', password: 'first-pass-123' });
    expect(old.status).toBe(401);
    await t.login('xxs.zhufeng2', 'second-pass-456');
    const dup = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(xxsAdmin))
      .send({
        username: 'XXS.ZHUFENG2',
        name: '重名',
        unitId: zhufeng.id,
        roles: ['member'],
        password: 'first-pass-123',
      })
      .expect(409);
    expect(dup.body.fields[0].field).toBe('username');
  });

  it('non-admins may read but not manage units and users (403)', async () => {
    const zhufeng = unitByCode(xxsUnits, 'zhufeng-squad');
    for (const username of ['xxs.zhufeng1', 'xxs.zhufeng', 'xxs.dispatch', 'xxs.liming', 'xxs.viewer']) {
      const token = await t.login(username);
      await t.http().get(`/api/v1/units/${zhufeng.id}`).set(bearer(token)).expect(200);
      await t
        .http()
        .post('/api/v1/units')
        .set(bearer(token))
        .send({ name: '越权单位', kind: 'squad' })
        .expect(403);
      await t
        .http()
        .patch(`/api/v1/units/${zhufeng.id}`)
        .set(bearer(token))
        .send({ name: '越权改名' })
        .expect(403);
      const me = (await t.http().get('/api/v1/auth/me').set(bearer(token)).expect(200)).body;
      await t
        .http()
        .patch(`/api/v1/users/${me.id}`)
        .set(bearer(token))
        .send({ roles: ['admin'] })
        .expect(403);
    }
    const unchanged = (await t.http().get(`/api/v1/units/${zhufeng.id}`).set(bearer(xxsAdmin)).expect(200))
      .body;
    expect(unchanged.name).toBe('竹峰综合执法中队');
  });

  describe('a malformed body → 400 naming every bad field in Chinese, and nothing written', () => {
    const cases: { what: string; path: string; body: object; fields: string[] }[] = [
      {
        what: 'missing fields',
        path: '/api/v1/users',
        body: { name: '缺字段' },
        fields: ['username', 'unitId', 'roles', 'password'],
      },
      {
        what: 'wrong types',
        path: '/api/v1/users',
        body: { username: 123, name: ['x'], unitId: 'not-a-uuid', roles: 'admin', password: 12345678 },
        fields: ['username', 'name', 'unitId', 'roles', 'password'],
      },
      {
        what: 'an unknown field',
        path: '/api/v1/units',
        body: { name: '新单位', kind: 'squad', isAdmin: true },
        fields: ['isAdmin'],
      },
      {
        what: 'a bad enum',
        path: '/api/v1/units',
        body: { name: '新单位', kind: 'bureau' },
        fields: ['kind'],
      },
      {
        what: 'a bad role',
        path: '/api/v1/users',
        body: {
          username: 'xxs.ok',
          name: 'x',
          unitId: '00000000-0000-4000-8000-000000000000',
          roles: ['root'],
          password: 'long-enough',
        },
        fields: ['roles'],
      },
    ];
    it.each(cases)('$what', async ({ path, body, fields }) => {
      const [units, users, audit] = await Promise.all([count('units'), count('users'), count('audit_log')]);
      const res = await t.http().post(path).set(bearer(xxsAdmin)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([...fields].sort());
      for (const f of res.body.fields as { message: string }[]) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.body.message).toMatch(/^请求参数有误/);
      expect([await count('units'), await count('users'), await count('audit_log')]).toEqual([
        units,
        users,
        audit,
      ]);
    });

    it('invalid JSON and a __proto__ key are refused too', async () => {
      const before = await count('units');
      await t
        .http()
        .post('/api/v1/units')
        .set(bearer(xxsAdmin))
        .set('content-type', 'application/json')
        .send('{"name": ')
        .expect(400);
      await t
        .http()
        .post('/api/v1/units')
        .set(bearer(xxsAdmin))
        .set('content-type', 'application/json')
        .send('{"name":"x","kind":"squad","__proto__":{"polluted":true}}')
        .expect(400);
      expect(await count('units')).toBe(before);
    });
  });

  describe('organization B’s units and users do not exist for organization A (404), on every endpoint', () => {
    const yyUnit = () => unitByCode(yyUnits, 'police-brigade');
    const yyUser = () => yyUsers.find((u) => u.username === 'yy.police1')!;
    const endpoints: { name: string; call: (token: string) => Promise<{ status: number }> }[] = [
      { name: 'GET /units/:id', call: (tk) => t.http().get(`/api/v1/units/${yyUnit().id}`).set(bearer(tk)) },
      {
        name: 'PATCH /units/:id',
        call: (tk) => t.http().patch(`/api/v1/units/${yyUnit().id}`).set(bearer(tk)).send({ name: '篡改' }),
      },
      {
        name: 'POST /units/:id/active',
        call: (tk) =>
          t.http().post(`/api/v1/units/${yyUnit().id}/active`).set(bearer(tk)).send({ active: false }),
      },
      {
        name: 'POST /units (parent in B)',
        call: (tk) =>
          t
            .http()
            .post('/api/v1/units')
            .set(bearer(tk))
            .send({ name: '挂靠', kind: 'squad', parentId: yyUnit().id }),
      },
      {
        name: 'PATCH /units/:id (move under B)',
        call: (tk) =>
          t
            .http()
            .patch(`/api/v1/units/${unitByCode(xxsUnits, 'legal').id}`)
            .set(bearer(tk))
            .send({ parentId: yyUnit().id }),
      },
      { name: 'GET /users/:id', call: (tk) => t.http().get(`/api/v1/users/${yyUser().id}`).set(bearer(tk)) },
      {
        name: 'PATCH /users/:id',
        call: (tk) => t.http().patch(`/api/v1/users/${yyUser().id}`).set(bearer(tk)).send({ name: '篡改' }),
      },
      {
        name: 'POST /users/:id/active',
        call: (tk) =>
          t.http().post(`/api/v1/users/${yyUser().id}/active`).set(bearer(tk)).send({ active: false }),
      },
      {
        name: 'POST /users/:id/password',
        call: (tk) =>
          t
            .http()
            .post(`/api/v1/users/${yyUser().id}/password`)
            .set(bearer(tk))
            .send({ password: 'hijacked-123' }),
      },
      {
        name: 'POST /users (unit in B)',
        call: (tk) =>
          t
            .http()
            .post('/api/v1/users')
            .set(bearer(tk))
            .send({
              username: 'xxs.spy',
              name: '间谍',
              unitId: yyUnit().id,
              roles: ['member'],
              password: 'long-enough',
            }),
      },
      {
        name: 'PATCH /users/:id (move to B)',
        call: (tk) =>
          t.http().patch(`/api/v1/users/${xxsUserId}`).set(bearer(tk)).send({ unitId: yyUnit().id }),
      },
    ];
    let xxsUserId: string;
    beforeAll(async () => {
      const users: User[] = (await t.http().get('/api/v1/users').set(bearer(xxsAdmin)).expect(200)).body;
      xxsUserId = users.find((u) => u.username === 'xxs.xicheng1')!.id;
    });

    it.each(endpoints.map((e) => [e.name, e]))('%s → 404 and B unchanged', async (_name, endpoint) => {
      const [audit] = [await count('audit_log')];
      const res = await endpoint.call(xxsAdmin);
      expect(res.status).toBe(404);
      expect(await count('audit_log')).toBe(audit);
    });

    it('list filters cannot reach into B either', async () => {
      const res = await t.http().get(`/api/v1/users?unitId=${yyUnit().id}`).set(bearer(xxsAdmin)).expect(200);
      expect(res.body).toEqual([]);
    });

    afterAll(async () => {
      // B's rows are exactly as seeded: name, activity and password all intact.
      const unit = (await t.http().get(`/api/v1/units/${yyUnit().id}`).set(bearer(yyAdmin)).expect(200)).body;
      expect(unit).toMatchObject({ name: '公安城管大队', active: true, parentId: null });
      const user = (await t.http().get(`/api/v1/users/${yyUser().id}`).set(bearer(yyAdmin)).expect(200)).body;
      expect(user).toMatchObject({ name: '夏雨', active: true });
      await t.login('yy.police1');
    });
  });
});
