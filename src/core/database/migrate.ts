import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';

import { RUNTIME_ROLE_SETTING } from './data-source';

/** Arbitrary but fixed: the advisory lock id that serialises migrations across processes. */
export const MIGRATION_LOCK_ID = 472_202_201;

/**
 * Runs pending migrations while holding a Postgres advisory lock, so several processes starting
 * at once migrate exactly once: the others wait, then find nothing pending. TypeORM has no lock.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  logger = new Logger('Migrations'),
): Promise<number> {
  return withMigrationLock(dataSource, async (runner) => {
    // 'each': one transaction per migration, except a migration that says `transaction = false`
    // (CREATE INDEX CONCURRENTLY), which runs on this session outside any transaction.
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const done = await executor.executePendingMigrations();
    if (done.length > 0)
      logger.log(`已执行数据库迁移 ${done.length} 个：${done.map((m) => m.name).join(', ')}`);
    await grantRuntimeRole(runner);
    return done.length;
  });
}

/**
 * Grants the runtime role named by the migration session (if any) again, idempotently: a role
 * created or renamed after the grants migration ran is ready after the next migrate.
 */
async function grantRuntimeRole(runner: QueryRunner): Promise<void> {
  const [{ role, granter }] = (await runner.query(
    `SELECT nullif(current_setting('${RUNTIME_ROLE_SETTING}', true), '') AS role,
            to_regprocedure('duban_grant_runtime_role(text)') IS NOT NULL AS granter`,
  )) as { role: string | null; granter: boolean }[];
  if (role && granter) await runner.query(`SELECT duban_grant_runtime_role($1)`, [role]);
}

/**
 * Reverts the last applied migration under the same lock. TypeORM's revert wraps every down() in a
 * transaction whatever the migration says; a `transaction = false` migration (DROP INDEX
 * CONCURRENTLY) is reverted without one. Returns the reverted migration's name, or null.
 */
export async function revertLastMigrationLocked(dataSource: DataSource): Promise<string | null> {
  return withMigrationLock(dataSource, async (runner) => {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    const [{ exists }] = (await runner.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table])) as {
      exists: boolean;
    }[];
    if (!exists) return null;
    // The row TypeORM reverts: the last one applied.
    const [last] = (await runner.query(`SELECT name FROM "${table}" ORDER BY id DESC LIMIT 1`)) as {
      name: string;
    }[];
    if (!last) return null;
    const migration = dataSource.migrations.find((m) => (m.name ?? m.constructor.name) === last.name);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = migration?.transaction === false ? 'none' : 'each';
    await executor.undoLastMigration();
    return last.name;
  });
}

/** Runs `work` on one session holding the migration lock: works with a pool of one. */
async function withMigrationLock<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query(`SET statement_timeout = 0`);
    await runner.query(`SET lock_timeout = '300s'`);
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      return await work(runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
  }
}

/** Migrates before the app starts, retrying while Postgres is not reachable yet. */
export async function migrateOnStart(
  dataSource: DataSource,
  logger = new Logger('Migrations'),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (!dataSource.isInitialized) await dataSource.initialize();
      await runMigrationsLocked(dataSource, logger);
      return;
    } catch (err) {
      // Waiting does not grant privileges: a runtime role asked to migrate fails at once, saying why.
      if (isPrivilegeError(err)) throw explainMigrationError(err);
      if (attempt >= 30) throw err;
      logger.warn(`数据库迁移暂不可用（第 ${attempt} 次）：${(err as Error).message}；2 秒后重试`);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    }
  }
}

const isPrivilegeError = (err: unknown) => (err as { code?: string }).code === '42501';

/** A privilege error while migrating means the wrong role: say which variable names the right one. */
export function explainMigrationError(err: unknown): unknown {
  if (!isPrivilegeError(err)) return err;
  return new Error(
    `数据库迁移权限不足（${(err as Error).message}）：迁移须以数据库所有者角色执行，请设置 MIGRATION_DATABASE_URL，或先用所有者运行 migrate 并设置 MIGRATIONS_RUN=false`,
  );
}
