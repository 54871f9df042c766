import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WorkCalendar, loadCalendarYaml } from '../../../core/calendar/working-days';
import type { ExpectedProgress } from './expected';
import type { LightInput } from './light';
import { isOverdue, itemLight, worseLight } from './light';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(__dirname, '../../../../seeds/data/calendar.yaml'), 'utf8')),
);

function linear(percent: number): ExpectedProgress {
  return { percent, basis: 'linear', milestone: null };
}

function light(partial: Partial<LightInput>) {
  return itemLight({
    status: 'in_progress',
    deadline: '2022-12-31',
    completion: 50,
    expected: linear(50),
    reports: [],
    today: '2022-06-15',
    calendar,
    ...partial,
  });
}

describe('itemLight: statuses', () => {
  it('gives cancelled and suspended items no light', () => {
    expect(light({ status: 'cancelled' })).toMatchObject({
      light: null,
      reasons: [{ code: 'cancelled', light: null }],
    });
    expect(light({ status: 'suspended', deadline: '2022-05-31' })).toMatchObject({
      light: null,
      reasons: [{ code: 'suspended', light: null }],
    });
  });

  it('keeps a closed item green even past its deadline with a missing report', () => {
    const l = light({
      status: 'closed',
      deadline: '2022-05-31',
      completion: 100,
      reports: [{ key: '2022-05', state: 'missing', due: '2022-05-26' }],
    });
    expect(l).toEqual({
      light: 'green',
      reasons: [{ code: 'closed', light: 'green', text: '事项已销号' }],
      overdueWorkdays: null,
      workdaysLeft: null,
    });
  });

  it('is green with an explanation when nothing is wrong', () => {
    expect(light({ completion: 45, expected: linear(50) })).toMatchObject({
      light: 'green',
      reasons: [{ code: 'on_track', text: '完成率 45%，序时进度 50%，进度正常' }],
    });
  });
});

describe('itemLight: red', () => {
  it('is red when overdue, counting the working days past the deadline', () => {
    // Deadline Thu 06-30; Fri 07-01 and Mon–Thu 07-04..07-07 are five working days.
    const l = light({ deadline: '2022-06-30', today: '2022-07-07', completion: 90, expected: linear(100) });
    expect(l.light).toBe('red');
    expect(l.overdueWorkdays).toBe(5);
    expect(l.reasons[0]).toEqual({
      code: 'overdue',
      light: 'red',
      text: '已超过完成时限（2022-06-30）5 个工作日',
    });
  });

  it('treats an awaiting-close-out item past its deadline as overdue too', () => {
    expect(light({ status: 'awaiting_closeout', deadline: '2022-06-14' }).light).toBe('red');
  });

  it('a deadline on a National Day holiday (2022-10-03): overdue from 10-04, working days from the 调休 Saturday', () => {
    const oct = (today: string) =>
      light({ deadline: '2022-10-03', today, completion: 90, expected: linear(100) });
    expect(oct('2022-10-03').light).not.toBe('red');
    expect(oct('2022-10-05')).toMatchObject({ light: 'red', overdueWorkdays: 0 });
    expect(oct('2022-10-05').reasons[0].text).toBe(
      '已超过完成时限（2022-10-03），其后均为休息日，逾期工作日数为 0',
    );
    expect(oct('2022-10-08').overdueWorkdays).toBe(1); // 调休 Saturday
    expect(oct('2022-10-09').overdueWorkdays).toBe(2); // 调休 Sunday
    expect(oct('2022-10-10').reasons[0].text).toBe('已超过完成时限（2022-10-03）3 个工作日');
  });

  it('is red for every missing report of a past period, each named', () => {
    const l = light({
      reports: [
        { key: '2022-04', state: 'on_time', due: '2022-04-25' },
        { key: '2022-05', state: 'missing', due: '2022-05-26' },
        { key: '2022-06', state: 'due', due: '2022-06-27' },
      ],
    });
    expect(l.light).toBe('red');
    expect(l.reasons).toEqual([
      { code: 'missing_report', light: 'red', text: '2022-05 进度未报（应于 2022-05-26 前报送）' },
    ]);
  });

  it('is not red for late, due or upcoming reports', () => {
    const l = light({
      reports: [
        { key: '2022-04', state: 'late', due: '2022-04-25' },
        { key: '2022-06', state: 'due', due: '2022-06-27' },
        { key: '2022-07', state: 'upcoming', due: '2022-07-26' },
      ],
    });
    expect(l.light).toBe('green');
  });

  it('lists every reason, red before yellow', () => {
    const l = light({
      deadline: '2022-06-30',
      today: '2022-07-07',
      completion: 30,
      expected: linear(100),
      reports: [{ key: '2022-06', state: 'missing', due: '2022-06-27' }],
    });
    expect(l.light).toBe('red');
    expect(l.reasons.map((r) => r.code)).toEqual(['overdue', 'missing_report', 'behind_schedule']);
  });
});

