import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations (tenants), their unit trees, users, refresh tokens and the audit log. */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name text NOT NULL,
        short_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_organizations_code UNIQUE (code),
        CONSTRAINT ck_organizations_code CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$')
      )`);
    await q.query(`
      CREATE TABLE units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        parent_id uuid REFERENCES units(id),
        path text NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        sort_order int NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_units_org_code UNIQUE (organization_id, code),
        CONSTRAINT ck_units_kind CHECK (kind IN ('leadership','office','squad','street','company','external')),
        CONSTRAINT ck_units_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
      )`);
    await q.query(`CREATE INDEX ix_units_org_parent ON units (organization_id, parent_id)`);
    await q.query(`CREATE INDEX ix_units_path ON units (path text_pattern_ops)`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        unit_id uuid NOT NULL REFERENCES units(id),
        username text NOT NULL,
        name text NOT NULL,
        title text,
        phone text,
        email text,
        roles text[] NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        version int NOT NULL DEFAULT 1,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_users_roles CHECK (
          cardinality(roles) > 0
          AND roles <@ ARRAY['admin','leader','head','member','dispatcher','viewer']::text[])
      )`);
    // Usernames are unique across the installation, case-insensitively: login names no organization.
    await q.query(`CREATE UNIQUE INDEX uq_users_username ON users (lower(username))`);
    await q.query(`CREATE INDEX ix_users_org_unit ON users (organization_id, unit_id)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX ix_refresh_tokens_expires ON refresh_tokens (expires_at)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        actor_id uuid,
        actor_name text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb,
        request_id text
      )`);
    await q.query(`CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id, id)`);
    await q.query(`CREATE INDEX ix_audit_log_org ON audit_log (organization_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE units`);
    await q.query(`DROP TABLE organizations`);
  }
}
