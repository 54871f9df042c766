import { DataSource, DataSourceOptions } from 'typeorm';

import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from '../../entities';
import { AppConfig } from '../config/app-config';
import { installPgTypeParsers } from './pg-types';

/** Session settings of every connection: bounded waits (RELIABILITY rule 10), JIT off (PERFORMANCE 2), UTC. */
const SESSION_OPTIONS =
  '-c jit=off -c statement_timeout=30000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=60000 -c timezone=UTC';

/** The session setting through which the grants migration learns the runtime role's name. */
export const RUNTIME_ROLE_SETTING = 'duban.runtime_role';

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
    extra: { options: SESSION_OPTIONS },
  };
}

/**
 * The read replica's data source (DATABASE_REPLICA_URL): read-only sessions, a short connect timeout
 * (a dead replica is skipped, not waited on) and a small pool of its own. No migrations: they run on
 * the primary and arrive by replication.
 */
export function replicaDataSourceOptions(
  replica: NonNullable<AppConfig['db']['replica']>,
  applicationName = 'duban-replica',
): DataSourceOptions {
  return {
    ...dataSourceOptions(
      { db: { url: replica.url, poolSize: replica.poolSize, connectTimeoutMs: 1000, migrationsRun: false } },
      applicationName,
    ),
    migrations: [],
    extra: { options: `${SESSION_OPTIONS} -c default_transaction_read_only=on` },
  };
}

export function createDataSource(config: Pick<AppConfig, 'db'>, applicationName?: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}

const userOf = (url: string) => decodeURIComponent(new URL(url).username);
/** A value inside libpq's `options`: spaces and backslashes are escaped with a backslash. */
const optionValue = (v: string) => v.replace(/[\\ ]/g, (c) => `\\${c}`);

/**
 * Migrations connect as the schema owner (`migrationUrl`), not as the runtime role. Each session
 * carries the runtime role's name (the user of `url`) so the grants migration knows whom to grant;
 * a single-role installation (same user) carries none and grants nothing.
 */
export function migrationDataSourceOptions(
  config: Pick<AppConfig, 'db'>,
  applicationName = 'duban-migrate',
): DataSourceOptions {
  const ownerUrl = config.db.migrationUrl ?? config.db.url;
  const runtimeRole = userOf(config.db.url);
  const options =
    runtimeRole && runtimeRole !== userOf(ownerUrl)
      ? `${SESSION_OPTIONS} -c ${RUNTIME_ROLE_SETTING}=${optionValue(runtimeRole)}`
      : SESSION_OPTIONS;
  return {
    ...dataSourceOptions({ db: { ...config.db, url: ownerUrl, poolSize: 1 } }, applicationName),
    extra: { options },
  };
}

export function createMigrationDataSource(
  config: Pick<AppConfig, 'db'>,
  applicationName?: string,
): DataSource {
  return new DataSource(migrationDataSourceOptions(config, applicationName));
}
