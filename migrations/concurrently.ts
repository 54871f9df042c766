import { QueryRunner } from 'typeorm';

/**
 * Index policy (docs/ARCHITECTURE.md, "Migrations"): an index on an existing table is built
 * CONCURRENTLY, so writes go on while it builds. That cannot run in a transaction: the migration
 * declares `transaction = false` (TypeORM then runs just it outside one, with
 * migrationsTransactionMode 'each') and does nothing else that needs one.
 *
 * A failed concurrent build leaves an INVALID index behind, which `IF NOT EXISTS` would keep for
 * good: such a leftover is dropped and built again, so a retried migration ends with a valid index.
 */
export async function createIndexConcurrently(
  q: QueryRunner,
  name: string,
  definition: string,
  options: { unique?: boolean } = {},
): Promise<void> {
  refuseTransaction(q, name);
  const [leftover] = (await q.query(
    `SELECT NOT i.indisvalid AS invalid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
    [name],
  )) as { invalid: boolean }[];
  if (leftover?.invalid) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
  await q.query(
    `CREATE ${options.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS "${name}" ${definition}`,
  );
}

/** The other direction, for down(): also without a transaction (see revertLastMigrationLocked). */
export async function dropIndexConcurrently(q: QueryRunner, name: string): Promise<void> {
  refuseTransaction(q, name);
  await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
}

function refuseTransaction(q: QueryRunner, name: string): void {
  if (q.isTransactionActive)
    throw new Error(`索引 ${name} 须在 transaction = false 的迁移中并发创建或删除（不能在事务中执行）`);
}
