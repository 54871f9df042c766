import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { CreateMeetingDto } from '../../src/modules/dispatch/dto/meeting.dto';
import { AssignOwnerDto, UpdateItemDto } from '../../src/modules/plans/dto/item.dto';
import {
  DecisionDto,
  RequestCloseoutDto,
  RequestExtensionDto,
} from '../../src/modules/reports/dto/request.dto';
import { ReturnReportDto, SaveReportDto } from '../../src/modules/reports/dto/report.dto';
import { runGroup } from './runner';
import { buildScript, dateOf, refKey, type ReplayEvent } from './script';
import { SQUAD_ITEMS } from './squads';
import { scriptInputFromFiles } from './world';

const END = '2022-06-15T02:00:00.000Z';
const UUID = '00000000-0000-4000-8000-000000000000';

describe('demo replay script', () => {
  const input = scriptInputFromFiles(END);
  const { events, fates } = buildScript(input);

  it('a range target (1～2 个街道) is reported inside its range; a redacted range (x～x) gets no figure', () => {
    const reportsOf = (title: string) => {
      const plan = input.plans.find((p) => p.items.some((i) => i.title === title))!;
      const item = plan.items.find((i) => i.title === title)!;
      return {
        item,
        reports: events.flatMap((e) =>
          e.step.kind === 'report-save' && refKey(e.step.item) === refKey({ org: plan.org, n: item.n })
            ? [e.step.report]
            : [],
        ),
      };
    };
    const sorting = reportsOf('扩面提率生活垃圾分类');
    expect(sorting.item.targets[0]).toMatchObject({ sort: 1, comparator: 'range', value: 1, upper: 2 });
    expect(sorting.reports.length).toBeGreaterThan(0);
    for (const r of sorting.reports) {
      const streets = r.actuals.filter((a) => a.target === 1);
      expect(streets).toHaveLength(1);
      expect(streets[0].value).toBeGreaterThanOrEqual(1);
      expect(streets[0].value).toBeLessThanOrEqual(2);
    }
    const study = reportsOf('理论中心组每月开展集中研讨');
    expect(study.item.targets).toEqual([
      expect.objectContaining({ comparator: 'range', value: null, upper: null }),
    ]);
    for (const r of study.reports) expect(r.actuals).toEqual([]);
  });

  it('is the same script every time (a fixed seed drives every choice)', () => {
    expect(JSON.stringify(buildScript(scriptInputFromFiles(END)).events)).toBe(JSON.stringify(events));
  });

  it('runs in time order from the first working day to the demo day, ending with a full recompute', () => {
    for (let i = 1; i < events.length; i++) expect(events[i].at >= events[i - 1].at).toBe(true);
    expect(dateOf(events[0].at)).toBe('2022-01-04');
    expect(events.slice(0, -1).every((e) => e.at < END)).toBe(true);
    expect(events[events.length - 1]).toEqual({
      at: END,
      step: { kind: 'recompute', tick: END.slice(0, 16) },
    });
    // The morning scan on every working day, and nowhere else.
    const calendar = input.plans[0].calendar;
    const scans = events.filter((e) => e.step.kind === 'scan').map((e) => dateOf(e.at));
    const days: string[] = [];
    for (let d = '2022-01-04'; d <= '2022-06-15'; d = calendar.nextWorkingDay(d)) days.push(d);
    expect(scans).toEqual(days);
    // Each cut-off (the day after a report due day) gets the worker's full recompute.
    const recomputes = events.filter((e) => e.step.kind === 'recompute').map((e) => dateOf(e.at));
    expect(recomputes).toEqual([
      '2022-01-28',
      '2022-02-24',
      '2022-03-29',
      '2022-04-27',
      '2022-05-27',
      '2022-06-15',
    ]);
  });

  it('asks the services only what their DTOs accept', () => {
    const check = (cls: new () => object, body: object, e: ReplayEvent) => {
      const errors = validateSync(plainToInstance(cls, body), {
        whitelist: true,
        forbidNonWhitelisted: true,
      });
      if (errors.length)
        throw new Error(`${e.at} ${e.step.kind}: ${errors.map((x) => x.toString()).join('; ')}`);
    };
    for (const e of events) {
      const s = e.step;
      if (s.kind === 'report-save') {
        const { actuals, ...text } = s.report;
        check(
          SaveReportDto,
          { ...text, actuals: actuals.map((a) => ({ targetId: UUID, value: a.value, unit: a.unit })) },
          e,
        );
      } else if (s.kind === 'report-return') check(ReturnReportDto, { version: 1, comment: s.comment }, e);
      else if (s.kind === 'assign') check(AssignOwnerDto, { version: 1, ownerId: UUID }, e);
      else if (s.kind === 'deadline') check(UpdateItemDto, { version: 1, deadline: s.deadline }, e);
      else if (s.kind === 'extension-request') {
        check(RequestExtensionDto, { requestedDeadline: s.requestedDeadline, reason: s.reason }, e);
      } else if (s.kind === 'extension-decide') check(DecisionDto, { comment: s.comment }, e);
      else if (s.kind === 'closeout-request')
        check(RequestCloseoutDto, { note: s.note, evidenceIds: [UUID] }, e);
      else if (s.kind === 'closeout-decide') check(DecisionDto, { comment: s.comment }, e);
      else if (s.kind === 'meeting') {
        const { heldOn, attendees, notes } = s;
        const outcomes = s.outcomes.map((o) => ({
          kind: o.kind,
          content: o.content,
          ...(o.action
            ? {
                action: {
                  title: o.action.title,
                  leadUnitId: UUID,
                  ownerId: UUID,
                  responsibleLeaderId: UUID,
                  deadline: o.action.deadline,
                },
              }
            : {}),
        }));
        check(CreateMeetingDto, { heldOn, attendees, notes, outcomes }, e);
      }
    }
  });

  it("never lowers an item's stated completion (the service would ask why)", () => {
    const last = new Map<string, number>();
    for (const e of events) {
      if (e.step.kind !== 'report-save') continue;
      const key = JSON.stringify(e.step.item);
      expect(e.step.report.percent).toBeGreaterThanOrEqual(last.get(key) ?? 0);
      last.set(key, e.step.report.percent);
    }
  });

  it('breaks key tasks down to squads on day one, and leaves work in flight on the demo day', () => {
    const about = (org: string, key: string) =>
      events.filter((e) => 'item' in e.step && refKey(e.step.item) === refKey({ org, squad: key }));
    /** Each period's last step, and each request's. */
    const lastOf = (steps: ReplayEvent[]) => {
      const last = new Map<string, string>();
      for (const { step } of steps) {
        if ('period' in step) last.set(step.period, step.kind);
        else if (step.kind.startsWith('extension')) last.set('extension', step.kind);
        else if (step.kind.startsWith('closeout')) last.set('closeout', step.kind);
      }
      return last;
    };
    for (const [org, specs] of Object.entries(SQUAD_ITEMS)) {
      for (const spec of specs) {
        const steps = about(org, spec.key);
        expect(steps[0].step).toMatchObject({
          kind: 'create-item',
          spec: { title: spec.title, owner: spec.owner },
        });
        expect(dateOf(steps[0].at)).toBe('2022-01-04');
        const last = lastOf(steps);
        // January to May are approved by the squad head.
        for (const m of ['01', '02', '03', '04', '05'])
          expect([m, last.get(`2022-${m}`)]).toEqual([m, 'report-approve']);
        const june = last.get('2022-06');
        if (spec.june === 'none') expect(june).toBeUndefined();
        if (spec.june === 'submitted') expect(june).toBe('report-submit');
        if (spec.june === 'returned') expect(june).toBe('report-return');
        if (spec.june === 'closing') {
          expect(june).toBe('report-approve');
          expect(last.get('closeout')).toBe('closeout-request');
        }
        if (spec.june !== 'none') {
          const filed = steps.filter((e) => 'period' in e.step && e.step.period === '2022-06');
          expect(filed.every((e) => e.at >= '2022-06-08' && e.at < END)).toBe(true);
        }
        if (spec.extension) expect(last.get('extension')).toBe('extension-request');
      }
    }
    // The walk-through's item (README): 竹峰, owned by the member, a target, June not started.
    const walk = SQUAD_ITEMS.xxs.filter((s) => s.june === 'none');
    expect(walk.map((s) => [s.leadUnit, s.owner])).toEqual([['zhufeng-squad', 'xxs.zhufeng1']]);
  });

  it('gives each plan its mix of fates: a few overdue or missing a report, some lagging, most steady', () => {
    for (const plan of input.plans) {
      const mine = [...fates].filter(([k]) => k.startsWith(`${plan.org}#`)).map(([, f]) => f);
      const share = (...f: string[]) => mine.filter((x) => f.includes(x)).length / mine.length;
      expect(share('overdue', 'missing')).toBeGreaterThan(0.1);
      expect(share('overdue', 'missing')).toBeLessThan(0.2);
      expect(share('lagging', 'near', 'annual')).toBeGreaterThan(0.15);
      expect(share('steady', 'closed-on-time', 'closed-late', 'extended')).toBeGreaterThan(0.6);
    }
  });
});

