import { RollupRepository } from '../../src/modules/rollup/rollup.repository';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { baseEnv } from '../helpers/env';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { waitFor } from '../helpers/services';

const NOW = '2023-06-15T10:00:00+08:00';

/**
 * A worker killed with SIGKILL while roll-ups are queued loses nothing: the outbox holds every
 * change in Postgres, and after a restart the figures equal a from-scratch recompute.
 */
describe('worker killed mid-roll-up (SIGKILL)', () => {
  let t: TestApp;
  let token: string;
  const plans: string[] = [];
  const procs: Proc[] = [];

  const workerEnv = () => ({
    ...baseEnv(),
    DATABASE_URL: t.config.db.url,
    REDIS_PREFIX: t.config.redis.prefix,
    DUBAN_NOW: NOW,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '4',
  });
  const snapshot = async () =>
    t.dataSource.query(
      `SELECT node_type, node_id, completion::float8 AS completion, expected::float8 AS expected, light, red, yellow, green
         FROM node_status WHERE plan_id = ANY($1::uuid[]) ORDER BY node_type, node_id`,
      [plans],
    );

  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: NOW });
    token = await t.login('xxs.dispatch');
    const idx = await indexOrg(t, token);
    for (let p = 0; p < 4; p++) {
      const fx = await makeDraftPlan(t, token, `压力计划${p}`);
      plans.push(fx.planId);
      for (let i = 0; i < 8; i++) {
        await t
          .http()
          .post('/api/v1/items')
          .set(bearer(token))
          .send({
            taskId: fx.taskId,
            title: `事项${p}-${i}`,
            leadUnitId: idx.units.get('zhufeng-squad'),
            responsibleLeaderId: idx.users.get('xxs.liming'),
            ownerId: idx.users.get('xxs.zhufeng1'),
            startDate: '2023-06-01',
            deadline: i % 3 === 0 ? '2023-06-12' : '2023-12-31',
            cadence: 'monthly',
          })
          .expect(201);
      }
      await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(token)).expect(200);
    }
  });
  afterAll(async () => {
    await stopAll(procs);
    await t.close();
  });

  it('after kill -9 and a restart, every queued change is rolled up and the figures equal a from-scratch recompute', async () => {
    const first = startProcess('worker-a', 'main.worker.js', workerEnv());
    procs.push(first);
    // Let it take work, then kill it without warning while changes keep coming.
    await waitFor(
      'some outbox relayed',
      async () =>
        (await t.dataSource.query(`SELECT 1 FROM outbox WHERE published_at IS NOT NULL LIMIT 1`)).length > 0,
      20000,
      20,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    // Changes that move the figures (deadlines pulled in → red), made while no worker runs.
    for (const planId of plans.slice(0, 2)) {
      const items = (
        await t
          .http()
          .get(`/api/v1/items?planId=${planId}&deadlineFrom=2023-12-31&pageSize=3`)
          .set(bearer(token))
          .expect(200)
      ).body.items as { id: string; version: number }[];
      for (const item of items) {
        await t
          .http()
          .patch(`/api/v1/items/${item.id}`)
          .set(bearer(token))
          .send({ version: item.version, deadline: '2023-06-13' })
          .expect(200);
      }
    }
    expect(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n,
    ).toBeGreaterThan(0);

    const second = startProcess('worker-b', 'main.worker.js', workerEnv());
    procs.push(second);
    // Every change leaves a pending mark in Postgres, deleted in the same transaction as the
    // roll-up that covers it: no marks and no unrelayed events means everything is rolled up. A job
    // the killed worker held comes back after BullMQ's stalled-job check (lock 30 s).
    const took = await waitFor(
      'outbox relayed and every pending change rolled up',
      async () => {
        const [{ n }] = await t.dataSource.query(
          `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)
                + (SELECT count(*) FROM rollup_pending WHERE plan_id = ANY($1::uuid[]))::int AS n`,
          [plans],
        );
        return Number(n) === 0;
      },
      75000,
      100,
    );
    expect(took).toBeLessThan(75000);
    const afterRestart = await snapshot();
    // The changes made while the worker was dead are in the figures: 3 items per plan were due
    // 06-12 from the start, and 3 more per plan were pulled in to 06-13 on two plans.
    const red = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM item_status WHERE plan_id = ANY($1::uuid[]) AND light = 'red'`,
      [plans],
    );
    expect(red[0].n).toBe(4 * 3 + 2 * 3);
    expect(afterRestart.filter((r: { node_type: string }) => r.node_type === 'plan')).toHaveLength(
      plans.length,
    );

    // From scratch, straight through the same SQL.
    const rollup = t.app.get(RollupRepository);
    for (const planId of plans) await rollup.recomputePlan(planId, '2023-06-15');
    expect(await snapshot()).toEqual(afterRestart);
  }, 120000);
});
