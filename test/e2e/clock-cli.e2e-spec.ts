import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pinDemoClock } from '../../src/modules/system/clock-control';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { baseEnv, ROOT } from '../helpers/env';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { waitFor } from '../helpers/services';

interface Message {
  level: string;
  title: string;
  itemId: string | null;
}

/**
 * README's "让时间流动" walk-through, for real: the built CLI moves the database clock while a built
 * worker process runs, and each account's inbox (through the API) shows what that day brings — a
 * 提醒 to the owner, then a 催办 to the squad's head, then a 督办 to the leader and the dispatch office.
 * The CLI waits for the scan and the full recompute it enqueues, so each check follows its move at once
 * (the worker's own crons would take up to a minute, and fifteen for the figures).
 */
describe('clock CLI: moving the business clock lets 提醒 become 催办 and 督办 (built CLI + worker process)', () => {
  let t: TestApp;
  let dir: string;
  const procs: Proc[] = [];
  let env: Record<string, string>;
  const tokens: Record<string, string> = {};
  let itemA: string;
  let itemB: string;
  /** Where `clock freeze` left the clock. */
  let frozenAt: string;

  const clock = (...args: string[]) => cli(env, args);
  const dbNow = async () =>
    new Date(
      ((await t.dataSource.query(`SELECT duban_now() AS now`)) as { now: Date }[])[0].now,
    ).toISOString();
  /** Every message of `user` about `itemId`, newest first, as the inbox API pages them. */
  const inbox = async (user: string, itemId: string): Promise<Message[]> => {
    const all: Message[] = [];
    for (let page = 1; ; page++) {
      const body = (
        await t.http().get(`/api/v1/inbox?pageSize=100&page=${page}`).set(bearer(tokens[user])).expect(200)
      ).body as { items: Message[]; total: number };
      all.push(...body.items);
      if (all.length >= body.total || !body.items.length) break;
    }
    return all.filter((m) => m.itemId === itemId);
  };
  const titles = async (user: string, itemId: string) => (await inbox(user, itemId)).map((m) => m.title);
  const computed = async (itemId: string) =>
    (
      (await t.http().get(`/api/v1/items/${itemId}/status`).set(bearer(tokens['xxs.dispatch'])).expect(200))
        .body as { computed: { overdueWorkdays: number; light: string } }
    ).computed;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-clock-'));
    t = await createTestApp();
    env = {
      ...baseEnv(),
      DATABASE_URL: t.config.db.url,
      REDIS_PREFIX: t.config.redis.prefix,
      DATABASE_POOL_SIZE: '4',
      LOG_LEVEL: 'warn',
    };
    for (const u of ['xxs.dispatch', 'xxs.zhufeng', 'xxs.zhufeng1', 'xxs.liming'])
      tokens[u] = await t.login(u);
  });
  afterAll(async () => {
    await stopAll(procs);
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the clock; a move with no worker running queues the scans for it', async () => {
    // The template's pin: Sunday 2022-06-12 11:00 Shanghai, standing still.
    let r = await clock();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('业务时钟：2022-06-12 星期日 11:00（北京时间；已固定，静止）');
    expect(r.stdout).toContain('非工作日：提醒扫描不发送');

    r = await clock('advance-to', '2022-06-15T10:00');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('业务时钟从 2022-06-12 星期日 11:00 拨到 2022-06-15 星期三 10:00');
    expect(r.stdout).toContain('没有运行中的 worker');
    expect(await dbNow()).toBe('2022-06-15T02:00:00.000Z');

    const heartbeat = join(dir, 'worker.json');
    procs.push(startProcess('worker', 'main.worker.js', { ...env, WORKER_HEARTBEAT_FILE: heartbeat }));
    await waitFor(
      'worker ready',
      async () => (JSON.parse(readFileSync(heartbeat, 'utf8')) as { ready?: boolean }).ready === true,
      45000,
    );
  });

  it('the dispatch office assigns two items to 竹峰中队 in the published plan (deadlines Fri 06-17 and Tue 06-21)', async () => {
    const dispatch = bearer(tokens['xxs.dispatch']);
    const plans = (await t.http().get('/api/v1/plans').set(dispatch).expect(200)).body as {
      id: string;
      year: number;
      status: string;
    }[];
    const plan = plans.find((p) => p.year === 2022 && p.status === 'published')!;
    const tree = (await t.http().get(`/api/v1/plans/${plan.id}/tree`).set(dispatch).expect(200)).body as {
      sections: { tasks: { id: string; title: string }[] }[];
    };
    const task = tree.sections.flatMap((s) => s.tasks).find((k) => k.title === '开展违停整治行动')!;
    const units = (await t.http().get('/api/v1/units').set(dispatch).expect(200)).body as {
      id: string;
      name: string;
    }[];
    const users = (await t.http().get('/api/v1/users').set(dispatch).expect(200)).body as {
      id: string;
      username: string;
    }[];
    const create = async (title: string, deadline: string) =>
      (
        await t
          .http()
          .post('/api/v1/items')
          .set(dispatch)
          .send({
            taskId: task.id,
            title,
            leadUnitId: units.find((u) => u.name === '竹峰综合执法中队')!.id,
            responsibleLeaderId: users.find((u) => u.username === 'xxs.liming')!.id,
            ownerId: users.find((u) => u.username === 'xxs.zhufeng1')!.id,
            startDate: '2022-06-15',
            deadline,
            cadence: 'annual',
          })
          .expect(201)
      ).body.id as string;
    itemA = await create('竹峰路违停示范路段整治', '2022-06-17');
    itemB = await create('竹峰菜市场周边占道经营整治', '2022-06-21');
  });

  it('advance 1wd: the owner is reminded of the deadline the same minute', async () => {
    const r = await clock('advance', '1wd');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('拨到 2022-06-16 星期四 10:00');
    expect(r.stdout).toMatch(/提醒扫描：新增 \d+ 条/);
    expect(await titles('xxs.zhufeng1', itemA)).toContain(
      '【提醒】竹峰路违停示范路段整治：距完成时限还有 1 个工作日',
    );
    expect(await titles('xxs.zhufeng', itemA)).toEqual([]);
  });

  it('advance-to 2022-06-20 (Monday): overdue 提醒 to the owner, the figures recomputed for the new day', async () => {
    const r = await clock('advance-to', '2022-06-20');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('拨到 2022-06-20 星期一 10:00');
    expect(r.stdout).toContain('全量重算完成');
    const owner = await inbox('xxs.zhufeng1', itemA);
    expect(owner[0]).toMatchObject({
      level: 'remind',
      title: '【提醒】竹峰路违停示范路段整治：已逾期 1 个工作日',
    });
    expect(await titles('xxs.zhufeng', itemA)).toEqual([]);
    // The worker's figures follow the jump at once (its own full recompute runs every 15 minutes).
    expect(await computed(itemA)).toMatchObject({ overdueWorkdays: 1, light: 'red' });
  });

  it('advance 2wd: a numbered 催办 reaches the squad head, not the owner', async () => {
    const r = await clock('advance', '2wd');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('拨到 2022-06-22 星期三 10:00');
    const head = await inbox('xxs.zhufeng', itemA);
    expect(head).toHaveLength(1);
    expect(head[0].level).toBe('urge');
    expect(head[0].title).toMatch(/^【催办〔2022〕第\d+号】竹峰路违停示范路段整治：已逾期 3 个工作日$/);
    expect((await inbox('xxs.zhufeng1', itemA)).map((m) => m.level)).not.toContain('urge');
    expect(await titles('xxs.liming', itemA)).toEqual([]);
    expect(await titles('xxs.zhufeng1', itemB)).toContain(
      '【提醒】竹峰菜市场周边占道经营整治：已逾期 1 个工作日',
    );
  });

  it('advance 5wd: a numbered 督办 reaches the leader and the dispatch office; a skipped 催办 is caught up', async () => {
    const r = await clock('advance', '5wd');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('拨到 2022-06-29 星期三 10:00');
    for (const user of ['xxs.liming', 'xxs.dispatch']) {
      const got = await inbox(user, itemA);
      expect(got.map((m) => m.level)).toEqual(['supervise']);
      expect(got[0].title).toMatch(/^【督办〔2022〕第\d+号】竹峰路违停示范路段整治：已逾期 8 个工作日$/);
    }
    // Newest first: today's overdue 提醒 heads the owner's inbox, the first one closes it.
    const owner = await titles('xxs.zhufeng1', itemA);
    expect(owner[0]).toBe('【提醒】竹峰路违停示范路段整治：已逾期 8 个工作日');
    expect(owner[owner.length - 1]).toMatch(/距完成时限还有/);
    // Item B jumped from 1 to 6 working days overdue: its 催办 (due at 3) comes now, no 督办 yet (8).
    expect((await inbox('xxs.zhufeng', itemB)).map((m) => m.level)).toEqual(['urge']);
    expect(await titles('xxs.liming', itemB)).toEqual([]);
  });

  it('refuses to go back; run lets the pinned clock run on, freeze stops it', async () => {
    const r = await clock('advance-to', '2022-06-28');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('业务时钟不能倒拨');
    expect(await dbNow()).toBe('2022-06-29T02:00:00.000Z');

    const run = await clock('run');
    expect(run.stdout).toContain('已固定，随真实时间走动');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const ran = await dbNow();
    expect(ran > '2022-06-29T02:00:01').toBe(true);
    expect(ran < '2022-06-29T02:01').toBe(true);

    expect((await clock('freeze')).stdout).toContain('已固定，静止');
    frozenAt = await dbNow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await dbNow()).toBe(frozenAt);
  });

  it('every move is in every organization’s audit log, by 系统, and the chains still verify', async () => {
    const rows = (await t.dataSource.query(
      `SELECT o.id, array_agg(a.action ORDER BY a.id) AS actions, bool_and(a.actor_name = '系统') AS system
         FROM organizations o LEFT JOIN audit_log a ON a.organization_id = o.id AND a.entity_type = 'clock'
        GROUP BY o.id`,
    )) as { id: string; actions: string[]; system: boolean }[];
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      expect(row.actions).toEqual([
        'clock.advance-to',
        'clock.advance',
        'clock.advance-to',
        'clock.advance',
        'clock.advance',
        'clock.run',
        'clock.freeze',
      ]);
      expect(row.system).toBe(true);
    }
    const verify = await t.http().get('/api/v1/audit/verify').set(bearer(tokens['xxs.dispatch'])).expect(200);
    expect(verify.body.ok).toBe(true);
  });

  it('seed never sets a moved clock back, and runs it when DUBAN_CLOCK=running', async () => {
    // Restarting the demo seeds again with DUBAN_NOW = 06-15: the clock stays where it was moved (06-29).
    let s = await pinDemoClock(t.dataSource, '2022-06-15T10:00:00+08:00', false);
    expect(s).toMatchObject({ pinned: true, frozen: true });
    expect(s.at.toISOString()).toBe(frozenAt);
    s = await pinDemoClock(t.dataSource, '2022-06-15T10:00:00+08:00', true);
    expect(s).toMatchObject({ pinned: true, frozen: false });
    expect((await clock('freeze')).code).toBe(0);
  });

  it('production moves nothing but may return to real time, which a later seed leaves real', async () => {
    const production: Record<string, string> = {
      ...env,
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-forty-characters!!',
      NOTIFY_SECRET_KEY: 'another-production-key-of-forty-characters',
      SWAGGER_ENABLED: 'false',
    };
    for (const k of ['DEMO_PASSWORD', 'DUBAN_NOW']) delete production[k];
    const before = await dbNow();
    const refused = await cli(production, ['advance', '1d']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('生产环境（NODE_ENV=production）不拨动业务时钟');
    expect(await dbNow()).toBe(before);

    const real = await cli(production, ['real']);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('（北京时间；真实时间）');
    expect(await dbNow()).not.toMatch(/^2022-/);
    const s = await pinDemoClock(t.dataSource, '2022-06-15T10:00:00+08:00', false);
    expect(s.pinned).toBe(false);
  });
});

/** The built CLI (`node dist/src/main.cli.js clock …`) as an operator runs it. */
function cli(env: Record<string, string>, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'main.cli.js'), 'clock', ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
