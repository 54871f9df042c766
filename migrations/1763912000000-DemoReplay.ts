import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress of the demo replay (seeds/replay): the seed writes the row with the demo plans, in the
 * same transaction, and the replay advances `next_event` after each step it performs through the
 * services, so an interrupted `seed` continues where it stopped and a finished one is never replayed.
 */
export class DemoReplay1763912000000 implements MigrationInterface {
  name = 'DemoReplay1763912000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demo_replay (
        name text PRIMARY KEY,
        -- The script being walked (sha256 of its steps): a different script never continues another's walk.
        script_hash text,
        next_event int NOT NULL DEFAULT 0 CHECK (next_event >= 0),
        total_events int,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE demo_replay`);
  }
}
