import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, isWeekend, isoWeekday } from './dates';
import { WorkCalendar, loadCalendarYaml, parseCalendarYaml } from './working-days';

// The real seed file, read as the app reads it.
const text = readFileSync(join(__dirname, '..', '..', '..', 'seeds', 'data', 'calendar.yaml'), 'utf8');
const years = parseCalendarYaml(text);
const cal = new WorkCalendar(loadCalendarYaml(text));

describe('seeds/data/calendar.yaml', () => {
  it('covers 2022 to 2026', () => {
    expect(years.map((y) => y.year)).toEqual([2022, 2023, 2024, 2025, 2026]);
    for (const y of [2022, 2023, 2024, 2025, 2026]) expect(cal.hasYear(y)).toBe(true);
  });

  it('has the Spring Festival 2022 make-up weekend and holiday week', () => {
    expect(cal.isWorkingDay('2022-01-29')).toBe(true);
    expect(cal.isWorkingDay('2022-01-30')).toBe(true);
    for (let d = '2022-01-31'; d <= '2022-02-06'; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.isWorkingDay('2022-02-07')).toBe(true);
  });

  it('has the 2022 Qingming and Labour Day make-up days', () => {
    expect(cal.isWorkingDay('2022-04-02')).toBe(true);
    expect(cal.isWorkingDay('2022-04-24')).toBe(true);
    expect(cal.isWorkingDay('2022-05-07')).toBe(true);
    expect(cal.isWorkingDay('2022-04-04')).toBe(false);
    expect(cal.isWorkingDay('2022-05-04')).toBe(false);
  });

  it('has National Day 2022 off and the weekend after it working', () => {
    for (let d = '2022-10-01'; d <= '2022-10-07'; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.isWorkingDay('2022-10-08')).toBe(true);
    expect(cal.isWorkingDay('2022-10-09')).toBe(true);
  });

  it('covers all 7 festivals each year, in 7 groups or 6 when 中秋节 and 国庆节 share one block', () => {
    const festivals = ['元旦', '春节', '清明', '劳动', '端午', '中秋', '国庆'];
    for (const y of years) {
      const names = y.holidays.map((g) => g.name);
      for (const f of festivals) expect(`${y.year} ${names.join(' ')}`).toContain(f);
      const merged = names.some((n) => n.includes('中秋') && n.includes('国庆'));
      expect([y.year, y.holidays.length]).toEqual([y.year, merged ? 6 : 7]);
    }
    // The notices merged the two in 2023 and 2025, when Mid-Autumn fell in National Day week.
    expect(years.filter((y) => y.holidays.length === 6).map((y) => y.year)).toEqual([2023, 2025]);
  });

  it('never makes a make-up workday a holiday too', () => {
    const holidays = new Set(years.flatMap((y) => y.holidays.flatMap((g) => g.dates)));
    const clashes = years.flatMap((y) => y.makeUpWorkdays.filter((w) => holidays.has(w.date)));
    expect(clashes).toEqual([]);
  });

  it('puts every make-up workday on a Saturday or Sunday', () => {
    const weekdays = years.flatMap((y) => y.makeUpWorkdays.filter((w) => !isWeekend(w.date)));
    expect(weekdays).toEqual([]);
  });

  it('lists each holiday block as consecutive days', () => {
    for (const y of years) {
      for (const g of y.holidays) {
        g.dates.forEach((d, i) => {
          if (i > 0)
            expect(`${y.year} ${g.name} ${d}`).toBe(`${y.year} ${g.name} ${addDays(g.dates[i - 1], 1)}`);
        });
      }
    }
  });

  it('adds up to the statutory days: weekday holidays minus make-up days = 11 to 2024, 13 from 2025', () => {
    // Every statutory day falls on a weekday or is compensated by one inside its block, and every
    // other weekday off is paid back by a make-up workday (全国年节及纪念日放假办法, 13 days since 2025).
    for (const y of years) {
      const weekdaysOff = y.holidays.flatMap((g) => g.dates).filter((d) => isoWeekday(d) <= 5).length;
      expect([y.year, weekdaysOff - y.makeUpWorkdays.length]).toEqual([y.year, y.year >= 2025 ? 13 : 11]);
    }
  });
});
