import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

import { MIGRATIONS } from '../../migrations';
import { createIndexConcurrently, dropIndexConcurrently } from '../../migrations/concurrently';
import { migrationDataSourceOptions } from '../../src/core/database/data-source';
import { revertLastMigrationLocked, runMigrationsLocked } from '../../src/core/database/migrate';
import { createTestDatabase, dropTestDatabase } from '../helpers/db';
import { baseEnv, withDatabase } from '../helpers/env';

const INDEX = 'ix_items_probe_title';

/** A migration as the index policy has it: `transaction = false`, CONCURRENTLY both ways. */
class ProbeIndexConcurrently1799000000001 implements MigrationInterface {
  name = 'ProbeIndexConcurrently1799000000001';
  transaction = false;
  up = (q: QueryRunner) => createIndexConcurrently(q, INDEX, 'ON items (title)');
  down = (q: QueryRunner) => dropIndexConcurrently(q, INDEX);
}

/** The same without `transaction = false`: TypeORM's 'each' mode wraps it in a transaction. */
class ProbeIndexInTransaction1799000000002 implements MigrationInterface {
  name = 'ProbeIndexInTransaction1799000000002';
  up = (q: QueryRunner) => createIndexConcurrently(q, INDEX, 'ON items (title)');
  down = (q: QueryRunner) => dropIndexConcurrently(q, INDEX);
}

/** Index policy: indexes on existing tables are built CONCURRENTLY in a `transaction = false` migration. */
describe('迁移：并发建索引 (CREATE INDEX CONCURRENTLY in migrations)', () => {
  let database: string;
  let owner: Client;
  const env = baseEnv();

  const migrator = (extra: new () => MigrationInterface) => {
    const db = {
      url: withDatabase(env.DATABASE_URL, database),
      migrationUrl: withDatabase(env.MIGRATION_DATABASE_URL, database),
      poolSize: 1,
      migrationsRun: false,
    };
    const options = migrationDataSourceOptions({ db }, 'duban-test-migrate');
    return new DataSource({ ...options, migrations: [...MIGRATIONS, extra] });
  };
  const index = async () =>
    (
      await owner.query<{ valid: boolean; def: string }>(
        `SELECT i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`,
        [INDEX],
      )
    ).rows;
  const recorded = async (name: string) =>
    (await owner.query(`SELECT 1 FROM typeorm_migrations WHERE name = $1`, [name])).rowCount;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = new Client({ connectionString: withDatabase(env.MIGRATION_DATABASE_URL, database) });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await dropTestDatabase(database);
  });

  it('a `transaction = false` migration builds the index outside a transaction; an invalid leftover is rebuilt', async () => {
    // A concurrent build that failed half-way leaves an INVALID index of the same name behind.
    await expect(
      owner.query(`CREATE UNIQUE INDEX CONCURRENTLY ${INDEX} ON items (plan_id)`),
    ).rejects.toThrow();
    expect(await index()).toEqual([{ valid: false, def: expect.stringContaining('(plan_id)') }]);

    const ds = migrator(ProbeIndexConcurrently1799000000001);
    await ds.initialize();
    try {
      expect(await runMigrationsLocked(ds)).toBe(1);
    } finally {
      await ds.destroy();
    }
    expect(await index()).toEqual([{ valid: true, def: expect.stringContaining('(title)') }]);
    expect(await recorded('ProbeIndexConcurrently1799000000001')).toBe(1);
  });

  it('migrate:revert runs its down() outside a transaction too (DROP INDEX CONCURRENTLY)', async () => {
    const ds = migrator(ProbeIndexConcurrently1799000000001);
    await ds.initialize();
    try {
      expect(await revertLastMigrationLocked(ds)).toBe('ProbeIndexConcurrently1799000000001');
    } finally {
      await ds.destroy();
    }
    expect(await index()).toEqual([]);
    expect(await recorded('ProbeIndexConcurrently1799000000001')).toBe(0);
  });

  it('without `transaction = false` the migration is refused, says why, and leaves nothing', async () => {
    const ds = migrator(ProbeIndexInTransaction1799000000002);
    await ds.initialize();
    try {
      await expect(runMigrationsLocked(ds)).rejects.toThrow(/transaction = false/);
    } finally {
      await ds.destroy();
    }
    expect(await index()).toEqual([]);
    expect(await recorded('ProbeIndexInTransaction1799000000002')).toBe(0);
  });
});
