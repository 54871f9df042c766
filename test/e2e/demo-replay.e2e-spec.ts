import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { replayDemo, seedBase } from '../../seeds';
import { ACTIONS } from '../../seeds/replay/meeting-plan';
import { SQUAD_ITEMS } from '../../seeds/replay/squads';
import { scriptHash } from '../../seeds/replay/runner';
import { buildScript } from '../../seeds/replay/script';
import { readReplayWorld } from '../../seeds/replay/world';
import { AppConfig } from '../../src/core/config/app-config';
import { createMigrationDataSource, dataSourceOptions } from '../../src/core/database/data-source';
import { runMigrationsLocked } from '../../src/core/database/migrate';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { createTestDatabase, dropTestDatabase } from '../helpers/db';
import { baseEnv, TEST_PASSWORD, withDatabase } from '../helpers/env';
import { expectedLedger } from '../helpers/replay-ledger';

const NOW = '2022-06-15T10:00:00+08:00';

interface Pack {
  asOf: string;
  closed: boolean;
  summary: Record<string, number | null>;
  overdue: { title: string; carriedForward: boolean }[];
  atRisk: { title: string; carriedForward: boolean }[];
  reports: { leadUnit: string; due: number; onTime: number; late: number; missing: number }[];
  trend: { period: string; completion: number | null; live: boolean }[];
  previousMeeting: {
    heldOn: string;
    actions: { itemId: string | null; title: string | null; status: string | null; done: boolean }[];
  } | null;
}

/**
 * `seed` with a demo day replays January → mid-June 2022 through the services into an empty
 * database (migrated, nothing seeded), here interrupted once and continued, then run again (a
 * no-op). What a user finds afterwards is checked through the API: lights in the target ranges,
 * per-unit report punctuality, a rising trend, the May pack, inboxes, meetings; and the rows are the
 * services' own: audit records by the acting users, and a reminder ledger equal to what the pure
 * rules call for on each replayed day.
 */
