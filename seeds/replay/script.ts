/**
 * The demo half-year as a script: every step a person (or the worker) takes from the first working
 * day of the plan year to the demo's "now", in time order, with the instant it happens. Pure and
 * deterministic: the same inputs (the seed data, the calendar and the cycles) give the same script,
 * byte for byte, so a replay can be resumed by position and a test can rebuild what the replay did.
 *
 * The story is tuned to the picture a dispatch office expects mid-June (docs/ARCHITECTURE.md,
 * "Seeds"): most items on track, some lagging or near a deadline (yellow), a few overdue or with a
 * report never filed (red); reports mostly on time, some late, a few missing; heads and the dispatch
 * office return some reports and approve the rest; a few extensions and close-outs; a dispatch
 * meeting after every cut-off whose actions become items. The replay performs each step through
 * the services (seeds/replay/runner.ts); nothing here writes anything.
 */
import { periodsFor, type ReportingPeriod } from '../../src/core/calendar/periods';
import { shanghaiDate } from '../../src/core/calendar/shanghai';
import { toDayNumber } from '../../src/core/calendar/dates';
import type { WorkCalendar } from '../../src/core/calendar/working-days';
import type { CycleDates } from '../../src/modules/cycles/domain/cycles';
import { targetProgress } from '../../src/modules/plans/domain/progress';
import type { Cadence, Comparator, Direction } from '../../src/modules/plans/domain/types';
import { ACTIONS, type ActionSpec, MEETING_DECISIONS, REASSIGNMENTS } from './meeting-plan';
import { Prng } from './prng';
import { SQUAD_ITEMS, type SquadItemSpec } from './squads';
import {
  CLOSEOUT_NOTE,
  CLOSEOUT_NOTE_AGAIN,
  CLOSEOUT_REJECTED,
  closingText,
  EXTENSION_APPROVED,
  EXTENSION_REASONS,
  EXTENSION_REFUSED,
  RETURN_COMMENTS,
  REVISION_NOTE,
  reportText,
  workKind,
  type WorkKind,
} from './texts';

// ---- inputs ------------------------------------------------------------------------------

export interface ScriptTarget {
  /** 1-based position among the item's targets (item_targets.sort_order). */
  sort: number;
  metric: string;
  comparator: Comparator;
  value: number | null;
  /** Upper bound of a 'range' target (its progress is measured against `value`, the lower bound). */
  upper?: number | null;
  unit: string;
  baseline: number | null;
  direction: Direction;
}

export interface ScriptItem {
  /** 1-based position in the plan (section, key task, item order): the item's name in the script. */
  n: number;
  title: string;
  tags: string[];
  cadence: Cadence;
  startDate: string;
  deadline: string;
  leadUnit: string;
  owner: string | null;
  leader: string;
  targets: ScriptTarget[];
}

export interface ScriptUser {
  username: string;
  name: string;
  unit: string;
  roles: string[];
}

export interface ScriptUnit {
  code: string;
  parent: string | null;
}

export interface ScriptPlan {
  /** Organization code. */
  org: string;
  year: number;
  items: ScriptItem[];
  cycles: CycleDates[];
  units: ScriptUnit[];
  users: ScriptUser[];
  calendar: WorkCalendar;
}

export interface ScriptInput {
  plans: ScriptPlan[];
  /** The demo's "now" (DUBAN_NOW), an ISO instant: the script stops before it and ends with a recompute at it. */
  end: string;
}

// ---- the script ----------------------------------------------------------------------------

/**
 * A seeded item by its position, a meeting's action by "<period>#<index>" (the item it became), or a
 * squad-level item of the decomposition by its key (seeds/replay/squads.ts).
 */
export type ItemRef =
  { org: string; n: number } | { org: string; action: string } | { org: string; squad: string };

/** The name of an item in the replay's maps: `<org>#<n>`, `<org>#<period>#<index>` or `<org>#squad:<key>`. */
export function refKey(ref: ItemRef): string {
  if ('n' in ref) return `${ref.org}#${ref.n}`;
  if ('action' in ref) return `${ref.org}#${ref.action}`;
  return `${ref.org}#squad:${ref.squad}`;
}

/** An item the dispatch office creates under a key task (任务分解到中队). */
export interface NewItem {
  task: string;
  title: string;
  detail: string;
  leadUnit: string;
  owner: string;
  leader: string;
  cadence: Cadence;
  startDate: string;
  deadline: string;
  tags: string[];
  targets: { metric: string; comparator: Comparator; value: number; unit: string }[];
}

export interface ReportBody {
  percent: number;
  progress: string;
  problems: string;
  nextSteps: string;
  actuals: { target: number; value: number; unit: string }[];
}

export interface MeetingOutcome {
  kind: 'decision' | 'information' | 'action';
  content: string;
  action?: { title: string; leadUnit: string; owner: string; leader: string; deadline: string };
}

