import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the dispatch pack's pages (docs/DISPATCH.md): the overdue list walks a plan's items by
 * deadline and stops after a page; the list of items closed since the last meeting walks the plan's
 * closed items by closing time. (plan_id, deadline) also serves every lookup the plan-only index did.
 */
export class DispatchPackIndexes1763900700000 implements MigrationInterface {
  name = 'DispatchPackIndexes1763900700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_items_plan_deadline ON items (plan_id, deadline)`);
    await q.query(`DROP INDEX ix_items_plan`);
    await q.query(`CREATE INDEX ix_items_plan_closed ON items (plan_id, closed_at) WHERE status = 'closed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_items_plan_closed`);
    await q.query(`CREATE INDEX ix_items_plan ON items (plan_id)`);
    await q.query(`DROP INDEX ix_items_plan_deadline`);
  }
}
