import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extension and close-out requests gain the status 'withdrawn' (已撤销): a pending request lapses
 * when its item is suspended, cancelled or closed, so nothing stale can be decided later. The
 * CHECKs only widen, so the new ones are added NOT VALID and validated without blocking writes.
 */
export class WithdrawnRequests1763901000000 implements MigrationInterface {
  name = 'WithdrawnRequests1763901000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deadline_extensions DROP CONSTRAINT ck_deadline_extensions_status,
      ADD CONSTRAINT ck_deadline_extensions_status CHECK (status IN ('pending','approved','refused','withdrawn')) NOT VALID`);
    await q.query(`ALTER TABLE deadline_extensions VALIDATE CONSTRAINT ck_deadline_extensions_status`);
    await q.query(`ALTER TABLE closeout_requests DROP CONSTRAINT ck_closeout_requests_status,
      ADD CONSTRAINT ck_closeout_requests_status CHECK (status IN ('pending','approved','rejected','withdrawn')) NOT VALID`);
    await q.query(`ALTER TABLE closeout_requests VALIDATE CONSTRAINT ck_closeout_requests_status`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The old statuses have no 'withdrawn': such a request reads as not granted (its reason is kept).
    await q.query(`UPDATE closeout_requests SET status = 'rejected' WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE closeout_requests DROP CONSTRAINT ck_closeout_requests_status,
      ADD CONSTRAINT ck_closeout_requests_status CHECK (status IN ('pending','approved','rejected'))`);
    await q.query(`UPDATE deadline_extensions SET status = 'refused' WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE deadline_extensions DROP CONSTRAINT ck_deadline_extensions_status,
      ADD CONSTRAINT ck_deadline_extensions_status CHECK (status IN ('pending','approved','refused'))`);
  }
}
