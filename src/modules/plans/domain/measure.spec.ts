import { convert, dimensionOf, normalizeUnit, sumInUnit, unitsOf } from './measure';

describe('normalizeUnit', () => {
  it.each([
    ['㎡', '平方米'],
    ['m²', '平方米'],
    [' 平米 ', '平方米'],
    ['万㎡', '万平方米'],
    ['万 平方米', '万平方米'],
    ['ｋｍ', '公里'],
    ['千米', '公里'],
    ['KM²', '平方公里'],
    ['公斤', '千克'],
    ['方', '立方米'],
    ['万方', '万立方米'],
    ['％', '%'],
  ])('spells %p as %p', (raw, canonical) => {
    expect(normalizeUnit(raw)).toBe(canonical);
  });

  it('keeps an unknown unit as written, only trimmed', () => {
    expect(normalizeUnit(' 车次 ')).toBe('车次');
    expect(normalizeUnit('PM2.5')).toBe('PM2.5');
  });

  it('does not mistake Object prototype names for units', () => {
    expect(normalizeUnit('constructor')).toBe('constructor');
    expect(dimensionOf('toString')).toBeNull();
    expect(convert(1, 'toString', 'toString')).toBeNull();
  });
});

describe('dimensionOf', () => {
  it.each([
    ['㎡', 'area'],
    ['亩', 'area'],
    ['km', 'length'],
    ['宗', 'count'],
    ['名', 'count'],
    ['万吨', 'weight'],
    ['亿元', 'money'],
    ['%', 'percent'],
    ['万立方米', 'volume'],
  ])('%p measures %p', (unit, dimension) => {
    expect(dimensionOf(unit)).toBe(dimension);
  });

  it('is null for a unit it does not know', () => {
    expect(dimensionOf('车次')).toBeNull();
    expect(dimensionOf('')).toBeNull();
  });
});

describe('convert', () => {
  it('turns 万平方米 into 平方米 and back', () => {
    expect(convert(1.5, '万平方米', '平方米')).toBe(15000);
    expect(convert(3200, '㎡', '万平方米')).toBe(0.32);
  });

  it('uses 1 亩 = 10000/15 平方米, and rounds the floating noise away', () => {
    expect(convert(15, '亩', '平方米')).toBe(10000);
    expect(convert(1, '亩', '平方米')).toBe(666.666667);
    expect(convert(1, '平方公里', '亩')).toBe(1500);
  });

  it('converts length, weight, money and volume within their own quantity', () => {
    expect(convert(2.5, '公里', 'm')).toBe(2500);
    expect(convert(1, '万米', '千米')).toBe(10);
    expect(convert(1200, '公斤', '吨')).toBe(1.2);
    expect(convert(0.3, '万吨', '吨')).toBe(3000);
    expect(convert(1.2, '亿元', '万元')).toBe(12000);
    expect(convert(5000, '方', '万立方米')).toBe(0.5);
  });

  it('sums 0.1 + 0.2 style decimals to a clean figure', () => {
    expect(convert(0.1 + 0.2, '万元', '万元')).toBe(0.3);
  });

  it('treats 个, 处 and 宗 as the same count', () => {
    expect(convert(3, '处', '个')).toBe(3);
    expect(convert(7, '宗', '件')).toBe(7);
  });

  it('refuses to convert across quantities', () => {
    expect(convert(1, '平方米', '米')).toBeNull();
    expect(convert(1, '个', '%')).toBeNull();
    expect(convert(1, '吨', '立方米')).toBeNull();
  });

  it('refuses unknown units, even when both sides are spelled the same', () => {
    expect(convert(3, '车次', '个')).toBeNull();
    expect(convert(3, '车次', '车次')).toBeNull();
  });

  it('refuses a value that is not a finite number', () => {
    expect(convert(Number.NaN, '个', '个')).toBeNull();
    expect(convert(Number.POSITIVE_INFINITY, '个', '个')).toBeNull();
  });
});

describe('sumInUnit', () => {
  it('sums mixed area reports against a 万平方米 target', () => {
    const result = sumInUnit(
      [
        { value: 3200, unit: '㎡' },
        { value: 0.5, unit: '万平方米' },
        { value: 15, unit: '亩' },
      ],
      '万平方米',
    );
    expect(result).toEqual({ total: 1.82, skipped: [] });
  });

  it('leaves out, and hands back, the figures it cannot convert', () => {
    const result = sumInUnit(
      [
        { value: 2, unit: '处' },
        { value: 1, unit: '宗' },
        { value: 500, unit: '平方米' },
        { value: 4, unit: '车次' },
      ],
      '个',
    );
    expect(result).toEqual({
      total: 3,
      skipped: [
        { value: 500, unit: '平方米' },
        { value: 4, unit: '车次' },
      ],
    });
  });

  it('is zero with nothing to sum', () => {
    expect(sumInUnit([], '个')).toEqual({ total: 0, skipped: [] });
  });
});

describe('unitsOf', () => {
  it('lists the units one quantity converts between, and only those', () => {
    expect(unitsOf('area')).toEqual(['平方米', '万平方米', '平方公里', '公顷', '亩', '万亩']);
    expect(unitsOf('count')).toContain('处');
    expect(unitsOf('count')).not.toContain('米');
    for (const u of unitsOf('weight')) expect(convert(1, u, '吨')).not.toBeNull();
  });
});
