import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a reminder was recorded and reached an inbox is business time: a demo whose clock was moved to
 * 2022-06-20 (`clock advance-to`) shows that day's 提醒 as received on 2022-06-20, not on the server's
 * real day. Production has no pin, so duban_now() is now() there and nothing changes. The ledger
 * (deliveries: leases, sent_at) stays on real time: it schedules real sends.
 */
export class RemindersOnBusinessClock1763911000000 implements MigrationInterface {
  name = 'RemindersOnBusinessClock1763911000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminders ALTER COLUMN created_at SET DEFAULT duban_now()`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN created_at SET DEFAULT duban_now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ALTER COLUMN created_at SET DEFAULT now()`);
    await q.query(`ALTER TABLE reminders ALTER COLUMN created_at SET DEFAULT now()`);
  }
}
