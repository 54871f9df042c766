import { overlayCalendar, WorkCalendar } from '../../../core/calendar/working-days';
import { localDayErrors } from './local-calendar';

// 2022 National Day: 10-01..10-07 off, Saturday 10-08 and Sunday 10-09 worked.
const NATIONAL = [
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
    date: `2022-10-${d}`,
    year: 2022,
    kind: 'holiday',
  })),
  { date: '2022-10-08', year: 2022, kind: 'workday' },
  { date: '2022-10-09', year: 2022, kind: 'workday' },
];
const national = new WorkCalendar({
  holidays: NATIONAL.filter((d) => d.kind === 'holiday').map((d) => d.date),
  makeUpWorkdays: NATIONAL.filter((d) => d.kind === 'workday').map((d) => d.date),
  years: [2022],
});

describe('overlayCalendar (an organization’s effective calendar)', () => {
  it('lays local exceptions over the national days, a local day replacing the national entry', () => {
    const cal = overlayCalendar(NATIONAL, [
      { date: '2022-06-15', kind: 'holiday' }, // a Wednesday off locally
      { date: '2022-10-08', kind: 'holiday' }, // the national make-up Saturday not worked here
      { date: '2022-10-07', kind: 'workday' }, // a national holiday worked here
    ]);
    expect(cal.isWorkingDay('2022-06-15')).toBe(false);
    expect(cal.isWorkingDay('2022-10-08')).toBe(false);
    expect(cal.isWorkingDay('2022-10-07')).toBe(true);
    expect(cal.isWorkingDay('2022-10-09')).toBe(true);
    expect(cal.workingDaysBetween('2022-06-14', '2022-06-16')).toBe(1);
    expect(national.workingDaysBetween('2022-06-14', '2022-06-16')).toBe(2);
    expect(cal.years).toEqual([2022]);
  });

  it('without local days it is the national calendar', () => {
    const cal = overlayCalendar(NATIONAL, []);
    for (const d of ['2022-10-01', '2022-10-08', '2022-10-10', '2022-10-15'])
      expect(cal.isWorkingDay(d)).toBe(national.isWorkingDay(d));
  });
});

describe('localDayErrors (an organization’s exceptions for a year)', () => {
  it('accepts a local holiday on a working day and a local workday on a day off', () => {
    expect(
      localDayErrors(
        2022,
        {
          holidays: [{ date: '2022-06-15', name: '本地节日' }],
          workdays: [
            { date: '2022-06-18', name: '专项行动' },
            { date: '2022-10-05', name: '值守' },
          ],
        },
        national,
      ),
    ).toEqual([]);
  });

  it('names every wrong date by field: invalid, other year, repeated, or changing nothing', () => {
    const errors = localDayErrors(
      2022,
      {
        holidays: [
          { date: '2022-02-30', name: 'x' },
          { date: '2023-06-15', name: 'x' },
          { date: '2022-10-03', name: '国庆' },
          { date: '2022-06-15', name: 'x' },
        ],
        workdays: [
          { date: '2022-06-15', name: 'x' },
          { date: '2022-10-08', name: '调休' },
        ],
      },
      national,
    );
    expect(errors).toEqual([
      { field: 'holidays.0.date', message: '“2022-02-30”不是有效日期' },
      { field: 'holidays.1.date', message: '2023-06-15 不在 2022 年' },
      { field: 'holidays.2.date', message: '2022-10-03 按国家日历已是休息日，无需设为本地休息日' },
      { field: 'workdays.0.date', message: '2022-06-15 重复出现' },
      { field: 'workdays.1.date', message: '2022-10-08 按国家日历已是工作日，无需设为本地上班日' },
    ]);
  });
});
