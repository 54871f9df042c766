import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { verifyWebhookSignature } from '../../src/modules/notify/channels';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { indexOrg } from '../helpers/fixtures';

const SECRET = 'hook-secret-test-0123456789';

describe('发送测试消息: POST /channels/:id/test sends one message through the channel now', () => {
  let t: TestApp;
  let sink: Server;
  const hits: { headers: IncomingMessage['headers']; raw: string }[] = [];
  let tokens: Record<string, string>;

  beforeAll(async () => {
    sink = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        hits.push({ headers: req.headers, raw });
        res.statusCode = req.url === '/broken' ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    tokens = Object.fromEntries(
      await Promise.all(
        ['xxs.admin', 'xxs.zhufeng1', 'yy.admin'].map(async (u) => [u, await t.login(u)] as const),
      ),
    );
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => sink.close(() => r(undefined)));
  });

  it('reaches a signed webhook sink, reports failures in Chinese, applies the allow-list, is audited and admin-only', async () => {
    const port = (sink.address() as AddressInfo).port;
    const admin = bearer(tokens['xxs.admin']);
    const unit = (await indexOrg(t, tokens['xxs.admin'])).units.get('zhufeng-squad')!;
    await t.http().post('/api/v1/admin/webhook-hosts').set(admin).send({ host: '127.0.0.1' }).expect(200);
    const put = async (address: string) =>
      (
        await t
          .http()
          .put('/api/v1/channels')
          .set(admin)
          .send({ ownerType: 'unit', ownerId: unit, channel: 'webhook', address, secret: SECRET })
          .expect(200)
      ).body as { id: string };
    const test = (id: string, token = tokens['xxs.admin']) =>
      t.http().post(`/api/v1/channels/${id}/test`).set(bearer(token));

    const ok = await put(`http://127.0.0.1:${port}/hook?token=abc`);
    const sent = await test(ok.id).expect(200);
    expect(sent.body).toEqual({ ok: true, message: expect.stringContaining('测试消息已发送') });
    expect(hits).toHaveLength(1);
    const body = JSON.parse(hits[0].raw) as { title: string; lines: string[] };
    expect(body.title).toBe('【测试】督办系统测试消息');
    expect(body.lines.join('')).toContain('测试消息');
    expect(
      verifyWebhookSignature({
        body: hits[0].raw,
        timestamp: hits[0].headers['x-duban-timestamp'] as string,
        signature: hits[0].headers['x-duban-signature'] as string,
        secret: SECRET,
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    ).toBe(true);

    // The receiver refuses: the answer says so (still 200: the test itself ran).
    const broken = await put(`http://127.0.0.1:${port}/broken`);
    expect((await test(broken.id).expect(200)).body).toEqual({
      ok: false,
      message: '测试消息发送失败：Webhook 返回 500',
    });

    // Nobody listens there: a Chinese failure, quickly.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(() => r(undefined)));
    const dead = await put(`http://127.0.0.1:${deadPort}/hook`);
    const started = Date.now();
    const deadRes = await test(dead.id).expect(200);
    expect(deadRes.body).toEqual({
      ok: false,
      message: '测试消息发送失败：推送请求失败：对方拒绝连接，该地址和端口上没有服务在接收（ECONNREFUSED）',
    });
    expect(Date.now() - started).toBeLessThan(5000);

    // The allow-list is checked at the test send like at every send: a host removed since is refused.
    await t.http().delete('/api/v1/admin/webhook-hosts/127.0.0.1').set(admin).expect(204);
    const refused = await test(dead.id).expect(200);
    expect(refused.body).toEqual({
      ok: false,
      message: '测试消息发送失败：推送地址的主机 127.0.0.1 不在允许清单中',
    });
    expect(hits).toHaveLength(2); // the good one and /broken only

    // Each attempt is audited with its outcome, never with the token or the secret.
    const audited = (await t.dataSource.query(
      `SELECT entity_id, after FROM audit_log WHERE entity_type = 'notify_channel' AND action = 'test' ORDER BY id`,
    )) as { entity_id: string; after: { ok: boolean; message: string } }[];
    expect(audited.map((a) => [a.entity_id, a.after.ok])).toEqual([
      [ok.id, true],
      [broken.id, false],
      [dead.id, false],
      [dead.id, false],
    ]);
    expect(JSON.stringify(audited)).not.toMatch(/token=abc|hook-secret/);

    // A member may not test the unit's channel; another organization does not see it.
    await test(ok.id, tokens['xxs.zhufeng1']).expect(403);
    await test(ok.id, tokens['yy.admin']).expect(404);
    expect(hits).toHaveLength(2);
  });
});