describe('runGroup: one instant of the replay', () => {
  const at = '2022-03-01T02:00:00.000Z';
  const save = (n: number, period: string): ReplayEvent => ({
    at,
    step: {
      kind: 'report-submit',
      by: 'x',
      item: { org: 'xxs', n },
      period,
    },
  });

  it("keeps each item's steps in order while items run side by side", async () => {
    const log: string[] = [];
    const group = [save(1, 'a'), save(2, 'a'), save(1, 'b'), save(2, 'b'), save(3, 'a')];
    // Item 1's first step is held until item 2 has finished (or 2 s pass, should the run wait for it),
    // so the order below does not depend on timers racing on a busy machine.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
      setTimeout(r, 2000).unref();
    });
    await runGroup(group, 3, async (e) => {
      const s = e.step as { item: { n: number }; period: string };
      log.push(`start ${s.item.n}${s.period}`);
      if (s.item.n === 1 && s.period === 'a') await gate;
      else await Promise.resolve();
      log.push(`end ${s.item.n}${s.period}`);
      if (s.item.n === 2 && s.period === 'b') release();
    });
    expect(log.indexOf('end 1a')).toBeLessThan(log.indexOf('start 1b'));
    expect(log.indexOf('end 2a')).toBeLessThan(log.indexOf('start 2b'));
    // Items 2 and 3 did not wait for item 1.
    expect(log.indexOf('end 2b')).toBeLessThan(log.indexOf('end 1a'));
  });

  it('runs an instant with a scan or a meeting strictly in order', async () => {
    const log: number[] = [];
    const group: ReplayEvent[] = [save(1, 'a'), { at, step: { kind: 'scan' } }, save(2, 'a')];
    await runGroup(group, 3, async (e) => {
      await new Promise((r) => setTimeout(r, 'item' in e.step ? 10 - (e.step.item as { n: number }).n : 1));
      log.push(group.indexOf(e));
    });
    expect(log).toEqual([0, 1, 2]);
  });
});
