import { addDays, isValidDate, isoWeek, isoWeekday, lastDayOfMonth, toDayNumber } from './dates';

describe('calendar dates', () => {
  it('accepts only real YYYY-MM-DD days', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('2023-1-05')).toBe(false);
    expect(() => toDayNumber('2023-00-10')).toThrow(RangeError);
  });

  it('adds days across month and year ends and gives ISO weekdays', () => {
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(isoWeekday('2022-10-03')).toBe(1);
    expect(isoWeekday('2022-10-09')).toBe(7);
    expect(lastDayOfMonth(2023, 2)).toBe('2023-02-28');
  });

  it('puts days around 1 January in the ISO week-year of their Thursday', () => {
    expect(isoWeek('2022-01-01')).toEqual({
      weekYear: 2021,
      week: 52,
      monday: '2021-12-27',
      sunday: '2022-01-02',
    });
    expect(isoWeek('2021-01-03').week).toBe(53);
    expect(isoWeek('2024-12-30')).toMatchObject({ weekYear: 2025, week: 1 });
    expect(isoWeek('2026-02-16')).toMatchObject({ weekYear: 2026, week: 8 });
  });
});
