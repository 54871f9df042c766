import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { id?: string; code?: string; message?: string };
}

/**
 * A burst of concurrent writes over real HTTP: each transaction holds one pooled connection and
 * nothing else, so the pool is never deadlocked by its own transactions; when the pool really is
 * too small the caller is told 503 with Retry-After, never 500 and never left hanging.
 */
describe('并发与负载 (load)', () => {
  async function burst(t: TestApp, n: number, token: string, body: (i: number) => object): Promise<Answer[]> {
    const base = await t.app.getUrl();
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const res = await fetch(`${base.replace('[::1]', '127.0.0.1')}/api/v1/items`, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body: JSON.stringify(body(i)),
        });
        return {
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: (await res.json()) as Answer['body'],
        };
      }),
    );
  }

  async function setUp(overrides: Record<string, string>) {
    const t = await createTestApp(overrides);
    await t.app.listen(0, '127.0.0.1');
    const token = await t.login('xxs.dispatch');
    const idx: OrgIndex = await indexOrg(t, token);
    const fx = await makeDraftPlan(t, token, '负载测试计划');
    const item = (i: number) => ({
      taskId: fx.taskId,
      title: `并发事项 ${i}`,
      leadUnitId: idx.units.get('zhufeng-squad'),
      coUnitIds: [idx.units.get('dongcheng-squad')],
      responsibleLeaderId: idx.users.get('xxs.liming'),
      ownerId: idx.users.get('xxs.zhufeng1'),
      startDate: '2023-01-01',
      deadline: '2023-12-31',
      cadence: 'monthly',
    });
    return { t, token, fx, item };
  }

  describe('default pool', () => {
    let s: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      s = await setUp({});
    });
    afterAll(() => s?.t.close());

    it('200 concurrent item creations → 200 × 201, 200 distinct rows, each with its audit record', async () => {
      const answers = await burst(s.t, 200, s.token, s.item);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((x) => x !== 201)).toEqual([]);
      const ids = new Set(answers.map((a) => a.body.id));
      expect(ids.size).toBe(200);
      const [{ items, audits }] = (await s.t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM items WHERE task_id = $1) AS items,
                (SELECT count(*)::int FROM audit_log a JOIN items i ON i.id = a.entity_id::uuid
                  WHERE i.task_id = $1 AND a.entity_type = 'item' AND a.action = 'create') AS audits`,
        [s.fx.taskId],
      )) as { items: number; audits: number }[];
      expect({ items, audits }).toEqual({ items: 200, audits: 200 });
    }, 120000);
  });

  describe('deliberately tiny pool', () => {
    let s: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      s = await setUp({ DATABASE_POOL_SIZE: '1', DATABASE_CONNECT_TIMEOUT_MS: '500' });
    });
    afterAll(() => s?.t.close());

    it('one connection, 60 concurrent creations → only 201 or 503 with Retry-After, none 500, none hangs', async () => {
      const started = Date.now();
      const answers = await burst(s.t, 60, s.token, s.item);
      // Each request waits at most the connect timeout per connection it asks for.
      expect(Date.now() - started).toBeLessThan(30000);
      const byStatus = new Map<number, number>();
      for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      expect([...byStatus.keys()].sort()).toEqual(expect.arrayContaining([201]));
      expect([...byStatus.keys()].filter((x) => x !== 201 && x !== 503)).toEqual([]);
      const busy = answers.filter((a) => a.status === 503);
      expect(busy.length).toBeGreaterThan(0);
      for (const a of busy) {
        expect(a.body).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          message: '数据库繁忙或暂不可用，请稍后重试',
        });
        expect(Number(a.retryAfter)).toBeGreaterThan(0);
      }
      // The ones that succeeded are really there, and the ones refused left nothing behind.
      const [{ n }] = (await s.t.dataSource.query(`SELECT count(*)::int AS n FROM items WHERE task_id = $1`, [
        s.fx.taskId,
      ])) as { n: number }[];
      expect(n).toBe(byStatus.get(201));
    }, 120000);
  });
});
