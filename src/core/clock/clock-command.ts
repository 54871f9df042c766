/**
 * The `clock` CLI's arguments and the instants they lead to, as pure functions (no database, no Nest):
 * what `clock advance 3wd` or `clock advance-to 2022-06-20` means is decided here and unit-tested.
 * All wall times are Asia/Shanghai, which has had no daylight saving since 1991: a day is 24 h.
 */
import { isValidDate } from '../calendar/dates';
import { shanghaiDate } from '../calendar/shanghai';
import type { WorkCalendar } from '../calendar/working-days';

export type AdvanceUnit = 'm' | 'h' | 'd' | 'wd';

export type ClockCommand =
  | { kind: 'show' }
  | { kind: 'advance'; amount: number; unit: AdvanceUnit }
  | { kind: 'advance-to'; date: string; time: string | null }
  | { kind: 'run' }
  | { kind: 'freeze' }
  | { kind: 'real' };

export const CLOCK_USAGE = [
  '用法：clock                              查看业务时钟（固定 / 实时，北京时间，走动 / 静止）',
  '      clock advance <N>(m|h|d|wd)        向前拨 N 分钟 / 小时 / 天 / 工作日（如 advance 1d、advance 3wd）',
  '      clock advance-to <YYYY-MM-DD[THH:mm]>  拨到某日（只给日期时保留当前的时刻）或某日某时（北京时间）',
  '      clock run                          让固定的时钟从当前时刻起按真实时间走动',
  '      clock freeze                       让时钟停在当前时刻',
  '      clock real                         取消固定，回到真实时间',
].join('\n');

/** Upper bounds keep a typo (advance 20220620d) from throwing the demo centuries ahead. */
const MAX: Record<AdvanceUnit, number> = { m: 60 * 24 * 366, h: 24 * 366, d: 366, wd: 250 };
const UNIT_ZH: Record<AdvanceUnit, string> = { m: '分钟', h: '小时', d: '天', wd: '个工作日' };
const MINUTE = 60_000;
const SHANGHAI_OFFSET = 8 * 60 * MINUTE;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `clock …` arguments (after the word `clock`) → a command, or the problem in Chinese. */
export function parseClockArgs(args: readonly string[]): Parsed<ClockCommand> {
  const [verb, ...rest] = args;
  const none = (command: ClockCommand): Parsed<ClockCommand> =>
    rest.length ? bad(`“clock ${verb}”不带参数`) : { ok: true, value: command };
  switch (verb) {
    case undefined:
    case 'show':
      return none({ kind: 'show' });
    case 'run':
      return none({ kind: 'run' });
    case 'freeze':
      return none({ kind: 'freeze' });
    case 'real':
      return none({ kind: 'real' });
    case 'advance': {
      if (rest.length !== 1) return bad('请给出拨动的时长，如 clock advance 1d');
      const m = /^(\d{1,7})(m|h|d|wd)$/.exec(rest[0]);
      if (!m)
        return bad(`时长“${rest[0]}”不正确：须为正整数加单位 m（分钟）、h（小时）、d（天）或 wd（工作日）`);
      const amount = Number(m[1]);
      const unit = m[2] as AdvanceUnit;
      if (amount < 1 || amount > MAX[unit])
        return bad(`时长须为 1～${MAX[unit]} ${UNIT_ZH[unit]}（业务时钟只能向前拨）`);
      return { ok: true, value: { kind: 'advance', amount, unit } };
    }
    case 'advance-to': {
      // "2022-06-20T14:30" or, as typed naturally, "2022-06-20 14:30".
      const text = rest.join('T');
      const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/.exec(text);
      if (!rest.length || rest.length > 2 || !m)
        return bad(`时刻“${rest.join(' ')}”不正确：须为 YYYY-MM-DD 或 YYYY-MM-DDTHH:mm（北京时间）`);
      if (!isValidDate(m[1])) return bad(`日期“${m[1]}”不存在`);
      if (m[2] && !/^([01]\d|2[0-3]):[0-5]\d$/.test(m[2])) return bad(`时刻“${m[2]}”不存在`);
      return { ok: true, value: { kind: 'advance-to', date: m[1], time: m[2] ?? null } };
    }
    default:
      return bad(`未知的 clock 子命令“${verb}”`);
  }
}

/** Asia/Shanghai wall time of an instant, 'HH:mm:ss.SSS'. */
export function shanghaiWallTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET).toISOString().slice(11, 23);
}

/** The instant of a Shanghai date and wall time ('HH:mm' or 'HH:mm:ss.SSS'). */
export function shanghaiInstant(date: string, time: string): Date {
  return new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`);
}

/**
 * Where a move takes the clock from `current`. A date without a time keeps the current time of day
 * (as `advance 1d` does), so a demo pinned at 10:00 stays in working hours. `wd` lands on the N-th
 * working day after today's date, on the (national) calendar given; it must know that year's holidays.
 */
export function clockTarget(
  current: Date,
  command: Extract<ClockCommand, { kind: 'advance' | 'advance-to' }>,
  calendar: WorkCalendar,
): Parsed<Date> {
  if (command.kind === 'advance-to') {
    return { ok: true, value: shanghaiInstant(command.date, command.time ?? shanghaiWallTime(current)) };
  }
  const { amount, unit } = command;
  if (unit !== 'wd') {
    const minutes = unit === 'm' ? amount : unit === 'h' ? amount * 60 : amount * 24 * 60;
    return { ok: true, value: new Date(current.getTime() + minutes * MINUTE) };
  }
  const today = shanghaiDate(current);
  const date = calendar.addWorkingDays(today, amount);
  for (const year of new Set([Number(today.slice(0, 4)), Number(date.slice(0, 4))])) {
    if (!calendar.hasYear(year)) return bad(`工作日历中没有 ${year} 年的节假日安排，不能按工作日拨动`);
  }
  return { ok: true, value: shanghaiInstant(date, shanghaiWallTime(current)) };
}

/** Only forward: reminders, first submissions and cut-offs already recorded would otherwise lie in the future. */
export function refuseBackwards(current: Date, target: Date): string | null {
  if (target.getTime() > current.getTime()) return null;
  return target.getTime() === current.getTime()
    ? `业务时钟已经是 ${formatShanghai(current)}，未作改动`
    : `业务时钟不能倒拨（当前 ${formatShanghai(current)}，目标 ${formatShanghai(target)}）：已记下的提醒、填报和周期截止都会落在“未来”。要从头演示，请重建演示数据库`;
}

const WEEKDAY_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** '2022-06-15 星期三 10:00' in Asia/Shanghai. */
export function formatShanghai(at: Date): string {
  const date = shanghaiDate(at);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return `${date} ${WEEKDAY_ZH[weekday]} ${shanghaiWallTime(at).slice(0, 5)}`;
}

function bad<T>(message: string): Parsed<T> {
  return { ok: false, message };
}
