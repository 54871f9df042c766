import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { addDays } from '../../../core/calendar/dates';
import { loadCalendarYaml, WorkCalendar } from '../../../core/calendar/working-days';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  isSendingTime,
  ItemReminderFacts,
  resolveReminderSettings,
} from './rules';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(__dirname, '../../../../seeds/data/calendar.yaml'), 'utf8')),
);
const S = DEFAULT_REMINDER_SETTINGS;
const item = (over: Partial<ItemReminderFacts> = {}): ItemReminderFacts => ({
  id: 'i1',
  status: 'in_progress',
  deadline: '2022-09-30',
  lastActivityOn: null,
  reports: [],
  ...over,
});
/** Every key the scan would have derived, day by day, from `from` to `to`: what actually goes out. */
function sent(facts: ItemReminderFacts, from: string, to: string, settings = S) {
  const seen = new Map<string, string>();
  for (let d = from; d <= to; d = addDays(d, 1)) {
    for (const r of dueReminders(facts, d, settings, calendar)) if (!seen.has(r.key)) seen.set(r.key, d);
  }
  return [...seen].map(([key, day]) => ({ key: key.replace('.i1.', '.'), day }));
}

describe('dueReminders on the 2022 calendar', () => {
  it('a deadline of 2022-09-30 missed: the first overdue 提醒 on 10-08 (a 调休 Saturday), none during 10-01..07', () => {
    for (let d = '2022-10-01'; d <= '2022-10-07'; d = addDays(d, 1)) {
      expect(dueReminders(item(), d, S, calendar)).toEqual([]);
    }
    const first = dueReminders(item(), '2022-10-08', S, calendar);
    expect(first).toEqual([
      {
        key: 'deadline-overdue.i1.2022-09-30.0',
        kind: 'deadline-overdue',
        level: 'remind',
        audience: 'owner',
        workdays: -1,
      },
    ]);
  });

  it('then every 2 working days, 催办 after 3 and 督办 after 5 more, each once', () => {
    expect(sent(item(), '2022-10-01', '2022-10-31')).toEqual([
      { key: 'deadline-overdue.2022-09-30.0', day: '2022-10-08' },
      // 2022 had two 调休 days after National Day: Saturday 10-08 and Sunday 10-09 (overdue day 2).
      { key: 'deadline-overdue.2022-09-30.1', day: '2022-10-10' },
      { key: 'urge.2022-09-30', day: '2022-10-10' },
      { key: 'deadline-overdue.2022-09-30.2', day: '2022-10-12' },
      { key: 'deadline-overdue.2022-09-30.3', day: '2022-10-14' },
      // 8 overdue working days: 3 + 5.
      { key: 'supervise.2022-09-30', day: '2022-10-17' },
      { key: 'deadline-overdue.2022-09-30.4', day: '2022-10-18' },
      { key: 'deadline-overdue.2022-09-30.5', day: '2022-10-20' },
      { key: 'deadline-overdue.2022-09-30.6', day: '2022-10-24' },
      { key: 'deadline-overdue.2022-09-30.7', day: '2022-10-26' },
      { key: 'deadline-overdue.2022-09-30.8', day: '2022-10-28' },
    ]);
  });

  it('before a deadline that falls on a holiday: counted to the last working day before it', () => {
    // 2022-06-03 is the Dragon Boat Festival (a Friday): the work is due on Thursday 06-02.
    expect(sent(item({ deadline: '2022-06-03' }), '2022-05-16', '2022-06-03')).toEqual([
      { key: 'deadline-before.2022-06-03.7', day: '2022-05-24' },
      { key: 'deadline-before.2022-06-03.3', day: '2022-05-30' },
      { key: 'deadline-before.2022-06-03.1', day: '2022-06-01' },
    ]);
  });

  it('a day the scan missed is caught up the next working day, never doubled', () => {
    const facts = item({ deadline: '2022-06-03' });
    const on530 = dueReminders(facts, '2022-05-30', S, calendar).map((r) => r.key);
    const on531 = dueReminders(facts, '2022-05-31', S, calendar);
    expect(on531.map((r) => r.key)).toEqual(on530);
    expect(on531[0].workdays).toBe(2);
  });

  it('a recent approved report or update silences 提醒 but never 催办 or 督办', () => {
    const quiet = dueReminders(item({ lastActivityOn: '2022-10-18' }), '2022-10-18', S, calendar);
    expect(quiet.map((r) => r.kind)).toEqual(['urge', 'supervise']);
    const yesterday = dueReminders(item({ lastActivityOn: '2022-10-17' }), '2022-10-18', S, calendar);
    expect(yesterday.map((r) => r.kind)).toContain('deadline-overdue');
  });

  it('closed, cancelled, suspended and draft items get nothing; weekends and holidays get nothing', () => {
    for (const status of ['closed', 'cancelled', 'suspended', 'draft', 'awaiting_closeout'] as const) {
      expect(dueReminders(item({ status }), '2022-10-18', S, calendar)).toEqual([]);
    }
    expect(dueReminders(item(), '2022-10-16', S, calendar)).toEqual([]); // a Sunday
  });

  it('an extension starts a new episode: a new deadline, new keys', () => {
    const before = dueReminders(item(), '2022-10-18', S, calendar).map((r) => r.key);
    const after = dueReminders(item({ deadline: '2022-10-14' }), '2022-10-18', S, calendar).map((r) => r.key);
    expect(after.every((k) => !before.includes(k))).toBe(true);
  });

  it('reports: 3 and 1 working days before the due day, then overdue until submitted', () => {
    const report = (state: 'upcoming' | 'due' | 'missing' | 'on_time') => ({
      key: '2022-09',
      due: '2022-09-27',
      state,
    });
    const facts = (d: string) =>
      item({
        deadline: '2022-12-31',
        reports: [report(d < '2022-09-01' ? 'upcoming' : d <= '2022-09-27' ? 'due' : 'missing')],
      });
    const seen = new Map<string, string>();
    for (let d = '2022-09-15'; d <= '2022-10-12'; d = addDays(d, 1)) {
      for (const r of dueReminders(facts(d), d, S, calendar)) if (!seen.has(r.key)) seen.set(r.key, d);
    }
    expect([...seen]).toEqual([
      ['report-before.i1.2022-09.3', '2022-09-22'],
      ['report-before.i1.2022-09.1', '2022-09-26'],
      ['report-overdue.i1.2022-09.0', '2022-09-28'],
      ['report-overdue.i1.2022-09.1', '2022-09-30'],
      // National Day: late days 4 and 5 are the 调休 weekend 10-08 and 10-09.
      ['report-overdue.i1.2022-09.2', '2022-10-09'],
      ['report-overdue.i1.2022-09.3', '2022-10-11'],
    ]);
    // Submitted: nothing more.
    expect(dueReminders(item({ reports: [report('on_time')] }), '2022-09-30', S, calendar)).toEqual([]);
  });

  it('settings: defaults, overrides and refusals naming the field', () => {
    expect(resolveReminderSettings({})).toEqual({ ok: true, settings: S });
    const r = resolveReminderSettings({ overdueEvery: 3, workStart: '08:30' });
    expect(r).toMatchObject({ ok: true, settings: { overdueEvery: 3, workStart: '08:30', urgeAfter: 3 } });
    expect(resolveReminderSettings({ deadlineDays: [0] })).toMatchObject({
      ok: false,
      field: 'deadlineDays',
    });
    expect(resolveReminderSettings({ workEnd: '08:00' })).toMatchObject({ ok: false, field: 'workEnd' });
    expect(resolveReminderSettings({ attempts: 0 })).toMatchObject({ ok: false, field: 'attempts' });
  });

  it('sending time: working days within working hours only', () => {
    expect(isSendingTime('2022-10-08', '09:00', S, calendar)).toBe(true);
    expect(isSendingTime('2022-10-08', '08:59', S, calendar)).toBe(false);
    expect(isSendingTime('2022-10-08', '18:00', S, calendar)).toBe(false);
    expect(isSendingTime('2022-10-07', '10:00', S, calendar)).toBe(false);
  });
});
