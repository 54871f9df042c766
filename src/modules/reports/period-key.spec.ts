import { checkPeriodKey, periodRange } from './period-key';

describe('period keys', () => {
  it('maps each kind of key to its days', () => {
    expect(periodRange('2022-02')).toEqual({ start: '2022-02-01', end: '2022-02-28' });
    expect(periodRange('2022-Q4')).toEqual({ start: '2022-10-01', end: '2022-12-31' });
    expect(periodRange('2022-W40')).toEqual({ start: '2022-10-03', end: '2022-10-09' });
    expect(periodRange('2022')).toEqual({ start: '2022-01-01', end: '2022-12-31' });
  });

  it('a weekly item reports by week, a monthly item by month', () => {
    const span = { start: '2022-01-01', end: '2022-12-31' };
    expect(checkPeriodKey('2022-W23', 'weekly', span)).toBeNull();
    expect(checkPeriodKey('2022-06', 'weekly', span)).toContain('2022-W23');
    expect(checkPeriodKey('2022-06', 'monthly', span)).toBeNull();
    expect(checkPeriodKey('2022-Q2', 'quarterly', span)).toBeNull();
  });

  it('refuses a period outside the item’s span', () => {
    expect(checkPeriodKey('2023-01', 'monthly', { start: '2022-01-01', end: '2022-12-31' })).toContain(
      '不在',
    );
    expect(checkPeriodKey('2022-05', 'monthly', { start: '2022-06-10', end: '2022-12-31' })).toContain(
      '不在',
    );
  });
});
