import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RollupService } from '../../src/modules/rollup/rollup.service';
import { bearer, createTestApp, createTestWorker, TestApp } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';
import { waitFor } from '../helpers/services';

// The database's clock (a Wednesday) against processes whose own clocks disagree: DUBAN_NOW 35 days
// ahead (what pinned a process before) and the machine's real time (years later). Only the
// database's instant may appear in what they write.
const DB_NOW = '2023-06-28T10:00:00+08:00';
const DB_INSTANT = new Date(DB_NOW).toISOString();
const DB_TODAY = '2023-06-28';
const AHEAD = '2023-08-02T10:00:00+08:00';

describe('业务时钟 (the database clock is the one clock)', () => {
  let t: TestApp;
  let dir: string;
  let idx: OrgIndex;
  let dispatch: string;
  let owner: string;
  let planId: string;
  let taskId: string;
  let otherTaskId: string;

  const at = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
  const newItem = async (title: string, deadline: string, task = taskId) =>
    (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send({
          taskId: task,
          title,
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
          startDate: '2023-01-01',
          deadline,
          cadence: 'monthly',
        })
        .expect(201)
    ).body as { id: string; version: number };
  const item = async (id: string) =>
    (await t.http().get(`/api/v1/items/${id}`).set(bearer(dispatch)).expect(200)).body as {
      version: number;
      status: string;
      overdue: boolean;
      closedAt: string | null;
    };
  const closedAt = async (id: string) =>
    at(
      (
        (await t.dataSource.query(`SELECT closed_at FROM items WHERE id = $1`, [id])) as { closed_at: Date }[]
      )[0].closed_at,
    );
  const reportWithEvidence = async (itemId: string) => {
    const draft = (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/2023-06`)
        .set(bearer(owner))
        .send({ percent: 100, progress: '已完成' })
        .expect(200)
    ).body as { id: string };
    const withFile = await t
      .http()
      .post(`/api/v1/reports/${draft.id}/evidence`)
      .set(bearer(owner))
      .attach('file', Buffer.from('%PDF-1.7\n验收记录'), { filename: '验收记录.pdf' })
      .expect(201);
    return withFile.body as { id: string; version: number; evidence: { id: string }[] };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-evidence-'));
    t = await createTestApp({ DUBAN_NOW: AHEAD, EVIDENCE_DIR: dir });
    await pinDatabaseClock(t.dataSource, DB_NOW);
    [dispatch, owner] = await Promise.all(['xxs.dispatch', 'xxs.zhufeng1'].map((u) => t.login(u)));
    idx = await indexOrg(t, dispatch);
    const fx = await makeDraftPlan(t, dispatch, '时钟测试计划');
    planId = fx.planId;
    taskId = fx.taskId;
    otherTaskId = (
      await t
        .http()
        .post(`/api/v1/sections/${fx.sectionId}/tasks`)
        .set(bearer(dispatch))
        .send({ title: '随任务关闭的重点任务', numbering: '（二）' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a report submitted, returned, resubmitted and approved carries the database time, not the API process time', async () => {
    const { id } = await newItem('报送时间跟随数据库时钟', '2023-12-31');
    const report = await reportWithEvidence(id);
    let r = (
      await t
        .http()
        .post(`/api/v1/reports/${report.id}/submit`)
        .set(bearer(owner))
        .send({ version: report.version })
        .expect(200)
    ).body;
    r = (
      await t
        .http()
        .post(`/api/v1/reports/${report.id}/return`)
        .set(bearer(dispatch))
        .send({ version: r.version, comment: '请补充照片' })
        .expect(200)
    ).body;
    const [returned] = (await t.dataSource.query(
      `SELECT submitted_at, first_submitted_at, reviewed_at FROM progress_reports WHERE id = $1`,
      [report.id],
    )) as Record<string, Date>[];
    expect([returned.submitted_at, returned.first_submitted_at, returned.reviewed_at].map(at)).toEqual([
      DB_INSTANT,
      DB_INSTANT,
      DB_INSTANT,
    ]);
    // The reporter's message about the return is dated, and read, on the business clock too.
    const inbox = (await t.http().get('/api/v1/inbox').set(bearer(owner)).expect(200)).body as {
      items: { id: string; itemId: string | null; createdAt: string; readAt: string | null }[];
    };
    const notice = inbox.items.find((m) => m.itemId === id)!;
    expect(at(new Date(notice.createdAt))).toBe(DB_INSTANT);
    await t.http().post(`/api/v1/inbox/${notice.id}/read`).set(bearer(owner)).expect(204);
    const [read] = (await t.dataSource.query(`SELECT read_at FROM notifications WHERE id = $1`, [
      notice.id,
    ])) as { read_at: Date }[];
    expect(at(read.read_at)).toBe(DB_INSTANT);
    const [reminder] = (await t.dataSource.query(
      `SELECT r.created_at FROM reminders r JOIN deliveries d ON d.reminder_id = r.id
         JOIN notifications n ON n.delivery_id = d.id WHERE n.id = $1`,
      [notice.id],
    )) as { created_at: Date }[];
    expect(at(reminder.created_at)).toBe(DB_INSTANT);

    // The database clock moves on a day; the resubmission and the approval follow it, the first
    // submission (the on-time basis) does not.
    await pinDatabaseClock(t.dataSource, '2023-06-29T09:30:00+08:00');
    try {
      r = (
        await t
          .http()
          .put(`/api/v1/items/${id}/reports/2023-06`)
          .set(bearer(owner))
          .send({ version: r.version, percent: 100, progress: '已完成，已补充照片' })
          .expect(200)
      ).body;
      r = (
        await t
          .http()
          .post(`/api/v1/reports/${report.id}/submit`)
          .set(bearer(owner))
          .send({ version: r.version })
          .expect(200)
      ).body;
      await t
        .http()
        .post(`/api/v1/reports/${report.id}/approve`)
        .set(bearer(dispatch))
        .send({ version: r.version })
        .expect(200);
      const [approved] = (await t.dataSource.query(
        `SELECT submitted_at, first_submitted_at, reviewed_at FROM progress_reports WHERE id = $1`,
        [report.id],
      )) as Record<string, Date>[];
      const nextDay = new Date('2023-06-29T09:30:00+08:00').toISOString();
      expect(at(approved.submitted_at)).toBe(nextDay);
      expect(at(approved.reviewed_at)).toBe(nextDay);
      expect(at(approved.first_submitted_at)).toBe(DB_INSTANT);
    } finally {
      await pinDatabaseClock(t.dataSource, DB_NOW);
    }
  });

  it('an item closed by an approved close-out or with its key task gets the database time; so do decisions', async () => {
    // By close-out (销号) approval, and a deadline extension decided on the way.
    const b = await newItem('申请销号办结', '2023-07-31');
    const ext = await t
      .http()
      .post(`/api/v1/items/${b.id}/extensions`)
      .set(bearer(owner))
      .send({ requestedDeadline: '2023-09-30', reason: '汛期影响施工' })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/extensions/${ext.body.id}/approve`)
      .set(bearer(dispatch))
      .send({})
      .expect(200);
    const report = await reportWithEvidence(b.id);
    const closeout = await t
      .http()
      .post(`/api/v1/items/${b.id}/closeouts`)
      .set(bearer(owner))
      .send({ note: '已完成', evidenceIds: [report.evidence[0].id] })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/closeouts/${closeout.body.id}/approve`)
      .set(bearer(dispatch))
      .send({})
      .expect(200);
    expect(await closedAt(b.id)).toBe(DB_INSTANT);
    const decided = (await t.dataSource.query(
      `SELECT decided_at FROM deadline_extensions WHERE item_id = $1
       UNION ALL SELECT decided_at FROM closeout_requests WHERE item_id = $1`,
      [b.id],
    )) as { decided_at: Date }[];
    expect(decided.map((d) => at(d.decided_at))).toEqual([DB_INSTANT, DB_INSTANT]);

    // With its key task (一并销号).
    const c = await newItem('随重点任务销号', '2023-12-31', otherTaskId);
    await t
      .http()
      .post(`/api/v1/tasks/${otherTaskId}/close`)
      .set(bearer(dispatch))
      .send({ status: 'closed', openItems: 'close' })
      .expect(200);
    expect(await closedAt(c.id)).toBe(DB_INSTANT);
  });

  it("the API's today is the database's: overdue flags, the scoreboard date, cycles and the dispatch pack", async () => {
    // Due 07-15: not overdue on the database's 06-28; overdue by the process's DUBAN_NOW or real clock.
    const d = await newItem('七月中旬完成的事项', '2023-07-15');
    expect((await item(d.id)).overdue).toBe(false);
    const page = (
      await t.http().get('/api/v1/items').query({ planId, q: '七月中旬' }).set(bearer(dispatch)).expect(200)
    ).body as { items: { id: string; overdue: boolean }[] };
    expect(page.items.find((i) => i.id === d.id)?.overdue).toBe(false);
    // Published on the database's clock.
    await t.http().post(`/api/v1/plans/${planId}/publish`).set(bearer(dispatch)).expect(200);
    const [plan] = (await t.dataSource.query(`SELECT published_at FROM plans WHERE id = $1`, [planId])) as {
      published_at: Date;
    }[];
    expect(at(plan.published_at)).toBe(DB_INSTANT);

    const board = (await t.http().get(`/api/v1/plans/${planId}/scoreboard`).set(bearer(dispatch)).expect(200))
      .body as { asOf: string };
    expect(board.asOf).toBe(DB_TODAY);
    const cycles = (await t.http().get(`/api/v1/plans/${planId}/cycles`).set(bearer(dispatch)).expect(200))
      .body as { id: string; period: string; reportDue: string; status: string }[];
    for (const c of cycles) expect(c.status).toBe(c.reportDue < DB_TODAY ? 'closed' : 'open');
    const july = cycles.find((c) => c.period === '2023-07')!;
    expect(july.status).toBe('open');
    const pack = (
      await t.http().get(`/api/v1/cycles/${july.id}/dispatch-pack`).set(bearer(dispatch)).expect(200)
    ).body as { asOf: string; closed: boolean };
    expect(pack).toMatchObject({ asOf: DB_TODAY, closed: false });
  });

  it("a worker whose clock runs ahead computes lights and closes cycles on the database's today", async () => {
    const worker = await createTestWorker(t, { DUBAN_NOW: AHEAD });
    try {
      const [d] = (await t.dataSource.query(
        `SELECT id FROM items WHERE plan_id = $1 AND deadline = '2023-07-15'`,
        [planId],
      )) as { id: string }[];
      // The publish's roll-up, through the relay and the queue.
      await waitFor(
        'roll-up of the published plan',
        async () =>
          (
            (await t.dataSource.query(
              `SELECT (SELECT count(*) FROM rollup_pending WHERE plan_id = $1)::int AS pending,
                      (SELECT count(*) FROM item_status WHERE item_id = $2)::int AS done`,
              [planId, d.id],
            )) as { pending: number; done: number }[]
          ).every((r) => r.pending === 0 && r.done === 1),
        10000,
        100,
      );
      // The stored figures are those of the database's 06-28: not overdue (the deadline is 07-15),
      // and the same as the API's own assessment for that day.
      const status = async () =>
        (await t.http().get(`/api/v1/items/${d.id}/status`).set(bearer(dispatch)).expect(200)).body as {
          computed: { expected: number; light: string; overdueWorkdays: number; missingReports: number };
          expected: number;
          light: string;
          reasons: { code: string }[];
        };
      const s = await status();
      expect(s.computed.overdueWorkdays).toBe(0);
      expect(s.reasons.map((r) => r.code)).not.toContain('overdue');
      expect(s.computed.light).toBe(s.light);
      expect(s.computed.expected).toBeCloseTo(s.expected, 1);

      // The scheduled full recompute: same figures, and only cycles past their cut-off on the
      // database's today close, stamped with its time.
      await worker.get(RollupService).recomputeAll('clock-test');
      expect((await status()).computed.overdueWorkdays).toBe(0);
      const cycles = (await t.dataSource.query(
        `SELECT period, report_due, status, closed_at FROM dispatch_cycles WHERE plan_id = $1 ORDER BY period`,
        [planId],
      )) as { period: string; report_due: string; status: string; closed_at: Date | null }[];
      expect(cycles.filter((c) => c.status === 'closed').map((c) => c.period)).toEqual(
        cycles.filter((c) => c.report_due < DB_TODAY).map((c) => c.period),
      );
      expect(cycles.find((c) => c.period === '2023-06')).toMatchObject({ status: 'closed' });
      expect(cycles.find((c) => c.period === '2023-07')).toMatchObject({ status: 'open', closed_at: null });
      for (const c of cycles.filter((x) => x.status === 'closed')) expect(at(c.closed_at)).toBe(DB_INSTANT);
    } finally {
      await worker.close();
    }
  });

  it('duban_now() is PL/pgSQL, planned once per connection, and reads the pin as before', async () => {
    // As a SQL function its sub-select kept it from being inlined, so Postgres planned its body again in
    // every statement that called it (≈ 35 µs per statement: the guard's session lookup on every request).
    const [fn] = (await t.dataSource.query(
      `SELECT l.lanname, p.provolatile FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
        WHERE p.proname = 'duban_now'`,
    )) as { lanname: string; provolatile: string }[];
    expect(fn).toEqual({ lanname: 'plpgsql', provolatile: 's' });
    const rollback = new Error('rolled back on purpose');
    const checks = t.dataSource.transaction(async (em) => {
      const now = async () => at(((await em.query(`SELECT duban_now() AS v`)) as { v: Date }[])[0].v);
      expect(await now()).toBe(DB_INSTANT);
      // Running from the pin: the instant plus the time since it was set (now() is the transaction's).
      await em.query(`UPDATE clock_pin SET frozen = false, set_at = now() - interval '90 seconds'`);
      expect(await now()).toBe(new Date(new Date(DB_NOW).getTime() + 90_000).toISOString());
      // No pin: the database's own time.
      await em.query(`DELETE FROM clock_pin`);
      const [{ real }] = (await em.query(`SELECT now() AS real`)) as { real: Date }[];
      expect(await now()).toBe(real.toISOString());
      throw rollback;
    });
    await expect(checks).rejects.toBe(rollback);
    expect(at(((await t.dataSource.query(`SELECT duban_now() AS v`)) as { v: Date }[])[0].v)).toBe(
      DB_INSTANT,
    );
  });
});
