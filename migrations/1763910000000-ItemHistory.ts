import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * item_history: each item's roll-up-relevant state (status, dates, weight, cadence, milestones,
 * closing instant, place in the plan, lead unit and co-units) valid from a business instant
 * (duban_now()), so "how did this item stand at a cycle's cut-off" has an answer whenever it is
 * asked (docs/ROLLUP.md, 九). Written by triggers in the transaction of every change: the
 * services, the seed, an import or a DBA's UPDATE all leave their row, and nothing can forget to.
 *
 * Append-only: a trigger refuses UPDATE and DELETE for every role (a grant would not do: the
 * runtime role's grants are re-applied on every migrate), except the cascade of an item's own
 * deletion. Existing items get one row valid since the beginning (their state today is all that is
 * known of their past), split at closed_at for a closed item: before it, it was open.
 */
export class ItemHistory1763910000000 implements MigrationInterface {
  name = 'ItemHistory1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE item_history (
        id bigserial PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        valid_from timestamptz NOT NULL,
        section_id uuid NOT NULL,
        task_id uuid NOT NULL,
        lead_unit_id uuid NOT NULL,
        co_unit_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL,
        start_date date NOT NULL,
        deadline date NOT NULL,
        original_deadline date,
        weight numeric(8,2) NOT NULL,
        cadence text NOT NULL,
        milestones jsonb NOT NULL DEFAULT '[]',
        closed_at timestamptz
      )`);
    // As-of reads: per plan, each item's latest row before an instant.
    await q.query(
      `CREATE INDEX ix_item_history_plan_item ON item_history (plan_id, item_id, valid_from DESC, id DESC)`,
    );
    await q.query(`
      CREATE FUNCTION item_history_record(i items) RETURNS void LANGUAGE sql AS $$
        INSERT INTO item_history (item_id, organization_id, plan_id, valid_from, section_id, task_id, lead_unit_id,
                                  co_unit_ids, status, start_date, deadline, original_deadline, weight, cadence,
                                  milestones, closed_at)
        VALUES (i.id, i.organization_id, i.plan_id, duban_now(), i.section_id, i.task_id, i.lead_unit_id,
                (SELECT coalesce(array_agg(unit_id ORDER BY unit_id), '{}') FROM item_co_units WHERE item_id = i.id),
                i.status, i.start_date, i.deadline, i.original_deadline, i.weight, i.cadence, i.milestones, i.closed_at)
      $$`);
    await q.query(`
      CREATE FUNCTION item_history_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM item_history_record(NEW);
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER item_history_insert AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION item_history_item()`,
    );
    // Only changes the figures can see: an edit of the title or the owner adds no row.
    await q.query(`
      CREATE TRIGGER item_history_update AFTER UPDATE ON items FOR EACH ROW
        WHEN ((OLD.status, OLD.start_date, OLD.deadline, OLD.original_deadline, OLD.weight, OLD.cadence, OLD.milestones,
               OLD.closed_at, OLD.section_id, OLD.task_id, OLD.lead_unit_id)
              IS DISTINCT FROM
              (NEW.status, NEW.start_date, NEW.deadline, NEW.original_deadline, NEW.weight, NEW.cadence, NEW.milestones,
               NEW.closed_at, NEW.section_id, NEW.task_id, NEW.lead_unit_id))
        EXECUTE FUNCTION item_history_item()`);
    // Co-units are rows of their own: once per statement and item, only when the set really moved
    // (a replace deletes and inserts the same units), and not for an item being deleted.
    await q.query(`
      CREATE FUNCTION item_history_co_units() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM item_history_record(i)
           FROM items i
          WHERE i.id IN (SELECT item_id FROM changed)
            AND (SELECT coalesce(array_agg(unit_id ORDER BY unit_id), '{}') FROM item_co_units WHERE item_id = i.id)
                IS DISTINCT FROM
                (SELECT h.co_unit_ids FROM item_history h WHERE h.plan_id = i.plan_id AND h.item_id = i.id
                  ORDER BY h.valid_from DESC, h.id DESC LIMIT 1);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER item_history_co_units_insert AFTER INSERT ON item_co_units
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION item_history_co_units()`);
    await q.query(`
      CREATE TRIGGER item_history_co_units_delete AFTER DELETE ON item_co_units
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION item_history_co_units()`);
    await q.query(`
      CREATE FUNCTION item_history_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The cascade of the item's deletion runs after the item row is gone: that one may pass.
        IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM items WHERE id = OLD.item_id) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '事项历史只能追加，不能修改或删除' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER item_history_no_change BEFORE UPDATE OR DELETE ON item_history FOR EACH ROW EXECUTE FUNCTION item_history_immutable()`,
    );
    await q.query(
      `CREATE TRIGGER item_history_no_truncate BEFORE TRUNCATE ON item_history FOR EACH STATEMENT EXECUTE FUNCTION item_history_immutable()`,
    );
    // Backfill: the state known today, valid since always; a closed item was open before closed_at.
    await q.query(`
      INSERT INTO item_history (item_id, organization_id, plan_id, valid_from, section_id, task_id, lead_unit_id,
                                co_unit_ids, status, start_date, deadline, original_deadline, weight, cadence,
                                milestones, closed_at)
      SELECT i.id, i.organization_id, i.plan_id, v.valid_from, i.section_id, i.task_id, i.lead_unit_id,
             coalesce((SELECT array_agg(unit_id ORDER BY unit_id) FROM item_co_units WHERE item_id = i.id), '{}'),
             CASE WHEN v.before_close THEN 'in_progress' ELSE i.status END,
             i.start_date, i.deadline, i.original_deadline, i.weight, i.cadence, i.milestones,
             CASE WHEN v.before_close THEN NULL ELSE i.closed_at END
        FROM items i
        CROSS JOIN LATERAL (
          SELECT '-infinity'::timestamptz AS valid_from, i.status = 'closed' AND i.closed_at IS NOT NULL AS before_close
          UNION ALL
          SELECT i.closed_at, false WHERE i.status = 'closed' AND i.closed_at IS NOT NULL) v
       ORDER BY i.id, v.valid_from`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER item_history_co_units_delete ON item_co_units`);
    await q.query(`DROP TRIGGER item_history_co_units_insert ON item_co_units`);
    await q.query(`DROP TRIGGER item_history_update ON items`);
    await q.query(`DROP TRIGGER item_history_insert ON items`);
    await q.query(`DROP TABLE item_history`);
    await q.query(`DROP FUNCTION item_history_immutable()`);
    await q.query(`DROP FUNCTION item_history_co_units()`);
    await q.query(`DROP FUNCTION item_history_item()`);
    await q.query(`DROP FUNCTION item_history_record(items)`);
  }
}
