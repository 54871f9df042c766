import { addYears, shanghaiDate } from './shanghai';

describe('shanghaiDate', () => {
  it('an instant late on a UTC evening is already the next day in Shanghai', () => {
    expect(shanghaiDate(new Date('2022-09-30T16:30:00Z'))).toBe('2022-10-01');
    expect(shanghaiDate(new Date('2022-09-30T15:59:59Z'))).toBe('2022-09-30');
  });
});

describe('addYears', () => {
  it('moves a date by whole years and clamps 29 February', () => {
    expect(addYears('2022-12-31', 1)).toBe('2023-12-31');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2023-02-28', 1)).toBe('2024-02-28');
  });
});
