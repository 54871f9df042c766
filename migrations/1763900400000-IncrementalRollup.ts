import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-plan light thresholds and completion basis; per-item monthly milestones; the items waiting for an incremental roll-up
 * (written with the change, read by the worker); and a NOTIFY on the outbox so the relay wakes at
 * commit instead of waiting for its next poll.
 */
export class IncrementalRollup1763900400000 implements MigrationInterface {
  name = 'IncrementalRollup1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE plans
        ADD COLUMN completion_basis text NOT NULL DEFAULT 'targets',
        ADD COLUMN lag_points numeric(5,2) NOT NULL DEFAULT 20,
        ADD COLUMN near_deadline_workdays int NOT NULL DEFAULT 10,
        ADD COLUMN near_deadline_min_percent numeric(5,2) NOT NULL DEFAULT 80,
        ADD COLUMN score_weights jsonb NOT NULL DEFAULT '{}',
        ADD CONSTRAINT ck_plans_completion_basis CHECK (completion_basis IN ('targets', 'percent')),
        ADD CONSTRAINT ck_plans_lag_points CHECK (lag_points BETWEEN 0 AND 100),
        ADD CONSTRAINT ck_plans_near_deadline CHECK (near_deadline_workdays >= 0 AND near_deadline_min_percent BETWEEN 0 AND 100)`);
    // 月度节点 [{month: 'YYYY-MM', percent}] replacing the linear 序时进度 when present.
    await q.query(`ALTER TABLE items ADD COLUMN milestones jsonb NOT NULL DEFAULT '[]'`);
    // item_id NULL means "the whole plan". No foreign key on item_id: a deleted item still needs
    // its ancestors recomputed, and the roll-up simply finds no row for it.
    await q.query(`
      CREATE TABLE rollup_pending (
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        item_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Deliberately not unique: a unique key would make a request marking an item wait for a running
    // roll-up that is deleting the same key. Duplicates cost nothing; the roll-up deletes them all.
    await q.query(`CREATE INDEX ix_rollup_pending_plan ON rollup_pending (plan_id)`);
    // Delivered at commit, once per transaction: the relay claims the new rows at once.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('duban_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tg_outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
    // Where each item sits and weighs, as last rolled up: an incremental roll-up re-aggregates a
    // plan from these rows without reading items, and finds the nodes an item has just left.
    await q.query(`
      ALTER TABLE item_status
        ADD COLUMN task_id uuid, ADD COLUMN section_id uuid, ADD COLUMN weight numeric(8,2)`);
    await q.query(`
      UPDATE item_status s SET task_id = i.task_id, section_id = i.section_id, weight = i.weight FROM items i WHERE i.id = s.item_id`);
    // The roll-up reads items by plan; the old index leads with organization_id.
    await q.query(`CREATE INDEX ix_items_plan ON items (plan_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_items_plan`);
    await q.query(`ALTER TABLE item_status DROP COLUMN weight, DROP COLUMN section_id, DROP COLUMN task_id`);
    await q.query(`DROP TRIGGER tg_outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
    await q.query(`DROP TABLE rollup_pending`);
    await q.query(`ALTER TABLE items DROP COLUMN milestones`);
    await q.query(`
      ALTER TABLE plans
        DROP CONSTRAINT ck_plans_near_deadline, DROP CONSTRAINT ck_plans_lag_points, DROP CONSTRAINT ck_plans_completion_basis,
        DROP COLUMN score_weights, DROP COLUMN near_deadline_min_percent, DROP COLUMN near_deadline_workdays,
        DROP COLUMN lag_points, DROP COLUMN completion_basis`);
  }
}
