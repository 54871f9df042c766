import { randomUUID } from 'node:crypto';

import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';

import { AppConfig, itemPageUrl } from '../../core/config/app-config';
import { Metrics } from '../../core/metrics/metrics';
import {
  createSmtpTransport,
  dingtalkAccepted,
  dingtalkRequest,
  emailMessage,
  openTarget,
  postTo,
  ReminderMessage,
  SecretKeyRing,
  UrlPolicy,
  WebhookTarget,
  webhookRequest,
  wecomAccepted,
  wecomRequest,
} from '../notify/channels';
import { ClaimedDelivery, DeliveriesRepository } from './deliveries.repository';
import { CHANNELS, type ChannelKind } from './dto/notify.dto';

/** The robot hosts every organization may call; admins add others per organization. */
export const DEFAULT_ROBOT_HOSTS = ['oapi.dingtalk.com', 'qyapi.weixin.qq.com'];

const FLUSH_MS = 2;
const FLUSH_MAX = 128;

/**
 * Sends external deliveries. At most NOTIFY_CONCURRENCY sends per process are "in flight": a slot is
 * taken before the send and given back only once its success is committed to the ledger (outcomes
 * are committed in small groups every few ms). So if this process dies, at most that many messages
 * went out without being recorded, and only those are sent again: the duplicates bound.
 */
@Injectable()
export class SenderService implements OnApplicationShutdown {
  private readonly logger = new Logger(SenderService.name);
  private readonly keys: SecretKeyRing;
  private slots: number;
  private readonly waiting: (() => void)[] = [];
  private sentBuffer: { id: string; settle: (err?: Error) => void }[] = [];
  private flushTimer?: NodeJS.Timeout;
  private smtp?: Transporter;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.keys = SecretKeyRing.fromMaterial(config.notify.secretKeys);
    this.slots = config.notify.concurrency;
    // Every series from the start at 0: rate() and the alerts see the first failure as an increase.
    for (const channel of CHANNELS) {
      for (const outcome of ['sent', 'retried', 'failed']) metrics.deliveries.inc({ channel, outcome }, 0);
    }
  }

  /** After the queue workers have drained (WorkerDrain): a send in flight keeps its connection. */
  onApplicationShutdown(): void {
    this.smtp?.close();
  }

  /** Claims and sends a block; returns how many were sent and how many failed this attempt. */
  async sendBlock(ids: string[]): Promise<{ sent: number; failed: number }> {
    const leaseSeconds = this.config.notify.leaseSeconds;
    const owner = randomUUID();
    const claimed = await this.deliveries.claim(ids, leaseSeconds, owner);
    // Rows wait for a slot (other blocks share them) and may sit in flight with a slow robot: keep
    // their leases alive while they are ours, so no other worker sends them meanwhile, and drop the
    // ones whose lease was lost (a stalled process) instead of sending them a second time.
    const held = new Set(claimed.map((d) => d.id));
    const lost = new Set<string>();
    const renewal = setInterval(
      () => {
        const ids = [...held];
        this.deliveries.renew(ids, leaseSeconds, owner).then(
          (still) => ids.forEach((id) => !still.has(id) && held.has(id) && lost.add(id)),
          (err: unknown) => this.logger.warn(`外发租约续期失败：${(err as Error).message}`),
        );
      },
      (leaseSeconds * 1000) / 3,
    );
    renewal.unref();
    try {
      return await this.sendClaimed(claimed, held, lost);
    } finally {
      clearInterval(renewal);
    }
  }

  private async sendClaimed(
    claimed: ClaimedDelivery[],
    held: Set<string>,
    lost: Set<string>,
  ): Promise<{ sent: number; failed: number }> {
    // A block usually goes to a few channels: open each channel's sealed URL and secret once. One
    // that cannot be opened (a key rotated away, a damaged value) fails its own deliveries only.
    const opened = new Map<string, Sealed | Error>();
    for (const d of claimed) {
      if (d.secretSealed && !opened.has(d.secretSealed)) {
        opened.set(d.secretSealed, this.openChannel(d.secretSealed));
      }
    }
    // …and check and resolve each target URL once: the allow-list and the vetted address hold for the block.
    const targets = new Map<string, Promise<WebhookTarget>>();
    const targetFor = (url: string, policy: UrlPolicy) => {
      let target = targets.get(url);
      if (!target) {
        target = openTarget(new URL(url), policy);
        target.catch(() => undefined); // each send awaits it and records its own failure
        targets.set(url, target);
      }
      return target;
    };
    let sent = 0;
    let failed = 0;
    await Promise.all(
      claimed.map(async (d) => {
        await this.acquire();
        if (lost.has(d.id)) {
          // Another worker holds it now and sends it: ours would be the duplicate.
          held.delete(d.id);
          this.release();
          return;
        }
        try {
          await this.send(d, d.secretSealed ? opened.get(d.secretSealed)! : null, targetFor);
        } catch (err) {
          this.release();
          failed++;
          // Retried while attempts remain (markFailed's rule), failed for good on the last one.
          const outcome = d.attempts >= d.maxAttempts ? 'failed' : 'retried';
          this.metrics.deliveries.inc({ channel: d.channel, outcome });
          const message = (err as Error).message;
          this.logger.warn(`外发失败（${d.channel}，第 ${d.attempts} 次）：${message}`);
          await this.deliveries.markFailed(d.id, message, d.attempts, d.maxAttempts).catch(() => undefined);
          held.delete(d.id);
          return;
        }
        // The slot is released by recordSent, once the outcome is committed (or could not be).
        await this.recordSent(d.id).then(
          () => {
            sent++;
            this.metrics.deliveries.inc({ channel: d.channel, outcome: 'sent' });
          },
          (err: unknown) => this.logger.warn(`发送结果未能记录，租约到期后将重发：${(err as Error).message}`),
        );
        held.delete(d.id);
      }),
    );
    return { sent, failed };
  }

  private openChannel(sealed: string): Sealed | Error {
    try {
      return JSON.parse(this.keys.open(sealed)) as Sealed;
    } catch (err) {
      return new Error(`渠道密钥无法解密，请管理员重新保存该接收渠道：${(err as Error).message}`);
    }
  }

  private async send(
    d: ClaimedDelivery,
    sealed: Sealed | Error | null,
    targetFor: (url: string, policy: UrlPolicy) => Promise<WebhookTarget>,
  ): Promise<void> {
    const m: ReminderMessage = {
      key: d.key,
      level: d.level,
      title: d.title,
      lines: d.lines,
      link: d.itemId ? itemPageUrl(this.config.appUrl, d.itemId) : undefined,
      orderNumber: d.orderNumber ?? undefined,
      occurredAt: new Date(d.createdAt).toISOString(),
    };
    if (!d.address) throw new Error('接收渠道已删除');
    if (sealed instanceof Error) throw sealed;
    await deliverMessage(
      { channel: d.channel, address: d.address, sealed, allowedHosts: d.allowedHosts },
      m,
      {
        smtpUrl: this.config.notify.smtpUrl,
        smtpFrom: this.config.notify.smtpFrom,
        smtp: () => (this.smtp ??= createSmtpTransport(this.config.notify.smtpUrl!)),
      },
      this.config.notify.allowPrivateNetworks,
      targetFor,
    );
  }

  // ---- in-flight slots and group-committed outcomes ------------------------------------------

  private acquire(): Promise<void> {
    if (this.slots > 0) {
      this.slots--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.slots++;
  }

  /** Resolves once the success is committed; the slot is released then, not before. */
  private recordSent(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sentBuffer.push({
        id,
        settle: (err) => {
          this.release();
          if (err) reject(err);
          else resolve();
        },
      });
      const flush = () => {
        clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
        const batch = this.sentBuffer;
        this.sentBuffer = [];
        this.deliveries
          .markSent(batch.map((b) => b.id))
          .then(() => batch.forEach((b) => b.settle()))
          // Unrecorded: the lease runs out and the row is sent again (at-least-once).
          .catch((err: unknown) => batch.forEach((b) => b.settle(err as Error)));
      };
      if (this.sentBuffer.length >= FLUSH_MAX) flush();
      else this.flushTimer ??= setTimeout(flush, FLUSH_MS);
    });
  }
}

