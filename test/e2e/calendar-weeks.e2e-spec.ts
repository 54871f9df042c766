import { weeksDueFromIndex } from '../../src/modules/cycles/reporting-periods.sql';
import { bearer, createTestApp, TestApp } from '../helpers/app';

const NATIONAL = '00000000-0000-0000-0000-000000000000';

/**
 * The stored weeks (calendar_weeks, issue 19) that every list page, the 工作台's counts, the roll-up and
 * the dispatch pack read instead of enumerating work_day_index: after each kind of calendar change they
 * are exactly the weeks computed from the working-day index, in the same transaction as the change.
 */
describe('按日历存下的填报周 (calendar_weeks follows every calendar change)', () => {
  let t: TestApp;
  let xxs: string;
  const tokens: Record<string, string> = {};
  const as = async (user: string) => bearer((tokens[user] ??= await t.login(user)));

  /** Rows of calendar_weeks that differ from the weeks computed now from work_day_index, both ways. */
  const mismatches = () =>
    t.dataSource.query(`
      WITH live AS MATERIALIZED (
        SELECT cal, s, due FROM (${weeksDueFromIndex(
          `DATE '2000-01-01'`,
          `DATE '2050-12-31'`,
          'SELECT DISTINCT calendar_id FROM work_day_index',
        )}) w)
      (SELECT 'missing' AS k, cal, s, due FROM live EXCEPT SELECT 'missing', calendar_id, s, due FROM calendar_weeks)
      UNION ALL
      (SELECT 'extra', calendar_id, s, due FROM calendar_weeks EXCEPT SELECT 'extra', cal, s, due FROM live)`);
  const dueOf = async (calendar: string, monday: string) =>
    (
      (await t.dataSource.query(
        `SELECT to_char(due, 'YYYY-MM-DD') AS due FROM calendar_weeks WHERE calendar_id = $1 AND s = $2`,
        [calendar, monday],
      )) as { due: string }[]
    )[0]?.due;
  const weeksOf = async (calendar: string) =>
    (
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM calendar_weeks WHERE calendar_id = $1`, [
        calendar,
      ])) as { n: number }[]
    )[0].n;

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2022-07-01T10:00:00+08:00' });
    [{ id: xxs }] = (await t.dataSource.query(`SELECT id FROM organizations WHERE code = 'xxs'`)) as {
      id: string;
    }[];
  });
  afterAll(() => t.close());

  it('as migrated and seeded: every week of every index, 2000 to 2050', async () => {
    expect(await mismatches()).toEqual([]);
    expect(await weeksOf(NATIONAL)).toBe(2662);
    // The National Day week of 2022: holidays Mon–Fri, due on the make-up Sunday.
    expect(await dueOf(NATIONAL, '2022-10-03')).toBe('2022-10-09');
  });

  it('a national holiday on a Friday moves that week to Thursday, for the nation and every organization index', async () => {
    expect(await dueOf(NATIONAL, '2028-01-03')).toBe('2028-01-07');
    await t
      .http()
      .put('/api/v1/calendar/2028')
      .set(await as('system'))
      .send({ holidays: [{ date: '2028-01-07', name: '测试假日' }], makeUpWorkdays: [] })
      .expect(200);
    expect(await dueOf(NATIONAL, '2028-01-03')).toBe('2028-01-06');
    expect(await mismatches()).toEqual([]);
  });

  it("an organization's local days give it weeks of its own; dropping them drops its weeks", async () => {
    expect(await weeksOf(xxs)).toBe(0);
    await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(await as('xxs.admin'))
      .send({ holidays: [{ date: '2022-07-15', name: '本地休息日' }], workdays: [] })
      .expect(200);
    expect(await weeksOf(xxs)).toBe(2662);
    expect(await dueOf(xxs, '2022-07-11')).toBe('2022-07-14');
    expect(await dueOf(NATIONAL, '2022-07-11')).toBe('2022-07-15');
    expect(await mismatches()).toEqual([]);

    // A national change rebuilds the organization's index too: its weeks follow.
    await t
      .http()
      .put('/api/v1/calendar/2028')
      .set(await as('system'))
      .send({ holidays: [], makeUpWorkdays: [] })
      .expect(200);
    expect(await dueOf(NATIONAL, '2028-01-03')).toBe('2028-01-07');
    expect(await dueOf(xxs, '2028-01-03')).toBe('2028-01-07');
    expect(await mismatches()).toEqual([]);

    await t
      .http()
      .put('/api/v1/calendar/2022/local')
      .set(await as('xxs.admin'))
      .send({ holidays: [], workdays: [] })
      .expect(200);
    expect(await weeksOf(xxs)).toBe(0);
    expect(await mismatches()).toEqual([]);
  });
});
