import { zhToNumber } from './zh-numbers';

describe('zhToNumber', () => {
  it.each([
    ['零', 0],
    ['一', 1],
    ['两', 2],
    ['二', 2],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十三', 23],
    ['一百', 100],
    ['一百二十', 120],
    ['一百零五', 105],
    ['两百', 200],
    ['三千五百', 3500],
    ['一万', 10000],
    ['一万二千', 12000],
    ['十万', 100000],
    ['一百二十万', 1200000],
    ['一亿二千万', 120000000],
  ])('%s → %d', (text, value) => {
    expect(zhToNumber(text)).toBe(value);
  });

  it.each(['', '三四', '十十', '百十百', '万万', '十五x', 'abc'])('%s is not a number', (text) => {
    expect(zhToNumber(text)).toBeNull();
  });
});
