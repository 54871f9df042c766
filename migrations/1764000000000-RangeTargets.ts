import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Range targets (issue 17): "新增实施垃圾分类街道 1～2 个" keeps both bounds. `value`/`value_text` stay the lower
 * bound; `value_upper`/`value_upper_text` hold the upper one (null + "x" when redacted), present exactly for
 * comparator 'range', which is always an increase and never has its lower bound above its upper one.
 * The checks are added NOT VALID, then validated: the scan does not hold the lock that blocks item writes.
 */
export class RangeTargets1764000000000 implements MigrationInterface {
  name = 'RangeTargets1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE item_targets ADD COLUMN value_upper numeric, ADD COLUMN value_upper_text text`,
    );
    await q.query(`ALTER TABLE item_targets DROP CONSTRAINT ck_item_targets_comparator`);
    await q.query(
      `ALTER TABLE item_targets
         ADD CONSTRAINT ck_item_targets_comparator CHECK (comparator IN ('>=', '<=', '=', 'range')) NOT VALID,
         ADD CONSTRAINT ck_item_targets_upper CHECK (
           CASE WHEN comparator = 'range'
                THEN value_upper_text IS NOT NULL AND direction = 'increase'
                     AND (value IS NULL OR value_upper IS NULL OR value <= value_upper)
                ELSE value_upper IS NULL AND value_upper_text IS NULL END) NOT VALID`,
    );
    await q.query(`ALTER TABLE item_targets VALIDATE CONSTRAINT ck_item_targets_comparator`);
    await q.query(`ALTER TABLE item_targets VALIDATE CONSTRAINT ck_item_targets_upper`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Before ranges a "1～2" target was stored as "≥ 1": that is what a range becomes, losing its upper bound.
    await q.query(`UPDATE item_targets SET comparator = '>=' WHERE comparator = 'range'`);
    await q.query(`ALTER TABLE item_targets DROP CONSTRAINT ck_item_targets_upper`);
    await q.query(`ALTER TABLE item_targets DROP CONSTRAINT ck_item_targets_comparator`);
    await q.query(`ALTER TABLE item_targets DROP COLUMN value_upper, DROP COLUMN value_upper_text`);
    await q.query(
      `ALTER TABLE item_targets ADD CONSTRAINT ck_item_targets_comparator CHECK (comparator IN ('>=','<=','='))`,
    );
  }
}