/** What a robot or webhook channel keeps sealed: its full URL (with its token) and its secret. */
export interface Sealed {
  url: string;
  secret: string | null;
}

function describe(res: { status: number; body: unknown }): string {
  return `HTTP ${res.status} ${JSON.stringify(res.body)?.slice(0, 200) ?? ''}`;
}

/** One channel as a send needs it: the shown address, the opened seal, the organization's added hosts. */
export interface ChannelTarget {
  channel: ChannelKind;
  address: string;
  sealed: Sealed | null;
  allowedHosts: string[];
}

export interface MailSettings {
  smtpUrl?: string | null;
  smtpFrom: string;
  smtp: () => Transporter;
}

/**
 * Sends one message through one channel; throws a Chinese reason when it is not accepted. The worker's
 * sends and an admin's test message both go through here, so both are checked against the same
 * allow-list and private-address rules (SSRF) and bounded by the same timeouts.
 */
export async function deliverMessage(
  c: ChannelTarget,
  m: ReminderMessage,
  mail: MailSettings,
  allowPrivateNetworks: boolean,
  targetFor: (url: string, policy: UrlPolicy) => Promise<WebhookTarget> = (url, policy) =>
    openTarget(new URL(url), policy),
): Promise<void> {
  // Robot and webhook channels keep their full URL (with its token) and secret sealed together.
  const secret = c.sealed?.secret ?? null;
  const url = c.sealed?.url ?? c.address;
  const policy: UrlPolicy = {
    allowedHosts: [...DEFAULT_ROBOT_HOSTS, ...c.allowedHosts],
    allowPrivateNetworks,
  };
  const post = (
    target: WebhookTarget,
    body: string,
    headers: Record<string, string>,
    signedUrl?: URL,
  ): Promise<{ status: number; body: unknown }> =>
    postTo(
      target,
      body,
      { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': m.key, ...headers },
      undefined,
      signedUrl,
    );
  switch (c.channel) {
    case 'email': {
      if (!mail.smtpUrl) throw new Error('未配置 SMTP（SMTP_URL），无法发送邮件');
      await mail.smtp().sendMail(emailMessage(m, { from: mail.smtpFrom, to: c.address }));
      return;
    }
    case 'dingtalk': {
      const req = dingtalkRequest(url, secret, m, Date.now());
      const target = await targetFor(url, policy);
      const res = await post(target, JSON.stringify(req.body), {}, new URL(req.url));
      if (!dingtalkAccepted(res.status, res.body)) throw new Error(`钉钉机器人拒收：${describe(res)}`);
      return;
    }
    case 'wecom': {
      const req = wecomRequest(url, m);
      const res = await post(await targetFor(url, policy), JSON.stringify(req.body), {});
      if (!wecomAccepted(res.status, res.body)) throw new Error(`企业微信机器人拒收：${describe(res)}`);
      return;
    }
    case 'webhook': {
      if (!secret) throw new Error('Webhook 未配置签名密钥');
      const req = webhookRequest(url, secret, m, Date.now());
      const res = await post(await targetFor(url, policy), req.body, req.headers);
      if (res.status < 200 || res.status >= 300) throw new Error(`Webhook 返回 ${res.status}`);
      return;
    }
  }
}
