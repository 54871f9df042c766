import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

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
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query(`SET statement_timeout = 0`);
    await runner.query(`SET lock_timeout = '300s'`);
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      // Same session as the lock: works with a pool of one, and the lock covers exactly this work.
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const done = await executor.executePendingMigrations();
      if (done.length > 0)
        logger.log(`已执行数据库迁移 ${done.length} 个：${done.map((m) => m.name).join(', ')}`);
      return done.length;
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
      if (attempt >= 30) throw err;
      logger.warn(`数据库迁移暂不可用（第 ${attempt} 次）：${(err as Error).message}；2 秒后重试`);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    }
  }
}
