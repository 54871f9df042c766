import { bearer, createTestApp, TestApp } from '../helpers/app';
import { makeDraftPlan } from '../helpers/fixtures';

interface Cycle {
  id: string;
  period: string;
  reportDue: string;
  meetingDate: string;
  status: string;
}
interface Expected {
  itemId: string;
  key: string;
  due: string;
  state: string;
  stateName: string;
}

describe('工作日历与调度周期 (calendar, cycles, expected reports)', () => {
  let t: TestApp;
  let dispatch: string;
  let planId: string;
  let cycles: Cycle[];

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2022-06-15T10:00:00+08:00' });
    dispatch = await t.login('xxs.dispatch');
    const plans = (await t.http().get('/api/v1/plans').set(bearer(dispatch)).expect(200)).body as {
      id: string;
      year: number;
    }[];
    planId = plans.find((p) => p.year === 2022)!.id;
    cycles = (await t.http().get(`/api/v1/plans/${planId}/cycles`).set(bearer(dispatch)).expect(200)).body;
  });
  afterAll(() => t.close());

  it('the 2022 calendar holds the National Day holiday and its make-up weekend', async () => {
    const cal = (await t.http().get('/api/v1/calendar/2022').set(bearer(dispatch)).expect(200)).body;
    const holidays = cal.holidays.map((d: { date: string }) => d.date);
    for (let d = 1; d <= 7; d++) expect(holidays).toContain(`2022-10-0${d}`);
    expect(cal.makeUpWorkdays.map((d: { date: string }) => d.date)).toEqual(
      expect.arrayContaining([
        '2022-01-29',
        '2022-01-30',
        '2022-04-02',
        '2022-04-24',
        '2022-05-07',
        '2022-10-08',
        '2022-10-09',
      ]),
    );
  });

  it('only a system administrator maintains the national year, and a weekday cannot be a make-up workday', async () => {
    const body = {
      holidays: [{ date: '2027-01-01', name: '元旦' }],
      makeUpWorkdays: [{ date: '2027-01-09', name: '元旦调休' }],
    };
    await t.http().put('/api/v1/calendar/2027').set(bearer(dispatch)).send(body).expect(403);
    await t
      .http()
      .put('/api/v1/calendar/2027')
      .set(bearer(await t.login('xxs.admin')))
      .send(body)
      .expect(403);
    const admin = await t.login('system');
    const bad = await t
      .http()
      .put('/api/v1/calendar/2027')
      .set(bearer(admin))
      .send({ ...body, makeUpWorkdays: [{ date: '2027-01-08', name: '周五' }] })
      .expect(400);
    expect(bad.body.fields[0].field).toBe('makeUpWorkdays.0.date');
    const saved = await t.http().put('/api/v1/calendar/2027').set(bearer(admin)).send(body).expect(200);
    expect(saved.body).toMatchObject({ year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }] });
  });

  it('the plan has twelve monthly cycles with working-day due dates and meeting days; those past their cut-off are closed', () => {
    expect(cycles.map((c) => c.period)).toHaveLength(12);
    expect(cycles.find((c) => c.period === '2022-09')).toMatchObject({
      reportDue: '2022-09-27',
      meetingDate: '2022-10-09',
    });
    expect(cycles.find((c) => c.period === '2022-05')).toMatchObject({ status: 'closed' });
    expect(cycles.find((c) => c.period === '2022-06')).toMatchObject({
      status: 'open',
      reportDue: '2022-06-27',
    });
  });

  it('regenerating cycles is idempotent and kept to the dispatch office', async () => {
    const again = (await t.http().post(`/api/v1/plans/${planId}/cycles`).set(bearer(dispatch)).expect(201))
      .body as Cycle[];
    expect(again.map((c) => c.id)).toEqual(cycles.map((c) => c.id));
    await t
      .http()
      .post(`/api/v1/plans/${planId}/cycles`)
      .set(bearer(await t.login('xxs.zhufeng1')))
      .expect(403);
  });

  it('a monthly item owes a report per cycle: past ones without a report are missing, the current one is due', async () => {
    const items = (
      await t
        .http()
        .get(
          `/api/v1/items?planId=${planId}&cadence=monthly&status=in_progress&deadlineFrom=2022-12-31&pageSize=1`,
        )
        .set(bearer(dispatch))
        .expect(200)
    ).body.items as { id: string }[];
    const expected = (
      await t.http().get(`/api/v1/items/${items[0].id}/expected-reports`).set(bearer(dispatch)).expect(200)
    ).body as Expected[];
    expect(expected.map((e) => e.key)).toHaveLength(12);
    expect(expected.filter((e) => e.key < '2022-06').every((e) => e.state === 'missing')).toBe(true);
    expect(expected.find((e) => e.key === '2022-06')).toMatchObject({
      state: 'due',
      due: '2022-06-27',
      stateName: '待填报',
    });
    expect(expected.find((e) => e.key === '2022-07')?.state).toBe('upcoming');
  });

  it('per cycle and per unit the lists hold only items the caller may read', async () => {
    const june = cycles.find((c) => c.period === '2022-06')!;
    const all = (
      await t.http().get(`/api/v1/cycles/${june.id}/expected-reports`).set(bearer(dispatch)).expect(200)
    ).body as Expected[];
    const member = await t.login('xxs.zhufeng1');
    const mine = (
      await t.http().get(`/api/v1/cycles/${june.id}/expected-reports`).set(bearer(member)).expect(200)
    ).body as Expected[];
    expect(all.length).toBeGreaterThan(mine.length);
    expect(all.every((e) => e.due >= '2022-06-01' && e.due <= '2022-06-30')).toBe(true);
    const units = (await t.http().get('/api/v1/units').set(bearer(dispatch)).expect(200)).body as {
      id: string;
      code: string;
    }[];
    const brigade = units.find((u) => u.code === 'brigade')!;
    const byUnit = (
      await t
        .http()
        .get(`/api/v1/units/${brigade.id}/expected-reports?planId=${planId}&cycle=2022-06`)
        .set(bearer(dispatch))
        .expect(200)
    ).body as Expected[];
    expect(byUnit.length).toBeGreaterThan(0);
    const other = await t.login('yy.admin');
    await t.http().get(`/api/v1/cycles/${june.id}/expected-reports`).set(bearer(other)).expect(404);
    await t.http().get(`/api/v1/plans/${planId}/cycles`).set(bearer(other)).expect(404);
  });

  it('publishing a plan opens its cycles; changing its settings re-dates them', async () => {
    const fx = await makeDraftPlan(t, dispatch, '周期测试计划', 2022);
    expect(
      (await t.http().get(`/api/v1/plans/${fx.planId}/cycles`).set(bearer(dispatch)).expect(200)).body,
    ).toEqual([]);
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(dispatch)).expect(200);
    const opened = (await t.http().get(`/api/v1/plans/${fx.planId}/cycles`).set(bearer(dispatch)).expect(200))
      .body as Cycle[];
    expect(opened.find((c) => c.period === '2022-09')?.reportDue).toBe('2022-09-27');
    const version = async () =>
      (await t.http().get(`/api/v1/plans/${fx.planId}/settings`).set(bearer(dispatch)).expect(200)).body
        .version as number;
    await t
      .http()
      .patch(`/api/v1/plans/${fx.planId}/settings`)
      .set(bearer(dispatch))
      .send({ version: await version(), reportDueWorkdays: 0, meetingWorkday: 1 })
      .expect(200);
    const redated = (
      await t.http().get(`/api/v1/plans/${fx.planId}/cycles`).set(bearer(dispatch)).expect(200)
    ).body as Cycle[];
    expect(redated.find((c) => c.period === '2022-09')).toMatchObject({
      reportDue: '2022-09-30',
      meetingDate: '2022-10-08',
    });
    expect(redated.map((c) => c.id)).toEqual(opened.map((c) => c.id));
    await t
      .http()
      .patch(`/api/v1/plans/${fx.planId}/settings`)
      .set(bearer(await t.login('xxs.brigade')))
      .send({ version: await version(), meetingWorkday: 3 })
      .expect(403);
    const bad = await t
      .http()
      .patch(`/api/v1/plans/${fx.planId}/settings`)
      .set(bearer(dispatch))
      .send({ version: await version(), meetingWorkday: 0 })
      .expect(400);
    expect(bad.body.fields[0].field).toBe('meetingWorkday');
  });
});
