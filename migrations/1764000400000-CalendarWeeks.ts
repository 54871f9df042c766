import { MigrationInterface, QueryRunner } from 'typeorm';

const NATIONAL_CALENDAR = '00000000-0000-0000-0000-000000000000';

/** The weeks of working-day index `cal` (an SQL expression): (s = Monday, due), as weeksDue computed them. */
const weeksOf = (cal: string) => `
  SELECT w.cal, w.s,
         coalesce(w.due, (SELECT min(x.date) FROM work_day_index x
                           WHERE x.calendar_id = w.cal AND x.date > w.s + 6 AND x.working)) AS due
    FROM (SELECT calendar_id AS cal, date_trunc('week', date)::date AS s, max(date) FILTER (WHERE working) AS due
            FROM work_day_index WHERE calendar_id = ${cal} GROUP BY 1, 2) w`;

/** rebuild_work_day_index(cal) as 1763902000000 defined it; `weeks` adds what runs after the index is built. */
const rebuildFunction = (weeks: string) => `
  CREATE OR REPLACE FUNCTION rebuild_work_day_index(cal uuid) RETURNS void LANGUAGE sql AS $$
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
    ${weeks}
  $$`;

const noArgFunction = (weeks: string) => `
  CREATE OR REPLACE FUNCTION rebuild_work_day_index() RETURNS void LANGUAGE sql AS $$
    DELETE FROM work_day_index
     WHERE calendar_id <> '${NATIONAL_CALENDAR}'
       AND calendar_id NOT IN (SELECT organization_id FROM organization_calendar_days);
    ${weeks}
    SELECT rebuild_work_day_index(cal)
      FROM (SELECT '${NATIONAL_CALENDAR}'::uuid AS cal
            UNION SELECT DISTINCT organization_id FROM organization_calendar_days) c;
  $$`;

/**
 * The ISO weeks of each working-day index with their due day, stored (issue 19): every item list page,
 * the 工作台's counts, the roll-up and the dispatch pack enumerated them from work_day_index on every
 * statement (a list page ≈ 10 ms of its 12). The weeks change only when an index does, and every index
 * is written by rebuild_work_day_index, which now rewrites the calendar's weeks in the same statement
 * (so in the caller's transaction). weeksDue (cycles/reporting-periods.sql.ts) reads this table.
 */
export class CalendarWeeks1764000400000 implements MigrationInterface {
  name = 'CalendarWeeks1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_weeks (
        calendar_id uuid NOT NULL,
        s date NOT NULL,
        due date NOT NULL,
        PRIMARY KEY (calendar_id, s)
      )`);
    await q.query(
      rebuildFunction(`DELETE FROM calendar_weeks WHERE calendar_id = cal;
    INSERT INTO calendar_weeks (calendar_id, s, due) SELECT cal, s, due FROM (${weeksOf('cal')}) w WHERE due IS NOT NULL;`),
    );
    await q.query(
      noArgFunction(`DELETE FROM calendar_weeks
     WHERE calendar_id <> '${NATIONAL_CALENDAR}'
       AND calendar_id NOT IN (SELECT organization_id FROM organization_calendar_days);`),
    );
    await q.query(
      `INSERT INTO calendar_weeks (calendar_id, s, due)
       SELECT cal, s, due FROM (SELECT DISTINCT calendar_id FROM work_day_index) c,
              LATERAL (${weeksOf('c.calendar_id')}) w WHERE due IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(rebuildFunction(''));
    await q.query(noArgFunction(''));
    await q.query(`DROP TABLE calendar_weeks`);
  }
}