export type ReplayStep =
  | { kind: 'scan' }
  | { kind: 'recompute'; tick: string }
  | { kind: 'create-item'; by: string; item: ItemRef; spec: NewItem }
  | { kind: 'assign'; by: string; item: ItemRef; owner: string }
  | { kind: 'deadline'; by: string; item: ItemRef; deadline: string }
  | { kind: 'report-save'; by: string; item: ItemRef; period: string; report: ReportBody }
  | { kind: 'evidence'; by: string; item: ItemRef; period: string; filename: string }
  | { kind: 'report-submit'; by: string; item: ItemRef; period: string }
  | { kind: 'report-return'; by: string; item: ItemRef; period: string; comment: string }
  | { kind: 'report-approve'; by: string; item: ItemRef; period: string }
  | { kind: 'extension-request'; by: string; item: ItemRef; requestedDeadline: string; reason: string }
  | { kind: 'extension-decide'; by: string; item: ItemRef; approve: boolean; comment: string }
  | { kind: 'closeout-request'; by: string; item: ItemRef; note: string }
  | { kind: 'closeout-decide'; by: string; item: ItemRef; approve: boolean; comment?: string }
  | {
      kind: 'meeting';
      by: string;
      org: string;
      period: string;
      heldOn: string;
      attendees: string[];
      notes: string;
      outcomes: MeetingOutcome[];
    };

export interface ReplayEvent {
  /** ISO instant (UTC); the business clock is pinned here while the step runs. */
  at: string;
  step: ReplayStep;
}

/** How a seeded item's half-year goes. */
export type Fate =
  | 'steady'
  | 'lagging'
  | 'missing'
  | 'overdue'
  | 'near'
  | 'closed-on-time'
  | 'closed-late'
  | 'extended'
  | 'annual';

/** The dispatch office's interim deadlines (the plan text says 年内) for one-off items, by fate. */
const INTERIM: Partial<Record<Fate, string[]>> = {
  'closed-on-time': ['2022-04-29'],
  'closed-late': ['2022-03-31'],
  extended: ['2022-04-29'],
  overdue: ['2022-03-31', '2022-05-20'],
  near: ['2022-06-24'],
};
const EXTENDED_TO = '2022-06-30';

/** Share of a plan's items per fate (of those that can have it); at least the minimum. */
const FATE_SHARE: [Fate, number, number][] = [
  ['overdue', 0.04, 2],
  ['near', 0.025, 1],
  ['closed-on-time', 0.04, 1],
  ['closed-late', 0.025, 1],
  ['extended', 0.025, 1],
];
const LAGGING_SHARE = 0.14;
const MISSING_SHARE = 0.09;

// ---- small helpers ---------------------------------------------------------------------------

/** The instant of a Beijing wall time on a day. */
export function instant(date: string, minutesAfterMidnight: number): string {
  const hh = String(Math.floor(minutesAfterMidnight / 60)).padStart(2, '0');
  const mm = String(minutesAfterMidnight % 60).padStart(2, '0');
  return new Date(`${date}T${hh}:${mm}:00+08:00`).toISOString();
}

const H = (h: number, m = 0) => h * 60 + m;
const monthOf = (date: string) => date.slice(0, 7);
const dn = toDayNumber;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
export const dateOf = (iso: string) => shanghaiDate(new Date(iso));

interface PeriodPlan extends ReportingPeriod {
  late: boolean;
  /** A late first report the calendar forces (due before anyone could file it). */
  forced: boolean;
  /** Working days before (on time) or after (late) the due day. */
  shift: number;
  review: number;
  returned: boolean;
  closing: boolean;
}

interface BasePlan {
  item: ScriptItem;
  ref: ItemRef;
  rng: Prng;
  kind: WorkKind;
  fate: Fate;
  pace: number;
  interim: string | null;
  periods: PeriodPlan[];
  /** The report the owner never files (fate 'missing'). */
  skipped: ReportingPeriod | null;
}

/** A report as the meeting record and the tests count it: due day and first submission day. */
export interface ReportFact {
  org: string;
  leadUnit: string;
  period: string;
  due: string;
  firstSubmitted: string | null;
}

class Script {
  private seq = 0;
  private readonly out: { at: string; seq: number; step: ReplayStep }[] = [];
  readonly facts: ReportFact[] = [];

  constructor(readonly end: string) {}

  add(at: string, step: ReplayStep): boolean {
    if (at >= this.end) return false;
    this.out.push({ at, seq: this.seq++, step });
    return true;
  }

  events(): ReplayEvent[] {
    return this.out
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq))
      .map(({ at, step }) => ({ at, step }));
  }
}

// ---- the plan of one organization -------------------------------------------------------------

class PlanScript {
  private readonly cal: WorkCalendar;
  private readonly users: Map<string, ScriptUser>;
  private readonly unitParent: Map<string, string | null>;
  private readonly office: string;
  private readonly admin: string;
  readonly endDate: string;
  readonly day1: string;
  private readonly owners = new Map<number, { from: string; user: string }[]>();

  constructor(
    private readonly plan: ScriptPlan,
    private readonly s: Script,
  ) {
    this.cal = plan.calendar;
    this.users = new Map(plan.users.map((u) => [u.username, u]));
    this.unitParent = new Map(plan.units.map((u) => [u.code, u.parent]));
    const role = (r: string) => plan.users.find((u) => u.roles.includes(r))?.username;
    this.office = role('dispatcher') ?? role('admin')!;
    this.admin = role('admin') ?? this.office;
    this.endDate = dateOf(s.end);
    this.day1 = this.cal.workingDayOnOrAfter(`${plan.year}-01-01`);
  }

