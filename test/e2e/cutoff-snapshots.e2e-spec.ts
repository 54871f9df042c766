import { Queue } from 'bullmq';

import { bullConnection } from '../../src/core/queue/queue.module';
import { QueueName } from '../../src/core/queue/queue-names';
import { RollupRepository } from '../../src/modules/rollup/rollup.repository';
import { RollupService } from '../../src/modules/rollup/rollup.service';
import { standings } from '../../src/modules/rollup/standings';
import { bearer, createTestApp, createTestWorker, TestApp } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { baseEnv } from '../helpers/env';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { waitFor } from '../helpers/services';

/**
 * Issue 14, point 1: a cycle's snapshot is its figures as of its cut-off, whenever the worker takes
 * it. The worker is down across two cut-offs (January's A, February's B) while reports are approved,
 * a late report comes in and an item is cancelled after A, and a report is approved after B; when it
 * comes back, each snapshot equals what a worker running at that cut-off computed from the live
 * tables then (recorded while the clock stood at the cut-off instant). And a worker killed between
 * closing a cycle and storing its snapshot leaves the cycle open; the next run completes it.
 */
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const shanghai = (day: string, time = '10:00:00') => `${day}T${time}+08:00`;
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);

interface Figures {
  nodes: unknown[];
  items: unknown[];
  units: unknown[];
}

