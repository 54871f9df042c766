import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { Client } from 'pg';

import { PIN_CLOCK_SQL } from '../../src/core/clock/clock';
import { baseEnv, ROOT, TEMPLATE_DB, withDatabase } from './env';

/** The schema owner (CREATEDB): it creates the test databases, so it owns them and their tables. */
async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(baseEnv().MIGRATION_DATABASE_URL, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file, cloned from the migrated and seeded template. */
export async function createTestDatabase(
  prefix = 't',
  template: string | null = TEMPLATE_DB,
): Promise<string> {
  const name = `duban_${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
      return name;
    } catch (err) {
      // Two clones starting in the same instant may see each other on the template; try again.
      if (attempt < 20 && /being accessed by other users/.test((err as Error).message)) {
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        continue;
      }
      throw err;
    }
  }
}

export async function dropTestDatabase(name: string): Promise<void> {
  try {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  } catch (err) {
    // An autovacuum worker on the database (after a test's heavy writes) makes FORCE demand a
    // privilege the test role lacks (Postgres 15). A plain DROP stops autovacuum itself; the test's
    // own connections are closed by now, and a straggler gets a few tries.
    if ((err as { code?: string }).code !== '42501') throw err;
    for (let attempt = 1; ; attempt++) {
      try {
        await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}"`));
        return;
      } catch (again) {
        if (attempt >= 10) throw again;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }
}

export { admin as withAdminClient };

/** A superuser session over the local cluster's socket (trust auth), as a DBA with shell access has. */
export function superuserClient(database: string): Client {
  const port = Number(new URL(baseEnv().DATABASE_URL).port);
  return new Client({ host: join(ROOT, '.data', 'pg-run'), port, user: 'postgres', database });
}

/**
 * Pins the business clock (duban_now(), read by the API, the worker and the reminder scan alike).
 * Frozen: it stays at `at`; running: it moves on from `at` in real time.
 */
export async function pinDatabaseClock(
  ds: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  at: string,
  frozen = true,
): Promise<void> {
  await ds.query(PIN_CLOCK_SQL, [at, frozen]);
}
