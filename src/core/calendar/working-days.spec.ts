import { WorkCalendar, loadCalendarYaml, parseCalendarYaml } from './working-days';

// The 2022 schedule, written out here so these tests do not depend on the seed file.
const range = (from: number, to: number, prefix: string) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(2, '0')}`);
const DATA_2022 = {
  years: [2022],
  holidays: [
    ...range(1, 3, '2022-01'),
    '2022-01-31',
    ...range(1, 6, '2022-02'),
    ...range(3, 5, '2022-04'),
    '2022-04-30',
    ...range(1, 4, '2022-05'),
    ...range(3, 5, '2022-06'),
    ...range(10, 12, '2022-09'),
    ...range(1, 7, '2022-10'),
  ],
  makeUpWorkdays: [
    '2022-01-29',
    '2022-01-30',
    '2022-04-02',
    '2022-04-24',
    '2022-05-07',
    '2022-10-08',
    '2022-10-09',
  ],
};
const cal = new WorkCalendar(DATA_2022);

describe('WorkCalendar.isWorkingDay', () => {
  it('an ordinary weekday is a working day and an ordinary weekend is not', () => {
    expect(cal.isWorkingDay('2022-03-01')).toBe(true);
    expect(cal.isWorkingDay('2022-03-05')).toBe(false);
    expect(cal.isWorkingDay('2022-03-06')).toBe(false);
  });

  it('a holiday on a weekday is a day off', () => {
    expect(cal.isWorkingDay('2022-10-03')).toBe(false);
    expect(cal.isWorkingDay('2022-01-31')).toBe(false);
  });

  it('a make-up weekend day (调休) is a working day', () => {
    expect(cal.isWorkingDay('2022-01-29')).toBe(true);
    expect(cal.isWorkingDay('2022-10-09')).toBe(true);
  });

  it('rejects a malformed or impossible date', () => {
    expect(() => cal.isWorkingDay('2022-2-1')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2022-02-29')).toThrow(RangeError);
  });
});

describe('WorkCalendar years outside the data', () => {
  it('knows which years it holds and falls back to Monday–Friday elsewhere', () => {
    expect(cal.hasYear(2022)).toBe(true);
    expect(cal.hasYear(2021)).toBe(false);
    // 2021-10-01 was National Day, but 2021 is not in the data: only the weekday rule applies.
    expect(cal.isWorkingDay('2021-10-01')).toBe(true);
    expect(cal.isWorkingDay('2021-10-02')).toBe(false);
  });

  it('takes the years from the data when given, so a 元旦 block starting in December does not claim that year', () => {
    const holidays = ['2023-12-30', '2023-12-31', '2024-01-01'];
    expect(new WorkCalendar({ years: [2024], holidays, makeUpWorkdays: [] }).hasYear(2023)).toBe(false);
    expect(new WorkCalendar({ holidays, makeUpWorkdays: [] }).years).toEqual([2023, 2024]);
  });

  it('refuses data that makes a day both a holiday and a make-up workday', () => {
    expect(() => new WorkCalendar({ holidays: ['2022-10-08'], makeUpWorkdays: ['2022-10-08'] })).toThrow(
      /2022-10-08/,
    );
    expect(() => new WorkCalendar({ holidays: ['2022-10-32'], makeUpWorkdays: [] })).toThrow(RangeError);
  });
});

describe('WorkCalendar next/previous working day', () => {
  it('the day after the last pre-holiday Friday is the make-up Saturday', () => {
    expect(cal.nextWorkingDay('2022-09-30')).toBe('2022-10-08');
    expect(cal.nextWorkingDay('2022-01-28')).toBe('2022-01-29');
  });

  it('nextWorkingDay is strictly after even when the date itself is a working day', () => {
    expect(cal.nextWorkingDay('2022-03-01')).toBe('2022-03-02');
    expect(cal.previousWorkingDay('2022-03-02')).toBe('2022-03-01');
  });

  it('the working day before the first post-Spring-Festival Monday is the make-up Sunday', () => {
    expect(cal.previousWorkingDay('2022-02-07')).toBe('2022-01-30');
  });

  it('workingDayOnOrAfter keeps a working day and rolls a day off forward', () => {
    expect(cal.workingDayOnOrAfter('2022-10-09')).toBe('2022-10-09');
    expect(cal.workingDayOnOrAfter('2022-10-01')).toBe('2022-10-08');
    expect(cal.workingDayOnOrBefore('2022-10-07')).toBe('2022-09-30');
  });
});

describe('WorkCalendar.addWorkingDays', () => {
  it('counts forward over the National Day holiday, make-up weekend included', () => {
    expect(cal.addWorkingDays('2022-09-30', 1)).toBe('2022-10-08');
    expect(cal.addWorkingDays('2022-09-30', 2)).toBe('2022-10-09');
    expect(cal.addWorkingDays('2022-09-30', 3)).toBe('2022-10-10');
  });

  it('counts backward with a negative n', () => {
    expect(cal.addWorkingDays('2022-10-10', -3)).toBe('2022-09-30');
    expect(cal.addWorkingDays('2022-10-05', -1)).toBe('2022-09-30');
  });

  it('n = 0 keeps a working day and rolls a day off forward', () => {
    expect(cal.addWorkingDays('2022-09-30', 0)).toBe('2022-09-30');
    expect(cal.addWorkingDays('2022-10-03', 0)).toBe('2022-10-08');
  });

  it('starting from a day off, the first working day after it is 1', () => {
    expect(cal.addWorkingDays('2022-10-02', 1)).toBe('2022-10-08');
  });

  it('rejects a fractional offset', () => {
    expect(() => cal.addWorkingDays('2022-10-10', 1.5)).toThrow(RangeError);
  });
});

describe('WorkCalendar.workingDaysBetween', () => {
  it('counts (from, to]: Monday to Wednesday of an ordinary week is 2, a day to itself 0', () => {
    expect(cal.workingDaysBetween('2022-03-07', '2022-03-09')).toBe(2);
    expect(cal.workingDaysBetween('2022-03-07', '2022-03-07')).toBe(0);
  });

  it('counts the make-up weekend and skips the holiday week', () => {
    expect(cal.workingDaysBetween('2022-09-30', '2022-10-10')).toBe(3);
    expect(cal.workingDaysBetween('2022-10-01', '2022-10-07')).toBe(0);
  });

  it('is negative and antisymmetric when to is before from', () => {
    expect(cal.workingDaysBetween('2022-10-10', '2022-09-30')).toBe(-3);
  });

  it('a Friday deadline seen on Sunday is 0 working days overdue and on Monday 1', () => {
    expect(cal.workingDaysBetween('2022-11-06', '2022-11-04')).toBe(-0);
    expect(cal.workingDaysBetween('2022-11-07', '2022-11-04')).toBe(-1);
  });

  it('inverts addWorkingDays for positive n', () => {
    for (const n of [1, 2, 5, 12]) {
      expect(cal.workingDaysBetween('2022-09-29', cal.addWorkingDays('2022-09-29', n))).toBe(n);
      expect(cal.workingDaysBetween('2022-10-02', cal.addWorkingDays('2022-10-02', n))).toBe(n);
    }
  });
});

describe('WorkCalendar month functions', () => {
  it('October 2022 starts working on the make-up Saturday and has 18 working days', () => {
    expect(cal.workingDaysOfMonth(2022, 10)).toHaveLength(18);
    expect(cal.nthWorkingDayOfMonth(2022, 10, 1)).toBe('2022-10-08');
    expect(cal.nthWorkingDayOfMonth(2022, 10, 3)).toBe('2022-10-10');
  });

  it('the last working day of January 2022 is the make-up Sunday 30 January', () => {
    expect(cal.lastWorkingDayOfMonth(2022, 1)).toBe('2022-01-30');
    expect(cal.nthWorkingDayOfMonth(2022, 1, -1)).toBe('2022-01-30');
    expect(cal.nthWorkingDayOfMonth(2022, 1, -2)).toBe('2022-01-29');
  });

  it('May 2022 starts after the Labour Day holiday and its third working day is the make-up Saturday', () => {
    expect(cal.nthWorkingDayOfMonth(2022, 5, 1)).toBe('2022-05-05');
    expect(cal.nthWorkingDayOfMonth(2022, 5, 3)).toBe('2022-05-07');
  });

  it('refuses n = 0 and an n beyond the month instead of spilling into the next month', () => {
    expect(() => cal.nthWorkingDayOfMonth(2022, 10, 0)).toThrow(RangeError);
    expect(() => cal.nthWorkingDayOfMonth(2022, 10, 19)).toThrow(/18/);
    expect(() => cal.nthWorkingDayOfMonth(2022, 10, -19)).toThrow(RangeError);
    expect(() => cal.nthWorkingDayOfMonth(2022, 13, 1)).toThrow(RangeError);
  });

  it('"due 3 working days before month end" is 3 working days before the last working day', () => {
    // Last working day 2022-10-31 (Mon); three back: 28, 27, 26.
    expect(cal.workingDaysBeforeMonthEnd(2022, 10, 3)).toBe('2022-10-26');
    expect(cal.workingDaysBeforeMonthEnd(2022, 10, 3)).toBe(cal.nthWorkingDayOfMonth(2022, 10, -4));
    expect(cal.workingDaysBetween(cal.workingDaysBeforeMonthEnd(2022, 10, 3), '2022-10-31')).toBe(3);
  });

  it('0 working days before month end is the last working day; counting back skips holidays', () => {
    expect(cal.workingDaysBeforeMonthEnd(2022, 4, 0)).toBe('2022-04-29');
    // April 2022 ends 25–29 (Mon–Fri) after the make-up Sunday 24th.
    expect(cal.workingDaysBeforeMonthEnd(2022, 4, 5)).toBe('2022-04-24');
    expect(() => cal.workingDaysBeforeMonthEnd(2022, 4, -1)).toThrow(RangeError);
    expect(() => cal.workingDaysBeforeMonthEnd(2022, 10, 18)).toThrow(RangeError);
  });
});

describe('loadCalendarYaml', () => {
  const yaml = `
