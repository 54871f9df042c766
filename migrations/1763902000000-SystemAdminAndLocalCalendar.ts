import { MigrationInterface, QueryRunner } from 'typeorm';

/** The working-day index of the national calendar (calendar_days alone). */
export const NATIONAL_CALENDAR = '00000000-0000-0000-0000-000000000000';

/**
 * Issue 13 (tenant isolation): a system administrator role (`sysadmin`, not an organization role),
 * and organizations' own calendar exceptions on top of the national calendar.
 *
 * `work_day_index` gains `calendar_id`: the national index sits under the nil uuid, and an
 * organization with local exceptions gets its own full index under its id (national overlaid with
 * its exceptions). `work_calendar(org)` names the index an organization uses, so the hot SQL joins
 * on (calendar_id, date) with the id looked up once per plan, never per row. The primary key moves
 * to (calendar_id, date) in the next migration, built concurrently.
 */
export class SystemAdminAndLocalCalendar1763902000000 implements MigrationInterface {
  name = 'SystemAdminAndLocalCalendar1763902000000';

  async up(q: QueryRunner): Promise<void> {
    // NOT VALID then VALIDATE: the check of existing rows does not block writes to users.
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_roles`);
    await q.query(`
      ALTER TABLE users ADD CONSTRAINT ck_users_roles CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['admin','leader','head','member','dispatcher','viewer','sysadmin']::text[]) NOT VALID`);
    await q.query(`ALTER TABLE users VALIDATE CONSTRAINT ck_users_roles`);

    await q.query(`
      CREATE TABLE organization_calendar_days (
        organization_id uuid NOT NULL REFERENCES organizations(id),
        date date NOT NULL,
        kind text NOT NULL,
        name text NOT NULL,
        PRIMARY KEY (organization_id, date),
        CONSTRAINT ck_organization_calendar_days_kind CHECK (kind IN ('holiday','workday'))
      )`);

    // A constant default adds the column without rewriting the table; every existing row is national.
    await q.query(
      `ALTER TABLE work_day_index ADD COLUMN calendar_id uuid NOT NULL DEFAULT '${NATIONAL_CALENDAR}'`,
    );
    await q.query(`
      CREATE FUNCTION rebuild_work_day_index(cal uuid) RETURNS void LANGUAGE sql AS $$
        DELETE FROM work_day_index WHERE calendar_id = cal;
        -- An organization without exceptions has no index of its own: it uses the national one.
        INSERT INTO work_day_index (calendar_id, date, working, idx)
        SELECT cal, d, w, sum(w::int) OVER (ORDER BY d)::int
          FROM (SELECT d::date AS d,
                       CASE coalesce(l.kind, c.kind) WHEN 'workday' THEN true
                                                     WHEN 'holiday' THEN false
                                                     ELSE extract(isodow FROM d) < 6 END AS w
                  FROM generate_series(DATE '2000-01-01', DATE '2050-12-31', interval '1 day') d
                  LEFT JOIN calendar_days c ON c.date = d::date
                  LEFT JOIN organization_calendar_days l ON l.organization_id = cal AND l.date = d::date) x
         WHERE cal = '${NATIONAL_CALENDAR}'
            OR EXISTS (SELECT 1 FROM organization_calendar_days o WHERE o.organization_id = cal);
      $$`);
    // The no-argument form (national change, seed, CLI) now rebuilds the national index and every
    // organization's, since theirs overlay it.
    await q.query(`
      CREATE OR REPLACE FUNCTION rebuild_work_day_index() RETURNS void LANGUAGE sql AS $$
        DELETE FROM work_day_index
         WHERE calendar_id <> '${NATIONAL_CALENDAR}'
           AND calendar_id NOT IN (SELECT organization_id FROM organization_calendar_days);
        SELECT rebuild_work_day_index(cal)
          FROM (SELECT '${NATIONAL_CALENDAR}'::uuid AS cal
                UNION SELECT DISTINCT organization_id FROM organization_calendar_days) c;
      $$`);
    await q.query(`
      CREATE FUNCTION work_calendar(org uuid) RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN EXISTS (SELECT 1 FROM work_day_index WHERE calendar_id = org) THEN org
                    ELSE '${NATIONAL_CALENDAR}'::uuid END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION work_calendar(uuid)`);
    await q.query(`DELETE FROM work_day_index WHERE calendar_id <> '${NATIONAL_CALENDAR}'`);
    await q.query(`DROP FUNCTION rebuild_work_day_index(uuid)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION rebuild_work_day_index() RETURNS void LANGUAGE sql AS $$
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
    await q.query(`ALTER TABLE work_day_index DROP COLUMN calendar_id`);
    await q.query(`DROP TABLE organization_calendar_days`);
    // A user who held only sysadmin cannot keep an empty role list: a placeholder role, and the
    // account shut, so it reads nothing of the organization it sits in.
    await q.query(`
      UPDATE users SET roles = CASE WHEN roles = ARRAY['sysadmin'] THEN ARRAY['viewer'] ELSE array_remove(roles, 'sysadmin') END,
                       active = active AND roles <> ARRAY['sysadmin']
       WHERE 'sysadmin' = ANY (roles)`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_roles`);
    await q.query(`
      ALTER TABLE users ADD CONSTRAINT ck_users_roles CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['admin','leader','head','member','dispatcher','viewer']::text[])`);
  }
}
