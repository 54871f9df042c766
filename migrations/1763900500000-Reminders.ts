import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders and escalation: what is due (derived from the data by the worker's scan), one ledger row
 * per (reminder, recipient, channel) with a unique idempotency key, the in-app inbox, channel settings
 * per unit and user (secrets sealed), the webhook host allow-list, and numbered 催办单 / 督办单.
 */
export class Reminders1763900500000 implements MigrationInterface {
  name = 'Reminders1763900500000';

  async up(q: QueryRunner): Promise<void> {
    // Per-plan rules; '{}' means every default (docs/REMINDERS.md).
    await q.query(`ALTER TABLE plans ADD COLUMN reminder_settings jsonb NOT NULL DEFAULT '{}'`);
    // The clock reminders are judged by is the database's, so a worker whose clock runs ahead cannot
    // send early. Tests and the demo pin it here (one row); production has no row: real now().
    await q.query(`
      CREATE TABLE clock_pin (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        pinned_at timestamptz NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now(),
        frozen boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      CREATE FUNCTION duban_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT coalesce(
          (SELECT CASE WHEN frozen THEN pinned_at ELSE pinned_at + (now() - set_at) END FROM clock_pin),
          now())
      $$`);
    await q.query(`
      CREATE TABLE reminders (
        id bigserial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid REFERENCES plans(id) ON DELETE CASCADE,
        item_id uuid REFERENCES items(id) ON DELETE CASCADE,
        user_id uuid REFERENCES users(id),
        kind text NOT NULL,
        level text NOT NULL,
        audience text NOT NULL,
        due_on date NOT NULL,
        period_key text,
        order_number text,
        overdue_workdays int,
        title text NOT NULL,
        lines jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_reminders_level CHECK (level IN ('remind', 'urge', 'supervise', 'digest')),
        CONSTRAINT ck_reminders_audience CHECK (audience IN ('owner', 'lead_heads', 'leader_and_dispatch', 'self'))
      )`);
    await q.query(`CREATE INDEX ix_reminders_item ON reminders (item_id, id)`);
    await q.query(`
      CREATE TABLE reminder_order_counters (
        organization_id uuid NOT NULL REFERENCES organizations(id),
        level text NOT NULL,
        year int NOT NULL,
        last int NOT NULL,
        PRIMARY KEY (organization_id, level, year)
      )`);
    await q.query(`
      CREATE TABLE notify_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        owner_type text NOT NULL,
        owner_id uuid NOT NULL,
        channel text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        address text NOT NULL,
        secret_sealed text,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (owner_type, owner_id, channel),
        CONSTRAINT ck_notify_channels_owner CHECK (owner_type IN ('unit', 'user')),
        CONSTRAINT ck_notify_channels_channel CHECK (channel IN ('email', 'dingtalk', 'wecom', 'webhook'))
      )`);
    await q.query(`
      -- Hosts an organization's admins allowed beyond the DingTalk and WeCom robot hosts (in code).
      CREATE TABLE webhook_hosts (
        organization_id uuid NOT NULL REFERENCES organizations(id),
        host text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, host)
      )`);
    // The ledger: one row per (reminder, recipient, channel), its key unique; external sends are
    // leased (lease_until, on the database clock) so two workers never send the same row at once.
    await q.query(`
      CREATE TABLE deliveries (
        id bigserial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        reminder_id bigint NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        recipient_type text NOT NULL,
        recipient_id uuid NOT NULL,
        channel text NOT NULL,
        channel_id uuid REFERENCES notify_channels(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        lease_until timestamptz,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_deliveries_status CHECK (status IN ('pending', 'sent', 'failed')),
        CONSTRAINT ck_deliveries_channel CHECK (channel IN ('inapp', 'email', 'dingtalk', 'wecom', 'webhook'))
      ) WITH (fillfactor = 70)`);
    // Room on each page and no index on lease_until: a claim (lease) is a HOT update, no index write.
    await q.query(`CREATE INDEX ix_deliveries_pending ON deliveries (id) WHERE status = 'pending'`);
    await q.query(
      `CREATE INDEX ix_deliveries_failed ON deliveries (organization_id, id) WHERE status = 'failed'`,
    );
    // In-app inbox: written with its delivery row, in the same transaction (exactly once).
    await q.query(`
      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL UNIQUE REFERENCES deliveries(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        item_id uuid REFERENCES items(id) ON DELETE CASCADE,
        level text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_notifications_user ON notifications (user_id, id DESC)`);
    await q.query(`CREATE INDEX ix_notifications_unread ON notifications (user_id) WHERE read_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP TABLE webhook_hosts`);
    await q.query(`DROP TABLE notify_channels`);
    await q.query(`DROP TABLE reminder_order_counters`);
    await q.query(`DROP TABLE reminders`);
    await q.query(`DROP FUNCTION duban_now()`);
    await q.query(`DROP TABLE clock_pin`);
    await q.query(`ALTER TABLE plans DROP COLUMN reminder_settings`);
  }
}
