import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WorkCalendar, loadCalendarYaml } from '../../../core/calendar/working-days';
import type { Milestone } from './expected';
import { expectedProgress } from './expected';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(__dirname, '../../../../seeds/data/calendar.yaml'), 'utf8')),
);

function at(today: string, startDate: string, deadline: string, milestones?: Milestone[]) {
  return expectedProgress({ startDate, deadline, today, calendar, milestones });
}

describe('expectedProgress, linear in working days', () => {
  it('is 0 before the start and 100 on and after the deadline', () => {
    expect(at('2022-02-28', '2022-03-01', '2022-03-31')).toEqual({
      percent: 0,
      basis: 'before_start',
      milestone: null,
    });
    expect(at('2022-03-31', '2022-03-01', '2022-03-31')).toEqual({
      percent: 100,
      basis: 'after_deadline',
      milestone: null,
    });
    expect(at('2022-05-10', '2022-03-01', '2022-03-31').percent).toBe(100);
  });

  it('counts both ends: the start day is one working day done', () => {
    // Tue 03-01 … Fri 03-04: four working days.
    expect(at('2022-03-01', '2022-03-01', '2022-03-04')).toEqual({
      percent: 25,
      basis: 'linear',
      milestone: null,
    });
    expect(at('2022-03-03', '2022-03-01', '2022-03-04').percent).toBe(75);
  });

  it('does not move over a weekend', () => {
    // Mon 03-07 … Fri 03-18: ten working days; Fri 03-11, Sat 03-12 and Sun 03-13 all read 5 of 10.
    for (const d of ['2022-03-11', '2022-03-12', '2022-03-13']) {
      expect(at(d, '2022-03-07', '2022-03-18').percent).toBe(50);
    }
  });

  it('stands still through National Day and moves on the 调休 Saturday 2022-10-08', () => {
    // October 2022 has 18 working days: 21 weekdays − 5 holiday weekdays (10-03..10-07) + 10-08 and 10-09.
    const oct = (d: string) => at(d, '2022-10-01', '2022-10-31').percent;
    expect(oct('2022-10-07')).toBe(0);
    expect(oct('2022-10-08')).toBe(5.56); // 1 / 18
    expect(oct('2022-10-09')).toBe(11.11); // 2 / 18, the 调休 Sunday
    expect(oct('2022-10-10')).toBe(16.67); // 3 / 18
  });

  it('reaches 100 on the last working day before a deadline that falls on a holiday', () => {
    // 2022-09-01 … 2022-10-03: September's 21 working days (22 weekdays minus 中秋 09-12), then holidays.
    expect(at('2022-09-29', '2022-09-01', '2022-10-03').percent).toBe(95.24); // 20 / 21
    expect(at('2022-09-30', '2022-09-01', '2022-10-03').percent).toBe(100);
    expect(at('2022-10-02', '2022-09-01', '2022-10-03')).toMatchObject({ percent: 100, basis: 'linear' });
  });

  it('expects 0 until the deadline when the span holds no working day', () => {
    expect(at('2022-10-05', '2022-10-01', '2022-10-07').percent).toBe(0);
    expect(at('2022-10-07', '2022-10-01', '2022-10-07').percent).toBe(100);
  });

  it('rejects bad dates and a deadline before the start', () => {
    expect(() => at('2022-13-01', '2022-01-01', '2022-12-31')).toThrow(RangeError);
    expect(() => at('2022-06-01', '2022-07-01', '2022-06-30')).toThrow(RangeError);
  });
});

describe('expectedProgress with monthly milestones (step function)', () => {
  const milestones: Milestone[] = [
    { month: '2022-09', percent: 80 },
    { month: '2022-03', percent: 20 },
    { month: '2022-06', percent: 50 },
  ];
  const year = (d: string) => at(d, '2022-01-01', '2022-12-31', milestones);

  it('is 0 until the first milestone month has ended', () => {
    expect(year('2022-03-30')).toEqual({ percent: 0, basis: 'milestone', milestone: null });
  });

  it("takes the latest milestone whose month has ended, from the month's last calendar day", () => {
    expect(year('2022-03-31')).toEqual({
      percent: 20,
      basis: 'milestone',
      milestone: { month: '2022-03', percent: 20 },
    });
    expect(year('2022-06-29').percent).toBe(20);
    expect(year('2022-06-30').percent).toBe(50);
    expect(year('2022-10-15').percent).toBe(80);
    expect(year('2022-12-30').percent).toBe(80);
  });

  it('gives way to the deadline and the start', () => {
    expect(year('2022-12-31')).toMatchObject({ percent: 100, basis: 'after_deadline' });
    expect(at('2022-04-15', '2022-05-01', '2022-12-31', milestones)).toMatchObject({
      percent: 0,
      basis: 'before_start',
    });
  });

  it('rejects a malformed month or an out-of-range percent', () => {
    expect(() => at('2022-05-01', '2022-01-01', '2022-12-31', [{ month: '2022-6', percent: 50 }])).toThrow(
      RangeError,
    );
    expect(() => at('2022-05-01', '2022-01-01', '2022-12-31', [{ month: '2022-06', percent: 120 }])).toThrow(
      RangeError,
    );
  });
});