describe('demo replay: the half-year produced by the services', () => {
  let database: string;
  let config: AppConfig;
  let ds: DataSource;
  let t: TestApp;
  let first: Awaited<ReturnType<typeof replayDemo>> | null = null;
  let crashedAt = 0;
  const tokens = new Map<string, string>();
  const as = async (username: string) => {
    if (!tokens.has(username)) tokens.set(username, await t.login(username));
    return bearer(tokens.get(username)!);
  };
  const planOf = async (org: string) =>
    (
      (await ds.query(
        `SELECT p.id FROM plans p JOIN organizations o ON o.id = p.organization_id WHERE o.code = $1`,
        [org],
      )) as { id: string }[]
    )[0].id;
  const cycleOf = async (org: string, period: string) =>
    (
      (await ds.query(
        `SELECT c.id, c.meeting_date AS "meetingDate" FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id
           JOIN organizations o ON o.id = p.organization_id WHERE o.code = $1 AND c.period = $2`,
        [org, period],
      )) as { id: string; meetingDate: string }[]
    )[0];
  const counts = async () =>
    (
      (await ds.query(
        `SELECT (SELECT count(*) FROM progress_reports)::int AS reports, (SELECT count(*) FROM reminders)::int AS reminders,
                (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM items)::int AS items,
                (SELECT count(*) FROM meetings)::int AS meetings, (SELECT count(*) FROM notifications)::int AS inbox`,
      )) as Record<string, number>[]
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase('fresh', null);
    const env = baseEnv();
    config = AppConfig.fromEnv({
      ...env,
      DATABASE_URL: withDatabase(env.DATABASE_URL, database),
      MIGRATION_DATABASE_URL: withDatabase(env.MIGRATION_DATABASE_URL, database),
      DATABASE_POOL_SIZE: '6',
      REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
      EVIDENCE_DIR: mkdtempSync(join(tmpdir(), 'duban-replay-evidence-')),
      DUBAN_NOW: NOW,
    });
    const migrator = createMigrationDataSource(config, 'duban-test-migrate');
    await migrator.initialize();
    await runMigrationsLocked(migrator).finally(() => migrator.destroy());
    ds = new DataSource(dataSourceOptions(config));
    await ds.initialize();

    await seedBase(ds, TEST_PASSWORD, { replay: true });
    // A run stopped a third of the way in, right after a busy instant's steps committed but before
    // its progress was recorded (as a crash or Ctrl-C would leave it); the next `seed` continues it.
    const world = await readReplayWorld(ds, new Date(NOW).toISOString());
    const { events } = buildScript(world.input);
    crashedAt = events.findIndex((e, i) => i > events.length / 3 && e.step.kind === 'report-submit');
    await expect(replayDemo(config, ds, { crashAfter: crashedAt })).rejects.toThrow('模拟中断');
    first = await replayDemo(config, ds);
    t = await createTestApp({ DATABASE_NAME: database, EVIDENCE_DIR: config.evidence.dir, DUBAN_NOW: NOW });
  }, 600_000);

  afterAll(async () => {
    await t?.close();
    await ds?.destroy();
    if (database) await dropTestDatabase(database);
  });

  it('an interrupted replay continued where it stopped, and a second seed replays nothing', async () => {
    expect(first).toMatchObject({ status: 'done' });
    expect(first!.performed).toBeLessThan(first!.events);
    const [row] = (await ds.query(
      `SELECT next_event, total_events, finished_at, script_hash FROM demo_replay`,
    )) as {
      next_event: number;
      total_events: number;
      finished_at: Date | null;
      script_hash: string;
    }[];
    expect(row.next_event).toBe(row.total_events);
    expect(row.finished_at).not.toBeNull();
    const world = await readReplayWorld(ds, new Date(NOW).toISOString());
    expect(row.script_hash).toBe(scriptHash(buildScript(world.input).events));

    const before = await counts();
    await seedBase(ds, TEST_PASSWORD, { replay: true });
    await expect(replayDemo(config, ds)).resolves.toMatchObject({ status: 'finished' });
    expect(await counts()).toEqual(before);
  });

  it('lights on the demo day fall in the ranges a dispatch office expects, for each plan', async () => {
    const all = { red: 0, yellow: 0, green: 0 };
    for (const [org, user] of [
      ['xxs', 'xxs.dispatch'],
      ['yueyang', 'yy.dispatch'],
    ]) {
      const res = await t
        .http()
        .get(`/api/v1/plans/${await planOf(org)}/tree`)
        .set(await as(user))
        .expect(200);
      const f = (res.body as { figures: { red: number; yellow: number; green: number } }).figures;
      const n = f.red + f.yellow + f.green;
      expect(f.green / n).toBeGreaterThanOrEqual(0.6);
      expect(f.green / n).toBeLessThanOrEqual(0.75);
      expect(f.yellow / n).toBeGreaterThanOrEqual(0.15);
      expect(f.yellow / n).toBeLessThanOrEqual(0.25);
      expect(f.red / n).toBeGreaterThanOrEqual(0.1);
      expect(f.red / n).toBeLessThanOrEqual(0.2);
      for (const k of ['red', 'yellow', 'green'] as const) all[k] += f[k];
    }
    expect(all.red + all.yellow + all.green).toBeGreaterThan(130);
  });

  it('every lead unit filed 60–100 % of its reports on time, and the units differ', async () => {
    const rates: number[] = [];
    for (const [org, user] of [
      ['xxs', 'xxs.dispatch'],
      ['yueyang', 'yy.dispatch'],
    ]) {
      const res = await t
        .http()
        .get(`/api/v1/plans/${await planOf(org)}/scoreboard`)
        .set(await as(user))
        .expect(200);
      for (const u of (res.body as { lead: { reportOnTimePercent: number | null }[] }).lead) {
        if (u.reportOnTimePercent !== null) rates.push(u.reportOnTimePercent);
      }
    }
    expect(rates.length).toBeGreaterThan(20);
    for (const r of rates) {
      expect(r).toBeGreaterThanOrEqual(60);
      expect(r).toBeLessThanOrEqual(100);
    }
    expect(new Set(rates).size).toBeGreaterThan(3);
  });

  it("each plan's trend has a rising point per closed cycle and June's live point; so has June's pack", async () => {
    for (const [org, user] of [
      ['xxs', 'xxs.dispatch'],
      ['yueyang', 'yy.dispatch'],
    ]) {
      const res = await t
        .http()
        .get(`/api/v1/plans/${await planOf(org)}/trend`)
        .set(await as(user))
        .expect(200);
      const points = (
        res.body as { points: { period: string; kind: string; completion: number; live: boolean }[] }
      ).points.filter((p) => p.kind === 'plan');
      // One point per closed cycle, then June's live figures.
      expect(points.map((p) => [p.period, p.live])).toEqual([
        ['2022-01', false],
        ['2022-02', false],
        ['2022-03', false],
        ['2022-04', false],
        ['2022-05', false],
        ['2022-06', true],
      ]);
      for (let i = 1; i < points.length; i++) {
        expect(points[i].completion).toBeGreaterThan(points[i - 1].completion);
      }
      const june = await cycleOf(org, '2022-06');
      const pack = (
        await t
          .http()
          .get(`/api/v1/cycles/${june.id}/dispatch-pack`)
          .set(await as(user))
          .expect(200)
      ).body as Pack;
      expect(pack.trend.map((p) => [p.period, p.live])).toEqual([
        ['2022-01', false],
        ['2022-02', false],
        ['2022-03', false],
        ['2022-04', false],
        ['2022-05', false],
        ['2022-06', true],
      ]);
      expect(new Set(pack.trend.map((p) => p.completion)).size).toBe(6);
    }
  });

  it("May's pack has report counts, overdue, at-risk and carried-over items, and April's meeting actions", async () => {
    const may = await cycleOf('xxs', '2022-05');
    const april = await cycleOf('xxs', '2022-04');
    const pack = (
      await t
        .http()
        .get(`/api/v1/cycles/${may.id}/dispatch-pack`)
        .set(await as('xxs.dispatch'))
        .expect(200)
    ).body as Pack;
    expect(pack.closed).toBe(true);
    expect(pack.reports.length).toBeGreaterThan(5);
    expect(pack.reports.reduce((a, r) => a + r.due, 0)).toBeGreaterThan(50);
    expect(pack.reports.reduce((a, r) => a + r.late, 0)).toBeGreaterThan(0);
    expect(pack.overdue.length).toBeGreaterThan(0);
    expect(pack.atRisk.length).toBeGreaterThan(0);
    expect([...pack.overdue, ...pack.atRisk].some((i) => i.carriedForward)).toBe(true);
    expect(pack.previousMeeting?.heldOn).toBe(april.meetingDate);
    expect(pack.previousMeeting!.actions.map((a) => a.title)).toEqual(ACTIONS.xxs['04'].map((a) => a.title));
    expect(pack.previousMeeting!.actions.some((a) => a.done)).toBe(true);
  });

  it('squad members and heads have their reminders in their inbox, newest first', async () => {
    for (const user of ['xxs.zhufeng1', 'xxs.zhufeng']) {
      const res = await t
        .http()
        .get('/api/v1/inbox?pageSize=100')
        .set(await as(user))
        .expect(200);
      const body = res.body as { total: number; items: { id: string; level: string; title: string }[] };
      expect(body.total).toBeGreaterThan(0);
      const ids = body.items.map((n) => Number(n.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    }
    // The head's newest message is the demo day's 催办 of the overdue 交办 item of May's meeting.
    const head = await t
      .http()
      .get('/api/v1/inbox?pageSize=1')
      .set(await as('xxs.zhufeng'))
      .expect(200);
    expect((head.body as { items: { level: string; title: string }[] }).items[0]).toMatchObject({
      level: 'urge',
      title: expect.stringContaining('竹峰市场周边流动摊贩整治') as string,
    });
  });

  it('the dispatch office broke key tasks down to the squads on day one, and the squads report on them monthly', async () => {
    const rows = (await ds.query(
      `SELECT i.title, u.code AS unit, t.title AS task,
              (SELECT min(r.period_key) FROM progress_reports r WHERE r.item_id = i.id) AS "firstPeriod",
              (SELECT count(*) FROM progress_reports r WHERE r.item_id = i.id AND r.status = 'approved')::int AS approved,
              EXISTS (SELECT 1 FROM audit_log a JOIN users au ON au.id = a.actor_id
                       WHERE a.entity_id = i.id::text AND a.action = 'create' AND au.username = 'xxs.dispatch') AS "byOffice"
         FROM items i JOIN units u ON u.id = i.lead_unit_id JOIN plan_tasks t ON t.id = i.task_id
         JOIN organizations o ON o.id = i.organization_id
        WHERE o.code = 'xxs' AND i.title = ANY($1::text[]) AND i.meeting_outcome_id IS NULL ORDER BY i.title`,
      [SQUAD_ITEMS.xxs.map((x) => x.title)],
    )) as {
      title: string;
      unit: string;
      task: string;
      dayOne: boolean;
      approved: number;
      byOffice: boolean;
    }[];
    expect(rows.map((r) => [r.title, r.unit, r.task]).sort()).toEqual(
      SQUAD_ITEMS.xxs.map((x) => [x.title, x.leadUnit, x.task]).sort(),
    );
    for (const r of rows) {
      // Created on day one (the script spec checks the instant): reported on from January.
      expect(r).toMatchObject({ firstPeriod: '2022-01', byOffice: true });
      expect(r.approved).toBeGreaterThanOrEqual(4);
    }
  });

  it('work is in flight at 06-15 10:00: each reviewer has a short queue, with an extension and a close-out', async () => {
    const queue = async (user: string) =>
      (
        await t
          .http()
          .get('/api/v1/reviews?pageSize=100')
          .set(await as(user))
          .expect(200)
      ).body as { total: number; items: { kind: string; item: { title: string } }[] };
    for (const user of [
      'xxs.zhufeng',
      'xxs.brigade',
      'xxs.dispatch',
      'xxs.liming',
      'yy.police',
      'yy.dispatch',
    ]) {
      const q = await queue(user);
      expect([user, q.total > 0]).toEqual([user, true]);
      expect(q.total).toBeLessThan(40);
    }
    // The head's queue is not the walk-through's item (its June report is still to be filled).
    const head = await queue('xxs.zhufeng');
    expect(head.items.every((r) => r.item.title !== '竹峰片区停车秩序整治')).toBe(true);
    expect(new Set((await queue('xxs.dispatch')).items.map((r) => r.kind))).toEqual(
      new Set(['report', 'extension', 'closeout']),
    );
    expect((await queue('xxs.liming')).items.map((r) => r.kind)).toContain('extension');
    // The close-out waits with its evidence.
    const [closeout] = (await ds.query(
      `SELECT count(*)::int AS n FROM closeout_requests c WHERE c.status = 'pending'
          AND EXISTS (SELECT 1 FROM evidence_files e WHERE e.item_id = c.item_id)`,
    )) as { n: number }[];
    expect(closeout.n).toBeGreaterThan(0);
  });

  it("the README's walk-through: xxs.zhufeng1 has June's report of a 竹峰 item with a target to fill; a member has a returned report", async () => {
    const summary = async (user: string) =>
      (
        await t
          .http()
          .get('/api/v1/me/summary')
          .set(await as(user))
          .expect(200)
      ).body as { reportDue: number; returned: number };
    expect((await summary('xxs.zhufeng1')).reportDue).toBeGreaterThanOrEqual(1);
    const due = (
      await t
        .http()
        .get('/api/v1/items?mine=true&todo=report_due&pageSize=100')
        .set(await as('xxs.zhufeng1'))
        .expect(200)
    ).body as { items: { id: string; title: string; leadUnit: { name: string }; targets: unknown[] }[] };
    const item = due.items.find((i) => i.title === '竹峰片区停车秩序整治')!;
    expect(item).toMatchObject({ leadUnit: { name: '竹峰综合执法中队' } });
    expect(item.targets.length).toBeGreaterThan(0);
    const reports = (await ds.query(
      `SELECT period_key AS period, status FROM progress_reports WHERE item_id = $1 ORDER BY period_key`,
      [item.id],
    )) as { period: string; status: string }[];
    expect(reports.map((r) => r.period)).toEqual(['2022-01', '2022-02', '2022-03', '2022-04', '2022-05']);
    for (const r of reports) expect(r.status).toBe('approved');
    expect((await summary('xxs.dongcheng1')).returned).toBeGreaterThanOrEqual(1);
  });

  it('every monthly meeting from February to June was held, and its actions became items, some closed since', async () => {
    const rows = (await ds.query(
      `SELECT o.code, c.period, m.held_on AS "heldOn", count(i.id)::int AS actions,
              count(i.id) FILTER (WHERE i.status = 'closed')::int AS closed
         FROM meetings m JOIN dispatch_cycles c ON c.id = m.cycle_id JOIN organizations o ON o.id = m.organization_id
         LEFT JOIN meeting_outcomes mo ON mo.meeting_id = m.id AND mo.kind = 'action'
         LEFT JOIN items i ON i.meeting_outcome_id = mo.id
        GROUP BY 1, 2, 3 ORDER BY 1, 2`,
    )) as { code: string; period: string; heldOn: string; actions: number; closed: number }[];
    for (const org of ['xxs', 'yueyang']) {
      const mine = rows.filter((r) => r.code === org);
      expect(mine.map((r) => r.heldOn.slice(0, 7))).toEqual([
        '2022-02',
        '2022-03',
        '2022-04',
        '2022-05',
        '2022-06',
      ]);
      for (const r of mine) expect(r.actions).toBeGreaterThan(0);
      expect(mine.reduce((a, r) => a + r.closed, 0)).toBeGreaterThan(0);
    }
  });

  it('reports, reviews and requests are rows the services wrote, each with its audit record by the acting user', async () => {
    const reports = (await ds.query(
      `SELECT r.id, r.status, r.created_by AS "createdBy", r.reviewed_by AS "reviewedBy",
              (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "submittedOn",
              (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "reviewedOn",
              EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = r.item_id::text AND a.action = 'report-create'
                        AND a.actor_id = r.created_by AND a.request_id = 'demo-replay'
                        AND a.after->>'periodKey' = r.period_key) AS created,
              EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = r.item_id::text AND a.action = 'report-approve'
                        AND a.actor_id = r.reviewed_by AND a.after->>'reportId' = r.id::text) AS approved
         FROM progress_reports r`,
    )) as {
      status: string;
      submittedOn: string | null;
      reviewedOn: string | null;
      created: boolean;
      approved: boolean;
    }[];
    expect(reports.length).toBeGreaterThan(500);
    for (const r of reports) {
      expect(r.created).toBe(true);
      // Business times come from the pinned clock: the replayed day, not the day the seed ran.
      expect(r.submittedOn! >= '2022-01-04' && r.submittedOn! <= '2022-06-15').toBe(true);
      if (r.status === 'approved') expect(r.approved).toBe(true);
    }
    // Heads returned some of their members' reports, the dispatch office some of the heads'.
    const returns = (await ds.query(
      `SELECT DISTINCT u.roles[1] AS role FROM audit_log a JOIN users u ON u.id = a.actor_id
        WHERE a.action = 'report-return' AND a.after->>'comment' <> ''`,
    )) as { role: string }[];
    expect(returns.map((r) => r.role).sort()).toEqual(['dispatcher', 'head']);
    const requests = (await ds.query(
      `SELECT (SELECT count(*) FROM deadline_extensions WHERE status = 'approved')::int AS granted,
              (SELECT count(*) FROM deadline_extensions WHERE status = 'refused')::int AS refused,
              (SELECT count(*) FROM closeout_requests WHERE status = 'approved')::int AS closed,
              (SELECT count(*) FROM closeout_requests WHERE status = 'rejected')::int AS rejected`,
    )) as Record<string, number>[];
    for (const n of Object.values(requests[0])) expect(n).toBeGreaterThan(0);
    const verify = await t
      .http()
      .get('/api/v1/audit/verify')
      .set(await as('xxs.dispatch'))
      .expect(200);
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('the reminder ledger is exactly what the rules call for on each replayed day, with its inbox messages', async () => {
    const world = await readReplayWorld(ds, new Date(NOW).toISOString());
    const { events } = buildScript(world.input);
    const actions = (await ds.query(
      `SELECT o.code AS org, c.period, i.id FROM items i JOIN meeting_outcomes mo ON mo.id = i.meeting_outcome_id
         JOIN meetings m ON m.id = mo.meeting_id JOIN dispatch_cycles c ON c.id = m.cycle_id
         JOIN organizations o ON o.id = m.organization_id ORDER BY o.code, c.period, mo.sort_order`,
    )) as { org: string; period: string; id: string }[];
    const actionIds = new Map<string, string>();
    for (const a of actions) {
      let n = 0;
      while (actionIds.has(`${a.org}#${a.period}#${n}`)) n++;
      actionIds.set(`${a.org}#${a.period}#${n}`, a.id);
    }
    const expected = expectedLedger(world.input.plans, events, {
      item: (key) => world.itemIds.get(key) ?? actionIds.get(key)!,
      user: (username) => world.users.get(username)!.id,
    });
    // The scan's ledger; decisions' messages (level notice) are checked below.
    const ledger = (await ds.query(
      `SELECT r.key, r.level, (SELECT count(*) FROM deliveries d JOIN notifications n ON n.delivery_id = d.id
                                WHERE d.reminder_id = r.id)::int AS inbox
         FROM reminders r WHERE r.level <> 'notice'`,
    )) as { key: string; level: string; inbox: number }[];
    expect(ledger.map((r) => r.key).sort()).toEqual([...expected].sort());
    const levels = new Set(ledger.map((r) => r.level));
    expect([...levels].sort()).toEqual(['digest', 'remind', 'supervise', 'urge']);
    for (const r of ledger) expect(r.inbox).toBeGreaterThan(0);
    // Each 催办 and 督办 is numbered and recorded on its item.
    const orders = (await ds.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = r.item_id::text
                AND a.action = r.level AND a.after->>'orderNumber' = r.order_number))::int AS audited
         FROM reminders r WHERE r.level IN ('urge', 'supervise')`,
    )) as { n: number; audited: number }[];
    expect(orders[0].n).toBeGreaterThan(0);
    expect(orders[0].audited).toBe(orders[0].n);
    // Every report returned to someone else told them why, in their inbox (issue 15).
    const [notices] = (await ds.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE strpos(nt.body, '退回理由：') > 0)::int AS inbox
         FROM reminders r LEFT JOIN deliveries d ON d.reminder_id = r.id AND d.channel = 'inapp'
         LEFT JOIN notifications nt ON nt.delivery_id = d.id
        WHERE r.level = 'notice' AND r.kind = 'report_returned'`,
    )) as { n: number; inbox: number }[];
    expect(notices.n).toBeGreaterThan(0);
    expect(notices.inbox).toBe(notices.n);
  });
});
