import { targetProgress } from './progress';
import type { TargetSpec } from './types';

function target(partial: Partial<TargetSpec>): TargetSpec {
  return {
    metric: '拆除违法建设',
    comparator: '>=',
    value: 1.5,
    valueText: '1.5',
    unit: '万平方米',
    direction: 'increase',
    ...partial,
  };
}

describe('targetProgress for an increasing target', () => {
  it('is the share of the target reached', () => {
    expect(targetProgress(target({}), 0.6)).toBe(40);
  });

  it('is capped at 100 when the target is exceeded', () => {
    expect(targetProgress(target({}), 2.1)).toBe(100);
  });

  it('counts only the growth beyond the baseline', () => {
    // 生活垃圾回收利用率 from 35 % to ≥ 40 %, now 38 %: 3 of the 5 points.
    expect(targetProgress(target({ value: 40, unit: '%', baseline: 35 }), 38)).toBe(60);
  });

  it('is 0, not negative, when the figure fell below the baseline', () => {
    expect(targetProgress(target({ value: 40, unit: '%', baseline: 35 }), 33)).toBe(0);
  });

  it('reads an "=" target like "≥", capped at 100', () => {
    const exact = target({ metric: '新开工项目', comparator: '=', value: 2, unit: '个' });
    expect(targetProgress(exact, 1)).toBe(50);
    expect(targetProgress(exact, 3)).toBe(100);
  });

  it('is met or not when the target does not exceed the baseline', () => {
    const hold = target({ value: 90, unit: '%', baseline: 92 });
    expect(targetProgress(hold, 91)).toBe(100);
    expect(targetProgress(hold, 89)).toBe(0);
  });

  it('is 100 for a zero target', () => {
    expect(targetProgress(target({ value: 0 }), 0)).toBe(100);
  });
});

describe('targetProgress for a range target (1～2 个)', () => {
  const streets = target({
    metric: '新增实施垃圾分类街道',
    comparator: 'range',
    value: 2,
    valueText: '2',
    upper: 4,
    upperText: '4',
    unit: '个',
  });

  it('is the share of the lower bound reached below the range', () => {
    expect(targetProgress(streets, 1)).toBe(50);
    expect(targetProgress(streets, 0)).toBe(0);
  });

  it('is done (100) anywhere inside the range, bounds included', () => {
    expect(targetProgress(streets, 2)).toBe(100);
    expect(targetProgress(streets, 3)).toBe(100);
    expect(targetProgress(streets, 4)).toBe(100);
  });

  it('stays 100 above the upper bound: the duty was met', () => {
    expect(targetProgress(streets, 6)).toBe(100);
  });

  it('is measured against the lower bound even if stored with a decrease direction', () => {
    // From a baseline of 1 towards 3～4, now 2: half-way, not "at or under 3, so done" as a decrease reads it.
    const fromOne = { ...streets, value: 3, valueText: '3', baseline: 1 };
    expect(targetProgress(fromOne, 2)).toBe(50);
    expect(targetProgress({ ...fromOne, direction: 'decrease' }, 2)).toBe(50);
  });

  it('is null when the lower bound is redacted (x～x), and measurable when only the upper one is', () => {
    expect(
      targetProgress({ ...streets, value: null, valueText: 'x', upper: null, upperText: 'x' }, 1),
    ).toBeNull();
    expect(targetProgress({ ...streets, upper: null, upperText: 'x' }, 1)).toBe(50);
  });
});

describe('targetProgress for a decreasing target', () => {
  const backlog = target({
    metric: '案件积压',
    comparator: '<=',
    value: 60,
    valueText: '60',
    unit: '件',
    baseline: 120,
    direction: 'decrease',
  });

  it('with a baseline, is the share of the cut achieved (120 → ≤ 60, now 90: 50 %)', () => {
    expect(targetProgress(backlog, 90)).toBe(50);
  });

  it('with a baseline, is 100 once at or under the target and 0 when worse than the baseline', () => {
    expect(targetProgress(backlog, 55)).toBe(100);
    expect(targetProgress(backlog, 130)).toBe(0);
  });

  it('with a baseline, hides floating noise', () => {
    expect(targetProgress({ ...backlog, value: 1, baseline: 1.5, unit: '万吨', comparator: '<=' }, 1.2)).toBe(
      60,
    );
  });

  it('without a baseline under "≤", is 100 once within the cap and value/actual above it', () => {
    const cap = { ...backlog, baseline: undefined };
    expect(targetProgress(cap, 60)).toBe(100);
    expect(targetProgress(cap, 0)).toBe(100);
    expect(targetProgress(cap, 80)).toBe(75);
  });

  it('without a baseline under "≥", reads the actual as the amount cut', () => {
    const cut = target({ metric: '道路扬尘投诉下降', value: 10, unit: '%', direction: 'decrease' });
    expect(targetProgress(cut, 4)).toBe(40);
    expect(targetProgress(cut, 12)).toBe(100);
  });

  it('without a baseline, a zero cap that is exceeded is 0', () => {
    const none = target({
      metric: '新增违建',
      comparator: '<=',
      value: 0,
      unit: '宗',
      direction: 'decrease',
    });
    expect(targetProgress(none, 0)).toBe(100);
    expect(targetProgress(none, 2)).toBe(0);
  });
});

describe('targetProgress without a figure', () => {
  it('is null for a redacted target', () => {
    expect(targetProgress(target({ value: null, valueText: 'x.x' }), 1)).toBeNull();
  });

  it('is 0 when nothing has been reported, for either direction', () => {
    expect(targetProgress(target({}), null)).toBe(0);
    expect(
      targetProgress(target({ comparator: '<=', value: 60, baseline: 120, direction: 'decrease' }), null),
    ).toBe(0);
  });

  it('is null for an actual that is not a finite number', () => {
    expect(targetProgress(target({}), Number.NaN)).toBeNull();
  });
});