  private wd(date: string, n: number): string {
    return this.cal.addWorkingDays(date, n);
  }

  /** Who reviews what `writer` files for an item led by `leadUnit`: a member's head, else the dispatch office. */
  private reviewer(writer: string, leadUnit: string): string {
    const w = this.users.get(writer);
    if (!w || w.roles.includes('dispatcher')) return this.admin;
    if (w.roles.includes('member')) {
      // The nearest head at or above the lead unit may manage the item (item-access.canManageItem).
      for (let u: string | null | undefined = leadUnit; u; u = this.unitParent.get(u)) {
        const head = this.plan.users.find((x) => x.unit === u && x.roles.includes('head'));
        if (head) return head.username;
      }
    }
    return this.office;
  }

  private ownerAt(n: number, date: string): string {
    const list = this.owners.get(n) ?? [];
    let who = list[0]?.user;
    for (const o of list) if (o.from <= date) who = o.user;
    return who!;
  }

  // ---- decisions ------------------------------------------------------------------------------

  /** Fates, paces and each owed report's timing, before anything is written. */
  decide(): BasePlan[] {
    const { org, items } = this.plan;
    const rng = new Prng(`duban-demo-2022:${org}:fates`);
    const fates = new Map<number, Fate>();
    const measurable = (i: ScriptItem) => i.targets.some((t) => t.value !== null);
    for (const i of items) {
      if (i.cadence === 'annual') fates.set(i.n, 'annual');
      else if (i.cadence === 'weekly' || measurable(i) || !i.owner) fates.set(i.n, 'steady');
    }
    // One-off items get the dispatch office's interim deadlines.
    const once = rng.shuffle(items.filter((i) => i.cadence === 'once' && !fates.has(i.n)));
    for (const [fate, share, min] of FATE_SHARE) {
      for (let k = 0; k < Math.max(min, Math.round(items.length * share)) && once.length; k++) {
        fates.set(once.shift()!.n, fate);
      }
    }
    const rest = rng.shuffle(items.filter((i) => !fates.has(i.n)));
    const take = (fate: Fate, count: number) => {
      for (let k = 0; k < count && rest.length; k++) fates.set(rest.shift()!.n, fate);
    };
    take('lagging', Math.round(items.length * LAGGING_SHARE));
    take('missing', Math.round(items.length * MISSING_SHARE));
    for (const i of rest) fates.set(i.n, 'steady');

    // Each unit's habit: how often its reports come in after the due day.
    const habit = new Map<string, number>();
    for (const u of [...new Set(items.map((i) => i.leadUnit))].sort()) {
      habit.set(u, new Prng(`duban-demo-2022:${org}:habit:${u}`).pick([0, 0.05, 0.1, 0.15, 0.2, 0.3]));
    }
    const used = new Map<Fate, number>();
    const plans = items.map((item) => {
      const r = new Prng(`duban-demo-2022:${org}:item:${item.n}`);
      const fate = fates.get(item.n)!;
      const k = used.get(fate) ?? 0;
      used.set(fate, k + 1);
      const interim = INTERIM[fate] ? INTERIM[fate]![k % INTERIM[fate]!.length] : null;
      const pace =
        fate === 'lagging'
          ? 0.3 + 0.15 * r.next()
          : fate === 'overdue' || fate === 'near'
            ? 0.6 + 0.15 * r.next()
            : fate === 'extended'
              ? 1 + 0.05 * r.next()
              : measurable(item)
                ? 1 + 0.25 * r.next()
                : 0.9 + 0.35 * r.next();
      const base: BasePlan = {
        item,
        ref: { org, n: item.n },
        rng: r,
        kind: workKind(item.title, item.tags),
        fate,
        pace,
        interim,
        periods: [],
        skipped: null,
      };
      base.periods = this.periodPlans(base, habit.get(item.leadUnit) ?? 0);
      return base;
    });
    this.balanceOnTime(plans);
    return plans;
  }

  /** The reports an item will owe by the demo day, with when each is filed and reviewed. */
  private periodPlans(p: BasePlan, lateRate: number): PeriodPlan[] {
    const { item, fate, rng } = p;
    if (!item.owner || fate === 'annual') return [];
    const deadline = fate === 'extended' ? EXTENDED_TO : (p.interim ?? item.deadline);
    const closeBy = fate === 'closed-on-time' ? p.interim! : null;
    const periods = periodsFor(
      { cadence: item.cadence, startDate: item.startDate, endDate: deadline, cycles: this.plan.cycles },
      this.cal,
    ).filter((x) => !closeBy || x.start <= closeBy);
    const weekly = item.cadence === 'weekly';
    const owed = periods.filter((x) => x.due < this.endDate);
    // A report never filed: one month in the spring.
    p.skipped =
      fate === 'missing'
        ? (rng.pick(owed.filter((x) => x.key >= `${this.plan.year}-02` && !weekly)) ?? null)
        : null;
    return periods
      .filter((x) => x.key !== p.skipped?.key)
      .map((x) => {
        const closing =
          (fate === 'closed-on-time' || fate === 'closed-late') && x.key === monthOf(p.interim!);
        const forced = x.due < this.wd(this.day1, 1);
        const late = forced || (!closing && rng.chance(lateRate));
        const shift = closing
          ? 5
          : late
            ? rng.int(1, weekly ? 2 : 4)
            : weekly
              ? rng.pick([0, 0, 1])
              : rng.pick([0, 1, 1, 2, 2, 3, 4]);
        return {
          ...x,
          late,
          forced,
          shift,
          review: closing ? 1 : rng.pick([0, 1, 1, 2]),
          returned: !closing && !forced && rng.chance(0.08),
          closing,
        };
      });
  }

