import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadCalendarYaml, overlayCalendar, WorkCalendar } from '../../src/core/calendar/working-days';
import { setSysadmin } from '../../src/modules/org/sysadmin';
import { RemindersRepository } from '../../src/modules/reminders/reminders.repository';
import { ReminderScanService } from '../../src/modules/reminders/reminder-scan.service';
import { RollupService } from '../../src/modules/rollup/rollup.service';
import { bearer, createTestApp, createTestWorker, TestApp } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { ROOT } from '../helpers/env';

interface Cycle {
  id: string;
  period: string;
  reportDue: string;
  meetingDate: string;
}
interface Overdue {
  itemId: string;
  deadline: string;
  overdueWorkdays: number;
}
interface Day {
  date: string;
  name: string;
  local: boolean;
}

const TODAY = '2022-07-15';
const data = loadCalendarYaml(readFileSync(join(ROOT, 'seeds/data/calendar.yaml'), 'utf8'));
const national = new WorkCalendar(data);
const nationalRows = [
  ...data.holidays.map((date) => ({ date, year: Number(date.slice(0, 4)), kind: 'holiday' })),
  ...data.makeUpWorkdays.map((date) => ({ date, year: Number(date.slice(0, 4)), kind: 'workday' })),
];
// xx市's own days off: a Monday in June (between overdue deadlines and June's cut-off), today (a
// Friday, so no reminder goes out), and a Wednesday that moves September's report due day.
const LOCAL = [
  { date: '2022-06-20', name: '本地休息日' },
  { date: '2022-07-15', name: '本地休息日' },
  { date: '2022-09-28', name: '本地休息日' },
];
const xxsCalendar = overlayCalendar(
  nationalRows,
  LOCAL.map((d) => ({ date: d.date, kind: 'holiday' })),
);

/**
 * Tenant isolation of the calendar (issue 13): the national calendar is the system administrator's;
 * an organization's admin adds local exceptions that move that organization's cycles and working-day
 * counts (TS and SQL alike) and nobody else's.
 */
