import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox (events written with the change, relayed to BullMQ by the worker), a
 * working-day index for set-based 序时进度, and the tables the roll-up writes.
 */
export class OutboxAndRollup1763900300000 implements MigrationInterface {
  name = 'OutboxAndRollup1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts int NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL`);
    // Each reported figure also in its target's unit, converted when written (null if it cannot be),
    // so the roll-up sums plain numbers in SQL.
    await q.query(`ALTER TABLE report_actuals ADD COLUMN target_value numeric`);
    // idx = number of working days from 2000-01-01 up to and including the date: working days
    // between two dates become one subtraction, so 序时进度 for 100k items is a join, not a loop.
    await q.query(`
      CREATE TABLE work_day_index (
        date date PRIMARY KEY,
        working boolean NOT NULL,
        idx int NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION rebuild_work_day_index() RETURNS void LANGUAGE sql AS $$
        DELETE FROM work_day_index;
        INSERT INTO work_day_index (date, working, idx)
        SELECT d, w, sum(w::int) OVER (ORDER BY d)::int
          FROM (SELECT d::date AS d,
                       CASE WHEN c.kind = 'workday' THEN true
                            WHEN c.kind = 'holiday' THEN false
                            ELSE extract(isodow FROM d) < 6 END AS w
                  FROM generate_series(DATE '2000-01-01', DATE '2050-12-31', interval '1 day') d
                  LEFT JOIN calendar_days c ON c.date = d::date) x;
      $$`);
    await q.query(`SELECT rebuild_work_day_index()`);
    await q.query(`
      CREATE TABLE item_status (
        item_id uuid PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        completion numeric(5,2),
        expected numeric(5,2),
        light text,
        overdue_workdays int NOT NULL DEFAULT 0,
        missing_reports int NOT NULL DEFAULT 0,
        reports_due int NOT NULL DEFAULT 0,
        reports_on_time int NOT NULL DEFAULT 0,
        computed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_item_status_light CHECK (light IS NULL OR light IN ('red','yellow','green'))
      )`);
    await q.query(`CREATE INDEX ix_item_status_plan ON item_status (plan_id)`);
    await q.query(`
      CREATE TABLE node_status (
        node_type text NOT NULL,
        node_id uuid NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        completion numeric(5,2),
        expected numeric(5,2),
        light text,
        red int NOT NULL DEFAULT 0,
        yellow int NOT NULL DEFAULT 0,
        green int NOT NULL DEFAULT 0,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (node_type, node_id),
        CONSTRAINT ck_node_status_type CHECK (node_type IN ('task','section','plan')),
        CONSTRAINT ck_node_status_light CHECK (light IS NULL OR light IN ('red','yellow','green'))
      )`);
    await q.query(`CREATE INDEX ix_node_status_plan ON node_status (plan_id)`);
    // One row per run of a scheduled job: operators see the last full recompute, tests count runs.
    await q.query(`
      CREATE TABLE job_runs (
        id bigserial PRIMARY KEY,
        job text NOT NULL,
        tick text NOT NULL,
        worker text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX ix_job_runs_job_tick ON job_runs (job, tick)`);
    // Figures as they stood at each dispatch cycle's cut-off, for trends (one row per node or unit).
    await q.query(`
      CREATE TABLE rollup_snapshots (
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        period text NOT NULL,
        kind text NOT NULL,
        subject_id uuid NOT NULL,
        completion numeric(5,2),
        expected numeric(5,2),
        light text,
        red int NOT NULL DEFAULT 0,
        yellow int NOT NULL DEFAULT 0,
        green int NOT NULL DEFAULT 0,
        score numeric(5,2),
        rank int,
        taken_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plan_id, period, kind, subject_id),
        CONSTRAINT ck_rollup_snapshots_kind CHECK (kind IN ('task','section','plan','unit-lead','unit-co'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rollup_snapshots`);
    await q.query(`DROP TABLE job_runs`);
    await q.query(`DROP TABLE node_status`);
    await q.query(`DROP TABLE item_status`);
    await q.query(`DROP FUNCTION rebuild_work_day_index()`);
    await q.query(`DROP TABLE work_day_index`);
    await q.query(`ALTER TABLE report_actuals DROP COLUMN target_value`);
    await q.query(`DROP TABLE outbox`);
  }
}
