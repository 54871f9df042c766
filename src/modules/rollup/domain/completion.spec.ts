import type { TargetSpec } from '../../plans/domain/types';
import type { TargetActual } from './completion';
import { itemCompletion } from './completion';

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

const redacted = target({ metric: '新增停车泊位', value: null, valueText: 'x.x', unit: '个' });

function open(targets: TargetActual[], approvedPercent: number | null = null) {
  return { status: 'in_progress' as const, approvedPercent, targets };
}

describe('itemCompletion', () => {
  it('is 100 for a closed item, whatever its targets or reports say', () => {
    const c = itemCompletion({
      status: 'closed',
      approvedPercent: 70,
      targets: [{ target: target({}), actual: 0 }],
    });
    expect(c).toEqual({ percent: 100, source: 'closed', measuredTargets: 0, unmeasurableTargets: 0 });
  });

  it('is the mean of target progress when the item has targets', () => {
    // 0.6 of 1.5 万㎡ = 40 %; 6 of 10 处 = 60 %.
    const c = itemCompletion(
      open(
        [
          { target: target({}), actual: 0.6 },
          { target: target({ metric: '整治点位', value: 10, unit: '处' }), actual: 6 },
        ],
        90,
      ),
    );
    expect(c).toEqual({ percent: 50, source: 'targets', measuredTargets: 2, unmeasurableTargets: 0 });
  });

  it('measures decreasing targets: baseline, "≤" cap and "下降 ≥" amounts', () => {
    // 投诉量 1000 → ≤ 800, now 900: half the cut; 积压案件 ≤ 10, now 20: 10/20; 下降 ≥ 10 %, cut 5 %: half.
    const complaints = target({
      metric: '投诉量',
      comparator: '<=',
      value: 800,
      baseline: 1000,
      unit: '件',
      direction: 'decrease',
    });
    const backlog = target({
      metric: '积压案件',
      comparator: '<=',
      value: 10,
      unit: '件',
      direction: 'decrease',
    });
    const cut = target({
      metric: '发案率下降',
      comparator: '>=',
      value: 10,
      unit: '%',
      direction: 'decrease',
    });
    for (const [t, actual] of [
      [complaints, 900],
      [backlog, 20],
      [cut, 5],
    ] as const) {
      expect(itemCompletion(open([{ target: t, actual }])).percent).toBe(50);
    }
    // Met once the figure is at or below the target.
    expect(itemCompletion(open([{ target: complaints, actual: 780 }])).percent).toBe(100);
  });

  it('counts a target with nothing reported as 0, not as unmeasurable', () => {
    const c = itemCompletion(
      open([
        { target: target({}), actual: null },
        { target: target({ value: 10, unit: '处' }), actual: 8 },
      ]),
    );
    expect(c).toMatchObject({ percent: 40, measuredTargets: 2 });
  });

  it('ignores redacted targets in the mean', () => {
    const c = itemCompletion(
      open(
        [
          { target: redacted, actual: 50 },
          { target: target({}), actual: 0.6 },
        ],
        90,
      ),
    );
    expect(c).toEqual({ percent: 40, source: 'targets', measuredTargets: 1, unmeasurableTargets: 1 });
  });

  it('ignores a non-finite actual like a redacted target', () => {
    const c = itemCompletion(
      open([
        { target: target({}), actual: Number.NaN },
        { target: target({}), actual: 0.3 },
      ]),
    );
    expect(c).toMatchObject({ percent: 20, measuredTargets: 1, unmeasurableTargets: 1 });
  });

  it('falls back to the approved percent when no target can be measured', () => {
    expect(itemCompletion(open([{ target: redacted, actual: 3 }], 65))).toEqual({
      percent: 65,
      source: 'percent',
      measuredTargets: 0,
      unmeasurableTargets: 1,
    });
  });

  it('is the approved percent for an item without targets, clamped to 0..100', () => {
    expect(itemCompletion(open([], 37.5))).toMatchObject({ percent: 37.5, source: 'percent' });
    expect(itemCompletion(open([], 120)).percent).toBe(100);
    expect(itemCompletion(open([], -5)).percent).toBe(0);
  });

  it('is 0 when nothing has been approved or measured yet', () => {
    expect(itemCompletion(open([], null))).toEqual({
      percent: 0,
      source: 'none',
      measuredTargets: 0,
      unmeasurableTargets: 0,
    });
    expect(itemCompletion(open([{ target: redacted, actual: null }], null))).toMatchObject({
      percent: 0,
      source: 'none',
    });
  });

  it("uses the approved percent only when the plan's completion basis is 'percent'", () => {
    const c = itemCompletion(open([{ target: target({}), actual: 1.5 }], 30), 'percent');
    expect(c).toEqual({ percent: 30, source: 'percent', measuredTargets: 0, unmeasurableTargets: 0 });
  });

  it('rounds the mean to two decimals', () => {
    // 1/3 of three equal targets: 33.33.
    const c = itemCompletion(
      open([
        { target: target({ value: 3 }), actual: 1 },
        { target: target({ value: 3 }), actual: 0 },
        { target: target({ value: 3 }), actual: 2 },
      ]),
    );
    expect(c.percent).toBe(33.33);
  });
});