describe('工作日历的组织隔离 (national calendar, local exceptions)', () => {
  let t: TestApp;
  const plan: Record<'xxs' | 'yy', string> = { xxs: '', yy: '' };
  const june: Record<'xxs' | 'yy', string> = { xxs: '', yy: '' };
  const org: Record<'xxs' | 'yy', string> = { xxs: '', yy: '' };
  const cyclesBefore: Record<'xxs' | 'yy', Cycle[]> = { xxs: [], yy: [] };
  const overdueBefore: Record<'xxs' | 'yy', Overdue[]> = { xxs: [], yy: [] };
  let digestBefore: Awaited<ReturnType<RemindersRepository['digestCandidates']>>;
  const tokens: Record<string, string> = {};
  const as = async (user: string) => bearer((tokens[user] ??= await t.login(user)));

  const cyclesOf = async (o: 'xxs' | 'yy') =>
    (
      await t
        .http()
        .get(`/api/v1/plans/${plan[o]}/cycles`)
        .set(await as(`${o}.dispatch`))
        .expect(200)
    ).body as Cycle[];
  const overdueOf = async (o: 'xxs' | 'yy') =>
    (
      (
        await t
          .http()
          .get(`/api/v1/cycles/${june[o]}/dispatch-pack`)
          .set(await as(`${o}.dispatch`))
          .expect(200)
      ).body as { overdue: Overdue[] }
    ).overdue;
  const digests = () => new RemindersRepository(t.dataSource).digestCandidates('2022-06-21', 5);

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: `${TODAY}T10:00:00+08:00` });
    for (const o of ['xxs', 'yy'] as const) {
      const [row] = (await t.dataSource.query(
        `SELECT p.id AS plan, c.id AS june, o.id AS org FROM plans p JOIN organizations o ON o.id = p.organization_id
           JOIN dispatch_cycles c ON c.plan_id = p.id AND c.period = '2022-06'
          WHERE o.code = $1 AND p.year = 2022 AND p.status = 'published'`,
        [o === 'yy' ? 'yueyang' : o],
      )) as { plan: string; june: string; org: string }[];
      plan[o] = row.plan;
      june[o] = row.june;
      org[o] = row.org;
      cyclesBefore[o] = await cyclesOf(o);
      overdueBefore[o] = await overdueOf(o);
    }
    digestBefore = await digests();
  });
  afterAll(() => t.close());

  it("an organization's admin may not change the national calendar; the system administrator may", async () => {
    const body = { holidays: [{ date: '2028-01-03', name: '元旦' }], makeUpWorkdays: [] };
    for (const user of ['xxs.admin', 'yy.admin']) {
      const res = await t
        .http()
        .put('/api/v1/calendar/2028')
        .set(await as(user))
        .send(body)
        .expect(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: '没有权限执行此操作' });
    }
    expect(await t.dataSource.query(`SELECT 1 FROM calendar_days WHERE year = 2028`)).toHaveLength(0);
    await t
      .http()
      .put('/api/v1/calendar/2028')
      .set(await as('system'))
      .send(body)
      .expect(200);
    const [audit] = (await t.dataSource.query(
      `SELECT o.code FROM audit_log a JOIN organizations o ON o.id = a.organization_id
        WHERE a.entity_type = 'calendar' AND a.entity_id = '2028'`,
    )) as { code: string }[];
    expect(audit.code).toBe('platform');
  });

  it('a system administrator alone reads no organization data and cannot be made or managed through the API', async () => {
    const sys = await as('system');
    const me = await t.http().get('/api/v1/auth/me').set(sys).expect(200);
    expect(me.body.roles).toEqual(['sysadmin']);
    for (const path of [
      '/api/v1/plans',
      '/api/v1/units',
      '/api/v1/users',
      '/api/v1/items',
      `/api/v1/plans/${plan.xxs}`,
    ]) {
      const res = await t.http().get(path).set(sys).expect(403);
      expect(res.body.message).toBe('平台管理员账号不能查看组织的业务数据');
    }
    const admin = await as('xxs.admin');
    const units = (await t.http().get('/api/v1/units').set(admin).expect(200)).body as { id: string }[];
    await t
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({
        username: 'xxs.wannabe',
        name: '某人',
        unitId: units[0].id,
        roles: ['sysadmin'],
        password: 'abcdefgh1',
      })
      .expect(400);
    // Granted by the CLI to one of xxs's accounts: xxs's admin can no longer edit it or reset its password.
    await setSysadmin(t.dataSource, 'xxs.viewer', true);
    const [viewer] = (await t.dataSource.query(`SELECT id FROM users WHERE username = 'xxs.viewer'`)) as {
      id: string;
    }[];
    const patch = await t
      .http()
      .patch(`/api/v1/users/${viewer.id}`)
      .set(admin)
      .send({ roles: ['viewer'] })
      .expect(403);
    expect(patch.body.message).toBe('平台管理员账号只能通过命令行管理');
    await t
      .http()
      .post(`/api/v1/users/${viewer.id}/password`)
      .set(admin)
      .send({ password: 'taken-over-1' })
      .expect(403);
    await t.http().post(`/api/v1/users/${viewer.id}/active`).set(admin).send({ active: false }).expect(403);
    const viewerToken = await t.login('xxs.viewer');
    await t.http().get('/admin/queues/api/queues').set(bearer(viewerToken)).expect(200);
    await setSysadmin(t.dataSource, 'xxs.viewer', false);
    await t.http().get('/admin/queues/api/queues').set(bearer(viewerToken)).expect(403);
    const [{ roles }] = (await t.dataSource.query(`SELECT roles FROM users WHERE id = $1`, [viewer.id])) as {
      roles: string[];
    }[];
    expect(roles).toEqual(['viewer']);
  });

  it('local exceptions are checked day by day and kept to their own admin', async () => {
    await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(await as('xxs.dispatch'))
      .send({ holidays: LOCAL, workdays: [] })
      .expect(403);
    const bad = await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(await as('xxs.admin'))
      .send({ holidays: [...LOCAL, { date: '2022-10-03', name: '国庆' }], workdays: [] })
      .expect(400);
    expect(bad.body.fields).toEqual([
      { field: 'holidays.3.date', message: '2022-10-03 按国家日历已是休息日，无需设为本地休息日' },
    ]);
    const local = await t
      .http()
      .get('/api/v1/calendar/2022/local')
      .set(await as('xxs.admin'))
      .expect(200);
    expect(local.body).toEqual({ year: 2022, holidays: [], workdays: [] });
  });

  it("an organization's local holidays move its cycles and working-day counts, in every computation, and no one else's", async () => {
    const saved = await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(await as('xxs.admin'))
      .send({ holidays: LOCAL, workdays: [] })
      .expect(200);
    expect(saved.body).toEqual({ year: 2022, holidays: LOCAL, workdays: [] });
    const [audit] = (await t.dataSource.query(
      `SELECT organization_id AS org, after FROM audit_log WHERE entity_type = 'calendar-local' AND entity_id = '2022'`,
    )) as { org: string; after: { holidays: string[] } }[];
    expect(audit).toEqual({ org: org.xxs, after: { holidays: LOCAL.map((d) => d.date), workdays: [] } });

    // The effective calendar says which days are local; the other organization's has none of them.
    const mine = (
      await t
        .http()
        .get('/api/v1/calendar/2022')
        .set(await as('xxs.zhufeng1'))
        .expect(200)
    ).body as {
      holidays: Day[];
    };
    expect(mine.holidays).toContainEqual({ date: '2022-06-20', name: '本地休息日', local: true });
    expect(mine.holidays).toContainEqual({ date: '2022-10-01', name: '国庆节', local: false });
    const theirs = (
      await t
        .http()
        .get('/api/v1/calendar/2022')
        .set(await as('yy.admin'))
        .expect(200)
    ).body as {
      holidays: Day[];
    };
    expect(theirs.holidays.map((d) => d.date)).not.toContain('2022-06-20');
    expect(theirs.holidays.every((d) => !d.local)).toBe(true);

    // Cycles (TS): September's report due day moves from the 27th to the 26th for xx市 only.
    const xxsCycles = await cyclesOf('xxs');
    expect(cyclesBefore.xxs.find((c) => c.period === '2022-09')!.reportDue).toBe('2022-09-27');
    expect(xxsCycles.find((c) => c.period === '2022-09')).toMatchObject({
      id: cyclesBefore.xxs.find((c) => c.period === '2022-09')!.id,
      reportDue: '2022-09-26',
    });
    expect(await cyclesOf('yy')).toEqual(cyclesBefore.yy);

    // The dispatch pack (SQL): overdue working days at June's cut-off by xx市's calendar.
    const reportDue = cyclesBefore.xxs.find((c) => c.period === '2022-06')!.reportDue;
    const xxsOverdue = await overdueOf('xxs');
    expect(xxsOverdue.length).toBeGreaterThan(0);
    for (const o of xxsOverdue)
      expect(o.overdueWorkdays).toBe(xxsCalendar.workingDaysBetween(o.deadline, reportDue));
    const moved = xxsOverdue.filter((o) => o.deadline < '2022-06-20');
    expect(moved.length).toBeGreaterThan(0);
    for (const o of moved)
      expect(o.overdueWorkdays).toBe(
        overdueBefore.xxs.find((b) => b.itemId === o.itemId)!.overdueWorkdays - 1,
      );
    expect(await overdueOf('yy')).toEqual(overdueBefore.yy);

    // The reminder digests (SQL): xx市's lines count one working day fewer; 岳阳's are as they were.
    const after = await digests();
    const byOrg = (rows: typeof after, o: string) =>
      rows.filter((r) => r.organizationId === o).sort((a, b) => a.userId.localeCompare(b.userId));
    expect(byOrg(after, org.yy)).toEqual(byOrg(digestBefore, org.yy));
    expect(byOrg(after, org.xxs)).not.toEqual(byOrg(digestBefore, org.xxs));

    // The roll-up (SQL, the worker): overdue working days today by each organization's calendar.
    const worker = await createTestWorker(t);
    try {
      await worker.get(RollupService).recomputeAll('calendar-tenant-test');
      const rows = (await t.dataSource.query(
        `SELECT i.organization_id AS org, i.deadline, s.overdue_workdays AS n
           FROM item_status s JOIN items i ON i.id = s.item_id
          WHERE s.overdue_workdays > 0 AND i.plan_id = ANY($1::uuid[])`,
        [[plan.xxs, plan.yy]],
      )) as { org: string; deadline: string; n: number }[];
      const xxsRows = rows.filter((r) => r.org === org.xxs);
      const yyRows = rows.filter((r) => r.org === org.yy);
      expect(xxsRows.length).toBeGreaterThan(0);
      expect(yyRows.length).toBeGreaterThan(0);
      for (const r of xxsRows) expect(r.n).toBe(xxsCalendar.workingDaysBetween(r.deadline, TODAY));
      expect(xxsRows.some((r) => r.n !== national.workingDaysBetween(r.deadline, TODAY))).toBe(true);
      for (const r of yyRows) expect(r.n).toBe(national.workingDaysBetween(r.deadline, TODAY));

      // The reminder scan (TS): today is xx市's day off, so it gets no reminder; 岳阳 works.
      await pinDatabaseClock(t.dataSource, `${TODAY}T10:00:00+08:00`);
      await worker.get(ReminderScanService).scan();
      const counts = (await t.dataSource.query(
        `SELECT organization_id AS org, count(*)::int AS n FROM reminders WHERE due_on = $1 GROUP BY 1`,
        [TODAY],
      )) as { org: string; n: number }[];
      expect(counts.find((c) => c.org === org.xxs)).toBeUndefined();
      expect(counts.find((c) => c.org === org.yy)?.n).toBeGreaterThan(0);
    } finally {
      await worker.close();
    }
  });

  it("another organization's admin neither sees nor changes them: its own exceptions are its own", async () => {
    const yy = await as('yy.admin');
    expect((await t.http().get('/api/v1/calendar/2022/local').set(yy).expect(200)).body).toEqual({
      year: 2022,
      holidays: [],
      workdays: [],
    });
    await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(yy)
      .send({ holidays: [], workdays: [{ date: '2022-08-06', name: '专项整治' }] })
      .expect(200);
    const xxsLocal = await t
      .http()
      .get('/api/v1/calendar/2022/local')
      .set(await as('xxs.admin'))
      .expect(200);
    expect(xxsLocal.body).toEqual({ year: 2022, holidays: LOCAL, workdays: [] });
    const xxsCycles = await cyclesOf('xxs');
    expect(xxsCycles.find((c) => c.period === '2022-09')!.reportDue).toBe('2022-09-26');
    expect(xxsCycles.find((c) => c.period === '2022-08')).toEqual(
      cyclesBefore.xxs.find((c) => c.period === '2022-08'),
    );
    // Clearing them returns the organization to the national calendar (and its shared index).
    await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(yy)
      .send({ holidays: [], workdays: [] })
      .expect(200);
    const [{ cal }] = (await t.dataSource.query(`SELECT work_calendar($1) AS cal`, [org.yy])) as {
      cal: string;
    }[];
    expect(cal).toBe('00000000-0000-0000-0000-000000000000');
    expect(await cyclesOf('yy')).toEqual(cyclesBefore.yy);
  });
});