describe('cut-off snapshots are exact, whenever they are taken (issue 14)', () => {
  let t: TestApp;
  let idx: OrgIndex;
  let dispatch: string;
  let zhufeng: string;
  let dongcheng: string;
  let planId: string;
  let taskId: string;
  const cut: Record<string, { due: string; day: string; instant: string }> = {};
  const items: Record<string, string> = {};
  const procs: Proc[] = [];

  const api = () => t.http();
  const setClock = (at: string) => pinDatabaseClock(t.dataSource, at);

  const newItem = async (
    title: string,
    lead: 'zhufeng' | 'dongcheng',
    deadline: string,
    coUnits: string[] = [],
  ) =>
    (
      (
        await api()
          .post('/api/v1/items')
          .set(bearer(dispatch))
          .send({
            taskId,
            title,
            leadUnitId: idx.units.get(`${lead}-squad`),
            coUnitIds: coUnits.map((c) => idx.units.get(c)),
            responsibleLeaderId: idx.users.get('xxs.liming'),
            ownerId: idx.users.get(`xxs.${lead}1`),
            startDate: '2023-01-01',
            deadline,
            cadence: 'monthly',
          })
          .expect(201)
      ).body as { id: string }
    ).id;

  /** The owner writes and submits the period's report; returns its id and version. */
  const submit = async (token: string, itemId: string, period: string, percent: number) => {
    const draft = (
      await api()
        .put(`/api/v1/items/${itemId}/reports/${period}`)
        .set(bearer(token))
        .send({ percent, progress: `${period} 按计划推进，完成 ${percent}%` })
        .expect(200)
    ).body as { id: string; version: number };
    const sent = (
      await api()
        .post(`/api/v1/reports/${draft.id}/submit`)
        .set(bearer(token))
        .send({ version: draft.version })
        .expect(200)
    ).body as { id: string; version: number };
    return sent;
  };
  const approve = async (report: { id: string; version: number }) =>
    api()
      .post(`/api/v1/reports/${report.id}/approve`)
      .set(bearer(dispatch))
      .send({ version: report.version })
      .expect(200);

  /** The snapshot stored for `period`, in the shape of `live()`. */
  const snapshot = async (period: string): Promise<Figures> => ({
    nodes: await t.dataSource.query(
      `SELECT kind, subject_id AS id, completion::float8 AS completion, expected::float8 AS expected, light, red, yellow, green
         FROM rollup_snapshots WHERE plan_id = $1 AND period = $2 AND kind IN ('task', 'section', 'plan') ORDER BY kind, id`,
      [planId, period],
    ),
    items: await t.dataSource.query(
      `SELECT subject_id AS id, completion::float8 AS completion, expected::float8 AS expected, light
         FROM rollup_snapshots WHERE plan_id = $1 AND period = $2 AND kind = 'item' ORDER BY id`,
      [planId, period],
    ),
    units: await t.dataSource.query(
      `SELECT kind, subject_id AS id, completion::float8 AS completion, score::float8 AS score, rank, red, yellow, green
         FROM rollup_snapshots WHERE plan_id = $1 AND period = $2 AND kind LIKE 'unit-%' ORDER BY kind, id`,
      [planId, period],
    ),
  });

  /**
   * What a worker running at the cut-off computes, independently of any history: with the clock
   * standing at the cut-off instant, the live roll-up over the tables as they are, and the units'
   * standings from the live counts (the documented formula).
   */
  const live = async (day: string): Promise<Figures> => {
    const rollup = t.app.get(RollupRepository);
    await rollup.recomputePlan(planId, day);
    const settings = await rollup.scoringSettings(planId);
    const stats = await rollup.unitStats(planId, day, settings.onTimeBasis);
    const units = (['lead', 'co'] as const)
      .flatMap((role) =>
        standings(
          stats.filter((s) => s.role === role),
          settings.scoreWeights,
        ).map((u) => ({
          kind: `unit-${role}`,
          id: u.unitId,
          completion: r2(u.completionMean),
          score: r2(u.score),
          rank: u.rank,
          red: u.red,
          yellow: u.yellow,
          green: u.green,
        })),
      )
      .sort((a, b) => (a.kind + a.id).localeCompare(b.kind + b.id));
    return {
      nodes: await t.dataSource.query(
        `SELECT node_type AS kind, node_id AS id, completion::float8 AS completion, expected::float8 AS expected, light, red, yellow, green
           FROM node_status WHERE plan_id = $1 ORDER BY kind, id`,
        [planId],
      ),
      items: await t.dataSource.query(
        `SELECT s.item_id AS id, s.completion::float8 AS completion, s.expected::float8 AS expected, s.light
           FROM item_status s JOIN items i ON i.id = s.item_id
          WHERE s.plan_id = $1 AND s.light IN ('red', 'yellow') AND i.status IN ('assigned', 'in_progress', 'awaiting_closeout')
          ORDER BY id`,
        [planId],
      ),
      units,
    };
  };
  const planPoint = (f: Figures) =>
    (f.nodes as { kind: string; completion: number | null }[]).find((n) => n.kind === 'plan')!;
  const itemPoint = (f: Figures, id: string) =>
    (f.items as { id: string; light: string }[]).find((i) => i.id === id);

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: shanghai('2023-01-03') });
    dispatch = await t.login('xxs.dispatch');
    zhufeng = await t.login('xxs.zhufeng1');
    dongcheng = await t.login('xxs.dongcheng1');
    idx = await indexOrg(t, await t.login('xxs.admin'));
    ({ planId, taskId } = await makeDraftPlan(t, dispatch, '截止快照测试计划'));
    items.onTime = await newItem('一月按时填报并通过', 'zhufeng', '2023-12-31');
    items.approvedLate = await newItem('一月已报、截止后才通过', 'zhufeng', '2023-12-31');
    items.reportedLate = await newItem('一月漏报、截止后补报', 'zhufeng', '2023-12-31');
    items.cancelled = await newItem('截止后取消', 'zhufeng', '2023-12-31', ['dongcheng-squad']);
    items.dueFeb = await newItem('二月中旬到期', 'dongcheng', '2023-02-15', ['zhufeng-squad']);
    await api().post(`/api/v1/plans/${planId}/publish`).set(bearer(dispatch)).expect(200);
    for (const c of (await t.dataSource.query(
      `SELECT period, report_due::text AS due FROM dispatch_cycles WHERE plan_id = $1 AND period IN ('2023-01', '2023-02', '2023-03')`,
      [planId],
    )) as { period: string; due: string }[]) {
      cut[c.period] = { due: c.due, day: nextDay(c.due), instant: shanghai(nextDay(c.due), '00:00:00') };
    }
  });
  afterAll(async () => {
    await stopAll(procs);
    await t.close();
  });

  it('with the worker down across two cut-offs, each snapshot equals the figures at its own cut-off', async () => {
    const A = cut['2023-01'];
    const B = cut['2023-02'];
    // January, on the report due day: four reports in, three approved; one item reports nothing.
    await setClock(shanghai(A.due));
    await approve(await submit(zhufeng, items.onTime, '2023-01', 30));
    const pendingAtA = await submit(zhufeng, items.approvedLate, '2023-01', 50);
    await approve(await submit(zhufeng, items.cancelled, '2023-01', 20));
    await approve(await submit(dongcheng, items.dueFeb, '2023-01', 60));
    await setClock(A.instant);
    const atA = await live(A.day);

    // After A, nobody's worker runs: the pending report is approved, the missing one comes in late
    // and is approved, an item is cancelled.
    await setClock(shanghai(nextDay(A.day)));
    await approve(pendingAtA);
    await approve(await submit(zhufeng, items.reportedLate, '2023-01', 40));
    const cancelled = (await api().get(`/api/v1/items/${items.cancelled}`).set(bearer(dispatch)).expect(200))
      .body as { version: number };
    await api()
      .post(`/api/v1/items/${items.cancelled}/status`)
      .set(bearer(dispatch))
      .send({ version: cancelled.version, status: 'cancelled', reason: '并入其他事项' })
      .expect(200);
    // February, on the due day: one report in, not yet approved at B.
    await setClock(shanghai(B.due));
    const pendingAtB = await submit(zhufeng, items.onTime, '2023-02', 80);
    await setClock(B.instant);
    const atB = await live(B.day);

    // After B: that report is approved too. The figures now are neither A's nor B's.
    await setClock(shanghai(nextDay(B.day)));
    await approve(pendingAtB);
    expect(
      (
        await t.dataSource.query(`SELECT count(*)::int AS n FROM rollup_snapshots WHERE plan_id = $1`, [
          planId,
        ])
      )[0].n,
    ).toBe(0);

    // The worker comes back and runs its scheduled job: both cycles close, each as of its cut-off.
    const worker = await createTestWorker(t);
    try {
      await worker.get(RollupService).recomputeAll('cutoff-snapshots');
    } finally {
      await worker.close();
    }
    const periods = (await t.dataSource.query(
      `SELECT period, status FROM dispatch_cycles WHERE plan_id = $1 AND period <= '2023-03' ORDER BY period`,
      [planId],
    )) as { period: string; status: string }[];
    expect(periods).toEqual([
      { period: '2023-01', status: 'closed' },
      { period: '2023-02', status: 'closed' },
      { period: '2023-03', status: 'open' },
    ]);
    const snapA = await snapshot('2023-01');
    const snapB = await snapshot('2023-02');
    expect(snapA).toEqual(atA);
    expect(snapB).toEqual(atB);

    // What those equalities mean, item by item: at A the late-approved report counted for nothing,
    // the unreported item was red, the cancelled item still counted (co-unit 东城 ranked on it);
    // at B the approvals made after A count, the cancelled item is gone, the report approved after
    // B is not in B.
    const itemA = (id: string) => itemPoint(snapA, id);
    expect(itemA(items.reportedLate)?.light).toBe('red');
    const plan = (f: Figures) => planPoint(f).completion;
    // Plan completion, weights 1: A = (30 + 0 + 0 + 20 + 60) / 5; B = (30 + 50 + 40 + 60) / 4.
    expect(plan(snapA)).toBe(22);
    expect(plan(snapB)).toBe(45);
    const liveNow = (
      await t.dataSource.query(
        `SELECT completion::float8 AS c FROM node_status WHERE node_type = 'plan' AND node_id = $1`,
        [planId],
      )
    )[0] as { c: number };
    expect(liveNow.c).toBe((80 + 50 + 40 + 60) / 4);
    const coUnits = (f: Figures) =>
      (f.units as { kind: string; id: string }[])
        .filter((u) => u.kind === 'unit-co')
        .map((u) => u.id)
        .sort();
    expect(coUnits(snapA)).toEqual([idx.units.get('dongcheng-squad'), idx.units.get('zhufeng-squad')].sort());
    expect(coUnits(snapB)).toEqual([idx.units.get('zhufeng-squad')]);

    // The trend reads them: two points, rising, as stored.
    const trend = (await api().get(`/api/v1/plans/${planId}/trend`).set(bearer(dispatch)).expect(200))
      .body as {
      points: { period: string; kind: string; completion: number | null }[];
    };
    // …then the cycle under way, live (57.5 % now).
    expect(trend.points.filter((p) => p.kind === 'plan').map((p) => [p.period, p.completion])).toEqual([
      ['2023-01', 22],
      ['2023-02', 45],
      ['2023-03', 57.5],
    ]);

    // The packs of closed cycles judge the items as they stood at each cut-off: at A the item
    // cancelled later still counts and nothing is overdue; at B the item due 02-15 is overdue,
    // and stays so in B's pack after its deadline is extended (after B) to June.
    const pack = async (period: string) => {
      const [{ id }] = (await t.dataSource.query(
        `SELECT id FROM dispatch_cycles WHERE plan_id = $1 AND period = $2`,
        [planId, period],
      )) as { id: string }[];
      return (await api().get(`/api/v1/cycles/${id}/dispatch-pack`).set(bearer(dispatch)).expect(200))
        .body as {
        closed: boolean;
        summary: { items: number; overdue: number };
        overdue: { itemId: string; deadline: string }[];
      };
    };
    const extension = (
      await api()
        .post(`/api/v1/items/${items.dueFeb}/extensions`)
        .set(bearer(dongcheng))
        .send({ requestedDeadline: '2023-06-30', reason: '汛期影响施工' })
        .expect(201)
    ).body as { id: string };
    await api().post(`/api/v1/extensions/${extension.id}/approve`).set(bearer(dispatch)).send({}).expect(200);
    const packA = await pack('2023-01');
    expect(packA).toMatchObject({ closed: true, summary: { items: 5, overdue: 0 }, overdue: [] });
    const packB = await pack('2023-02');
    expect(packB).toMatchObject({ closed: true, summary: { items: 4, overdue: 1 } });
    expect(packB.overdue.map((o) => [o.itemId, o.deadline])).toEqual([[items.dueFeb, '2023-02-15']]);
  }, 60000);

  it('item history: a change the figures can see leaves a row at the business instant; nobody rewrites it', async () => {
    const rows = async (id: string) =>
      (await t.dataSource.query(
        `SELECT status, deadline::text AS deadline, valid_from FROM item_history WHERE item_id = $1 ORDER BY valid_from, id`,
        [id],
      )) as { status: string; deadline: string; valid_from: Date }[];
    const before = await rows(items.onTime);
    await setClock(shanghai('2023-03-20'));
    // A title is no figure: no row. A deadline is, even when written behind the services' backs.
    const item = (await api().get(`/api/v1/items/${items.onTime}`).set(bearer(dispatch)).expect(200))
      .body as {
      version: number;
    };
    await api()
      .patch(`/api/v1/items/${items.onTime}`)
      .set(bearer(dispatch))
      .send({ version: item.version, title: '一月按时填报并通过（改名）' })
      .expect(200);
    expect(await rows(items.onTime)).toEqual(before);
    await t.dataSource.query(`UPDATE items SET deadline = '2023-11-30' WHERE id = $1`, [items.onTime]);
    const after = await rows(items.onTime);
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]).toEqual({
      status: 'in_progress',
      deadline: '2023-11-30',
      valid_from: new Date(shanghai('2023-03-20')),
    });
    // Append-only, for the app's role as for any other.
    await expect(
      t.dataSource.query(`UPDATE item_history SET status = 'closed' WHERE item_id = $1`, [items.onTime]),
    ).rejects.toThrow('事项历史只能追加');
    await expect(
      t.dataSource.query(`DELETE FROM item_history WHERE item_id = $1`, [items.onTime]),
    ).rejects.toThrow('事项历史只能追加');
    // Deleting an item (a draft plan's) takes its history with it.
    const fx = await makeDraftPlan(t, dispatch, '历史随事项删除');
    const draft = (
      await api()
        .post('/api/v1/items')
        .set(bearer(dispatch))
        .send({
          taskId: fx.taskId,
          title: '草稿事项',
          leadUnitId: idx.units.get('zhufeng-squad'),
          coUnitIds: [idx.units.get('dongcheng-squad')],
          responsibleLeaderId: idx.users.get('xxs.liming'),
          startDate: '2023-03-01',
          deadline: '2023-12-31',
          cadence: 'monthly',
        })
        .expect(201)
    ).body as { id: string; version: number };
    expect((await rows(draft.id)).length).toBeGreaterThan(0);
    await api()
      .delete(`/api/v1/items/${draft.id}?version=${draft.version}`)
      .set(bearer(dispatch))
      .expect(204);
    expect(await rows(draft.id)).toEqual([]);
  });

  it('a worker killed between closing a cycle and storing its snapshot leaves it open; the next run completes it', async () => {
    const C = cut['2023-03'];
    await setClock(C.instant);
    const atC = await live(C.day);
    await setClock(shanghai(nextDay(C.day)));
    const workerEnv = (extra: Record<string, string> = {}) => ({
      ...baseEnv(),
      DATABASE_URL: t.config.db.url,
      REDIS_PREFIX: t.config.redis.prefix,
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '4',
      ...extra,
    });
    const queue = new Queue(QueueName.Rollup, {
      connection: bullConnection(t.config.redis),
      prefix: t.config.redis.prefix,
    });
    try {
      const doomed = startProcess(
        'worker-crash',
        'main.worker.js',
        workerEnv({ DUBAN_CRASH_AT: 'cycle-closed' }),
      );
      procs.push(doomed);
      await queue.add('rollup.full', { tick: 'crash-1' }, { jobId: 'rollup-full-crash-1' });
      const exit = await Promise.race([
        doomed.exited,
        new Promise<null>((r) => setTimeout(() => r(null), 30000)),
      ]);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      // It died inside the transaction that had closed the cycle: nothing of it is left.
      const cycle = async () =>
        (
          (await t.dataSource.query(
            `SELECT status, closed_at FROM dispatch_cycles WHERE plan_id = $1 AND period = '2023-03'`,
            [planId],
          )) as { status: string; closed_at: Date | null }[]
        )[0];
      expect(await cycle()).toEqual({ status: 'open', closed_at: null });
      expect(await snapshot('2023-03')).toEqual({ nodes: [], items: [], units: [] });

      // The next run (the killed worker's stalled job, or the next tick) closes it with its snapshot.
      const next = startProcess('worker-next', 'main.worker.js', workerEnv());
      procs.push(next);
      await queue.add('rollup.full', { tick: 'crash-2' }, { jobId: 'rollup-full-crash-2' });
      await waitFor(
        'the cycle closed by the next run',
        async () => (await cycle()).status === 'closed',
        30000,
        100,
      );
      expect(await snapshot('2023-03')).toEqual(atC);
      // No cycle anywhere is closed without its snapshot.
      const orphans = await t.dataSource.query(
        `SELECT c.plan_id, c.period FROM dispatch_cycles c
          WHERE c.status = 'closed'
            AND NOT EXISTS (SELECT 1 FROM rollup_snapshots s WHERE s.plan_id = c.plan_id AND s.period = c.period AND s.kind = 'plan')`,
      );
      expect(orphans).toEqual([]);
    } finally {
      await queue.close();
      await stopAll(procs);
    }
  }, 90000);
});