describe('itemLight: yellow', () => {
  it('is yellow when more than 20 points behind the expected progress, not at exactly 20', () => {
    const behind = light({ completion: 39, expected: linear(60) });
    expect(behind.light).toBe('yellow');
    expect(behind.reasons).toEqual([
      {
        code: 'behind_schedule',
        light: 'yellow',
        text: '完成率 39%，序时进度 60%，落后 21 个百分点（超过 20 个百分点即亮黄灯）',
      },
    ]);
    expect(light({ completion: 40, expected: linear(60) }).light).toBe('green');
  });

  it('names the milestone the expected progress comes from', () => {
    const l = light({
      completion: 10,
      expected: { percent: 50, basis: 'milestone', milestone: { month: '2022-05', percent: 50 } },
    });
    expect(l.reasons[0].text).toBe(
      '完成率 10%，序时进度 50%（按 2022-05 月度节点），落后 40 个百分点（超过 20 个百分点即亮黄灯）',
    );
  });

  it('uses the plan thresholds', () => {
    expect(light({ completion: 45, expected: linear(60), thresholds: { lagPoints: 10 } }).light).toBe(
      'yellow',
    );
    expect(light({ completion: 45, expected: linear(60), thresholds: { lagPoints: 15 } }).light).toBe(
      'green',
    );
  });

  it('near a deadline on a holiday: working days are counted up to the last one before it', () => {
    // Deadline 2022-10-03 (National Day). From Fri 09-16 the working days left are 09-19..09-23 and
    // 09-26..09-30: ten, so below 80 % it is yellow; from Thu 09-15 there are eleven.
    const near = (today: string, completion: number) =>
      light({ deadline: '2022-10-03', today, completion, expected: linear(completion) });
    expect(near('2022-09-16', 70)).toMatchObject({ light: 'yellow', workdaysLeft: 10 });
    expect(near('2022-09-16', 70).reasons[0]).toEqual({
      code: 'near_deadline',
      light: 'yellow',
      text: '距完成时限（2022-10-03）还剩 10 个工作日（不含今天），完成率 70%，低于 80%',
    });
    expect(near('2022-09-15', 70)).toMatchObject({ light: 'green', workdaysLeft: 11 });
    // The last working day before the holiday: none left after today.
    expect(near('2022-09-30', 70)).toMatchObject({ light: 'yellow', workdaysLeft: 0 });
  });

  it('near-deadline needs completion below 80 %, 80 itself is fine', () => {
    const at80 = light({ deadline: '2022-06-20', today: '2022-06-15', completion: 80, expected: linear(85) });
    expect(at80.light).toBe('green');
  });

  it('counts the 调休 Saturday 2022-10-08 as a working day left', () => {
    // From Fri 09-30 to a deadline on Sat 10-08, the holiday week leaves one working day: 10-08 itself.
    const l = light({ deadline: '2022-10-08', today: '2022-09-30', completion: 50, expected: linear(50) });
    expect(l).toMatchObject({ light: 'yellow', workdaysLeft: 1 });
  });

  it('uses the plan thresholds for near-deadline', () => {
    const l = (t: { nearDeadlineWorkdays?: number; nearDeadlineMinPercent?: number }) =>
      light({
        deadline: '2022-06-24',
        today: '2022-06-15',
        completion: 70,
        expected: linear(70),
        thresholds: t,
      }).light;
    // 06-16..06-24 holds seven working days (06-03 端午 is long past).
    expect(l({})).toBe('yellow');
    expect(l({ nearDeadlineWorkdays: 5 })).toBe('green');
    expect(l({ nearDeadlineMinPercent: 60 })).toBe('green');
  });
});

describe('isOverdue and worseLight', () => {
  it('isOverdue compares calendar days and ignores closed, cancelled and suspended items', () => {
    expect(isOverdue('in_progress', '2022-10-03', '2022-10-04')).toBe(true);
    expect(isOverdue('in_progress', '2022-10-03', '2022-10-03')).toBe(false);
    expect(isOverdue('closed', '2022-10-03', '2022-10-10')).toBe(false);
    expect(isOverdue('suspended', '2022-10-03', '2022-10-10')).toBe(false);
    expect(isOverdue('cancelled', '2022-10-03', '2022-10-10')).toBe(false);
  });

  it('worseLight picks red over yellow over green, and ignores null', () => {
    expect(worseLight('green', 'yellow')).toBe('yellow');
    expect(worseLight('red', 'yellow')).toBe('red');
    expect(worseLight(null, 'green')).toBe('green');
    expect(worseLight(null, null)).toBeNull();
  });
});