  /** Every unit files at least 65 % of its due reports on time: late ones turn punctual until it does. */
  private balanceOnTime(plans: BasePlan[]): void {
    const byUnit = new Map<string, PeriodPlan[]>();
    const missing = new Map<string, number>();
    for (const p of plans) {
      const due = p.periods.filter((x) => x.due < this.endDate);
      byUnit.set(p.item.leadUnit, [...(byUnit.get(p.item.leadUnit) ?? []), ...due]);
      if (p.fate === 'missing') missing.set(p.item.leadUnit, (missing.get(p.item.leadUnit) ?? 0) + 1);
    }
    for (const [unit, list] of byUnit) {
      const total = list.length + (missing.get(unit) ?? 0);
      const onTime = () => list.filter((x) => !x.late).length;
      for (const x of list) {
        if (onTime() >= 0.65 * total) break;
        if (x.late && !x.forced) x.late = false;
      }
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  /** Assignments, interim deadlines, reports, extensions and close-outs of the seeded items. */
  emitItems(plans: BasePlan[]): void {
    const { org } = this.plan;
    // Day one: the dispatch office assigns every owner the plan names.
    plans.forEach((p, i) => {
      if (!p.item.owner) return;
      this.owners.set(p.item.n, [{ from: this.day1, user: p.item.owner }]);
      this.s.add(instant(this.day1, H(9, 30) + 5 * Math.floor(i / 20)), {
        kind: 'assign',
        by: this.office,
        item: p.ref,
        owner: p.item.owner,
      });
    });
    // Next day: heads hand some of their items to members of their squads.
    const day2 = this.wd(this.day1, 1);
    for (const [i, r] of (REASSIGNMENTS[org] ?? []).entries()) {
      const p = plans.find((x) => x.item.title === r.title);
      if (!p || !p.item.owner) continue;
      this.owners.get(p.item.n)!.push({ from: day2, user: r.to });
      // Before anyone files that day's reports.
      this.s.add(instant(day2, H(9, 35) + i), { kind: 'assign', by: r.by, item: p.ref, owner: r.to });
    }
    // End of the first week: interim deadlines for one-off items (the text says 年内).
    const day4 = this.wd(this.day1, 3);
    for (const p of plans.filter((x) => x.interim)) {
      this.s.add(instant(day4, H(10)), {
        kind: 'deadline',
        by: this.office,
        item: p.ref,
        deadline: p.interim!,
      });
    }
    for (const p of plans) this.emitItem(p);
  }

  private emitItem(p: BasePlan): void {
    const { item, fate, rng, ref } = p;
    if (p.skipped) this.s.facts.push({ ...this.factOf(item.leadUnit, p.skipped), firstSubmitted: null });
    let deadline = p.interim ?? item.deadline;
    let prev = 0;
    const actuals = new Map<number, number>();
    let approvedClosing: string | null = null;
    let last: ReportBody | undefined;
    for (const x of p.periods) {
      const sub = x.closing
        ? this.wd(x.due, -x.shift)
        : this.maxDate(x.late ? this.wd(x.due, x.shift) : this.wd(x.due, -x.shift), this.wd(this.day1, 1));
      // The extension is decided before the months it adds are reported.
      if (fate === 'extended' && sub > this.extensionDecidedOn()) deadline = EXTENDED_TO;
      const writer = this.ownerAt(item.n, sub);
      let body: ReportBody;
      if (x.closing && fate === 'closed-on-time') {
        body = { ...closingText(item.title), percent: 100, actuals: this.actualsFor(item, 1, actuals) };
      } else {
        const share = clamp(
          (dn(x.end < deadline ? x.end : deadline) - dn(item.startDate) + 1) /
            (dn(deadline) - dn(item.startDate) + 1),
          0,
          1,
        );
        const f = x.closing ? 0.9 : p.pace * share;
        const values = this.actualsFor(item, f, actuals);
        const measured = this.measuredPercent(item, values);
        const percent = Math.max(
          prev,
          measured ?? clamp(Math.round(f * 100 + rng.int(-2, 2)), 1, x.closing ? 95 : 99),
        );
        const when = item.cadence === 'weekly' ? `本周（${x.key}）` : `${Number(x.key.slice(5))}月`;
        body = {
          ...reportText(rng, p.kind, item.title, when, percent, Number(x.end.slice(5, 7)), last),
          percent,
          actuals: values,
        };
      }
      prev = body.percent;
      last = body;
      const filed = this.emitReport(ref, item, x, sub, writer, body, x.closing, rng);
      if (filed.submitted) this.fact(item.leadUnit, x, sub);
      if (x.closing) approvedClosing = filed.approved;
    }
    if (fate === 'extended') this.emitExtension(p, EXTENDED_TO, true);
    if (fate === 'overdue' && p.interim === INTERIM.overdue![0] && rng.chance(0.6))
      this.emitExtension(p, EXTENDED_TO, false);
    if (fate === 'closed-on-time' && approvedClosing) {
      this.emitCloseout(ref, item, this.wd(approvedClosing, 1), rng.chance(0.5));
    }
    if (fate === 'closed-late' && approvedClosing) {
      this.emitCloseout(ref, item, this.wd(p.interim!, 4), false);
    }
  }

  private extensionDecidedOn(): string {
    return '2022-04-21';
  }

  private emitExtension(p: BasePlan, to: string, approve: boolean): void {
    const owner = this.ownerAt(p.item.n, this.endDate);
    const asked = approve ? this.wd(this.extensionDecidedOn(), -1) : this.wd(p.interim!, 4);
    this.s.add(instant(asked, H(10, 30)), {
      kind: 'extension-request',
      by: owner,
      item: p.ref,
      requestedDeadline: to,
      reason: p.rng.pick(EXTENSION_REASONS).replace('{date}', to),
    });
    this.s.add(instant(this.wd(asked, 1), H(17)), {
      kind: 'extension-decide',
      by: p.item.leader,
      item: p.ref,
      approve,
      comment: approve ? EXTENSION_APPROVED : EXTENSION_REFUSED,
    });
  }

  /** 销号: the owner asks with the evidence on file, the dispatch office decides (once rejected first, maybe). */
  private emitCloseout(ref: ItemRef, item: { title: string; n?: number }, on: string, rejectFirst: boolean) {
    const owner =
      'n' in ref
        ? this.ownerAt(ref.n, on)
        : 'action' in ref
          ? this.actionOwner.get(ref.action)!
          : this.squadOwner.get(ref.squad)!;
    const note = CLOSEOUT_NOTE.replace('{title}', item.title);
    let day = on;
    this.s.add(instant(day, H(11)), { kind: 'closeout-request', by: owner, item: ref, note });
    if (rejectFirst) {
      day = this.wd(day, 1);
      this.s.add(instant(day, H(16, 30)), {
        kind: 'closeout-decide',
        by: this.office,
        item: ref,
        approve: false,
        comment: CLOSEOUT_REJECTED,
      });
      day = this.wd(day, 1);
      this.s.add(instant(day, H(11)), {
        kind: 'closeout-request',
        by: owner,
        item: ref,
        note: CLOSEOUT_NOTE_AGAIN,
      });
    }
    this.s.add(instant(this.wd(day, 1), H(16, 30)), {
      kind: 'closeout-decide',
      by: this.office,
      item: ref,
      approve: true,
    });
  }

  /**
   * One report from draft to approval: saved and submitted by `writer` on `sub`, reviewed (returned
   * once and resubmitted the next working day, sometimes) by the writer's head or the dispatch office.
   * Says whether it was submitted before the demo's "now", and the approval day if it was approved.
   */
  private emitReport(
    ref: ItemRef,
    item: { title: string; leadUnit: string },
    x: { key: string; review: number; returned: boolean },
    sub: string,
    writer: string,
    body: ReportBody,
    evidence: boolean,
    rng: Prng,
  ): { submitted: boolean; approved: string | null } {
    const reviewer = this.reviewer(writer, item.leadUnit);
    const t0 = H(10) + 10 * rng.int(0, 5);
    const period = x.key;
    this.s.add(instant(sub, t0), { kind: 'report-save', by: writer, item: ref, period, report: body });
    if (evidence) {
      this.s.add(instant(sub, t0 + 5), {
        kind: 'evidence',
        by: writer,
        item: ref,
        period,
        filename: `${period}-${item.title.slice(0, 20)}-佐证材料.pdf`,
      });
    }
    const submitted = this.s.add(instant(sub, t0 + 10), {
      kind: 'report-submit',
      by: writer,
      item: ref,
      period,
    });
    let day = this.wd(sub, x.review);
    if (x.returned) {
      this.s.add(instant(day, H(15) + 15 * rng.int(0, 6)), {
        kind: 'report-return',
        by: reviewer,
        item: ref,
        period,
        comment: rng.pick(RETURN_COMMENTS),
      });
      day = this.wd(day, 1);
      const t1 = H(9, 40) + 10 * rng.int(0, 4);
      this.s.add(instant(day, t1), {
        kind: 'report-save',
        by: writer,
        item: ref,
        period,
        report: { ...body, progress: body.progress + REVISION_NOTE },
      });
      this.s.add(instant(day, t1 + 10), { kind: 'report-submit', by: writer, item: ref, period });
      day = this.wd(day, 1);
    }
    const approved = this.s.add(instant(day, H(15) + 15 * rng.int(0, 6)), {
      kind: 'report-approve',
      by: reviewer,
      item: ref,
      period,
    });
    return { submitted, approved: approved ? day : null };
  }

  private fact(leadUnit: string, x: ReportingPeriod, firstSubmitted: string): void {
    this.s.facts.push({ ...this.factOf(leadUnit, x), firstSubmitted });
  }

  private factOf(leadUnit: string, x: ReportingPeriod): ReportFact {
    return { org: this.plan.org, leadUnit, period: x.key, due: x.due, firstSubmitted: null };
  }

  private maxDate(a: string, b: string): string {
    return a > b ? a : b;
  }

  /**
   * Cumulative actuals of the item's measurable targets at fraction `f` of the way: a standing
   * level (≤ 3, kept every period, like 每周集中整治日 1 天) is reported as met; counts grow and round.
   */
  private actualsFor(item: ScriptItem, f: number, last: Map<number, number>): ReportBody['actuals'] {
    return item.targets
      .filter((t) => t.value !== null)
      .map((t) => {
        const v = t.value!;
        let value: number;
        if (t.direction === 'decrease') value = t.baseline === null ? v : t.baseline - f * (t.baseline - v);
        else if (v <= 3 && item.cadence !== 'once') value = v;
        else value = (t.baseline ?? 0) + f * (v - (t.baseline ?? 0));
        // Whole things (个, 条, 部) are counted up as soon as most of one is done.
        value = Number.isInteger(v) ? Math.max(0, Math.ceil(value - 0.2)) : Math.round(value * 100) / 100;
        value = Math.max(value, last.get(t.sort) ?? value);
        last.set(t.sort, value);
        return { target: t.sort, value, unit: t.unit };
      });
  }

  /** What the roll-up will read from these actuals (mean progress of measurable targets), or null. */
  private measuredPercent(item: ScriptItem, actuals: ReportBody['actuals']): number | null {
    const p = actuals.map((a) => {
      const t = item.targets.find((x) => x.sort === a.target)!;
      return targetProgress({ ...t, valueText: String(t.value) }, a.value);
    });
    const ok = p.filter((x): x is number => x !== null);
    return ok.length ? Math.round(ok.reduce((a, b) => a + b, 0) / ok.length) : null;
  }

  // ---- the decomposition (任务分解到中队) ------------------------------------------------------------

  private readonly squadOwner = new Map<string, string>();

  /** Day one: the dispatch office creates the squad-level items (squads.ts); each is then worked on. */
  emitSquads(): void {
    const { org, year } = this.plan;
    const startDate = `${year}-01-01`;
    (SQUAD_ITEMS[org] ?? []).forEach((spec, i) => {
      const ref: ItemRef = { org, squad: spec.key };
      this.squadOwner.set(spec.key, spec.owner);
      const { task, title, detail, leadUnit, owner, leader, cadence, deadline, tags, target } = spec;
      // Before the owners of the plan's items are assigned (09:30), after the morning scan.
      this.s.add(instant(this.day1, H(9, 20) + i), {
        kind: 'create-item',
        by: this.office,
        item: ref,
        spec: {
          task,
          title,
          detail,
          leadUnit,
          owner,
          leader,
          cadence,
          startDate,
          deadline,
          tags,
          targets: [target],
        },
      });
      this.emitSquadItem(ref, spec, startDate);
    });
  }

  /**
   * A squad item's reports: every month before the current one filed on time by the member and
   * reviewed by the squad head (returned now and then), the actual growing with time; the current
   * month's report as `spec.june` says (see squads.ts).
   */
  private emitSquadItem(ref: ItemRef, spec: SquadItemSpec, startDate: string): void {
    const rng = new Prng(`duban-demo-2022:${this.plan.org}:squad:${spec.key}`);
    const { target } = spec;
    const item: ScriptItem = {
      n: 0,
      title: spec.title,
      tags: spec.tags,
      cadence: spec.cadence,
      startDate,
      deadline: spec.deadline,
      leadUnit: spec.leadUnit,
      owner: spec.owner,
      leader: spec.leader,
      targets: [{ sort: 1, ...target, baseline: null, direction: 'increase' }],
    };
    const kind = workKind(spec.title, spec.tags);
    const actuals = new Map<number, number>();
    let prev = 0;
    let last: ReportBody | undefined;
    const body = (x: ReportingPeriod, asOf: string): ReportBody => {
      const upTo = asOf < spec.deadline ? asOf : spec.deadline;
      const share = clamp((dn(upTo) - dn(startDate) + 1) / (dn(spec.deadline) - dn(startDate) + 1), 0, 1);
      const values = this.actualsFor(item, Math.min(1, spec.pace * share), actuals);
      const percent = Math.max(prev, this.measuredPercent(item, values) ?? 0);
      const when = `${Number(x.key.slice(5))}月`;
      const b = {
        ...reportText(rng, kind, spec.title, when, percent, Number(x.end.slice(5, 7)), last),
        percent,
        actuals: values,
      };
      prev = percent;
      last = b;
      return b;
    };
    const periods = periodsFor(
      { cadence: spec.cadence, startDate, endDate: spec.deadline, cycles: this.plan.cycles },
      this.cal,
    );
    for (const x of periods) {
      if (x.due < this.endDate) {
        const sub = this.maxDate(this.wd(x.due, -rng.pick([0, 1, 1, 2, 3])), this.wd(this.day1, 1));
        const review = { key: x.key, review: rng.pick([0, 1, 1, 2]), returned: rng.chance(0.15) };
        if (this.emitReport(ref, item, review, sub, spec.owner, body(x, x.end), false, rng).submitted)
          this.fact(spec.leadUnit, x, sub);
        continue;
      }
      // The current cycle's report, as the demo day finds it; nothing after it.
      const on = spec.juneFiledOn!;
      if (spec.june === 'submitted') {
        // Reviewed a week later: after the demo day, so it waits in the head's queue.
        this.emitReport(
          ref,
          item,
          { key: x.key, review: 5, returned: false },
          on,
          spec.owner,
          body(x, on),
          false,
          rng,
        );
      } else if (spec.june === 'returned') {
        this.s.add(instant(on, H(10, 20)), {
          kind: 'report-save',
          by: spec.owner,
          item: ref,
          period: x.key,
          report: body(x, on),
        });
        this.s.add(instant(on, H(10, 30)), {
          kind: 'report-submit',
          by: spec.owner,
          item: ref,
          period: x.key,
        });
        this.s.add(instant(this.wd(on, 1), H(15, 30)), {
          kind: 'report-return',
          by: this.reviewer(spec.owner, spec.leadUnit),
          item: ref,
          period: x.key,
          comment: rng.pick(RETURN_COMMENTS),
        });
      } else if (spec.june === 'closing') {
        const closing = {
          ...closingText(spec.title),
          percent: 100,
          actuals: this.actualsFor(item, 1, actuals),
        };
        const filed = this.emitReport(
          ref,
          item,
          { key: x.key, review: 1, returned: false },
          on,
          spec.owner,
          closing,
          true,
          rng,
        );
        // The 销号 request with the evidence on file; the dispatch office has not decided yet.
        if (filed.approved) {
          this.s.add(instant(this.wd(filed.approved, 2), H(11)), {
            kind: 'closeout-request',
            by: spec.owner,
            item: ref,
            note: CLOSEOUT_NOTE.replace('{title}', spec.title),
          });
        }
      }
      break;
    }
    if (spec.extension) {
      const { on, to } = spec.extension;
      this.s.add(instant(on, H(10, 45)), {
        kind: 'extension-request',
        by: spec.owner,
        item: ref,
        requestedDeadline: to,
        reason: EXTENSION_REASONS[1].replace('{date}', to),
      });
    }
  }

  // ---- meetings ---------------------------------------------------------------------------------

  private readonly actionOwner = new Map<string, string>();

  /** After each cut-off, the month's dispatch meeting; its actions become items and are worked on. */
  emitMeetings(): void {
    const { org } = this.plan;
    const leaders = this.plan.users.filter((u) => u.roles.includes('leader')).map((u) => u.name);
    const office = this.users.get(this.office)!;
    for (const c of this.plan.cycles) {
      const at = instant(c.meetingDate, H(16));
      if (at >= this.s.end) continue;
      const m = Number(c.period.slice(5));
      const rng = new Prng(`duban-demo-2022:${org}:meeting:${c.period}`);
      const facts = this.s.facts.filter((f) => f.org === org && f.period === c.period);
      const submitted = (f: ReportFact) => f.firstSubmitted !== null && f.firstSubmitted <= c.meetingDate;
      const onTime = facts.filter((f) => submitted(f) && f.firstSubmitted! <= f.due).length;
      const late = facts.filter((f) => submitted(f) && f.firstSubmitted! > f.due).length;
      const specs = ACTIONS[org]?.[c.period.slice(5)] ?? [];
      const actions = specs.map((spec, i) => ({
        spec,
        key: `${c.period}#${i}`,
        deadline: typeof spec.deadline === 'number' ? this.wd(c.meetingDate, spec.deadline) : spec.deadline,
      }));
      const outcomes: MeetingOutcome[] = [
        {
          kind: 'information',
          content: `通报${m}月进度填报情况：应报 ${facts.length} 项，按时 ${onTime} 项，逾期 ${late} 项，未报 ${facts.length - onTime - late} 项。`,
        },
        { kind: 'decision', content: rng.pick(MEETING_DECISIONS) },
        ...actions.map((a) => ({
          kind: 'action' as const,
          content: a.spec.content,
          action: {
            title: a.spec.title,
            leadUnit: a.spec.leadUnit,
            owner: a.spec.owner,
            leader: a.spec.leader,
            deadline: a.deadline,
          },
        })),
      ];
      this.s.add(at, {
        kind: 'meeting',
        by: this.office,
        org,
        period: c.period,
        heldOn: c.meetingDate,
        attendees: [...leaders, office.name],
        notes: `听取${m}月重点工作推进情况汇报，通报进度填报和逾期事项情况，研究部署下阶段工作。`,
        outcomes,
      });
      for (const a of actions) {
        this.actionOwner.set(a.key, a.spec.owner);
        this.emitAction(a.key, a.spec, c.meetingDate, a.deadline, rng);
      }
    }
  }

  private emitAction(key: string, spec: ActionSpec, held: string, deadline: string, rng: Prng): void {
    const ref: ItemRef = { org: this.plan.org, action: key };
    const item = { title: spec.title, leadUnit: spec.leadUnit };
    const file = (period: ReportingPeriod, sub: string, percent: number, closing: boolean) => {
      const body: ReportBody = closing
        ? { ...closingText(spec.title), percent, actuals: [] }
        : {
            ...reportText(
              rng,
              workKind(spec.title),
              spec.title,
              `${Number(period.key.slice(5))}月`,
              percent,
              1,
            ),
            percent,
            actuals: [],
          };
      const filed = this.emitReport(
        ref,
        item,
        { key: period.key, review: closing ? 0 : rng.pick([0, 1]), returned: false },
        sub,
        spec.owner,
        body,
        closing,
        rng,
      );
      if (filed.submitted) this.fact(spec.leadUnit, period, sub);
      return filed.approved;
    };
    const periodsTo = (last: string) =>
      periodsFor({ cadence: 'once', startDate: held, endDate: last, cycles: this.plan.cycles }, this.cal);
    const expected = (day: string) => clamp((dn(day) - dn(held) + 1) / (dn(deadline) - dn(held) + 1), 0, 1);

    if (spec.fate === 'quick' || spec.fate === 'late') {
      // The closing report (with evidence) a few days before the deadline, in the month it closes.
      let done = this.wd(deadline, spec.fate === 'quick' ? -4 : -3);
      while (spec.fate === 'quick' && monthOf(this.wd(done, 2)) !== monthOf(done)) done = this.wd(done, -1);
      const lastOwed = spec.fate === 'quick' ? this.wd(done, 2) : deadline;
      let percent = 0;
      for (const p of periodsTo(lastOwed)) {
        if (monthOf(done) === p.key) continue;
        if (p.due >= done) throw new Error(`demo script: action ${key} owes ${p.key} after it is done`);
        percent = Math.round(70 * expected(p.due));
        file(p, this.maxDate(this.wd(p.due, -1), this.wd(held, 1)), percent, false);
      }
      const closingPeriod = periodsTo(lastOwed).find((p) => p.key === monthOf(done))!;
      const approved = file(closingPeriod, done, spec.fate === 'quick' ? 100 : 90, true);
      if (approved) {
        this.emitCloseout(
          ref,
          spec,
          spec.fate === 'quick' ? this.wd(approved, 1) : this.wd(deadline, 2),
          false,
        );
      }
      return;
    }
    // Open or overdue: monthly reports on time, and an early report for the current month.
    for (const p of periodsTo(deadline)) {
      if (p.start > this.endDate) break;
      const sub =
        p.due < this.endDate
          ? this.maxDate(this.wd(p.due, -1), this.wd(held, 1))
          : this.maxDate(this.wd(this.endDate, -5), this.wd(held, 2));
      const pace = spec.fate === 'overdue' ? 0.75 : 1;
      file(p, sub, clamp(Math.round(100 * pace * expected(sub)) + 5, 5, 95), false);
    }
  }

  // ---- the worker ---------------------------------------------------------------------------------

  /** The worker's jobs at their simulated times: the morning reminder scan and each cut-off's recompute. */
  static emitWorker(plans: ScriptPlan[], s: Script): void {
    const endDate = dateOf(s.end);
    const year = Math.min(...plans.map((p) => p.year));
    const first = plans[0].calendar.workingDayOnOrAfter(`${year}-01-01`);
    for (let d = first; d <= endDate; d = nextDay(d)) {
      if (plans.some((p) => p.calendar.isWorkingDay(d))) s.add(instant(d, H(9)), { kind: 'scan' });
    }
    const cutoffs = new Set(plans.flatMap((p) => p.cycles.map((c) => nextDay(c.reportDue))));
    for (const d of [...cutoffs].sort()) {
      const at = instant(d, H(0, 15));
      s.add(at, { kind: 'recompute', tick: at.slice(0, 16) });
    }
  }
}

function nextDay(date: string): string {
  return new Date(dn(date) * 86400000 + 86400000).toISOString().slice(0, 10);
}

export interface BuiltScript {
  events: ReplayEvent[];
  /** The fate of every seeded item, by organization and position (for tests and the docs). */
  fates: Map<string, Fate>;
  facts: ReportFact[];
}

/** The whole demo half-year, in time order, ending with a full recompute at `end`. */
export function buildScript(input: ScriptInput): BuiltScript {
  const s = new Script(input.end);
  const fates = new Map<string, Fate>();
  const scripts = input.plans.map((plan) => new PlanScript(plan, s));
  scripts.forEach((ps, i) => {
    const decided = ps.decide();
    for (const p of decided) fates.set(`${input.plans[i].org}#${p.item.n}`, p.fate);
    ps.emitItems(decided);
    ps.emitSquads();
  });
  // Meetings count the reports filed for their month, so they come after every item's reports.
  for (const ps of scripts) ps.emitMeetings();
  PlanScript.emitWorker(input.plans, s);
  const events = s.events();
  events.push({ at: input.end, step: { kind: 'recompute', tick: input.end.slice(0, 16) } });
  return { events, fates, facts: s.facts };
}
