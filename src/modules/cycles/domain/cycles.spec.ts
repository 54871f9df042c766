import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WorkCalendar, loadCalendarYaml } from '../../../core/calendar/working-days';
import { cyclesForYear } from './cycles';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(__dirname, '../../../../seeds/data/calendar.yaml'), 'utf8')),
);

describe('cyclesForYear', () => {
  const cycles = cyclesForYear(calendar, 2022, { reportDueWorkdays: 3, meetingWorkday: 2 });

  it('gives twelve monthly cycles covering the year', () => {
    expect(cycles.map((c) => c.period)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2022-${String(i + 1).padStart(2, '0')}`),
    );
    expect(cycles[1]).toMatchObject({ startDate: '2022-02-01', endDate: '2022-02-28' });
  });

  it('September: reports due three working days before its last working day; the meeting skips the National Day week', () => {
    // Last working day of September 2022 is Friday 09-30; three working days before is Tuesday 09-27.
    // October's 1st working day is the 调休 Saturday 10-08, the 2nd is Sunday 10-09.
    expect(cycles[8]).toMatchObject({ reportDue: '2022-09-27', meetingDate: '2022-10-09' });
  });

  it('January: the Spring Festival make-up weekend counts; the meeting falls after the holiday', () => {
    // January 2022 ends with the make-up workdays 01-29 (Sat) and 01-30 (Sun): the last working day is
    // 01-30, and three working days before it (01-29, 01-28, 01-27) is Thursday 01-27.
    expect(cycles[0].reportDue).toBe('2022-01-27');
    // February 2022: 02-01..02-06 are holidays; first working days are 02-07 and 02-08.
    expect(cycles[0].meetingDate).toBe('2022-02-08');
  });
});
