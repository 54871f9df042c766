import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface ClaimedDelivery {
  id: string;
  key: string;
  channel: 'email' | 'dingtalk' | 'wecom' | 'webhook';
  attempts: number;
  maxAttempts: number;
  organizationId: string;
  address: string | null;
  secretSealed: string | null;
  level: 'remind' | 'urge' | 'supervise' | 'digest';
  title: string;
  lines: string[];
  itemId: string | null;
  orderNumber: string | null;
  createdAt: Date;
  allowedHosts: string[];
}

export interface FailedDelivery {
  id: string;
  key: string;
  channel: string;
  recipientType: string;
  recipientName: string | null;
  attempts: number;
  lastError: string | null;
  title: string;
  itemId: string | null;
  createdAt: string;
}

/** The ledger's send side: leases (on the database's clock), outcomes, and what is left to send. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Pending external deliveries nobody holds: the dispatcher groups them into send jobs. Leases use
   * the database's real now(), so a worker's clock cannot release another's lease early.
   */
  pendingIds(limit: number): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT id::text FROM deliveries
        WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())
        ORDER BY id LIMIT $1`,
      [limit],
    );
  }

  /**
   * Takes the rows still pending and unleased for one minute, counting the attempt; rows another
   * worker holds, or already sent, are skipped. Returns what to send, with its message and channel.
   */
  claim(ids: string[], leaseSeconds: number, owner: string): Promise<ClaimedDelivery[]> {
    return this.dataSource.query(
      `WITH c AS (
         UPDATE deliveries d SET lease_until = now() + make_interval(secs => $2), lease_owner = $3,
                attempts = d.attempts + 1
          WHERE d.id = ANY($1::bigint[]) AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
         RETURNING d.id, d.key, d.channel, d.attempts, d.organization_id, d.channel_id, d.reminder_id),
       hosts AS (
         SELECT organization_id, array_agg(host) AS hosts FROM webhook_hosts
          WHERE organization_id IN (SELECT organization_id FROM c) GROUP BY organization_id)
       SELECT c.id::text, c.key, c.channel, c.attempts, c.organization_id AS "organizationId",
              coalesce((p.reminder_settings ->> 'attempts')::int, 5) AS "maxAttempts",
              ch.address, ch.secret_sealed AS "secretSealed",
              r.level, r.title, r.lines, r.item_id AS "itemId", r.order_number AS "orderNumber", r.created_at AS "createdAt",
              coalesce(h.hosts, '{}') AS "allowedHosts"
         FROM c JOIN reminders r ON r.id = c.reminder_id
         LEFT JOIN hosts h ON h.organization_id = c.organization_id
         LEFT JOIN plans p ON p.id = r.plan_id
         LEFT JOIN notify_channels ch ON ch.id = c.channel_id`,
      [ids, leaseSeconds, owner],
    );
  }

  /**
   * Extends the leases `owner` still holds on these rows; returns the ids it still holds. A row not
   * returned was taken over (its lease had run out) or settled: the caller must not send it.
   */
  async renew(ids: string[], leaseSeconds: number, owner: string): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const [rows] = (await this.dataSource.query(
      `UPDATE deliveries SET lease_until = now() + make_interval(secs => $2)
        WHERE id = ANY($1::bigint[]) AND lease_owner = $3 AND status = 'pending'
        RETURNING id::text`,
      [ids, leaseSeconds, owner],
    )) as [{ id: string }[], number];
    return new Set(rows.map((r) => r.id));
  }

  async markSent(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL
        WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
      [ids],
    );
  }

  /** A failed attempt: back off exponentially (2, 4, 8 … s), or give up after the plan's attempts. */
  async markFailed(id: string, error: string, attempts: number, maxAttempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries
          SET status = CASE WHEN $3::int >= $4::int THEN 'failed' ELSE 'pending' END,
              lease_until = CASE WHEN $3::int >= $4::int THEN NULL ELSE now() + make_interval(secs => power(2, $3::int)) END,
              last_error = left($2, 500)
        WHERE id = $1 AND status = 'pending'`,
      [id, error, attempts, maxAttempts],
    );
  }

  failed(organizationId: string, limit: number, offset: number): Promise<FailedDelivery[]> {
    return this.dataSource.query(
      `SELECT d.id::text, d.key, d.channel, d.recipient_type AS "recipientType",
              coalesce(u.name, un.name) AS "recipientName", d.attempts, d.last_error AS "lastError",
              r.title, r.item_id AS "itemId", d.created_at AS "createdAt"
         FROM deliveries d JOIN reminders r ON r.id = d.reminder_id
         LEFT JOIN users u ON d.recipient_type = 'user' AND u.id = d.recipient_id
         LEFT JOIN units un ON d.recipient_type = 'unit' AND un.id = d.recipient_id
        WHERE d.organization_id = $1 AND d.status = 'failed'
        ORDER BY d.id DESC LIMIT $2 OFFSET $3`,
      [organizationId, limit, offset],
    );
  }

  /** Puts a failed delivery back in line with a fresh set of attempts; false if it is not failed or not ours. */
  async retry(em: EntityManager, organizationId: string, id: string): Promise<boolean> {
    const [, n] = (await em.query(
      `UPDATE deliveries SET status = 'pending', attempts = 0, lease_until = NULL
        WHERE id = $1 AND organization_id = $2 AND status = 'failed'`,
      [id, organizationId],
    )) as [unknown, number];
    return n === 1;
  }
}
