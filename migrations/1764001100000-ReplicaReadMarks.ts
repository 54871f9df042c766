import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-your-writes with a read replica (issue 18): after a user's successful mutating request the API
 * records the primary's WAL position here (one upsert), and the auth guard's one statement returns it.
 * A heavy read goes to the replica only once the replica has replayed that far. Written only when
 * DATABASE_REPLICA_URL is set.
 */
export class ReplicaReadMarks1764001100000 implements MigrationInterface {
  name = 'ReplicaReadMarks1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE replica_read_marks (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        lsn pg_lsn NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE replica_read_marks`);
  }
}
