import { join } from 'node:path';

import { loadCalendarFile } from '../calendar/working-days';
import { ClockCommand, clockTarget, formatShanghai, parseClockArgs, refuseBackwards } from './clock-command';

const calendar = loadCalendarFile(join(__dirname, '../../../seeds/data/calendar.yaml'));
const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();

const parse = (line: string) => parseClockArgs(line ? line.split(' ') : []);
const command = (line: string) => {
  const p = parse(line);
  if (!p.ok) throw new Error(p.message);
  return p.value as Extract<ClockCommand, { kind: 'advance' | 'advance-to' }>;
};
const target = (from: string, line: string) => {
  const r = clockTarget(at(from), command(line), calendar);
  if (!r.ok) throw new Error(r.message);
  return iso(r.value);
};

describe('clock arguments', () => {
  it('reads each subcommand; no argument shows the clock', () => {
    expect(parse('')).toEqual({ ok: true, value: { kind: 'show' } });
    expect(parse('run')).toEqual({ ok: true, value: { kind: 'run' } });
    expect(parse('freeze')).toEqual({ ok: true, value: { kind: 'freeze' } });
    expect(parse('real')).toEqual({ ok: true, value: { kind: 'real' } });
    expect(parse('advance 90m')).toEqual({ ok: true, value: { kind: 'advance', amount: 90, unit: 'm' } });
    expect(parse('advance 3wd')).toEqual({ ok: true, value: { kind: 'advance', amount: 3, unit: 'wd' } });
    expect(parse('advance-to 2022-06-20')).toEqual({
      ok: true,
      value: { kind: 'advance-to', date: '2022-06-20', time: null },
    });
    // Typed with a space as people do, or with the ISO "T".
    expect(parse('advance-to 2022-06-20 14:30')).toEqual(parse('advance-to 2022-06-20T14:30'));
    expect(parse('advance-to 2022-06-20T14:30')).toEqual({
      ok: true,
      value: { kind: 'advance-to', date: '2022-06-20', time: '14:30' },
    });
  });

  it.each([
    ['advance', '请给出拨动的时长'],
    ['advance 1', '须为正整数加单位'],
    ['advance -1d', '须为正整数加单位'],
    ['advance 1.5h', '须为正整数加单位'],
    ['advance 1w', '须为正整数加单位'],
    ['advance 0d', '只能向前拨'],
    ['advance 400d', '1～366 天'],
    ['advance 1d 2h', '请给出拨动的时长'],
    ['advance-to', '须为 YYYY-MM-DD'],
    ['advance-to 2022/06/20', '须为 YYYY-MM-DD'],
    ['advance-to 2022-02-30', '日期“2022-02-30”不存在'],
    ['advance-to 2022-06-20T24:00', '时刻“24:00”不存在'],
    ['run now', '不带参数'],
    ['rewind 1d', '未知的 clock 子命令'],
  ])('refuses "clock %s" in Chinese', (line, message) => {
    const p = parse(line);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.message).toContain(message);
  });
});

describe('where a move takes the clock (Asia/Shanghai)', () => {
  const WED_10 = '2022-06-15T10:00:00+08:00';

  it('minutes, hours and days are plain durations', () => {
    expect(target(WED_10, 'advance 30m')).toBe('2022-06-15T02:30:00.000Z');
    expect(target(WED_10, 'advance 8h')).toBe('2022-06-15T10:00:00.000Z');
    // Two days from a Wednesday is a Friday; a Saturday is allowed (nothing is sent there).
    expect(target(WED_10, 'advance 3d')).toBe('2022-06-18T02:00:00.000Z');
  });

  it('working days follow the official calendar and keep the time of day', () => {
    // Friday 2022-06-17 + 1 working day = Monday 06-20.
    expect(target('2022-06-17T15:45:00+08:00', 'advance 1wd')).toBe('2022-06-20T07:45:00.000Z');
    // Across 国庆 2022 (10-01…10-07) to the make-up Saturday 10-08, then Sunday 10-09 is a working day too.
    expect(target('2022-09-30T10:00:00+08:00', 'advance 1wd')).toBe('2022-10-08T02:00:00.000Z');
    expect(target('2022-09-30T10:00:00+08:00', 'advance 2wd')).toBe('2022-10-09T02:00:00.000Z');
    // From a Sunday, the first working day is Monday.
    expect(target('2022-06-12T11:00:00+08:00', 'advance 1wd')).toBe('2022-06-13T03:00:00.000Z');
  });

  it('a working-day move outside the calendar the data holds is refused', () => {
    const r = clockTarget(at('2026-12-30T10:00:00+08:00'), command('advance 5wd'), calendar);
    expect(r).toEqual({ ok: false, message: expect.stringContaining('2027 年') });
  });

  it('a date alone keeps the time of day; a date and a time are Shanghai wall time', () => {
    expect(target(WED_10, 'advance-to 2022-06-20')).toBe('2022-06-20T02:00:00.000Z');
    expect(target('2022-06-15T16:20:30.500+08:00', 'advance-to 2022-06-20')).toBe('2022-06-20T08:20:30.500Z');
    expect(target(WED_10, 'advance-to 2022-06-20T09:05')).toBe('2022-06-20T01:05:00.000Z');
    // Shanghai midnight is the previous UTC day.
    expect(target(WED_10, 'advance-to 2022-06-21T00:30')).toBe('2022-06-20T16:30:00.000Z');
  });

  it('the clock only moves forward', () => {
    expect(refuseBackwards(at(WED_10), at('2022-06-15T10:00:01+08:00'))).toBeNull();
    expect(refuseBackwards(at(WED_10), at('2022-06-01T10:00:00+08:00'))).toContain('不能倒拨');
    expect(refuseBackwards(at(WED_10), at(WED_10))).toContain('未作改动');
  });

  it('instants are shown in Shanghai with the weekday', () => {
    expect(formatShanghai(at('2022-06-19T16:30:00Z'))).toBe('2022-06-20 星期一 00:30');
  });
});
