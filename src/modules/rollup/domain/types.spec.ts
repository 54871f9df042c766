import { DEFAULT_ROLLUP_SETTINGS, checkRollupSettings, formatNumber, resolveRollupSettings } from './types';

describe('roll-up settings', () => {
  it('defaults: targets basis, original deadline, 20 points, 10 working days, 80 %', () => {
    expect(resolveRollupSettings()).toEqual({
      completionBasis: 'targets',
      onTimeBasis: 'original',
      thresholds: { lagPoints: 20, nearDeadlineWorkdays: 10, nearDeadlineMinPercent: 80 },
      scoreWeights: { completion: 0.5, onTimeClose: 0.2, reportOnTime: 0.3, redPenalty: 0.2 },
    });
    expect(resolveRollupSettings()).toEqual(DEFAULT_ROLLUP_SETTINGS);
  });

  it('fills in what a plan leaves out, an explicit undefined included', () => {
    const s = resolveRollupSettings({
      onTimeBasis: 'extended',
      thresholds: { lagPoints: 15, nearDeadlineWorkdays: undefined },
      scoreWeights: { redPenalty: 0 },
    });
    expect(s.onTimeBasis).toBe('extended');
    expect(s.thresholds).toEqual({ lagPoints: 15, nearDeadlineWorkdays: 10, nearDeadlineMinPercent: 80 });
    expect(s.scoreWeights.redPenalty).toBe(0);
    expect(s.scoreWeights.completion).toBe(0.5);
  });

  it('explains unusable settings in Chinese', () => {
    expect(checkRollupSettings({ thresholds: { nearDeadlineWorkdays: 2.5 } })).toBe(
      '临近完成时限的工作日数须为非负整数',
    );
    expect(checkRollupSettings({ thresholds: { nearDeadlineMinPercent: 101 } })).toBe(
      '临近完成时限的最低完成率须为 0 至 100 之间的数',
    );
    expect(checkRollupSettings({ scoreWeights: { completion: -0.1 } })).toBe('考核得分权重须为非负数');
    expect(checkRollupSettings({ scoreWeights: { completion: 0, onTimeClose: 0, reportOnTime: 0 } })).toBe(
      '完成率、按期销号率、按时报送率的权重不能全为 0',
    );
    expect(checkRollupSettings({ thresholds: { lagPoints: 0 } })).toBeNull();
  });

  it('formats figures without trailing zeros', () => {
    expect(formatNumber(60)).toBe('60');
    expect(formatNumber(62.5)).toBe('62.5');
    expect(formatNumber(1 / 3)).toBe('0.33');
  });
});
