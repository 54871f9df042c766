import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * work_day_index keyed by (calendar_id, date): the unique index is built CONCURRENTLY (outside a
 * transaction), then becomes the primary key in place of (date).
 */
export class WorkDayIndexPerCalendar1763902100000 implements MigrationInterface {
  name = 'WorkDayIndexPerCalendar1763902100000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    // A failed earlier attempt leaves an invalid index behind: start clean.
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ux_work_day_index_calendar_date`);
    await q.query(
      `CREATE UNIQUE INDEX CONCURRENTLY ux_work_day_index_calendar_date ON work_day_index (calendar_id, date)`,
    );
    await q.query(`
      ALTER TABLE work_day_index DROP CONSTRAINT work_day_index_pkey,
        ADD CONSTRAINT work_day_index_pkey PRIMARY KEY USING INDEX ux_work_day_index_calendar_date`);
    // Organizations' own indexes (absent after a revert of this migration): one statement, atomic.
    await q.query(`SELECT rebuild_work_day_index()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Only the national rows can be keyed by date alone.
    await q.query(`DELETE FROM work_day_index WHERE calendar_id <> '00000000-0000-0000-0000-000000000000'`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ux_work_day_index_date`);
    await q.query(`CREATE UNIQUE INDEX CONCURRENTLY ux_work_day_index_date ON work_day_index (date)`);
    await q.query(`
      ALTER TABLE work_day_index DROP CONSTRAINT work_day_index_pkey,
        ADD CONSTRAINT work_day_index_pkey PRIMARY KEY USING INDEX ux_work_day_index_date`);
  }
}
