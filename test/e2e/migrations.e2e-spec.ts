import { randomBytes } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

import { MIGRATIONS } from '../../migrations';
import { createIndexConcurrently, dropIndexConcurrently } from '../../migrations/concurrently';
import { createMigrationDataSource, migrationDataSourceOptions } from '../../src/core/database/data-source';
import {
  migrateOnStart,
  revertLastMigrationLocked,
  runMigrationsLocked,
} from '../../src/core/database/migrate';
import { createTestDatabase, dropTestDatabase, superuserClient } from '../helpers/db';
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

  it('the runtime role asked to migrate at start fails at once, naming MIGRATION_DATABASE_URL', async () => {
    const runtimeOnly = createMigrationDataSource({
      db: { url: withDatabase(env.DATABASE_URL, database), poolSize: 1, migrationsRun: false },
    });
    const started = Date.now();
    await expect(migrateOnStart(runtimeOnly, new Logger('test', { timestamp: false }))).rejects.toThrow(
      /数据库迁移权限不足.*MIGRATION_DATABASE_URL/,
    );
    // Not after the 30 retries a database that is still starting gets.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  describe('grants follow the runtime role of the configuration', () => {
    const roles: string[] = [];
    let su: Client;
    /** `migrate` with DATABASE_URL naming `role` (never connected to: it only names the grantee). */
    const migrateFor = async (role: string) => {
      const runtime = new URL(withDatabase(env.DATABASE_URL, database));
      runtime.username = role;
      const ds = createMigrationDataSource({
        db: {
          url: runtime.toString(),
          migrationUrl: withDatabase(env.MIGRATION_DATABASE_URL, database),
          poolSize: 1,
          migrationsRun: false,
        },
      });
      await ds.initialize();
      try {
        return await runMigrationsLocked(ds);
      } finally {
        await ds.destroy();
      }
    };
    const newRole = async (attributes: string) => {
      const name = `duban_t_${randomBytes(4).toString('hex')}`;
      await su.query(`CREATE ROLE ${name} ${attributes}`);
      roles.push(name);
      return name;
    };

    beforeAll(async () => {
      su = superuserClient(database);
      await su.connect();
    });
    afterAll(async () => {
      for (const r of roles) await su.query(`DROP OWNED BY ${r}; DROP ROLE ${r}`);
      await su?.end();
    });

    it('a runtime role created after the grants migration ran is granted at the next migrate', async () => {
      const role = await newRole('LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
      const can = async () =>
        (
          await owner.query<Record<string, boolean>>(
            `SELECT has_table_privilege($1, 'items', 'UPDATE') AS items,
                    has_table_privilege($1, 'audit_log', 'INSERT') AS audit_insert,
                    has_table_privilege($1, 'audit_log', 'UPDATE') AS audit_update,
                    has_table_privilege($1, 'typeorm_migrations', 'SELECT') AS migrations,
                    has_function_privilege($1, 'duban_grant_runtime_role(text)', 'EXECUTE') AS granter`,
            [role],
          )
        ).rows[0];
      expect(await can()).toMatchObject({ items: false, audit_insert: false });
      expect(await migrateFor(role)).toBe(0);
      expect(await can()).toEqual({
        items: true,
        audit_insert: true,
        audit_update: false,
        migrations: false,
        granter: false,
      });
    });

    it.each([
      ['a missing role', null, /不存在/],
      ['a role that may create databases', 'LOGIN CREATEDB', /权限过大/],
      ['a member of the owner', 'LOGIN', /不得是所有者角色/],
    ])('refuses %s, naming the problem', async (what, attributes, message) => {
      const role = attributes === null ? 'duban_t_nobody' : await newRole(attributes);
      if (what === 'a member of the owner')
        await su.query(`GRANT ${new URL(env.MIGRATION_DATABASE_URL).username} TO ${role}`);
      await expect(migrateFor(role)).rejects.toThrow(message);
    });
  });
});
