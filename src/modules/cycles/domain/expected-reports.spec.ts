import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WorkCalendar, loadCalendarYaml } from '../../../core/calendar/working-days';
import { expectedReports } from './expected-reports';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(__dirname, '../../../../seeds/data/calendar.yaml'), 'utf8')),
);
const cycles = Array.from({ length: 12 }, (_, i) => {
  const m = i + 1;
  return {
    period: `2022-${String(m).padStart(2, '0')}`,
    reportDue: calendar.workingDaysBeforeMonthEnd(2022, m, 3),
  };
});
const base = {
  startDate: '2022-01-01',
  deadline: '2022-12-31',
  closedOn: null,
  cycles,
  calendar,
  submittedOn: new Map<string, string>(),
};

describe('expectedReports', () => {
  it('a weekly item across the National Day holiday owes one report per week, the holiday week due on its 调休 Sunday', () => {
    const october = expectedReports({ ...base, cadence: 'weekly', today: '2022-10-20' }).filter(
      (p) => p.start >= '2022-09-26' && p.start <= '2022-10-17',
    );
    expect(october.map((p) => [p.key, p.due])).toEqual([
      ['2022-W39', '2022-09-30'],
      ['2022-W40', '2022-10-09'],
      ['2022-W41', '2022-10-14'],
      ['2022-W42', '2022-10-21'],
    ]);
    expect(october.map((p) => p.state)).toEqual(['missing', 'missing', 'missing', 'due']);
  });

  it('a monthly item owes one report per cycle; on time, late and missing are told by the due day', () => {
    const submittedOn = new Map([
      ['2022-09', '2022-09-26'], // due 09-27 (three working days before the last, 09-30)
      ['2022-10', '2022-10-27'], // due 10-26
    ]);
    const r = expectedReports({ ...base, cadence: 'monthly', submittedOn, today: '2022-11-30' });
    expect(r.find((p) => p.key === '2022-09')).toMatchObject({ due: '2022-09-27', state: 'on_time' });
    expect(r.find((p) => p.key === '2022-10')).toMatchObject({ due: '2022-10-26', state: 'late' });
    expect(r.find((p) => p.key === '2022-11')).toMatchObject({ state: 'missing' });
    expect(r.find((p) => p.key === '2022-12')).toMatchObject({ state: 'upcoming' });
    expect(r).toHaveLength(12);
  });

  it('quarterly items owe four reports; a one-off item stops owing once it is closed', () => {
    expect(expectedReports({ ...base, cadence: 'quarterly', today: '2022-06-15' }).map((p) => p.key)).toEqual(
      ['2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4'],
    );
    const once = expectedReports({ ...base, cadence: 'once', closedOn: '2022-04-26', today: '2022-06-15' });
    expect(once.map((p) => p.key)).toEqual(['2022-01', '2022-02', '2022-03', '2022-04']);
  });
});
