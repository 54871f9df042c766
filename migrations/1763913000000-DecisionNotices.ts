import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * In-app messages on decisions (issue 15): a report returned or approved, an extension or close-out
 * decided, tells the person who asked. They travel as reminders of level `notice` (audience `self`,
 * one per decision, unique key), so the ledger, the inbox and the senders carry them unchanged.
 * The new constraint is added NOT VALID, then validated: the check scans `reminders` without
 * holding the lock that blocks the reminder scan's writes.
 */
export class DecisionNotices1763913000000 implements MigrationInterface {
  name = 'DecisionNotices1763913000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminders DROP CONSTRAINT ck_reminders_level`);
    await q.query(
      `ALTER TABLE reminders ADD CONSTRAINT ck_reminders_level
         CHECK (level IN ('remind', 'urge', 'supervise', 'digest', 'notice')) NOT VALID`,
    );
    await q.query(`ALTER TABLE reminders VALIDATE CONSTRAINT ck_reminders_level`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reminders WHERE level = 'notice'`);
    await q.query(`ALTER TABLE reminders DROP CONSTRAINT ck_reminders_level`);
    await q.query(
      `ALTER TABLE reminders ADD CONSTRAINT ck_reminders_level
         CHECK (level IN ('remind', 'urge', 'supervise', 'digest'))`,
    );
  }
}
