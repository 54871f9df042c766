import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WorkCalendar, loadCalendarYaml } from '../../../core/calendar/working-days';
import type { ItemFacts } from './assess';
import { assessItem } from './assess';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(__dirname, '../../../../seeds/data/calendar.yaml'), 'utf8')),
);

// 投诉量 from 1000 down to ≤ 800 by 10-31; 900 so far: half of the cut.
const complaints: ItemFacts = {
  status: 'in_progress',
  startDate: '2022-10-01',
  deadline: '2022-10-31',
  approvedPercent: 90,
  targets: [
    {
      target: {
        metric: '投诉量',
        comparator: '<=',
        value: 800,
        valueText: '800',
        unit: '件',
        baseline: 1000,
        direction: 'decrease',
      },
      actual: 900,
    },
  ],
  reports: [],
};

describe('assessItem', () => {
  it('combines completion, expected progress and light', () => {
    // Mon 10-24: 13 of October's 18 working days done (10-08, 10-09, two full weeks, 10-24) → 72.22 %;
    // 50 % done is 22.22 points behind, and 10-25..10-28 and 10-31 leave five working days.
    const a = assessItem(complaints, { today: '2022-10-24', calendar });
    expect(a.completion).toMatchObject({ percent: 50, source: 'targets' });
    expect(a.expected).toEqual({ percent: 72.22, basis: 'linear', milestone: null });
    expect(a.light).toBe('yellow');
    expect(a.reasons.map((r) => r.code)).toEqual(['behind_schedule', 'near_deadline']);
    expect(a.workdaysLeft).toBe(5);
    expect(a.counted).toBe(true);
  });

  it('reads the plan settings: completion basis and thresholds', () => {
    const a = assessItem(complaints, {
      today: '2022-10-24',
      calendar,
      settings: { completionBasis: 'percent', thresholds: { nearDeadlineWorkdays: 3 } },
    });
    expect(a.completion).toMatchObject({ percent: 90, source: 'percent' });
    expect(a.light).toBe('green');
  });

  it('marks cancelled and suspended items as not counted', () => {
    expect(
      assessItem({ ...complaints, status: 'suspended' }, { today: '2022-10-24', calendar }),
    ).toMatchObject({
      light: null,
      counted: false,
    });
  });

  it('refuses unusable settings with a Chinese message', () => {
    expect(() =>
      assessItem(complaints, { today: '2022-10-24', calendar, settings: { thresholds: { lagPoints: -1 } } }),
    ).toThrow('滞后黄灯阈值须为 0 至 100 之间的百分点数');
  });
});
