import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The official working-day calendar, dispatch cycles per plan, progress reports with target actuals,
 * co-unit contributions and evidence files, deadline extensions and close-out requests.
 */
export class CyclesAndReports1763900200000 implements MigrationInterface {
  name = 'CyclesAndReports1763900200000';

  async up(q: QueryRunner): Promise<void> {
    // National, not per organization: the State Council's schedule applies to every bureau.
    await q.query(`
      CREATE TABLE calendar_days (
        date date PRIMARY KEY,
        year int NOT NULL,
        kind text NOT NULL,
        name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_calendar_days_kind CHECK (kind IN ('holiday','workday'))
      )`);
    await q.query(`
      ALTER TABLE plans
        ADD COLUMN report_due_workdays int NOT NULL DEFAULT 3,
        ADD COLUMN meeting_workday int NOT NULL DEFAULT 2,
        ADD COLUMN on_time_basis text NOT NULL DEFAULT 'original',
        ADD CONSTRAINT ck_plans_report_due CHECK (report_due_workdays BETWEEN 0 AND 15),
        ADD CONSTRAINT ck_plans_meeting CHECK (meeting_workday BETWEEN 1 AND 15),
        ADD CONSTRAINT ck_plans_on_time_basis CHECK (on_time_basis IN ('original','extended'))`);
    await q.query(`ALTER TABLE items ADD COLUMN original_deadline date`);
    await q.query(`
      CREATE TABLE dispatch_cycles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        period text NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL,
        report_due date NOT NULL,
        meeting_date date NOT NULL,
        status text NOT NULL DEFAULT 'open',
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_dispatch_cycles_plan_period UNIQUE (plan_id, period),
        CONSTRAINT ck_dispatch_cycles_period CHECK (period ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        CONSTRAINT ck_dispatch_cycles_status CHECK (status IN ('open','closed'))
      )`);
    await q.query(`
      CREATE TABLE progress_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        period_key text NOT NULL,
        status text NOT NULL DEFAULT 'draft',
        percent numeric(5,2),
        progress text NOT NULL DEFAULT '',
        problems text NOT NULL DEFAULT '',
        next_steps text NOT NULL DEFAULT '',
        decrease_reason text,
        created_by uuid NOT NULL REFERENCES users(id),
        submitted_at timestamptz,
        first_submitted_at timestamptz,
        submitted_by uuid REFERENCES users(id),
        reviewed_at timestamptz,
        reviewed_by uuid REFERENCES users(id),
        review_comment text,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_progress_reports_item_period UNIQUE (item_id, period_key),
        CONSTRAINT ck_progress_reports_status CHECK (status IN ('draft','submitted','approved','returned')),
        CONSTRAINT ck_progress_reports_percent CHECK (percent IS NULL OR percent BETWEEN 0 AND 100)
      )`);
    await q.query(
      `CREATE INDEX ix_progress_reports_org_status ON progress_reports (organization_id, status)`,
    );
    await q.query(`
      CREATE TABLE report_contributions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES progress_reports(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES units(id),
        created_by uuid NOT NULL REFERENCES users(id),
        text text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_report_contributions_report ON report_contributions (report_id)`);
    // One row per reported figure; a contribution's figures carry its id, the lead unit's do not.
    await q.query(`
      CREATE TABLE report_actuals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES progress_reports(id) ON DELETE CASCADE,
        contribution_id uuid REFERENCES report_contributions(id) ON DELETE CASCADE,
        target_id uuid NOT NULL REFERENCES item_targets(id) ON DELETE CASCADE,
        value numeric NOT NULL,
        unit text NOT NULL,
        CONSTRAINT ck_report_actuals_value CHECK (value >= 0)
      )`);
    await q.query(`CREATE INDEX ix_report_actuals_report ON report_actuals (report_id)`);
    await q.query(`
      CREATE TABLE evidence_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        report_id uuid REFERENCES progress_reports(id) ON DELETE CASCADE,
        contribution_id uuid REFERENCES report_contributions(id) ON DELETE CASCADE,
        closeout_id uuid,
        filename text NOT NULL,
        mime text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_evidence_files_item ON evidence_files (item_id)`);
    await q.query(`
      CREATE TABLE deadline_extensions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        original_deadline date NOT NULL,
        requested_deadline date NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        requested_by uuid NOT NULL REFERENCES users(id),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        decision_comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_deadline_extensions_status CHECK (status IN ('pending','approved','refused')),
        CONSTRAINT ck_deadline_extensions_later CHECK (requested_deadline > original_deadline)
      )`);
    // At most one open request per item.
    await q.query(
      `CREATE UNIQUE INDEX uq_deadline_extensions_pending ON deadline_extensions (item_id) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE closeout_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        note text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'pending',
        requested_by uuid NOT NULL REFERENCES users(id),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        decision_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_closeout_requests_status CHECK (status IN ('pending','approved','rejected'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_closeout_requests_pending ON closeout_requests (item_id) WHERE status = 'pending'`,
    );
    await q.query(
      `ALTER TABLE evidence_files ADD CONSTRAINT fk_evidence_files_closeout FOREIGN KEY (closeout_id) REFERENCES closeout_requests(id) ON DELETE CASCADE`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_files`);
    await q.query(`DROP TABLE closeout_requests`);
    await q.query(`DROP TABLE deadline_extensions`);
    await q.query(`DROP TABLE report_actuals`);
    await q.query(`DROP TABLE report_contributions`);
    await q.query(`DROP TABLE progress_reports`);
    await q.query(`DROP TABLE dispatch_cycles`);
    await q.query(`ALTER TABLE items DROP COLUMN original_deadline`);
    await q.query(
      `ALTER TABLE plans DROP COLUMN report_due_workdays, DROP COLUMN meeting_workday, DROP COLUMN on_time_basis`,
    );
    await q.query(`DROP TABLE calendar_days`);
  }
}
