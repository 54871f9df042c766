import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { ChannelKind } from './dto/notify.dto';

export interface ChannelRow {
  id: string;
  organizationId: string;
  ownerType: 'unit' | 'user';
  ownerId: string;
  channel: ChannelKind;
  enabled: boolean;
  address: string;
  secretSealed: string | null;
}

/** The API side of reminders: inbox, channel settings, allowed hosts, an item's reminders, plan settings. */
@Injectable()
export class NotifyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Newest first. ORDER BY names the table's id: a bare `id` would sort the text column selected ("912" > "1768"). */
  async inbox(userId: string, unreadOnly: boolean, limit: number, offset: number) {
    const where = `user_id = $1 ${unreadOnly ? 'AND read_at IS NULL' : ''}`;
    const [items, [counts]] = await Promise.all([
      this.dataSource.query(
        `SELECT id::text, level, title, body, item_id AS "itemId", created_at AS "createdAt", read_at AS "readAt"
           FROM notifications WHERE ${where} ORDER BY notifications.id DESC LIMIT $2 OFFSET $3`,
        [userId, limit, offset],
      ) as Promise<
        {
          id: string;
          level: string;
          title: string;
          body: string;
          itemId: string | null;
          createdAt: Date;
          readAt: Date | null;
        }[]
      >,
      this.dataSource.query(
        `SELECT count(*) FILTER (WHERE ${unreadOnly ? 'read_at IS NULL' : 'true'})::int AS total,
                count(*) FILTER (WHERE read_at IS NULL)::int AS unread
           FROM notifications WHERE user_id = $1`,
        [userId],
      ) as Promise<{ total: number; unread: number }[]>,
    ]);
    return { ...counts, items };
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    )) as { n: number }[];
    return row.n;
  }

  /** Marks the user's own message read; false when it is not theirs (or does not exist). */
  async markRead(userId: string, id: string): Promise<boolean> {
    const [, n] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, duban_now()) WHERE id = $1 AND user_id = $2`,
      [id, userId],
    )) as [unknown, number];
    return n === 1;
  }

  async markAllRead(userId: string): Promise<number> {
    const [, n] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = duban_now() WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    )) as [unknown, number];
    return n;
  }

  channels(organizationId: string, ownerType: string, ownerId: string): Promise<ChannelRow[]> {
    return this.dataSource.query(
      `SELECT id, organization_id AS "organizationId", owner_type AS "ownerType", owner_id AS "ownerId", channel, enabled,
              address, secret_sealed AS "secretSealed"
         FROM notify_channels WHERE organization_id = $1 AND owner_type = $2 AND owner_id = $3 ORDER BY channel`,
      [organizationId, ownerType, ownerId],
    );
  }

  async channel(organizationId: string, id: string, em?: EntityManager): Promise<ChannelRow | null> {
    const [row] = (await (em ?? this.dataSource.manager).query(
      `SELECT id, organization_id AS "organizationId", owner_type AS "ownerType", owner_id AS "ownerId", channel, enabled,
              address, secret_sealed AS "secretSealed"
         FROM notify_channels WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    )) as ChannelRow[];
    return row ?? null;
  }

  async upsertChannel(
    em: EntityManager,
    c: Omit<ChannelRow, 'id'>,
  ): Promise<{ id: string; before: ChannelRow | null }> {
    const [before] = (await em.query(
      `SELECT id, organization_id AS "organizationId", owner_type AS "ownerType", owner_id AS "ownerId", channel, enabled,
              address, secret_sealed AS "secretSealed"
         FROM notify_channels WHERE owner_type = $1 AND owner_id = $2 AND channel = $3 FOR UPDATE`,
      [c.ownerType, c.ownerId, c.channel],
    )) as ChannelRow[];
    const [row] = (await em.query(
      `INSERT INTO notify_channels (organization_id, owner_type, owner_id, channel, enabled, address, secret_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (owner_type, owner_id, channel) DO UPDATE
         SET enabled = EXCLUDED.enabled, address = EXCLUDED.address, secret_sealed = EXCLUDED.secret_sealed,
             version = notify_channels.version + 1, updated_at = now()
       RETURNING id`,
      [c.organizationId, c.ownerType, c.ownerId, c.channel, c.enabled, c.address, c.secretSealed],
    )) as { id: string }[];
    return { id: row.id, before: before ?? null };
  }

  async deleteChannel(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM notify_channels WHERE id = $1`, [id]);
  }

  /** Does the unit or user belong to the organization? (Everything is scoped to the caller's.) */
  async ownerExists(organizationId: string, ownerType: 'unit' | 'user', ownerId: string): Promise<boolean> {
    const table = ownerType === 'unit' ? 'units' : 'users';
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM ${table} WHERE organization_id = $1 AND id = $2`,
      [organizationId, ownerId],
    )) as unknown[];
    return rows.length > 0;
  }

  hosts(organizationId: string): Promise<{ host: string }[]> {
    return this.dataSource.query(`SELECT host FROM webhook_hosts WHERE organization_id = $1 ORDER BY host`, [
      organizationId,
    ]);
  }

  async addHost(em: EntityManager, organizationId: string, host: string): Promise<boolean> {
    const [, n] = (await em.query(
      `INSERT INTO webhook_hosts (organization_id, host) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [organizationId, host],
    )) as [unknown, number];
    return n === 1;
  }

  async removeHost(em: EntityManager, organizationId: string, host: string): Promise<boolean> {
    const [, n] = (await em.query(`DELETE FROM webhook_hosts WHERE organization_id = $1 AND host = $2`, [
      organizationId,
      host,
    ])) as [unknown, number];
    return n === 1;
  }

  itemReminders(itemId: string) {
    return this.dataSource.query(
      `SELECT id::text, kind, level, title, order_number AS "orderNumber", due_on AS "dueOn", created_at AS "createdAt"
         FROM reminders WHERE item_id = $1 AND level <> 'notice' ORDER BY reminders.id`,
      [itemId],
    ) as Promise<
      {
        id: string;
        kind: string;
        level: string;
        title: string;
        orderNumber: string | null;
        dueOn: string;
        createdAt: Date;
      }[]
    >;
  }

  async reminderSettings(em: EntityManager, planId: string): Promise<object> {
    const [row] = (await em.query(`SELECT reminder_settings AS s FROM plans WHERE id = $1`, [planId])) as {
      s: object;
    }[];
    return row.s;
  }

  async saveReminderSettings(em: EntityManager, planId: string, s: object): Promise<void> {
    await em.query(`UPDATE plans SET reminder_settings = $2, updated_at = now() WHERE id = $1`, [planId, s]);
  }
}
