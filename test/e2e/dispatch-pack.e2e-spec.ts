import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadCalendarYaml, WorkCalendar } from '../../src/core/calendar/working-days';
import { RollupService } from '../../src/modules/rollup/rollup.service';
import { bearer, createTestApp, createTestWorker, TestApp } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { ROOT } from '../helpers/env';

const calendar = new WorkCalendar(
  loadCalendarYaml(readFileSync(join(ROOT, 'seeds/data/calendar.yaml'), 'utf8')),
);

interface Pack {
  asOf: string;
  closed: boolean;
  summary: { items: number; overdue: number };
  overdue: {
    itemId: string;
    visible: boolean;
    title: string | null;
    deadline: string;
    overdueWorkdays: number;
  }[];
}

/** The dispatch pack on the seeded demo, with the business clock pinned after June's cut-off. */
describe('GET /cycles/:id/dispatch-pack', () => {
  let t: TestApp;
  let cycleId: string;
  let planId: string;
  let reportDue: string;

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2022-07-15T10:00:00+08:00' });
    [{ id: cycleId, plan_id: planId, report_due: reportDue }] = await t.dataSource.query(
      `SELECT c.id, c.plan_id, c.report_due FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id
         JOIN organizations o ON o.id = p.organization_id
        WHERE o.code = 'xxs' AND c.period = '2022-06'`,
    );
  });
  afterAll(() => t.close());
  const packAs = async (user: string) =>
    (
      await t
        .http()
        .get(`/api/v1/cycles/${cycleId}/dispatch-pack`)
        .set(bearer(await t.login(user)))
        .expect(200)
    ).body as Pack;

  it("lists exactly the items overdue at June's cut-off, with working days counted on the official calendar", async () => {
    const pack = await packAs('xxs.dispatch');
    expect(pack).toMatchObject({ asOf: reportDue, closed: true });
    // Independently: past their deadline on the cut-off day and not closed by then.
    const expected = (await t.dataSource.query(
      `SELECT id, deadline FROM items
        WHERE plan_id = $1 AND deadline < $2::date AND status NOT IN ('cancelled', 'suspended', 'draft')
          AND (closed_at IS NULL OR (closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`,
      [planId, reportDue],
    )) as { id: string; deadline: string }[];
    expect(expected.length).toBeGreaterThan(0);
    expect(pack.overdue.map((o) => o.itemId).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(pack.summary.overdue).toBe(expected.length);
    for (const o of pack.overdue) {
      expect(o.overdueWorkdays).toBe(calendar.workingDaysBetween(o.deadline, reportDue));
      expect(o.visible).toBe(true);
      expect(o.title).toEqual(expect.any(String));
    }
  });

  it('items closed since the last meeting, and each section as it stood at the cut-off', async () => {
    // The worker's scheduled run closes June and snapshots its figures.
    const worker = await createTestWorker(t);
    try {
      await worker.get(RollupService).recomputeAll('dispatch-pack-test');
    } finally {
      await worker.close();
    }
    const pack = (await packAs('xxs.dispatch')) as Pack & {
      closedSince: { since: string; items: { itemId: string }[] };
      sections: { sectionId: string; completion: number | null; light: string | null }[];
    };
    const [{ meeting_date: lastMeeting }] = await t.dataSource.query(
      `SELECT meeting_date FROM dispatch_cycles WHERE plan_id = $1 AND period = '2022-05'`,
      [planId],
    );
    expect(pack.closedSince.since).toBe(lastMeeting);
    const closed = (await t.dataSource.query(
      `SELECT id FROM items WHERE plan_id = $1 AND status = 'closed'
          AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date
          AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date <= $3::date`,
      [planId, lastMeeting, reportDue],
    )) as { id: string }[];
    expect(pack.closedSince.items.map((i) => i.itemId).sort()).toEqual(closed.map((c) => c.id).sort());
    const snapshots = (await t.dataSource.query(
      `SELECT subject_id AS "sectionId", completion::float8 AS completion, light FROM rollup_snapshots
        WHERE plan_id = $1 AND period = '2022-06' AND kind = 'section'`,
      [planId],
    )) as { sectionId: string; completion: number | null; light: string | null }[];
    const sections = (await t.dataSource.query(`SELECT id FROM plan_sections WHERE plan_id = $1`, [
      planId,
    ])) as {
      id: string;
    }[];
    expect(snapshots.length).toBe(sections.length);
    expect(pack.sections).toHaveLength(sections.length);
    for (const s of snapshots) {
      expect(pack.sections.find((x) => x.sectionId === s.sectionId)).toMatchObject({
        completion: s.completion,
        light: s.light,
      });
    }
  });

  it('the unit ranking at the cut-off, with its change since the previous cycle', async () => {
    const pack = (await packAs('xxs.dispatch')) as Pack & {
      scoreboard: {
        unitId: string;
        rank: number | null;
        previousRank: number | null;
        change: number | null;
      }[];
    };
    const ranks = async (period: string) =>
      new Map(
        (
          (await t.dataSource.query(
            `SELECT subject_id AS "unitId", rank FROM rollup_snapshots WHERE plan_id = $1 AND period = $2 AND kind = 'unit-lead'`,
            [planId, period],
          )) as { unitId: string; rank: number | null }[]
        ).map((r) => [r.unitId, r.rank]),
      );
    const [june, may] = [await ranks('2022-06'), await ranks('2022-05')];
    expect(june.size).toBeGreaterThan(0);
    expect(pack.scoreboard).toHaveLength(june.size);
    for (const u of pack.scoreboard) {
      expect(u.rank).toBe(june.get(u.unitId));
      expect(u.previousRank).toBe(may.get(u.unitId) ?? null);
      if (u.rank !== null && u.previousRank !== null) expect(u.change).toBe(u.previousRank - u.rank);
    }
  });

  it("reports of each cycle by lead unit: counted in SQL, the same counts as the cycle's expected reports (JS rules), for every caller", async () => {
    const dispatch = await t.login('xxs.dispatch');
    // Every cadence present: the demo has weekly, monthly, once, ongoing and annual items; make two quarterly.
    await t.dataSource.query(
      `UPDATE items SET cadence = 'quarterly'
        WHERE id IN (SELECT id FROM items WHERE plan_id = $1 AND cadence = 'ongoing' ORDER BY id LIMIT 2)`,
      [planId],
    );
    const cycles = (await t.dataSource.query(
      `SELECT id, period FROM dispatch_cycles WHERE plan_id = $1 ORDER BY period`,
      [planId],
    )) as { id: string; period: string }[];
    expect(cycles.map((c) => c.period)).toContain('2022-12');
    let compared = 0;
    for (const cycle of cycles) {
      const expected = (
        await t.http().get(`/api/v1/cycles/${cycle.id}/expected-reports`).set(bearer(dispatch)).expect(200)
      ).body as { leadUnitName: string; state: string }[];
      const counts = new Map<string, { due: number; missing: number; late: number; onTime: number }>();
      for (const e of expected.filter((x) => x.state !== 'upcoming')) {
        const c = counts.get(e.leadUnitName) ?? { due: 0, missing: 0, late: 0, onTime: 0 };
        c.due++;
        if (e.state === 'missing') c.missing++;
        if (e.state === 'late') c.late++;
        if (e.state === 'on_time') c.onTime++;
        counts.set(e.leadUnitName, c);
      }
      const pack = (
        await t.http().get(`/api/v1/cycles/${cycle.id}/dispatch-pack`).set(bearer(dispatch)).expect(200)
      ).body as Pack & {
        reports: { leadUnit: string; due: number; missing: number; late: number; onTime: number }[];
      };
      expect({ period: cycle.period, units: pack.reports.length }).toEqual({
        period: cycle.period,
        units: counts.size,
      });
      for (const r of pack.reports)
        expect({ period: cycle.period, unit: r.leadUnit, ...counts.get(r.leadUnit) }).toEqual({
          period: cycle.period,
          unit: r.leadUnit,
          due: r.due,
          missing: r.missing,
          late: r.late,
          onTime: r.onTime,
        });
      compared += pack.reports.length;
      if (cycle.period === '2022-06') {
        expect(pack.reports.some((r) => r.missing > 0)).toBe(true);
        const member = (
          await t
            .http()
            .get(`/api/v1/cycles/${cycle.id}/dispatch-pack`)
            .set(bearer(await t.login('xxs.zhufeng1')))
            .expect(200)
        ).body as typeof pack;
        expect(member.reports).toEqual(pack.reports);
      }
    }
    expect(compared).toBeGreaterThan(12);
  });

  it("a squad member sees the same list, with other units' items counted but not described; other organizations see nothing", async () => {
    const member = await packAs('xxs.zhufeng1');
    const all = await packAs('xxs.dispatch');
    expect(member.overdue.map((o) => o.itemId)).toEqual(all.overdue.map((o) => o.itemId));
    const hidden = member.overdue.filter((o) => !o.visible);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((o) => o.title === null)).toBe(true);
    await t
      .http()
      .get(`/api/v1/cycles/${cycleId}/dispatch-pack`)
      .set(bearer(await t.login('yy.admin')))
      .expect(404);
  });

  it('escalation as of the cut-off, from the reminder ledger of the current deadline: 通报 counts every item that reached 督办', async () => {
    type Escalated = Omit<Pack, 'overdue' | 'summary'> & {
      overdue: (Pack['overdue'][number] & { escalation: string })[];
      notice: string[];
      summary: Pack['summary'] & { noticed: number };
    };
    const before = (await packAs('xxs.dispatch')) as Escalated;
    const candidates = before.overdue.filter((o) => o.escalation === 'none' || o.escalation === 'remind');
    expect(candidates.length).toBeGreaterThanOrEqual(4);
    const [a, b, c, d] = candidates;
    // a: 督办 by the cut-off; b: 督办 for a deadline it no longer has; c: 督办 only after the cut-off;
    // d: 催办 by the cut-off.
    const rows: [string, string, string, string][] = [
      [a.itemId, 'supervise', a.deadline, reportDue],
      [b.itemId, 'supervise', '2021-12-31', reportDue],
      [c.itemId, 'supervise', c.deadline, '2022-07-01'],
      [d.itemId, 'urge', d.deadline, reportDue],
    ];
    for (const [itemId, level, deadline, dueOn] of rows)
      await t.dataSource.query(
        `INSERT INTO reminders (key, organization_id, plan_id, item_id, kind, level, audience, due_on, title, lines)
         SELECT $2 || '.' || i.id || '.' || $3, i.organization_id, i.plan_id, i.id, $2, $2,
                CASE $2 WHEN 'urge' THEN 'lead_heads' ELSE 'leader_and_dispatch' END, $4, '测试', '[]'
           FROM items i WHERE i.id = $1`,
        [itemId, level, deadline, dueOn],
      );
    const pack = (await packAs('xxs.dispatch')) as Escalated;
    const level = new Map(pack.overdue.map((o) => [o.itemId, o.escalation]));
    expect([a, b, c, d].map((x) => level.get(x.itemId))).toEqual([
      'supervise',
      b.escalation,
      c.escalation,
      'urge',
    ]);
    expect([...pack.notice].sort()).toEqual([...before.notice, a.itemId].sort());
    expect(pack.summary.noticed).toBe(before.summary.noticed + 1);
  });

  it('long lists: the pack carries the first 200 rows of each, the totals count every row, and the paged lists give each row once, in order, under the same read rule', async () => {
    // 260 more items overdue at June's cut-off, copied from one of the plan's items. A closed
    // cycle's pack reads its items as they stood at the cut-off (item_history, stamped with the
    // business clock): they were created in March, as the plan's own items were.
    await pinDatabaseClock(t.dataSource, '2022-03-01T09:00:00+08:00');
    await t.dataSource.query(
      `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, lead_unit_id,
                          responsible_leader_id, owner_id, start_date, deadline, cadence, weight, status)
       SELECT organization_id, plan_id, section_id, task_id, 1000 + g, '补充逾期事项' || g, lead_unit_id,
              responsible_leader_id, owner_id, DATE '2022-01-01', DATE '2022-04-01' + (g % 60), cadence, weight, 'in_progress'
         FROM items, generate_series(1, 260) g
        WHERE id = (SELECT id FROM items WHERE plan_id = $1 AND status = 'in_progress' ORDER BY id LIMIT 1)`,
      [planId],
    );
    await pinDatabaseClock(t.dataSource, '2022-07-15T10:00:00+08:00');
    const expected = (
      (await t.dataSource.query(
        `SELECT id FROM items
          WHERE plan_id = $1 AND deadline < $2::date AND status NOT IN ('cancelled', 'suspended', 'draft')
            AND (closed_at IS NULL OR (closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`,
        [planId, reportDue],
      )) as { id: string }[]
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(260);

    const pack = (await packAs('xxs.dispatch')) as Pack & {
      listRows: number;
      summary: { atRisk: number; closedSince: number; noticed: number };
      atRisk: { itemId: string }[];
      closedSince: { total: number; items: { itemId: string }[] };
    };
    expect(pack.listRows).toBe(200);
    expect(pack.overdue).toHaveLength(200);
    expect(pack.summary.overdue).toBe(expected.length);

    type Page<T> = { total: number; page: number; pageSize: number; items: T[] };
    const pageThrough = async <T>(user: string, list: string, pageSize: number) => {
      const token = bearer(await t.login(user));
      const rows: T[] = [];
      for (let page = 1; ; page++) {
        const body = (
          await t
            .http()
            .get(`/api/v1/cycles/${cycleId}/dispatch-pack/${list}?page=${page}&pageSize=${pageSize}`)
            .set(token)
            .expect(200)
        ).body as Page<T>;
        expect({ page: body.page, pageSize: body.pageSize }).toEqual({ page, pageSize });
        rows.push(...body.items);
        if (body.items.length < pageSize) return { total: body.total, rows };
      }
    };
    const overdue = await pageThrough<Pack['overdue'][number]>('xxs.dispatch', 'overdue', 70);
    expect(overdue.total).toBe(expected.length);
    expect(overdue.rows.map((o) => o.itemId).sort()).toEqual([...expected].sort());
    // The pack's rows are the first page of the same order; most working days overdue first.
    expect(overdue.rows.slice(0, 200)).toEqual(pack.overdue);
    for (let i = 1; i < overdue.rows.length; i++)
      expect(overdue.rows[i - 1].overdueWorkdays).toBeGreaterThanOrEqual(overdue.rows[i].overdueWorkdays);

    // A squad member pages through the same rows, other units' details withheld.
    const member = await pageThrough<Pack['overdue'][number]>('xxs.zhufeng1', 'overdue', 70);
    expect(member.rows.map((o) => o.itemId)).toEqual(overdue.rows.map((o) => o.itemId));
    const hidden = member.rows.filter((o) => !o.visible);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((o) => o.title === null)).toBe(true);

    const atRisk = await pageThrough<{ itemId: string }>('xxs.dispatch', 'at-risk', 3);
    expect(atRisk.total).toBe(pack.summary.atRisk);
    expect(atRisk.rows).toEqual(pack.atRisk);
    const closed = await pageThrough<{ itemId: string }>('xxs.dispatch', 'closed', 2);
    expect(closed.total).toBe(pack.closedSince.total);
    expect(closed.rows).toEqual(pack.closedSince.items);

    const bad = await t
      .http()
      .get(`/api/v1/cycles/${cycleId}/dispatch-pack/overdue?pageSize=5000`)
      .set(bearer(await t.login('xxs.dispatch')))
      .expect(400);
    expect(bad.body.fields[0].field).toBe('pageSize');
    const deep = await t
      .http()
      .get(`/api/v1/cycles/${cycleId}/dispatch-pack/at-risk?page=99999999999`)
      .set(bearer(await t.login('xxs.dispatch')))
      .expect(400);
    expect(deep.body.fields[0].field).toBe('page');
    await t
      .http()
      .get(`/api/v1/cycles/${cycleId}/dispatch-pack/overdue`)
      .set(bearer(await t.login('yy.admin')))
      .expect(404);
  });
});