years:
  2023:
    holidays:
      - { name: 元旦, dates: ['2022-12-31', '2023-01-01', '2023-01-02'] }
      - { name: 清明节, dates: ['2023-04-05'] }
    makeUpWorkdays:
      - { name: 劳动节调休, date: '2023-04-23' }
`;

  it('flattens the year into holidays, make-up workdays and the years held', () => {
    expect(loadCalendarYaml(yaml)).toEqual({
      years: [2023],
      holidays: ['2022-12-31', '2023-01-01', '2023-01-02', '2023-04-05'],
      makeUpWorkdays: ['2023-04-23'],
    });
    expect(parseCalendarYaml(yaml)[0].holidays[0]).toEqual({
      name: '元旦',
      dates: ['2022-12-31', '2023-01-01', '2023-01-02'],
    });
  });

  it('accepts an unquoted date that js-yaml turned into a Date', () => {
    const data = loadCalendarYaml(
      'years:\n  2023:\n    holidays:\n      - { name: 清明节, dates: [2023-04-05] }\n',
    );
    expect(data.holidays).toEqual(['2023-04-05']);
    expect(data.makeUpWorkdays).toEqual([]);
  });

  it('names the entry holding an impossible date', () => {
    const bad = yaml.replace("'2023-04-05'", "'2023-04-31'");
    expect(() => loadCalendarYaml(bad)).toThrow('years.2023.holidays[1] (清明节)');
  });

  it('names a make-up workday that is not on a weekend', () => {
    const bad = yaml.replace("'2023-04-23'", "'2023-04-24'");
    expect(() => loadCalendarYaml(bad)).toThrow(
      /years\.2023\.makeUpWorkdays\[0\] \(劳动节调休\).*Saturday or Sunday/,
    );
  });

  it('names a make-up workday that is also a holiday', () => {
    const bad = yaml.replace("date: '2023-04-23'", "date: '2022-12-31'");
    expect(() => loadCalendarYaml(bad)).toThrow(/2022-12-31 is also a holiday \(2023 元旦\)/);
  });

  it('rejects a document without years, an entry without a name and a date far from its year', () => {
    expect(() => loadCalendarYaml('holidays: []')).toThrow(/years/);
    expect(() => loadCalendarYaml(yaml.replace('name: 清明节, ', ''))).toThrow('years.2023.holidays[1]');
    expect(() => loadCalendarYaml(yaml.replace("'2023-04-05'", "'2025-04-05'"))).toThrow(/not near 2023/);
  });
});
