import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { Actor, hasRole } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { AppConfig } from '../../core/config/app-config';
import { DomainError } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import {
  checkWebhookUrl,
  createSmtpTransport,
  resolvePublic,
  SecretKeyRing,
  UrlPolicy,
} from '../notify/channels';
import { AccessContexts } from '../plans/access-contexts';
import { canManageAll, canReadItem } from '../plans/item-access';
import { ItemsRepository } from '../plans/items.repository';
import { PlanErrors } from '../plans/plans.errors';
import { PlansRepository } from '../plans/plans.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { DEFAULT_REMINDER_SETTINGS, resolveReminderSettings } from './domain/rules';
import {
  ChannelDto,
  ChannelTestDto,
  FailedDeliveryDto,
  InboxDto,
  InboxQuery,
  ItemReminderDto,
  PutChannelDto,
  ReminderSettingsDto,
  WebhookHostsDto,
} from './dto/notify.dto';
import { ChannelRow, NotifyRepository } from './notify.repository';
import { DEFAULT_ROBOT_HOSTS, deliverMessage, Sealed } from './sender.service';

const CHANNEL_ZH: Record<ChannelRow['channel'], string> = {
  email: '邮箱',
  dingtalk: '钉钉机器人',
  wecom: '企业微信机器人',
  webhook: 'Webhook',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Robot and webhook URLs carry their token in the query: shown without it. */
export function maskedAddress(channel: string, address: string): string {
  if (channel === 'email') return address;
  const u = new URL(address);
  return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
}

/** Inbox, channel settings (secrets sealed, never returned), allowed webhook hosts, failed sends. */
@Injectable()
export class NotifyService {
  private readonly keys: SecretKeyRing;

  constructor(
    private readonly repo: NotifyRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly audit: AuditRepository,
    private readonly plans: PlansRepository,
    private readonly items: ItemsRepository,
    private readonly access: AccessContexts,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.keys = SecretKeyRing.fromMaterial(config.notify.secretKeys);
  }

  // ---- inbox: each user sees and marks only their own messages ---------------------------------

  async inbox(actor: Actor, q: InboxQuery): Promise<InboxDto> {
    const page = q.page ?? 1;
    const size = q.pageSize ?? 20;
    const r = await this.repo.inbox(actor.userId, q.unread === 'true', size, (page - 1) * size);
    return {
      total: r.total,
      unread: r.unread,
      items: r.items.map((n) => ({
        ...n,
        createdAt: new Date(n.createdAt).toISOString(),
        readAt: n.readAt ? new Date(n.readAt).toISOString() : null,
      })),
    };
  }

  unreadCount(actor: Actor): Promise<number> {
    return this.repo.unreadCount(actor.userId);
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    if (!/^\d{1,18}$/.test(id) || !(await this.repo.markRead(actor.userId, id))) {
      throw DomainError.notFound('消息');
    }
  }

  markAllRead(actor: Actor): Promise<number> {
    return this.repo.markAllRead(actor.userId);
  }

  // ---- channels ------------------------------------------------------------------------------

  async channels(actor: Actor, ownerType: 'unit' | 'user', ownerId: string): Promise<ChannelDto[]> {
    await this.requireOwner(actor, ownerType, ownerId);
    return (await this.repo.channels(actor.organizationId, ownerType, ownerId)).map((c) => this.toDto(c));
  }

  async putChannel(actor: Actor, dto: PutChannelDto): Promise<ChannelDto> {
    await this.requireOwner(actor, dto.ownerType, dto.ownerId);
    const address = dto.address.trim();
    let sealed: string | null = null;
    let shown = address;
    if (dto.channel === 'email') {
      if (!EMAIL.test(address)) throw DomainError.invalid('address', '邮箱地址格式不正确');
      if (dto.secret !== undefined) throw DomainError.invalid('secret', '邮件渠道不需要密钥');
    } else {
      const policy = await this.policy(actor.organizationId);
      const checked = checkWebhookUrl(address, policy);
      if (!checked.ok) throw DomainError.invalid('address', checked.reason);
      await resolvePublic(checked.url.hostname, policy).catch((err: Error) => {
        // A name that does not resolve here is checked again at every send; a private address never passes.
        if (/私有|内网|回环|private|loopback/i.test(err.message))
          throw DomainError.invalid('address', err.message);
      });
      const existing = (await this.repo.channels(actor.organizationId, dto.ownerType, dto.ownerId)).find(
        (c) => c.channel === dto.channel,
      );
      const old = existing?.secretSealed ? this.openSealed(existing.secretSealed) : null;
      // A stored secret that no configured key opens cannot be kept: ask for it again.
      if (old === 'unreadable' && dto.secret === undefined && dto.channel !== 'wecom')
        throw DomainError.invalid('secret', '原签名密钥无法解密（加密密钥已更换），请重新填写签名密钥');
      const secret = dto.secret ?? (old && old !== 'unreadable' ? old.secret : null);
      if (dto.channel === 'webhook' && !secret) throw DomainError.invalid('secret', 'Webhook 须设置签名密钥');
      if (dto.channel === 'wecom' && dto.secret !== undefined)
        throw DomainError.invalid('secret', '企业微信群机器人不使用签名密钥');
      sealed = this.keys.seal(JSON.stringify({ url: address, secret }));
      shown = maskedAddress(dto.channel, address);
    }
    const row: Omit<ChannelRow, 'id'> = {
      organizationId: actor.organizationId,
      ownerType: dto.ownerType,
      ownerId: dto.ownerId,
      channel: dto.channel,
      enabled: dto.enabled ?? true,
      address: shown,
      secretSealed: sealed,
    };
    const id = await this.repo.transaction(async (em) => {
      const { id, before } = await this.repo.upsertChannel(em, row);
      await this.audit.recordAs(
        em,
        actor,
        'notify_channel',
        id,
        before ? 'update' : 'create',
        before && audited(before),
        audited(row),
      );
      return id;
    });
    return this.toDto((await this.repo.channel(actor.organizationId, id))!);
  }

  async deleteChannel(actor: Actor, id: string): Promise<void> {
    const c = await this.repo.channel(actor.organizationId, id);
    if (!c) throw DomainError.notFound('接收渠道');
    await this.requireOwner(actor, c.ownerType, c.ownerId);
    await this.repo.transaction(async (em) => {
      await this.repo.deleteChannel(em, id);
      await this.audit.recordAs(em, actor, 'notify_channel', id, 'delete', audited(c), null);
    });
  }

  /**
   * Sends one test message through a channel now, as the worker would (same allow-list, private-address
   * refusal and timeouts), and says in Chinese what happened. The attempt is audited; it writes no
   * delivery, so a failing channel is not retried behind the admin's back.
   */
  async testChannel(actor: Actor, id: string): Promise<ChannelTestDto> {
    const c = await this.repo.channel(actor.organizationId, id);
    if (!c) throw DomainError.notFound('接收渠道');
    await this.requireOwner(actor, c.ownerType, c.ownerId);
    const name = CHANNEL_ZH[c.channel];
    const opened = c.secretSealed ? this.openSealed(c.secretSealed) : null;
    let result: ChannelTestDto;
    if (opened === 'unreadable') {
      result = { ok: false, message: `测试消息未发出：${name}的地址和密钥无法解密，请重新保存该渠道。` };
    } else {
      const now = await this.clock.now();
      const smtp = this.config.notify.smtpUrl ? createSmtpTransport(this.config.notify.smtpUrl) : undefined;
      try {
        await deliverMessage(
          {
            channel: c.channel,
            address: c.address,
            sealed: opened as Sealed | null,
            allowedHosts: (await this.repo.hosts(actor.organizationId)).map((h) => h.host),
          },
          {
            key: `test-${randomUUID()}`,
            level: 'remind',
            title: '【测试】督办系统测试消息',
            lines: [
              `这是一条测试消息，由${actor.name}发送，用于确认本渠道能收到督办系统的提醒。`,
              '无需处理。',
            ],
            occurredAt: now.toISOString(),
          },
          { smtpUrl: this.config.notify.smtpUrl, smtpFrom: this.config.notify.smtpFrom, smtp: () => smtp! },
          this.config.notify.allowPrivateNetworks,
        );
        result = {
          ok: true,
          message:
            c.channel === 'email'
              ? `测试消息已发往 ${c.address}，请查收邮件。`
              : `测试消息已发送，${name}已接收，请在接收端查看。`,
        };
      } catch (err) {
        result = { ok: false, message: `测试消息发送失败：${explainFailure((err as Error).message)}` };
      } finally {
        smtp?.close();
      }
    }
    await this.repo.transaction((em) =>
      this.audit.recordAs(em, actor, 'notify_channel', id, 'test', null, { ...audited(c), ...result }),
    );
    return result;
  }

  // ---- allowed webhook hosts (admins) ---------------------------------------------------------

  async hosts(actor: Actor): Promise<WebhookHostsDto> {
    this.requireAdmin(actor);
    return {
      builtIn: DEFAULT_ROBOT_HOSTS,
      added: (await this.repo.hosts(actor.organizationId)).map((h) => h.host),
    };
  }

  async addHost(actor: Actor, host: string): Promise<WebhookHostsDto> {
    this.requireAdmin(actor);
    const h = host.toLowerCase();
    await this.repo.transaction(async (em) => {
      if (await this.repo.addHost(em, actor.organizationId, h))
        await this.audit.recordAs(em, actor, 'webhook_host', h, 'create', null, { host: h });
    });
    return this.hosts(actor);
  }

  async removeHost(actor: Actor, host: string): Promise<void> {
    this.requireAdmin(actor);
    const h = host.toLowerCase();
    await this.repo.transaction(async (em) => {
      if (!(await this.repo.removeHost(em, actor.organizationId, h)))
        throw DomainError.notFound('允许的主机');
      await this.audit.recordAs(em, actor, 'webhook_host', h, 'delete', { host: h }, null);
    });
  }

  // ---- failed sends (dispatch office) ---------------------------------------------------------

  async failed(actor: Actor, page = 1, size = 50): Promise<FailedDeliveryDto[]> {
    if (!canManageAll(actor)) throw DomainError.forbidden();
    const rows = await this.deliveries.failed(actor.organizationId, size, (page - 1) * size);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
  }

  async retry(actor: Actor, id: string): Promise<void> {
    if (!canManageAll(actor)) throw DomainError.forbidden();
    if (!/^\d{1,18}$/.test(id)) throw DomainError.notFound('发送记录');
    await this.repo.transaction(async (em) => {
      if (!(await this.deliveries.retry(em, actor.organizationId, id)))
        throw DomainError.notFound('失败的发送记录');
      await this.audit.recordAs(
        em,
        actor,
        'delivery',
        id,
        'retry',
        { status: 'failed' },
        { status: 'pending' },
      );
    });
  }

  // ---- plan reminder settings and an item's reminders -----------------------------------------

  async reminderSettings(actor: Actor, planId: string): Promise<ReminderSettingsDto> {
    if (!(await this.plans.getPlan(actor.organizationId, planId))) throw PlanErrors.planNotFound();
    const stored = await this.repo.reminderSettings(this.plans.manager(), planId);
    const r = resolveReminderSettings(stored);
    return r.ok ? r.settings : DEFAULT_REMINDER_SETTINGS;
  }

  async updateReminderSettings(
    actor: Actor,
    planId: string,
    dto: ReminderSettingsDto,
  ): Promise<ReminderSettingsDto> {
    if (!canManageAll(actor)) throw PlanErrors.notAllowed();
    return this.repo.transaction(async (em) => {
      if (!(await this.plans.getPlan(actor.organizationId, planId, em, true)))
        throw PlanErrors.planNotFound();
      const before = (await this.repo.reminderSettings(em, planId)) as Record<string, unknown>;
      const sent = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const after = { ...before, ...sent };
      const r = resolveReminderSettings(after);
      if (!r.ok) throw DomainError.invalid(r.field, r.message);
      await this.repo.saveReminderSettings(em, planId, after);
      await this.audit.recordAs(em, actor, 'plan', planId, 'reminder-settings', before, after);
      return r.settings;
    });
  }

  async itemReminders(actor: Actor, itemId: string): Promise<ItemReminderDto[]> {
    const ctx = await this.access.for(actor);
    const item = await this.items.getForAccess(actor.organizationId, itemId);
    if (!item || !canReadItem(ctx, item)) throw PlanErrors.itemNotFound();
    return (await this.repo.itemReminders(itemId)).map((r) => ({
      ...r,
      createdAt: new Date(r.createdAt).toISOString(),
    }));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** The sealed URL and secret, or 'unreadable' when no configured key opens it (never a 500). */
  private openSealed(sealed: string): { secret: string | null } | 'unreadable' {
    try {
      return JSON.parse(this.keys.open(sealed)) as { secret: string | null };
    } catch {
      return 'unreadable';
    }
  }

  private toDto(c: ChannelRow): ChannelDto {
    const opened = c.secretSealed ? this.openSealed(c.secretSealed) : null;
    const sealed = opened === 'unreadable' ? null : opened;
    return {
      id: c.id,
      ownerType: c.ownerType,
      ownerId: c.ownerId,
      channel: c.channel,
      enabled: c.enabled,
      address: c.address,
      hasSecret: Boolean(sealed?.secret),
      secretUnreadable: opened === 'unreadable',
    };
  }

  private async policy(organizationId: string): Promise<UrlPolicy> {
    return {
      allowedHosts: [...DEFAULT_ROBOT_HOSTS, ...(await this.repo.hosts(organizationId)).map((h) => h.host)],
      allowPrivateNetworks: this.config.notify.allowPrivateNetworks,
    };
  }

  /** A user manages their own channels; a unit's are managed by admins, the dispatch office, or its head. */
  private async requireOwner(actor: Actor, ownerType: 'unit' | 'user', ownerId: string): Promise<void> {
    if (!(await this.repo.ownerExists(actor.organizationId, ownerType, ownerId))) {
      throw DomainError.notFound(ownerType === 'unit' ? '单位' : '用户');
    }
    const allowed =
      hasRole(actor, 'admin') ||
      (ownerType === 'user' && ownerId === actor.userId) ||
      (ownerType === 'unit' &&
        (hasRole(actor, 'dispatcher') || (hasRole(actor, 'head') && actor.unitId === ownerId)));
    if (!allowed) throw DomainError.forbidden('只能设置本人或本单位的接收渠道');
  }

  private requireAdmin(actor: Actor): void {
    if (!hasRole(actor, 'admin')) throw DomainError.forbidden('只有系统管理员可以设置允许的 Webhook 主机');
  }
}

/** Network error codes in words an admin can act on (the code stays, for whoever reads the logs). */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: '对方拒绝连接，该地址和端口上没有服务在接收',
  ENOTFOUND: '域名无法解析',
  EAI_AGAIN: '域名暂时无法解析',
  ECONNRESET: '连接被对方中断',
  ETIMEDOUT: '连接超时',
  EHOSTUNREACH: '网络不可达',
  ENETUNREACH: '网络不可达',
  UND_ERR_CONNECT_TIMEOUT: '连接超时',
  UND_ERR_SOCKET: '连接被对方中断',
};

function explainFailure(message: string): string {
  return message.replace(/推送请求失败：([A-Z_]+)$/, (all, code: string) =>
    NETWORK_ERRORS[code] ? `推送请求失败：${NETWORK_ERRORS[code]}（${code}）` : all,
  );
}

/** What the audit keeps of a channel: never the token or the secret. */
function audited(c: Pick<ChannelRow, 'channel' | 'address' | 'enabled'>) {
  return { channel: c.channel, address: c.address, enabled: c.enabled };
}
