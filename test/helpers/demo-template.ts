import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { replayDemo, seedBase } from '../../seeds';
import { REPLAY_NAME } from '../../seeds/replay/runner';
import { AppConfig } from '../../src/core/config/app-config';
import { createMigrationDataSource, dataSourceOptions } from '../../src/core/database/data-source';
import { runMigrationsLocked } from '../../src/core/database/migrate';
import { createTestDatabase, dropTestDatabase, pinDatabaseClock, withAdminClient } from './db';
import { baseEnv, DEMO_TEMPLATE_DB, ROOT, TEST_PASSWORD, withDatabase } from './env';

/** The seeded demo's day, as `npm run demo` pins it (.env.example DUBAN_NOW). */
export const DEMO_NOW = '2022-06-15T10:00:00+08:00';
/** The evidence folder of the replay (used only with EVIDENCE_STORAGE=disk: by default the files are in the template's evidence_blobs); systems copy it. */
export const DEMO_EVIDENCE_DIR = join(ROOT, '.run', 'demo-template-evidence');
/** Serialises the build among the jest workers of one run (any constant of our own). */
const LOCK_KEY = 150_615;

async function complete(): Promise<boolean> {
  const exists = await withAdminClient(async (c) => {
    const { rows } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DEMO_TEMPLATE_DB]);
    return rows.length > 0;
  });
  if (!exists || !existsSync(DEMO_EVIDENCE_DIR)) return false;
  const client = new Client({ connectionString: withDatabase(baseEnv().DATABASE_URL, DEMO_TEMPLATE_DB) });
  await client.connect();
  try {
    const { rows } = await client.query<{ finished: boolean }>(
      `SELECT finished_at IS NOT NULL AS finished FROM demo_replay WHERE name = $1`,
      [REPLAY_NAME],
    );
    return rows[0]?.finished === true;
  } finally {
    await client.end();
  }
}

/** Exactly what `npm run demo` builds (migrate, base seed with replay, replayDemo, clock pin), into `database`. */
async function build(database: string, evidenceDir: string): Promise<void> {
  const env = baseEnv();
  const config = AppConfig.fromEnv({
    ...env,
    DATABASE_URL: withDatabase(env.DATABASE_URL, database),
    MIGRATION_DATABASE_URL: withDatabase(env.MIGRATION_DATABASE_URL, database),
    DATABASE_POOL_SIZE: '6',
    REDIS_PREFIX: `d${randomBytes(4).toString('hex')}`,
    EVIDENCE_DIR: evidenceDir,
    DUBAN_NOW: DEMO_NOW,
  });
  const migrator = createMigrationDataSource(config, 'duban-test-migrate');
  await migrator.initialize();
  await runMigrationsLocked(migrator).finally(() => migrator.destroy());
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    await seedBase(ds, TEST_PASSWORD, { replay: true });
    const result = await replayDemo(config, ds);
    if (result.status !== 'done') throw new Error(`the demo replay did not run: ${result.status}`);
    await pinDatabaseClock(ds, DEMO_NOW, true);
  } finally {
    await ds.destroy();
  }
}

/**
 * The demo template (base seed + the half-year replay, as `npm run demo` leaves it), built once per jest
 * run by the first spec that asks for it; a worker asking meanwhile waits on the advisory lock and then
 * finds it complete. It is built under a temporary name and renamed only when finished, so an interrupted
 * build never looks complete (global setup drops the leftovers and the template itself; teardown too).
 */
export async function ensureDemoTemplate(): Promise<string> {
  const lock = new Client({ connectionString: withDatabase(baseEnv().MIGRATION_DATABASE_URL, 'postgres') });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock($1)`, [LOCK_KEY]);
    if (await complete()) return DEMO_TEMPLATE_DB;
    await dropTestDatabase(DEMO_TEMPLATE_DB);
    const building = await createTestDatabase('demotmp', null);
    const evidence = `${DEMO_EVIDENCE_DIR}.${building}`;
    mkdirSync(evidence, { recursive: true });
    try {
      await build(building, evidence);
      rmSync(DEMO_EVIDENCE_DIR, { recursive: true, force: true });
      renameSync(evidence, DEMO_EVIDENCE_DIR);
      await withAdminClient((c) => c.query(`ALTER DATABASE "${building}" RENAME TO "${DEMO_TEMPLATE_DB}"`));
    } catch (err) {
      await dropTestDatabase(building).catch(() => undefined);
      rmSync(evidence, { recursive: true, force: true });
      throw err;
    }
    return DEMO_TEMPLATE_DB;
  } finally {
    await lock.query(`SELECT pg_advisory_unlock($1)`, [LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

/** Removes the demo template and its evidence, also an interrupted build's (global setup and teardown). */
export async function dropDemoTemplate(): Promise<void> {
  await dropTestDatabase(DEMO_TEMPLATE_DB);
  const dir = dirname(DEMO_EVIDENCE_DIR);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir))
    if (name.startsWith('demo-template-evidence')) rmSync(join(dir, name), { recursive: true, force: true });
}
