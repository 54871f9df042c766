import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

import { SecretKeyRing, verifyWebhookSignature } from '../../src/modules/notify/channels';
import { NotifyDispatcher } from '../../src/modules/reminders/notify.processor';
import { ReminderScanService } from '../../src/modules/reminders/reminder-scan.service';
import { resealChannels } from '../../src/modules/reminders/reseal';
import { SenderService } from '../../src/modules/reminders/sender.service';
import { bearer, createTestApp, createTestWorker, TestApp, TestWorker } from '../helpers/app';
import { pinDatabaseClock } from '../helpers/db';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';
import { waitFor } from '../helpers/services';

interface Hit {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown>;
}

const TITLE = '提醒测试：违停整治示范路段';
const DING_SECRET = 'SECdingtalk-0123456789';
const HOOK_SECRET = 'hook-secret-0123456789';
const SLOW = '（慢速接收）';

/** Decodes RFC 2047 encoded words (nodemailer's B encoding) in an unfolded header. */
const decodeHeader = (raw: string, name: string) => {
  const unfolded = raw.replace(/\r\n[ \t]+/g, ' ');
  const line = new RegExp(`^${name}: (.*)$`, 'mi').exec(unfolded)?.[1] ?? '';
  return line
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
};

describe('提醒 → 催办 → 督办 through the worker, to inbox, e-mail, DingTalk, WeCom and a signed webhook', () => {
  let t: TestApp;
  let worker: TestWorker;
  let smtp: SMTPServer;
  let sink: Server;
  const mails: string[] = [];
  const hits: Hit[] = [];
  let failing = false;
  let itemId: string;
  let tokens: Record<string, string>;

  const ours = (text: string) => text.includes(TITLE);
  const scanAt = async (at: string) => {
    await pinDatabaseClock(t.dataSource, at);
    await worker.get(ReminderScanService).scan();
    await worker.get(NotifyDispatcher).dispatch();
    await waitFor(
      'external sends settled',
      async () =>
        (await t.dataSource.query(`SELECT 1 FROM deliveries WHERE status = 'pending' LIMIT 1`)).length === 0,
      10000,
      25,
    );
  };
  const reminderKinds = async () =>
    (
      (await t.dataSource.query(
        `SELECT kind, level, order_number FROM reminders WHERE item_id = $1 ORDER BY due_on, kind`,
        [itemId],
      )) as { kind: string; level: string; order_number: string | null }[]
    ).map((r) => r.kind);

  /** A published 2022 plan with one annual item (owner, lead unit and deadline as given); its id. */
  const publishedItem = async (
    plan: string,
    title: string,
    unit: string,
    owner: string,
    deadline: string,
  ) => {
    const idx = await indexOrg(t, tokens['xxs.dispatch']);
    const fx = await makeDraftPlan(t, tokens['xxs.dispatch'], plan, 2022);
    const id = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(tokens['xxs.dispatch']))
        .send({
          taskId: fx.taskId,
          title,
          leadUnitId: idx.units.get(unit),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get(owner),
          startDate: '2022-01-01',
          deadline,
          cadence: 'annual',
        })
        .expect(201)
    ).body.id as string;
    await t.http().post(`/api/v1/plans/${fx.planId}/publish`).set(bearer(tokens['xxs.dispatch'])).expect(200);
    return { id, planId: fx.planId };
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, done) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          mails.push(data);
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    sink = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://sink');
        hits.push({
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          raw,
          body: JSON.parse(raw),
        });
        if (url.pathname === '/failing' && failing) res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        // A robot that answers slowly: a block then waits longer than its lease for its turn.
        const delay = raw.includes(SLOW) ? 700 : 0;
        setTimeout(() => res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' })), delay);
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    const env = {
      DUBAN_NOW: '2022-10-08T10:00:00+08:00',
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      APP_URL: 'https://duban.example.gov.cn/',
    };
    t = await createTestApp(env);
    worker = await createTestWorker(t, env);
    tokens = Object.fromEntries(
      await Promise.all(
        ['xxs.admin', 'xxs.dispatch', 'xxs.zhufeng', 'xxs.zhufeng1', 'xxs.liming', 'yy.admin'].map(
          async (u) => [u, await t.login(u)] as const,
        ),
      ),
    );
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await new Promise((r) => smtp.close(() => r(undefined)));
    await new Promise((r) => sink.close(() => r(undefined)));
  });

  it('channels are set per unit and per user; secrets are sealed and never returned; others are refused', async () => {
    const port = (sink.address() as AddressInfo).port;
    const idx = await indexOrg(t, tokens['xxs.dispatch']);
    const unit = idx.units.get('zhufeng-squad')!;
    // Loopback sinks need an allowed host (and, outside tests, would be refused as private).
    await t
      .http()
      .post('/api/v1/admin/webhook-hosts')
      .set(bearer(tokens['xxs.zhufeng']))
      .send({ host: '127.0.0.1' })
      .expect(403);
    await t
      .http()
      .post('/api/v1/admin/webhook-hosts')
      .set(bearer(tokens['xxs.admin']))
      .send({ host: '127.0.0.1' })
      .expect(200);
    const put = (token: string, body: object) =>
      t.http().put('/api/v1/channels').set(bearer(token)).send(body);
    const head = tokens['xxs.zhufeng'];
    await put(head, {
      ownerType: 'unit',
      ownerId: unit,
      channel: 'dingtalk',
      address: `http://127.0.0.1:${port}/dingtalk?access_token=ding-token`,
      secret: DING_SECRET,
    }).expect(200);
    await put(head, {
      ownerType: 'unit',
      ownerId: unit,
      channel: 'wecom',
      address: `http://127.0.0.1:${port}/wecom?key=wecom-key`,
    }).expect(200);
    await put(head, {
      ownerType: 'unit',
      ownerId: unit,
      channel: 'webhook',
      address: `http://127.0.0.1:${port}/hook`,
      secret: HOOK_SECRET,
    }).expect(200);
    await put(tokens['xxs.zhufeng1'], {
      ownerType: 'user',
      ownerId: idx.users.get('xxs.zhufeng1'),
      channel: 'email',
      address: 'zhufeng1@example.com',
    }).expect(200);
    await put(tokens['xxs.liming'], {
      ownerType: 'user',
      ownerId: idx.users.get('xxs.liming'),
      channel: 'email',
      address: 'liming@example.com',
    }).expect(200);

    const listed = await t
      .http()
      .get(`/api/v1/channels?ownerType=unit&ownerId=${unit}`)
      .set(bearer(head))
      .expect(200);
    expect(listed.body).toHaveLength(3);
    expect(JSON.stringify(listed.body)).not.toMatch(/ding-token|wecom-key|SECdingtalk|hook-secret/);
    expect(listed.body.find((c: { channel: string }) => c.channel === 'dingtalk')).toMatchObject({
      hasSecret: true,
      address: `http://127.0.0.1:${port}/dingtalk?…`,
    });
    const stored = await t.dataSource.query(`SELECT address, secret_sealed FROM notify_channels`);
    expect(JSON.stringify(stored)).not.toMatch(/ding-token|SECdingtalk|hook-secret/);

    // A squad member cannot set the unit's robots; another organization cannot see the unit at all.
    await put(tokens['xxs.zhufeng1'], {
      ownerType: 'unit',
      ownerId: unit,
      channel: 'wecom',
      address: `http://127.0.0.1:${port}/x?key=1`,
    }).expect(403);
    await t
      .http()
      .get(`/api/v1/channels?ownerType=unit&ownerId=${unit}`)
      .set(bearer(tokens['yy.admin']))
      .expect(404);
    // Hosts outside the allow-list are refused, naming the field.
    const bad = await put(head, {
      ownerType: 'unit',
      ownerId: unit,
      channel: 'webhook',
      address: 'https://evil.example.com/hook',
      secret: HOOK_SECRET,
    }).expect(400);
    expect(bad.body.fields[0].field).toBe('address');
  });

  it('without the test-only switch, a webhook can never point at loopback or private addresses', async () => {
    const strict = await createTestApp({ DATABASE_NAME: t.database });
    try {
      const idx = await indexOrg(strict, tokens['xxs.dispatch']);
      const res = await strict
        .http()
        .put('/api/v1/channels')
        .set(bearer(tokens['xxs.zhufeng']))
        .send({
          ownerType: 'unit',
          ownerId: idx.units.get('zhufeng-squad'),
          channel: 'webhook',
          address: 'https://127.0.0.1/hook',
          secret: HOOK_SECRET,
        })
        .expect(400);
      expect(res.body.fields[0].field).toBe('address');
    } finally {
      await strict.app.close();
    }
  });

  it('an item missing 2022-09-30: nothing over National Day, 提醒 on 10-08, 催办 on 10-10, 督办 on 10-17, each once', async () => {
    itemId = (await publishedItem('提醒测试计划', TITLE, 'zhufeng-squad', 'xxs.zhufeng1', '2022-09-30')).id;

    for (let d = 1; d <= 7; d++) await scanAt(`2022-10-0${d}T10:00:00+08:00`);
    expect(await reminderKinds()).toEqual([]);

    await scanAt('2022-10-08T10:00:00+08:00'); // the 调休 Saturday
    expect(await reminderKinds()).toEqual(['deadline-overdue']);
    await scanAt('2022-10-08T15:00:00+08:00'); // again the same day: nothing new
    await scanAt('2022-10-09T10:00:00+08:00'); // overdue day 2 (调休 Sunday): still the same window
    await scanAt('2022-10-10T08:30:00+08:00'); // before working hours
    expect(await reminderKinds()).toEqual(['deadline-overdue']);
    await scanAt('2022-10-10T10:00:00+08:00');
    expect(await reminderKinds()).toEqual(['deadline-overdue', 'deadline-overdue', 'urge']);
    await scanAt('2022-10-14T18:30:00+08:00'); // after hours
    await scanAt('2022-10-17T10:00:00+08:00');
    expect(await reminderKinds()).toEqual([
      'deadline-overdue',
      'deadline-overdue',
      'urge',
      'deadline-overdue',
      'supervise',
    ]);

    const orders = (await t.dataSource.query(
      `SELECT level, order_number FROM reminders WHERE item_id = $1 AND order_number IS NOT NULL ORDER BY id`,
      [itemId],
    )) as { level: string; order_number: string }[];
    expect(orders.map((o) => o.level)).toEqual(['urge', 'supervise']);
    expect(orders[0].order_number).toMatch(/^催办〔2022〕第\d+号$/);
    expect(orders[1].order_number).toMatch(/^督办〔2022〕第\d+号$/);

    // The right people, in-app, exactly once each.
    const inbox = async (user: string) =>
      (
        (await t.http().get('/api/v1/inbox?pageSize=100').set(bearer(tokens[user])).expect(200)).body
          .items as {
          id: string;
          level: string;
          title: string;
        }[]
      ).filter((n) => ours(n.title));
    expect((await inbox('xxs.zhufeng1')).map((n) => n.level)).toEqual(['remind', 'remind', 'remind']);
    expect((await inbox('xxs.zhufeng')).map((n) => n.level)).toEqual(['urge']);
    expect((await inbox('xxs.liming')).map((n) => n.level)).toEqual(['supervise']);
    expect((await inbox('xxs.dispatch')).map((n) => n.level)).toEqual(['supervise']);
    const [urge] = await inbox('xxs.zhufeng');
    expect(urge.title).toContain(orders[0].order_number);

    // The daily digest: one per working day scanned (10-08 was scanned twice), listing the overdue item.
    const digests = (
      (await t.http().get('/api/v1/inbox?pageSize=100').set(bearer(tokens['xxs.zhufeng1'])).expect(200)).body
        .items as { level: string; title: string; body: string }[]
    ).filter((n) => n.level === 'digest');
    const days = digests.map((d) => /【每日汇总】(\d{4}-\d{2}-\d{2})/.exec(d.title)![1]).sort();
    expect(days).toEqual(['2022-10-08', '2022-10-09', '2022-10-10', '2022-10-17']);
    expect(digests.every((d) => d.body.includes(TITLE))).toBe(true);
  });

  it('e-mail, DingTalk, WeCom and the webhook each got every message once, in their documented formats', async () => {
    const ding = hits.filter((h) => h.path === '/dingtalk' && ours(h.raw));
    const wecom = hits.filter((h) => h.path === '/wecom' && ours(h.raw));
    const hook = hits.filter((h) => h.path === '/hook' && ours(h.raw));
    // To the squad's robots: three 提醒 and the 催办 (the 督办 goes to the leader and the dispatch office).
    expect([ding.length, wecom.length, hook.length]).toEqual([4, 4, 4]);

    for (const h of ding) {
      expect(h.query.get('access_token')).toBe('ding-token');
      const ts = h.query.get('timestamp')!;
      const sign = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
      expect(h.query.get('sign')).toBe(sign);
      expect(h.body).toMatchObject({
        msgtype: 'markdown',
        markdown: { title: expect.any(String), text: expect.any(String) },
      });
    }
    for (const h of wecom) {
      expect(h.query.get('key')).toBe('wecom-key');
      expect(h.body).toMatchObject({
        msgtype: 'markdown',
        markdown: { content: expect.stringContaining(TITLE) },
      });
    }
    const keys = new Set<string>();
    for (const h of hook) {
      expect(
        verifyWebhookSignature({
          body: h.raw,
          timestamp: h.headers['x-duban-timestamp'] as string,
          signature: h.headers['x-duban-signature'] as string,
          secret: HOOK_SECRET,
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      ).toBe(true);
      expect(h.headers['idempotency-key']).toBe(h.body.key);
      // The link opens the item's web page under APP_URL (issue 15).
      expect(h.body.link).toBe(`https://duban.example.gov.cn/items/${itemId}`);
      keys.add(h.body.key as string);
    }
    expect(keys.size).toBe(4);
    // A tampered body does not verify.
    expect(
      verifyWebhookSignature({
        body: hook[0].raw.replace('提醒', '通知'),
        timestamp: hook[0].headers['x-duban-timestamp'] as string,
        signature: hook[0].headers['x-duban-signature'] as string,
        secret: HOOK_SECRET,
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    ).toBe(false);

    const ourMail = mails.filter((m) => ours(decodeHeader(m, 'Subject')));
    const to = (addr: string) => ourMail.filter((m) => /^To: (.*)$/im.exec(m)?.[1].includes(addr));
    expect(to('zhufeng1@example.com')).toHaveLength(3);
    expect(to('liming@example.com')).toHaveLength(1);
    expect(decodeHeader(to('liming@example.com')[0], 'Subject')).toMatch(/^【督办〔2022〕第\d+号】/);
    const ids = ourMail.map((m) => /^Message-ID: (.*)$/im.exec(m)?.[1].trim());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^<dk_[0-9a-f]{32}@duban>$/);
  });

  it('a sink that keeps failing: retried with backoff, then listed as failed for the dispatch office, and retried on request', async () => {
    const port = (sink.address() as AddressInfo).port;
    const idx = await indexOrg(t, tokens['xxs.dispatch']);
    // The legal office's webhook answers 500; its plan allows two attempts.
    failing = true;
    await t
      .http()
      .put('/api/v1/channels')
      .set(bearer(tokens['xxs.admin']))
      .send({
        ownerType: 'unit',
        ownerId: idx.units.get('legal'),
        channel: 'webhook',
        address: `http://127.0.0.1:${port}/failing`,
        secret: HOOK_SECRET,
      })
      .expect(200);
    const fx = await publishedItem('失败重试计划', `${TITLE}（失败）`, 'legal', 'xxs.legal', '2022-10-14');
    const bad = await t
      .http()
      .patch(`/api/v1/plans/${fx.planId}/reminder-settings`)
      .set(bearer(tokens['xxs.dispatch']))
      .send({ attempts: 0 })
      .expect(400);
    expect(bad.body.fields[0].field).toBe('attempts');
    await t
      .http()
      .patch(`/api/v1/plans/${fx.planId}/reminder-settings`)
      .set(bearer(tokens['xxs.dispatch']))
      .send({ attempts: 2 })
      .expect(200);
    await pinDatabaseClock(t.dataSource, '2022-10-17T11:00:00+08:00');
    await worker.get(ReminderScanService).scan();
    const dispatcher = worker.get(NotifyDispatcher);
    const failedList = async (token: string) =>
      (await t.http().get('/api/v1/notify/failed').set(bearer(token)).expect(200)).body as {
        id: string;
        attempts: number;
        lastError: string;
        title: string;
        channel: string;
      }[];
    // The first attempt fails at once, the second after its 2 s backoff; then it is failed for good.
    await waitFor(
      'failed for good',
      async () => {
        await dispatcher.dispatch();
        return (await failedList(tokens['xxs.dispatch'])).some((f) => ours(f.title));
      },
      15000,
      500,
    );
    const mine = (await failedList(tokens['xxs.dispatch'])).find((f) => ours(f.title))!;
    expect(mine).toMatchObject({ attempts: 2, channel: 'webhook' });
    expect(mine.lastError).toContain('500');
    expect(hits.filter((h) => h.path === '/failing' && ours(h.raw))).toHaveLength(2);
    await t.http().get('/api/v1/notify/failed').set(bearer(tokens['xxs.zhufeng1'])).expect(403);
    await t.http().post(`/api/v1/notify/failed/${mine.id}/retry`).set(bearer(tokens['yy.admin'])).expect(404);

    failing = false;
    await t
      .http()
      .post(`/api/v1/notify/failed/${mine.id}/retry`)
      .set(bearer(tokens['xxs.dispatch']))
      .expect(204);
    await waitFor(
      'sent after the retry',
      async () => {
        await dispatcher.dispatch();
        const [row] = await t.dataSource.query(`SELECT status FROM deliveries WHERE id = $1`, [mine.id]);
        return row.status === 'sent';
      },
      10000,
      200,
    );
  });

  it('the inbox is personal: read marks, unread counts, and no one else can touch it', async () => {
    const owner = tokens['xxs.zhufeng1'];
    const before = (await t.http().get('/api/v1/inbox/unread-count').set(bearer(owner)).expect(200)).body
      .unread;
    const [first] = (await t.http().get('/api/v1/inbox?unread=true').set(bearer(owner)).expect(200)).body
      .items;
    await t.http().post(`/api/v1/inbox/${first.id}/read`).set(bearer(tokens['xxs.zhufeng'])).expect(404);
    await t.http().post(`/api/v1/inbox/${first.id}/read`).set(bearer(tokens['yy.admin'])).expect(404);
    await t.http().post(`/api/v1/inbox/${first.id}/read`).set(bearer(owner)).expect(204);
    expect(
      (await t.http().get('/api/v1/inbox/unread-count').set(bearer(owner)).expect(200)).body.unread,
    ).toBe(before - 1);
  });

  it("every step shows in the item's history, and reminders stop once the item is no longer worked on", async () => {
    const history = (
      await t.http().get(`/api/v1/items/${itemId}/history`).set(bearer(tokens['xxs.dispatch'])).expect(200)
    ).body as { actionName: string; summary: string }[];
    const names = history.map((h) => h.actionName);
    expect(names.filter((n) => n === '提醒')).toHaveLength(3);
    expect(names).toContain('催办');
    expect(names).toContain('督办');
    expect(history.find((h) => h.actionName === '催办')!.summary).toMatch(/催办〔2022〕第\d+号/);

    // The item's reminders and numbers: readable where the item is, nowhere else.
    const list = (
      await t.http().get(`/api/v1/items/${itemId}/reminders`).set(bearer(tokens['xxs.zhufeng1'])).expect(200)
    ).body as { level: string; orderNumber: string | null }[];
    // Two scans of the same day (the test's and the worker's cron) may interleave ids: compare as sets.
    expect(list.map((r) => r.level).sort()).toEqual(['remind', 'remind', 'remind', 'supervise', 'urge']);
    expect(list.filter((r) => r.orderNumber).length).toBe(2);
    await t.http().get(`/api/v1/items/${itemId}/reminders`).set(bearer(tokens['yy.admin'])).expect(404);
    const planId = (await t.dataSource.query(`SELECT plan_id FROM items WHERE id = $1`, [itemId]))[0].plan_id;
    await t
      .http()
      .get(`/api/v1/plans/${planId}/reminder-settings`)
      .set(bearer(tokens['yy.admin']))
      .expect(404);
    await t
      .http()
      .patch(`/api/v1/plans/${planId}/reminder-settings`)
      .set(bearer(tokens['yy.admin']))
      .send({ overdueEvery: 3 })
      .expect(404);
    await t
      .http()
      .patch(`/api/v1/plans/${planId}/reminder-settings`)
      .set(bearer(tokens['xxs.zhufeng1']))
      .send({ overdueEvery: 3 })
      .expect(403);
    expect(
      (
        await t
          .http()
          .get(`/api/v1/plans/${planId}/reminder-settings`)
          .set(bearer(tokens['xxs.zhufeng1']))
          .expect(200)
      ).body,
    ).toMatchObject({ overdueEvery: 2, urgeAfter: 3, superviseAfter: 5, deadlineDays: [7, 3, 1] });

    const item = (
      await t.http().get(`/api/v1/items/${itemId}`).set(bearer(tokens['xxs.dispatch'])).expect(200)
    ).body;
    await t
      .http()
      .post(`/api/v1/items/${itemId}/status`)
      .set(bearer(tokens['xxs.dispatch']))
      .send({ version: item.version, status: 'suspended', reason: '上级调整' })
      .expect(200);
    const count = (await reminderKinds()).length;
    await scanAt('2022-10-19T10:00:00+08:00');
    expect((await reminderKinds()).length).toBe(count);
  });

  it("a worker whose clock runs ahead cannot send early: due times are the database's", async () => {
    const early = (
      await publishedItem('时钟测试计划', `${TITLE}（时钟）`, 'zhufeng-squad', 'xxs.zhufeng1', '2022-10-31')
    ).id;
    const ahead = await createTestWorker(t, { DUBAN_NOW: '2022-12-30T10:00:00+08:00' });
    try {
      await pinDatabaseClock(t.dataSource, '2022-10-20T10:00:00+08:00');
      await ahead.get(ReminderScanService).scan();
      const kinds = (await t.dataSource.query(`SELECT kind FROM reminders WHERE item_id = $1`, [early])) as {
        kind: string;
      }[];
      // 7 working days before 10-31 by the database's clock; nothing overdue, whatever the worker thinks.
      expect(kinds.map((k) => k.kind)).toEqual(['deadline-before']);
    } finally {
      await ahead.close();
    }
  });

  it('a channel whose secret no configured key opens fails its own sends; the rest of the block goes out', async () => {
    const port = (sink.address() as AddressInfo).port;
    const idx = await indexOrg(t, tokens['xxs.dispatch']);
    const unit = idx.units.get('zhufeng-squad')!;
    // The DingTalk robot sealed with a key that has since been rotated away (id k0, not configured).
    const gone = SecretKeyRing.fromMaterial({
      current: { id: 'k0', material: 'a key rotated away long ago, 0123' },
    });
    await t.dataSource.query(
      `UPDATE notify_channels SET secret_sealed = $3 WHERE owner_type = 'unit' AND owner_id = $1 AND channel = $2`,
      [
        unit,
        'dingtalk',
        gone.seal(
          JSON.stringify({
            url: `http://127.0.0.1:${port}/dingtalk?access_token=ding-token`,
            secret: DING_SECRET,
          }),
        ),
      ],
    );
    const title = `${TITLE}（密钥）`;
    const id = (await publishedItem('密钥轮换计划', title, 'zhufeng-squad', 'xxs.zhufeng1', '2022-10-18')).id;
    await pinDatabaseClock(t.dataSource, '2022-10-21T10:00:00+08:00');
    await worker.get(ReminderScanService).scan();
    const deliveries = async () =>
      (await t.dataSource.query(
        `SELECT d.id::text, d.channel, d.status, d.last_error FROM deliveries d JOIN reminders r ON r.id = d.reminder_id
          WHERE r.item_id = $1 AND d.channel <> 'inapp' ORDER BY d.channel`,
        [id],
      )) as { id: string; channel: string; status: string; last_error: string | null }[];
    const block = await deliveries();
    // 提醒 (robots and the owner's e-mail) and, three working days late, 催办 (robots).
    expect([...new Set(block.map((d) => d.channel))]).toEqual(['dingtalk', 'email', 'webhook', 'wecom']);
    // One block with all four (a dispatch by the worker's cron may have leased some first: then it sends them).
    await worker.get(SenderService).sendBlock(block.map((d) => d.id));
    await waitFor(
      'the block settled',
      async () => (await deliveries()).every((d) => d.status === 'sent' || d.last_error !== null),
      10000,
      50,
    );
    const settled = await deliveries();
    const others = settled.filter((d) => d.channel !== 'dingtalk');
    expect(others.every((d) => d.status === 'sent')).toBe(true);
    const ding = settled.filter((d) => d.channel === 'dingtalk');
    for (const d of ding) {
      expect(d.status).not.toBe('sent');
      expect(d.last_error).toContain('渠道密钥无法解密');
      expect(d.last_error).toContain('k0');
    }
    expect(hits.filter((h) => h.path === '/dingtalk' && h.raw.includes(title))).toHaveLength(0);
    expect(hits.filter((h) => h.path === '/wecom' && h.raw.includes(title))).toHaveLength(
      others.filter((d) => d.channel === 'wecom').length,
    );

    // The channel list still answers and says which channel needs saving again; saving it without
    // the secret is refused (it cannot be kept), with it the channel works again.
    const head = tokens['xxs.zhufeng'];
    const listed = (
      await t.http().get(`/api/v1/channels?ownerType=unit&ownerId=${unit}`).set(bearer(head)).expect(200)
    ).body as { channel: string; secretUnreadable: boolean; hasSecret: boolean }[];
    expect(listed.find((c) => c.channel === 'dingtalk')).toMatchObject({
      secretUnreadable: true,
      hasSecret: false,
    });
    expect(listed.find((c) => c.channel === 'webhook')).toMatchObject({
      secretUnreadable: false,
      hasSecret: true,
    });
    const address = `http://127.0.0.1:${port}/dingtalk?access_token=ding-token`;
    const again = (body: object) =>
      t
        .http()
        .put('/api/v1/channels')
        .set(bearer(head))
        .send({ ownerType: 'unit', ownerId: unit, channel: 'dingtalk', address, ...body });
    const refused = await again({}).expect(400);
    expect(refused.body.fields[0]).toMatchObject({ field: 'secret' });
    expect((await again({ secret: DING_SECRET }).expect(200)).body).toMatchObject({
      hasSecret: true,
      secretUnreadable: false,
    });
    const [resealed] = (await t.dataSource.query(
      `SELECT secret_sealed FROM notify_channels WHERE owner_type = 'unit' AND owner_id = $1 AND channel = 'dingtalk'`,
      [unit],
    )) as { secret_sealed: string }[];
    expect(resealed.secret_sealed.startsWith('v2:k1:')).toBe(true);
  });

  it('a block that waits longer than its lease keeps it: a second worker takes none and nothing is sent twice', async () => {
    const title = `${TITLE}${SLOW}`;
    const id = (await publishedItem('租约续期计划', title, 'zhufeng-squad', 'xxs.zhufeng1', '2022-10-18')).id;
    await pinDatabaseClock(t.dataSource, '2022-10-21T10:00:00+08:00');
    await worker.get(ReminderScanService).scan();
    const robots = async () =>
      (await t.dataSource.query(
        `SELECT d.id::text, d.status FROM deliveries d JOIN reminders r ON r.id = d.reminder_id
          WHERE r.item_id = $1 AND d.channel NOT IN ('inapp', 'email') ORDER BY d.id`,
        [id],
      )) as { id: string; status: string }[];
    const ids = (await robots()).map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    // One send at a time, 700 ms each, on a 2 s lease: the last rows wait well past their first lease.
    const env = {
      NOTIFY_CONCURRENCY: '1',
      NOTIFY_LEASE_SECONDS: '2',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    const a = await createTestWorker(t, env);
    const b = await createTestWorker(t, env);
    try {
      const first = a.get(SenderService).sendBlock(ids);
      await new Promise((r) => setTimeout(r, 2600));
      const second = await b.get(SenderService).sendBlock(ids);
      expect(second).toEqual({ sent: 0, failed: 0 });
      await first;
    } finally {
      await a.close();
      await b.close();
    }
    await waitFor('all sent', async () => (await robots()).every((d) => d.status === 'sent'), 15000, 100);
    expect(hits.filter((h) => h.raw.includes(SLOW))).toHaveLength(ids.length);
  });

  it('a key rotation: notify:reseal seals every channel with the new key id, audited; the old key can then go', async () => {
    const old = t.config.notify.secretKeys.current;
    const rotated = SecretKeyRing.fromMaterial({
      current: { id: 'k2', material: 'the key of the 2023 rotation, 0123456789' },
      older: [old],
    });
    const before = (await t.dataSource.query(
      `SELECT id, secret_sealed FROM notify_channels WHERE secret_sealed IS NOT NULL ORDER BY id`,
    )) as { id: string; secret_sealed: string }[];
    expect(before.length).toBeGreaterThanOrEqual(3);
    const plain = before.map((r) => rotated.open(r.secret_sealed));
    expect(await resealChannels(t.dataSource, rotated)).toEqual({ resealed: before.length, unreadable: 0 });
    const after = (await t.dataSource.query(
      `SELECT id, secret_sealed FROM notify_channels WHERE secret_sealed IS NOT NULL ORDER BY id`,
    )) as { id: string; secret_sealed: string }[];
    expect(after.every((r) => r.secret_sealed.startsWith('v2:k2:'))).toBe(true);
    // Without the old key at all, everything still opens, to the same URL and secret.
    const newOnly = SecretKeyRing.fromMaterial({
      current: { id: 'k2', material: 'the key of the 2023 rotation, 0123456789' },
    });
    expect(after.map((r) => newOnly.open(r.secret_sealed))).toEqual(plain);
    const audited = (await t.dataSource.query(
      `SELECT entity_id, actor_name, before, after FROM audit_log WHERE entity_type = 'notify_channel' AND action = 'reseal'`,
    )) as { entity_id: string; actor_name: string; before: { keyId: string }; after: { keyId: string } }[];
    expect(audited.map((a) => a.entity_id).sort()).toEqual(before.map((r) => r.id).sort());
    expect(audited[0]).toMatchObject({
      actor_name: '系统',
      before: { keyId: old.id },
      after: { keyId: 'k2' },
    });
    // Run again: nothing left to do.
    expect(await resealChannels(t.dataSource, rotated)).toEqual({ resealed: 0, unreadable: 0 });
  });
});
