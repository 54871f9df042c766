import { WorkCalendar } from '../../../core/calendar/working-days';
import {
  currentCycle,
  dueSoonUntil,
  isDueSoon,
  isOverdue,
  oneLine,
  periodName,
  reviewSummary,
} from './workbench';

// June 2022: the Dragon Boat Festival holiday is 06-03 (Friday) to 06-05.
const cal = new WorkCalendar({ years: [2022, 2022], holidays: ['2022-06-03'], makeUpWorkdays: [] });

describe('即将到期: deadline from today to the 10th working day after it', () => {
  it('counts working days, skipping weekends and holidays', () => {
    // Wed 06-01 + 10 working days: 06-02, (06-03 holiday), 06-06..10, 06-13..16 → 06-16.
    expect(dueSoonUntil('2022-06-01', cal)).toBe('2022-06-16');
    // Wed 06-15 + 10: 06-16, 17, 20..24, 27, 28, 29 → 06-29.
    expect(dueSoonUntil('2022-06-15', cal)).toBe('2022-06-29');
  });

  it('includes today and the last day of the window, not yesterday nor the day after the window', () => {
    expect(isDueSoon('2022-06-15', '2022-06-15', cal)).toBe(true);
    expect(isDueSoon('2022-06-29', '2022-06-15', cal)).toBe(true);
    expect(isDueSoon('2022-06-30', '2022-06-15', cal)).toBe(false);
    expect(isDueSoon('2022-06-14', '2022-06-15', cal)).toBe(false);
  });

  it('from a weekend day the window still spans ten working days', () => {
    // Sun 06-12 + 10: 06-13..17, 20..24 → 06-24.
    expect(dueSoonUntil('2022-06-12', cal)).toBe('2022-06-24');
  });

  it('已逾期 starts the day after the deadline', () => {
    expect(isOverdue('2022-06-14', '2022-06-15')).toBe(true);
    expect(isOverdue('2022-06-15', '2022-06-15')).toBe(false);
  });
});

describe('the current cycle', () => {
  const cycles = [
    { id: 'may', period: '2022-05', reportDue: '2022-05-25', status: 'closed' as const },
    { id: 'jun', period: '2022-06', reportDue: '2022-06-24', status: 'open' as const },
    { id: 'jul', period: '2022-07', reportDue: '2022-07-25', status: 'open' as const },
  ];
  it('is the earliest cycle not closed', () => {
    expect(currentCycle(cycles, '2022-06-15')?.id).toBe('jun');
  });
  it('stays current on its report due day and moves on the day after, closed or not by the worker', () => {
    expect(currentCycle(cycles, '2022-06-24')?.id).toBe('jun');
    expect(currentCycle(cycles, '2022-06-25')?.id).toBe('jul');
  });
  it('is none when every cycle is over', () => {
    expect(currentCycle(cycles, '2022-08-01')).toBeNull();
  });
});

describe('texts', () => {
  it('names periods in Chinese', () => {
    expect(periodName('2022-06')).toBe('2022年6月');
    expect(periodName('2022-W24')).toBe('2022年第24周');
    expect(periodName('2022-Q2')).toBe('2022年第二季度');
    expect(periodName('2022')).toBe('2022年度');
  });

  it('summarises each kind of review in one line', () => {
    expect(
      reviewSummary({ kind: 'report', period: '2022-06', percent: 60, progress: '完成示范路段\n改造' }),
    ).toBe('2022年6月 进度 60%：完成示范路段 改造');
    expect(reviewSummary({ kind: 'extension', newDeadline: '2022-09-30', reason: '汛期施工受阻' })).toBe(
      '申请延期至 2022-09-30：汛期施工受阻',
    );
    expect(reviewSummary({ kind: 'closeout', note: '已全部完成' })).toBe('申请销号：已全部完成');
    expect(oneLine('字'.repeat(100)).length).toBe(60);
  });
});
