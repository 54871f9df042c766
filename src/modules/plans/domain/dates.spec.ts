import { fromExcelDate, isValidIsoDate, parseDeadline } from './dates';

describe('parseDeadline', () => {
  it.each([
    ['2022-12-31', '2022-12-31'],
    ['2022/12/31', '2022-12-31'],
    ['2022.12.31', '2022-12-31'],
    ['2022/6/5', '2022-06-05'],
    ['２０２２／１２／３１', '2022-12-31'],
    ['20221231', '2022-12-31'],
    ['2022年12月31日', '2022-12-31'],
    ['2021年12月31日', '2021-12-31'],
  ])('reads the full date %p', (text, iso) => {
    expect(parseDeadline(text, 2023)).toBe(iso);
  });

  it.each([
    ['12月31日', '2022-12-31'],
    ['6月30号', '2022-06-30'],
    ['12月底', '2022-12-31'],
    ['12月', '2022-12-31'],
    ['2月底', '2022-02-28'],
    ['9月末', '2022-09-30'],
    ['6月份', '2022-06-30'],
    ['十二月底', '2022-12-31'],
    ['3月中旬', '2022-03-20'],
  ])('reads %p in the plan year', (text, iso) => {
    expect(parseDeadline(text, 2022)).toBe(iso);
  });

  it('knows February of a leap year', () => {
    expect(parseDeadline('2月底', 2024)).toBe('2024-02-29');
  });

  it.each(['年内', '年底', '全年', '年度内', '2022年底', '2022年'])(
    'reads %p as the last day of the year',
    (text) => {
      expect(parseDeadline(text, 2022)).toBe('2022-12-31');
    },
  );

  it('reads half years and quarters as their last day', () => {
    expect(parseDeadline('上半年', 2022)).toBe('2022-06-30');
    expect(parseDeadline('下半年', 2022)).toBe('2022-12-31');
    expect(parseDeadline('一季度', 2022)).toBe('2022-03-31');
    expect(parseDeadline('第一季度', 2022)).toBe('2022-03-31');
    expect(parseDeadline('二季度', 2022)).toBe('2022-06-30');
    expect(parseDeadline('第三季度末', 2022)).toBe('2022-09-30');
    expect(parseDeadline('四季度', 2022)).toBe('2022-12-31');
    expect(parseDeadline('Q2', 2022)).toBe('2022-06-30');
  });

  it('ignores the "before" and "complete" wording around the date', () => {
    expect(parseDeadline('12月底前', 2022)).toBe('2022-12-31');
    expect(parseDeadline('6月30日前完成', 2022)).toBe('2022-06-30');
    expect(parseDeadline('年底前完成', 2022)).toBe('2022-12-31');
    expect(parseDeadline(' 截至2022年9月30日 ', 2022)).toBe('2022-09-30');
  });

  it('is null for dates that do not exist', () => {
    expect(parseDeadline('2022-02-30', 2022)).toBeNull();
    expect(parseDeadline('2022年13月1日', 2022)).toBeNull();
    expect(parseDeadline('13月底', 2022)).toBeNull();
    expect(parseDeadline('2023-02-29', 2023)).toBeNull();
  });

  it('is null for text that is not a deadline, and leaves Excel serials to fromExcelDate', () => {
    expect(parseDeadline('', 2022)).toBeNull();
    expect(parseDeadline('长期坚持', 2022)).toBeNull();
    expect(parseDeadline('44926', 2022)).toBeNull();
  });
});

describe('fromExcelDate', () => {
  it('reads a 1900-system serial', () => {
    expect(fromExcelDate(44926)).toBe('2022-12-31');
    expect(fromExcelDate(44562)).toBe('2022-01-01');
  });

  it('drops the time of day in a fractional serial', () => {
    expect(fromExcelDate(44926.75)).toBe('2022-12-31');
  });

  it('accounts for the fictitious 1900-02-29 on both sides of it', () => {
    expect(fromExcelDate(1)).toBe('1900-01-01');
    expect(fromExcelDate(59)).toBe('1900-02-28');
    expect(fromExcelDate(61)).toBe('1900-03-01');
    expect(fromExcelDate(60)).toBeNull();
  });

  it('reads an exceljs Date, which is UTC midnight of the day shown', () => {
    expect(fromExcelDate(new Date(Date.UTC(2022, 11, 31)))).toBe('2022-12-31');
  });

  it('rounds away the sub-second error exceljs may leave just before midnight', () => {
    expect(fromExcelDate(new Date(Date.UTC(2022, 11, 31) - 1))).toBe('2022-12-31');
  });

  it('is null for what is not a day', () => {
    expect(fromExcelDate(0)).toBeNull();
    expect(fromExcelDate(-5)).toBeNull();
    expect(fromExcelDate(Number.NaN)).toBeNull();
    expect(fromExcelDate(3_000_000)).toBeNull();
    expect(fromExcelDate(new Date('not a date'))).toBeNull();
  });
});

describe('isValidIsoDate', () => {
  it('accepts real days in YYYY-MM-DD only', () => {
    expect(isValidIsoDate('2022-12-31')).toBe(true);
    expect(isValidIsoDate('2024-02-29')).toBe(true);
  });

  it('rejects impossible days and other layouts', () => {
    expect(isValidIsoDate('2022-02-30')).toBe(false);
    expect(isValidIsoDate('2022-00-10')).toBe(false);
    expect(isValidIsoDate('2022-1-5')).toBe(false);
    expect(isValidIsoDate('2022/12/31')).toBe(false);
    expect(isValidIsoDate('2022-12-31T00:00:00Z')).toBe(false);
  });
});
