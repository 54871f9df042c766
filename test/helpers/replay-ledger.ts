import { shanghaiDate } from '../../src/core/calendar/shanghai';
import type { WorkCalendar } from '../../src/core/calendar/working-days';
import { expectedReports } from '../../src/modules/cycles/domain/expected-reports';
import type { Cadence, ItemStatus } from '../../src/modules/plans/domain/types';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  isSendingTime,
} from '../../src/modules/reminders/domain/rules';
import { refKey as keyOf, type ReplayEvent, type ScriptPlan } from '../../seeds/replay/script';

interface ModelReport {
  firstSubmitted: string | null;
  lastSubmitted: string | null;
  approvedOn: string | null;
}

interface ModelItem {
  id: string;
  org: string;
  status: ItemStatus;
  owner: string | null;
  cadence: Cadence;
  startDate: string;
  deadline: string;
  closedOn: string | null;
  reports: Map<string, ModelReport>;
  /** The deadline a pending 延期申请 asks for. */
  asked: string | null;
}

/**
 * The reminder ledger the rules call for on the replayed dates, worked out from the script alone:
 * every step's effect on an item (owner, status, deadline, reports) is folded in order, and at each
 * simulated scan the pure rules (`dueReminders`, the digest's "overdue or due within 7 working days")
 * say which keys are due. Independent of the scan's SQL, which reads the same facts from the tables.
 */
export function expectedLedger(
  plans: ScriptPlan[],
  events: ReplayEvent[],
  ids: { item: (key: string) => string; user: (username: string) => string },
): Set<string> {
  const items = new Map<string, ModelItem>();
  const plan = new Map(plans.map((p) => [p.org, p]));
  for (const p of plans) {
    for (const i of p.items) {
      items.set(`${p.org}#${i.n}`, {
        id: ids.item(`${p.org}#${i.n}`),
        org: p.org,
        status: 'draft',
        owner: null,
        cadence: i.cadence,
        startDate: i.startDate,
        deadline: i.deadline,
        closedOn: null,
        reports: new Map(),
        asked: null,
      });
    }
  }
  const keys = new Set<string>();
  const report = (item: ModelItem, period: string) => {
    let r = item.reports.get(period);
    if (!r) item.reports.set(period, (r = { firstSubmitted: null, lastSubmitted: null, approvedOn: null }));
    return r;
  };
  for (const e of events) {
    const day = shanghaiDate(new Date(e.at));
    const s = e.step;
    if (s.kind === 'scan') {
      const time = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Shanghai',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(e.at));
      scan(day, time);
      continue;
    }
    if (s.kind === 'meeting') {
      s.outcomes
        .filter((o) => o.action)
        .forEach((o, n) => {
          const key = `${s.org}#${s.period}#${n}`;
          items.set(key, {
            id: ids.item(key),
            org: s.org,
            status: 'assigned',
            owner: o.action!.owner,
            cadence: 'once',
            startDate: s.heldOn,
            deadline: o.action!.deadline,
            closedOn: null,
            reports: new Map(),
            asked: null,
          });
        });
      continue;
    }
    if (!('item' in s)) continue;
    if (s.kind === 'create-item') {
      // A squad item (任务分解到中队): created with its owner, so assigned.
      items.set(keyOf(s.item), {
        id: ids.item(keyOf(s.item)),
        org: s.item.org,
        status: 'assigned',
        owner: s.spec.owner,
        cadence: s.spec.cadence,
        startDate: s.spec.startDate,
        deadline: s.spec.deadline,
        closedOn: null,
        reports: new Map(),
        asked: null,
      });
      continue;
    }
    const item = items.get(keyOf(s.item))!;
    switch (s.kind) {
      case 'assign':
        item.owner = s.owner;
        if (item.status === 'draft') item.status = 'assigned';
        break;
      case 'deadline':
        item.deadline = s.deadline;
        break;
      case 'report-submit': {
        const r = report(item, s.period);
        r.firstSubmitted ??= day;
        r.lastSubmitted = day;
        break;
      }
      case 'report-approve':
        report(item, s.period).approvedOn = day;
        if (item.status === 'assigned') item.status = 'in_progress';
        break;
      case 'extension-request':
        item.asked = s.requestedDeadline;
        break;
      case 'extension-decide':
        if (s.approve) item.deadline = item.asked!;
        item.asked = null;
        break;
      case 'closeout-request':
        item.status = 'awaiting_closeout';
        break;
      case 'closeout-decide':
        item.status = s.approve ? 'closed' : 'in_progress';
        if (s.approve) item.closedOn = day;
        break;
      default:
        break;
    }
  }
  return keys;

  function scan(today: string, time: string): void {
    for (const p of plans) {
      const calendar: WorkCalendar = plan.get(p.org)!.calendar;
      if (!isSendingTime(today, time, DEFAULT_REMINDER_SETTINGS, calendar)) continue;
      const digest = new Set<string>();
      for (const item of items.values()) {
        if (item.org !== p.org || (item.status !== 'assigned' && item.status !== 'in_progress')) continue;
        const reports = expectedReports({
          cadence: item.cadence,
          startDate: item.startDate,
          deadline: item.deadline,
          closedOn: item.closedOn,
          cycles: p.cycles,
          submittedOn: new Map(
            [...item.reports].filter(([, r]) => r.firstSubmitted).map(([k, r]) => [k, r.firstSubmitted!]),
          ),
          today,
          calendar,
        });
        const activity = [...item.reports.values()]
          .flatMap((r) => [r.lastSubmitted, r.approvedOn])
          .filter((d): d is string => d !== null)
          .sort();
        const due = dueReminders(
          {
            id: item.id,
            status: item.status,
            deadline: item.deadline,
            lastActivityOn: activity.length ? activity[activity.length - 1] : null,
            reports: reports.map((r) => ({ key: r.key, due: r.due, state: r.state })),
          },
          today,
          DEFAULT_REMINDER_SETTINGS,
          calendar,
        );
        for (const r of due) keys.add(r.key);
        // The daily digest: the owner's items overdue or due within the widest "before" step.
        if (
          item.owner &&
          calendar.workingDaysBetween(today, item.deadline) <=
            Math.max(...DEFAULT_REMINDER_SETTINGS.deadlineDays)
        ) {
          digest.add(item.owner);
        }
      }
      for (const owner of digest) keys.add(`digest.${ids.user(owner)}.${today}`);
    }
  }
}
