import { DataSource, DataSourceOptions } from 'typeorm';

import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from '../../entities';
import { AppConfig } from '../config/app-config';
import { installPgTypeParsers } from './pg-types';

/** One set of options for the app, the worker, the CLI and tests: never `synchronize`. */
export function dataSourceOptions(
  config: Pick<AppConfig, 'db'>,
  applicationName = 'duban',
): DataSourceOptions {
  installPgTypeParsers();
  return {
    type: 'postgres',
    url: config.db.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    poolSize: config.db.poolSize,
    // Bounds both opening a connection and waiting for a free one in the pool: a request never
    // queues longer than this for the database; past it the caller gets 503 with Retry-After.
    connectTimeoutMS: config.db.connectTimeoutMs ?? 5000,
    applicationName,
    extra: {
      // Bound every wait (RELIABILITY rule 10) and keep JIT off for the roll-up queries (PERFORMANCE 2).
      options:
        '-c jit=off -c statement_timeout=30000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=60000 -c timezone=UTC',
    },
  };
}

export function createDataSource(config: Pick<AppConfig, 'db'>, applicationName?: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}
