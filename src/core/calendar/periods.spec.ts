import { periodsFor, type DispatchCycle } from './periods';
import { WorkCalendar } from './working-days';

const cal = new WorkCalendar({
  years: [2022, 2026],
  holidays: [
    '2022-01-01',
    '2022-01-02',
    '2022-01-03',
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2022-10-${d}`),
    ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`),
  ],
  makeUpWorkdays: ['2022-10-08', '2022-10-09', '2026-02-14', '2026-02-28'],
});

// One cycle per month of 2022, reports due on the month's last working day.
const CYCLES_2022: DispatchCycle[] = Array.from({ length: 12 }, (_, i) => ({
  period: `2022-${String(i + 1).padStart(2, '0')}`,
  reportDue: cal.lastWorkingDayOfMonth(2022, i + 1),
}));

describe('periodsFor weekly', () => {
  it('gives ISO weeks across National Day 2022, each due on its last working day', () => {
    const periods = periodsFor(
      { cadence: 'weekly', startDate: '2022-09-26', endDate: '2022-10-16', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods).toEqual([
      // Saturday and Sunday 1–2 October are holidays: the week closes on Friday.
      { key: '2022-W39', start: '2022-09-26', end: '2022-10-02', due: '2022-09-30' },
      // Monday–Friday are holidays, Sunday 9 October is a make-up workday.
      { key: '2022-W40', start: '2022-10-03', end: '2022-10-09', due: '2022-10-09' },
      { key: '2022-W41', start: '2022-10-10', end: '2022-10-16', due: '2022-10-14' },
    ]);
  });

  it('names the week by its ISO week-year around 1 January', () => {
    const periods = periodsFor(
      { cadence: 'weekly', startDate: '2021-12-29', endDate: '2022-01-04', cycles: [] },
      cal,
    );
    expect(periods.map((p) => [p.key, p.start, p.due])).toEqual([
      // 2021 is outside the data, so Friday 31 December counts as a working day.
      ['2021-W52', '2021-12-27', '2021-12-31'],
      ['2022-W01', '2022-01-03', '2022-01-07'],
    ]);
  });

  it('a week with no working day at all (春节 2026) is due on the first working day after it', () => {
    const periods = periodsFor(
      { cadence: 'weekly', startDate: '2026-02-16', endDate: '2026-02-23', cycles: [] },
      cal,
    );
    expect(periods).toEqual([
      { key: '2026-W08', start: '2026-02-16', end: '2026-02-22', due: '2026-02-24' },
      { key: '2026-W09', start: '2026-02-23', end: '2026-03-01', due: '2026-02-28' },
    ]);
  });

  it('an item starting mid-week includes that whole week', () => {
    const periods = periodsFor(
      { cadence: 'weekly', startDate: '2022-05-18', endDate: '2022-05-22', cycles: [] },
      cal,
    );
    expect(periods).toEqual([{ key: '2022-W20', start: '2022-05-16', end: '2022-05-22', due: '2022-05-20' }]);
  });
});

describe('periodsFor monthly, once and ongoing', () => {
  it('a full-year monthly item gets one period per cycle, due on the cycle report day', () => {
    const periods = periodsFor(
      { cadence: 'monthly', startDate: '2022-01-01', endDate: '2022-12-31', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods).toHaveLength(12);
    expect(periods[9]).toEqual({ key: '2022-10', start: '2022-10-01', end: '2022-10-31', due: '2022-10-31' });
  });

  it('an item starting mid-month reports from that month, which keeps its full bounds', () => {
    const periods = periodsFor(
      { cadence: 'monthly', startDate: '2022-05-16', endDate: '2022-12-31', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods.map((p) => p.key)).toEqual([
      '2022-05',
      '2022-06',
      '2022-07',
      '2022-08',
      '2022-09',
      '2022-10',
      '2022-11',
      '2022-12',
    ]);
    expect(periods[0]).toEqual({ key: '2022-05', start: '2022-05-01', end: '2022-05-31', due: '2022-05-31' });
  });

  it('once and ongoing items report every cycle like monthly ones, in month order whatever the cycle order', () => {
    const cycles = [CYCLES_2022[3], CYCLES_2022[1], CYCLES_2022[2]];
    for (const cadence of ['once', 'ongoing'] as const) {
      const periods = periodsFor({ cadence, startDate: '2022-02-10', endDate: '2022-03-10', cycles }, cal);
      expect(periods.map((p) => [p.key, p.due])).toEqual([
        ['2022-02', '2022-02-28'],
        ['2022-03', '2022-03-31'],
      ]);
    }
  });

  it('a month without a dispatch cycle yields no period', () => {
    const cycles = CYCLES_2022.filter((c) => c.period !== '2022-07');
    const periods = periodsFor(
      { cadence: 'monthly', startDate: '2022-06-01', endDate: '2022-08-31', cycles },
      cal,
    );
    expect(periods.map((p) => p.key)).toEqual(['2022-06', '2022-08']);
  });
});

describe('periodsFor quarterly', () => {
  it('maps each quarter to its last month: due on the March, June, September and December cycles', () => {
    const periods = periodsFor(
      { cadence: 'quarterly', startDate: '2022-01-01', endDate: '2022-12-31', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods).toEqual([
      { key: '2022-Q1', start: '2022-01-01', end: '2022-03-31', due: '2022-03-31' },
      { key: '2022-Q2', start: '2022-04-01', end: '2022-06-30', due: '2022-06-30' },
      { key: '2022-Q3', start: '2022-07-01', end: '2022-09-30', due: '2022-09-30' },
      // 31 December 2022 is a Saturday.
      { key: '2022-Q4', start: '2022-10-01', end: '2022-12-31', due: '2022-12-30' },
    ]);
  });

  it('an item starting mid-May begins with Q2', () => {
    const periods = periodsFor(
      { cadence: 'quarterly', startDate: '2022-05-16', endDate: '2022-12-31', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods.map((p) => p.key)).toEqual(['2022-Q2', '2022-Q3', '2022-Q4']);
  });

  it('an item ending mid-August still owes the Q3 report, due with the September cycle', () => {
    const periods = periodsFor(
      { cadence: 'quarterly', startDate: '2022-01-01', endDate: '2022-08-15', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods.map((p) => [p.key, p.due])).toEqual([
      ['2022-Q1', '2022-03-31'],
      ['2022-Q2', '2022-06-30'],
      ['2022-Q3', '2022-09-30'],
    ]);
  });

  it('a quarter whose closing cycle is not open yet yields no period', () => {
    const cycles = CYCLES_2022.slice(0, 5);
    const periods = periodsFor(
      { cadence: 'quarterly', startDate: '2022-01-01', endDate: '2022-12-31', cycles },
      cal,
    );
    expect(periods.map((p) => p.key)).toEqual(['2022-Q1']);
  });
});

describe('periodsFor annual', () => {
  it('gives one period for the year, due with the December cycle', () => {
    const periods = periodsFor(
      { cadence: 'annual', startDate: '2022-01-01', endDate: '2022-12-31', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods).toEqual([{ key: '2022', start: '2022-01-01', end: '2022-12-31', due: '2022-12-30' }]);
  });

  it('an item ending before year end still overlaps the year and owes the annual report', () => {
    const periods = periodsFor(
      { cadence: 'annual', startDate: '2022-03-01', endDate: '2022-08-15', cycles: CYCLES_2022 },
      cal,
    );
    expect(periods.map((p) => [p.key, p.due])).toEqual([['2022', '2022-12-30']]);
  });

  it('an item spanning two years gets one period per year that has a December cycle', () => {
    const cycles = [...CYCLES_2022, { period: '2023-12', reportDue: '2023-12-29' }];
    const periods = periodsFor(
      { cadence: 'annual', startDate: '2022-06-01', endDate: '2023-03-31', cycles },
      cal,
    );
    expect(periods.map((p) => p.key)).toEqual(['2022', '2023']);
    expect(
      periodsFor({ cadence: 'annual', startDate: '2022-01-01', endDate: '2022-12-31', cycles: [] }, cal),
    ).toEqual([]);
  });
});

describe('periodsFor input checks', () => {
  it('rejects an item ending before it starts', () => {
    expect(() =>
      periodsFor(
        { cadence: 'monthly', startDate: '2022-05-01', endDate: '2022-04-30', cycles: CYCLES_2022 },
        cal,
      ),
    ).toThrow(RangeError);
  });

  it('rejects a malformed or repeated cycle', () => {
    const base = { cadence: 'monthly' as const, startDate: '2022-01-01', endDate: '2022-12-31' };
    expect(() =>
      periodsFor({ ...base, cycles: [{ period: '2022-13', reportDue: '2022-12-30' }] }, cal),
    ).toThrow(/2022-13/);
    expect(() => periodsFor({ ...base, cycles: [CYCLES_2022[0], CYCLES_2022[0]] }, cal)).toThrow(/twice/);
    expect(() =>
      periodsFor({ ...base, cycles: [{ period: '2022-01', reportDue: '2022-01-32' }] }, cal),
    ).toThrow(RangeError);
  });
});
