import type { WorkCalendar } from '../../../core/calendar/working-days';
import { isValidIsoDate } from '../../plans/domain/dates';

export interface LocalDay {
  date: string;
  name: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An organization's own exceptions to the national calendar for one year (e.g. a local festival off,
 * or a Saturday worked for a city-wide campaign). Each must change something: a local holiday falls
 * on a national working day, a local workday on a national day off. Dates belong to `year` and
 * appear once. Returns every problem, named by field (`holidays.0.date`), in Chinese.
 */
export function localDayErrors(
  year: number,
  days: { holidays: readonly LocalDay[]; workdays: readonly LocalDay[] },
  national: WorkCalendar,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const check = (list: readonly LocalDay[], field: 'holidays' | 'workdays') =>
    list.forEach((d, n) => {
      const at = `${field}.${n}.date`;
      if (!isValidIsoDate(d.date)) return errors.push({ field: at, message: `“${d.date}”不是有效日期` });
      if (Number(d.date.slice(0, 4)) !== year)
        return errors.push({ field: at, message: `${d.date} 不在 ${year} 年` });
      if (seen.has(d.date)) return errors.push({ field: at, message: `${d.date} 重复出现` });
      seen.add(d.date);
      const working = national.isWorkingDay(d.date);
      if (field === 'holidays' && !working)
        errors.push({ field: at, message: `${d.date} 按国家日历已是休息日，无需设为本地休息日` });
      if (field === 'workdays' && working)
        errors.push({ field: at, message: `${d.date} 按国家日历已是工作日，无需设为本地上班日` });
    });
  check(days.holidays, 'holidays');
  check(days.workdays, 'workdays');
  return errors;
}
