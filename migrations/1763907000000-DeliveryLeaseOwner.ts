import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery's lease names its holder, so a sender can renew the leases of the rows it still holds
 * (rows waiting for a send slot, or in flight) and learn which ones it lost. Without it a block that
 * waited longer than the lease (a busy worker, a slow robot) was claimed and sent again by another
 * worker. No index: the column is only written with the lease, so the update stays HOT.
 */
export class DeliveryLeaseOwner1763907000000 implements MigrationInterface {
  name = 'DeliveryLeaseOwner1763907000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN lease_owner uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN lease_owner`);
  }
}
