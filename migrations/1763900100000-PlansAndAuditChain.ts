import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans → sections → key tasks → items (with co-units and targets), and the audit log made
 * append-only and tamper-evident: a hash chain per organization, written by a trigger.
 */
export class PlansAndAuditChain1763900100000 implements MigrationInterface {
  name = 'PlansAndAuditChain1763900100000';

  async up(q: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension (PG ≥ 13): the database owner may create it.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        year int NOT NULL,
        title text NOT NULL,
        status text NOT NULL DEFAULT 'draft',
        source text,
        copied_from_id uuid REFERENCES plans(id),
        version int NOT NULL DEFAULT 1,
        published_at timestamptz,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_plans_org_year_title UNIQUE (organization_id, year, title),
        CONSTRAINT ck_plans_year CHECK (year BETWEEN 2000 AND 2100),
        CONSTRAINT ck_plans_status CHECK (status IN ('draft','published','archived'))
      )`);
    await q.query(`
      CREATE TABLE plan_sections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        numbering text,
        title text NOT NULL,
        sort_order int NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_plan_sections_plan ON plan_sections (plan_id, sort_order)`);
    await q.query(`
      CREATE TABLE plan_tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        section_id uuid NOT NULL REFERENCES plan_sections(id) ON DELETE CASCADE,
        numbering text,
        title text NOT NULL,
        sort_order int NOT NULL,
        status text NOT NULL DEFAULT 'open',
        status_reason text,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_plan_tasks_status CHECK (status IN ('open','closed','cancelled'))
      )`);
    await q.query(`CREATE INDEX ix_plan_tasks_section ON plan_tasks (section_id, sort_order)`);
    await q.query(`CREATE INDEX ix_plan_tasks_plan ON plan_tasks (plan_id)`);
    await q.query(`
      CREATE TABLE items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        section_id uuid NOT NULL REFERENCES plan_sections(id) ON DELETE CASCADE,
        task_id uuid NOT NULL REFERENCES plan_tasks(id) ON DELETE CASCADE,
        sort_order int NOT NULL,
        title text NOT NULL,
        detail text NOT NULL DEFAULT '',
        lead_unit_id uuid NOT NULL REFERENCES units(id),
        responsible_leader_id uuid NOT NULL REFERENCES users(id),
        owner_id uuid REFERENCES users(id),
        start_date date NOT NULL,
        deadline date NOT NULL,
        cadence text NOT NULL,
        weight numeric(8,2) NOT NULL DEFAULT 1,
        tags text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'draft',
        status_reason text,
        resume_status text,
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_items_dates CHECK (deadline >= start_date),
        CONSTRAINT ck_items_weight CHECK (weight > 0),
        CONSTRAINT ck_items_cadence CHECK (cadence IN ('once','weekly','monthly','quarterly','annual','ongoing')),
        CONSTRAINT ck_items_status CHECK (status IN ('draft','assigned','in_progress','awaiting_closeout','closed','suspended','cancelled')),
        CONSTRAINT ck_items_reason CHECK (status NOT IN ('suspended','cancelled') OR status_reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ix_items_task ON items (task_id, sort_order)`);
    await q.query(`CREATE INDEX ix_items_org_plan ON items (organization_id, plan_id)`);
    await q.query(`CREATE INDEX ix_items_lead_unit ON items (lead_unit_id)`);
    await q.query(`CREATE INDEX ix_items_owner ON items (owner_id)`);
    await q.query(`CREATE INDEX ix_items_leader ON items (responsible_leader_id)`);
    // Overdue and deadline-range searches only ever look at open items (PERFORMANCE lesson 4).
    await q.query(
      `CREATE INDEX ix_items_open_deadline ON items (organization_id, deadline) WHERE status NOT IN ('closed','cancelled')`,
    );
    await q.query(`CREATE INDEX ix_items_text ON items USING gin ((title || ' ' || detail) gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE item_co_units (
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES units(id),
        PRIMARY KEY (item_id, unit_id)
      )`);
    await q.query(`CREATE INDEX ix_item_co_units_unit ON item_co_units (unit_id)`);
    await q.query(`
      CREATE TABLE item_targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        sort_order int NOT NULL,
        metric text NOT NULL,
        comparator text NOT NULL,
        value numeric,
        value_text text NOT NULL,
        unit text NOT NULL,
        baseline numeric,
        direction text NOT NULL DEFAULT 'increase',
        CONSTRAINT ck_item_targets_comparator CHECK (comparator IN ('>=','<=','=')),
        CONSTRAINT ck_item_targets_direction CHECK (direction IN ('increase','decrease'))
      )`);
    await q.query(`CREATE INDEX ix_item_targets_item ON item_targets (item_id, sort_order)`);

    // --- Audit: hash chain per organization, append-only ---------------------------------
    await q.query(
      `ALTER TABLE audit_log ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text`,
    );
    await q.query(`
      CREATE FUNCTION audit_log_hash(prev text, r audit_log) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws(E'\\x1f',
          coalesce(prev, ''), r.organization_id::text, r.chain_seq::text, coalesce(r.actor_id::text, ''),
          r.actor_name, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), r.entity_type,
          r.entity_id, r.action, coalesce(r.before::text, ''), coalesce(r.after::text, ''),
          coalesce(r.request_id, '')), 'UTF8')), 'hex')
      $$`);
    // Serialise appends per organization (transaction-scoped lock) so the chain never forks.
    await q.query(`
      CREATE FUNCTION audit_log_chain() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE last audit_log%ROWTYPE;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || NEW.organization_id::text, 0));
        SELECT * INTO last FROM audit_log WHERE organization_id = NEW.organization_id
          ORDER BY chain_seq DESC LIMIT 1;
        NEW.chain_seq := coalesce(last.chain_seq, 0) + 1;
        NEW.prev_hash := coalesce(last.hash, '');
        NEW.hash := audit_log_hash(NEW.prev_hash, NEW);
        RETURN NEW;
      END $$`);
    // Backfill rows written before the chain existed, in id order.
    await q.query(`
      DO $$
      DECLARE r audit_log%ROWTYPE; prev text; seq bigint; org uuid;
      BEGIN
        FOR org IN SELECT DISTINCT organization_id FROM audit_log LOOP
          prev := ''; seq := 0;
          FOR r IN SELECT * FROM audit_log WHERE organization_id = org ORDER BY id LOOP
            seq := seq + 1;
            r.chain_seq := seq;
            UPDATE audit_log SET chain_seq = seq, prev_hash = prev, hash = audit_log_hash(prev, r) WHERE id = r.id;
            prev := audit_log_hash(prev, r);
          END LOOP;
        END LOOP;
      END $$`);
    await q.query(
      `ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX uq_audit_log_chain ON audit_log (organization_id, chain_seq)`);
    await q.query(
      `CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain()`,
    );
    await q.query(`
      CREATE FUNCTION audit_log_immutable() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '审计记录只能追加，不能修改或删除' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    // Fires for every role, owners and superusers included; only a superuser can bypass it
    // (session_replication_role = replica), and the hash chain then shows the change.
    await q.query(
      `CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO CURRENT_USER`);
    await q.query(`DROP TRIGGER audit_log_no_truncate ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_no_update ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_chain ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_immutable()`);
    await q.query(`DROP FUNCTION audit_log_chain()`);
    await q.query(`DROP INDEX uq_audit_log_chain`);
    await q.query(`DROP FUNCTION audit_log_hash(text, audit_log)`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash`);
    await q.query(`DROP TABLE item_targets`);
    await q.query(`DROP TABLE item_co_units`);
    await q.query(`DROP TABLE items`);
    await q.query(`DROP TABLE plan_tasks`);
    await q.query(`DROP TABLE plan_sections`);
    await q.query(`DROP TABLE plans`);
  }
}
