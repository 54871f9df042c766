import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { seedBase } from '../seeds';
import { createMigrationDataSource, dataSourceOptions } from '../src/core/database/data-source';
import { runMigrationsLocked } from '../src/core/database/migrate';
import { dropTestDatabase, withAdminClient } from './helpers/db';
import { dropDemoTemplate } from './helpers/demo-template';
import { seedTemplateHistory } from './helpers/template-history';
import { baseEnv, ROOT, TEMPLATE_DB, TEST_PASSWORD, withDatabase } from './helpers/env';

/** Starts (or finds) local PostgreSQL and Redis, then builds the migrated + seeded template database. */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DUBAN_SKIP_SERVICES) {
    execFileSync('bash', [join(ROOT, 'scripts', 'services.sh'), 'start'], { stdio: 'inherit' });
  }
  const env = baseEnv();
  // Leftovers of an interrupted run would pile up; test databases are disposable by name.
  const { rows } = await withAdminClient((c) =>
    c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^duban_(t|fresh|demotmp)_[0-9]+_[0-9a-f]{6}$' AND datname <> $1`,
      [TEMPLATE_DB],
    ),
  );
  for (const r of rows) await dropTestDatabase(r.datname);
  await dropDemoTemplate();
  await dropTestDatabase(TEMPLATE_DB);
  await withAdminClient((c) => c.query(`CREATE DATABASE "${TEMPLATE_DB}"`));
  // As in production: migrated by the owner (which grants the runtime role), seeded by the runtime role.
  const db = {
    url: withDatabase(env.DATABASE_URL, TEMPLATE_DB),
    migrationUrl: withDatabase(env.MIGRATION_DATABASE_URL, TEMPLATE_DB),
    poolSize: 2,
    migrationsRun: false,
  };
  const migrator = createMigrationDataSource({ db }, 'duban-test-migrate');
  await migrator.initialize();
  try {
    await runMigrationsLocked(migrator);
  } finally {
    await migrator.destroy();
  }
  const ds = new DataSource(dataSourceOptions({ db }));
  await ds.initialize();
  try {
    // The base seed and a fixed history written directly (not the demo's replay): the tests that read
    // seeded data need the same rows every time, and the replay has a test of its own (demo-replay).
    const seeded = await seedBase(ds, TEST_PASSWORD);
    await ds.transaction((em) => seedTemplateHistory(em, seeded.newPlanIds));
    // Reminders follow the database clock: pinned to a Sunday, the scan finds nothing to send in the
    // tests that do not move it (those that do pin their own database's clock).
    await ds.query(`INSERT INTO clock_pin (pinned_at, frozen) VALUES ('2022-06-12T03:00:00Z', true)`);
  } finally {
    await ds.destroy();
  }
}
