import { AsyncLocalStorage } from 'node:async_hooks';

import { DataSource, EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

const insideTransaction = new AsyncLocalStorage<string>();

/** Thrown (in tests) when a transaction's code asks the pool for a second connection. */
export class SecondConnectionInTransactionError extends Error {
  constructor(readonly stack0: string) {
    super(
      'A query inside a transaction went to the pool instead of the transaction’s EntityManager: ' +
        'pass `em` through. Under load such a query waits for a connection that the waiting ' +
        `transactions themselves hold (pool deadlock). Transaction started at:\n${stack0}`,
    );
  }
}

/**
 * Test-time guard (installed when NODE_ENV=test): while a `dataSource.transaction(...)` callback
 * runs, asking the pool for another connection throws instead of silently borrowing one. Inside a
 * transaction every query must use the callback's EntityManager; a query on the default manager
 * holds a second connection, and N concurrent transactions on a pool of N then wait on each other
 * until the pool's connect timeout (issue 13, point 7). Costs one AsyncLocalStorage.run per
 * transaction and a lookup per connection checkout; not installed in production.
 */
export function installTransactionGuard(dataSource: DataSource): void {
  const manager = dataSource.manager as EntityManager & { __txGuard?: true };
  if (manager.__txGuard) return;
  manager.__txGuard = true;

  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = ((isolationOrWork: unknown, maybeWork?: unknown) => {
    const work = (typeof isolationOrWork === 'function' ? isolationOrWork : maybeWork) as (
      em: EntityManager,
    ) => Promise<unknown>;
    const where = new Error().stack?.split('\n').slice(2, 6).join('\n') ?? '';
    // The connection is taken before the callback runs (startTransaction), so only the callback is marked.
    const marked = (em: EntityManager) => insideTransaction.run(where, () => work(em));
    return typeof isolationOrWork === 'function' ? transaction(marked) : transaction(isolationOrWork, marked);
  }) as EntityManager['transaction'];

  const driver = dataSource.driver as PostgresDriver;
  const obtain = driver.obtainMasterConnection.bind(driver);
  driver.obtainMasterConnection = () => {
    const where = insideTransaction.getStore();
    if (where !== undefined) return Promise.reject(new SecondConnectionInTransactionError(where));
    return obtain();
  };
}
