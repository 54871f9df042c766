import { toTargetSpec } from './to-target';

describe('toTargetSpec (draft target → plan target)', () => {
  it('keeps a numeric ≥ target with its unit', () => {
    expect(
      toTargetSpec({ metric: '新开工生活垃圾焚烧发电项目', comparator: '>=', value: 2, unit: '个' }),
    ).toEqual({
      metric: '新开工生活垃圾焚烧发电项目',
      comparator: '>=',
      value: 2,
      valueText: '2',
      unit: '个',
      baseline: null,
      direction: 'increase',
    });
  });

  it('keeps a redaction as text with a null value', () => {
    expect(
      toTargetSpec({ metric: '拆除违法建设', comparator: '>=', value: 'x.x', unit: '万平方米' }),
    ).toMatchObject({
      value: null,
      valueText: 'x.x',
      unit: '万平方米',
    });
  });

  it('reads a numeric string as a number and a missing unit as empty', () => {
    expect(toTargetSpec({ metric: '积压案件', comparator: '<=', value: '10', unit: null })).toMatchObject({
      comparator: '<=',
      value: 10,
      valueText: '10',
      unit: '',
      direction: 'decrease',
    });
  });

  it('= 0 stays an equality', () => {
    expect(toTargetSpec({ metric: '安全事故', comparator: '=', value: 0, unit: '起' })).toMatchObject({
      comparator: '=',
      value: 0,
    });
  });

  it('a range maps to its lower bound as ≥ for now (redacted bounds stay text)', () => {
    expect(toTargetSpec({ metric: '示范街道', comparator: 'range', value: '1-2', unit: '个' })).toMatchObject(
      {
        comparator: '>=',
        value: 1,
        valueText: '1',
      },
    );
    expect(toTargetSpec({ metric: '新增公厕', comparator: 'range', value: 'x-x', unit: '座' })).toMatchObject(
      {
        comparator: '>=',
        value: null,
        valueText: 'x',
      },
    );
  });
});
