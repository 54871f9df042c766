/**
 * What every bench shares: where the services are (required, never guessed), the bench databases they
 * create, mark, migrate and may drop, and percentiles.
 */
import { Client } from 'pg';

import { createMigrationDataSource } from '../src/core/database/data-source';
import { runMigrationsLocked } from '../src/core/database/migrate';

/** The demo's own services (scripts/services.sh defaults), used only with `--yes`. */
const DEMO: Record<string, string> = {
  DATABASE_URL: 'postgres://duban:duban@127.0.0.1:55432/duban',
  MIGRATION_DATABASE_URL: 'postgres://duban:duban@127.0.0.1:55432/duban',
  REDIS_URL: 'redis://127.0.0.1:56379/0',
  BENCH_URL: 'http://127.0.0.1:3000',
  BENCH_USERNAME: 'xxs.dispatch',
  BENCH_PASSWORD: 'duban-demo-2022',
};

/** Whether the command line says `--yes`: use the demo's own services for what the environment leaves unset. */
export const acceptDemoServices = (argv = process.argv) => argv.includes('--yes');

/** The positional arguments, `--flags` left out. */
export const positionalArgs = (argv = process.argv) => argv.slice(2).filter((a) => !a.startsWith('--'));

/**
 * The services a bench runs against, from the environment. A bench creates and drops databases and
 * floods queues: it never falls back to whatever listens on the demo's ports unless told `--yes`, and
 * then says so loudly.
 */
export function benchEnv<K extends string>(names: readonly K[], argv = process.argv): Record<K, string> {
  const out = {} as Record<K, string>;
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length && !acceptDemoServices(argv)) {
    console.error(
      `bench: ${missing.join(', ')} not set. Point the bench at your own services ` +
        `(source .helper-env, or export them), or pass --yes to use the demo's own services on the default ports.`,
    );
    process.exit(2);
  }
  for (const n of names) {
    const fromEnv = process.env[n];
    if (fromEnv) {
      out[n] = fromEnv;
    } else {
      const demo = DEMO[n];
      if (!demo) throw new Error(`no demo default for ${n}`);
      console.warn(`\n!!! --yes: ${n} unset, using the DEMO's ${redactPassword(demo)} !!!\n`);
      out[n] = demo;
    }
  }
  return out;
}

/** The schema owner's URL (MIGRATION_DATABASE_URL, else DATABASE_URL): it creates and migrates bench databases. */
export function ownerDatabaseUrl(argv = process.argv): string {
  if (process.env.MIGRATION_DATABASE_URL) return process.env.MIGRATION_DATABASE_URL;
  return benchEnv(['DATABASE_URL'], argv).DATABASE_URL;
}

const redactPassword = (url: string) => url.replace(/\/\/([^:/]+):[^@]*@/, '//$1:***@');

/** The same server and credentials, another database. */
export const withDb = (url: string, db: string) =>
  Object.assign(new URL(url), { pathname: `/${db}` }).toString();

/** The comment every database a bench creates carries: only such a database is ever dropped by a bench. */
export const BENCH_DATABASE_MARK = 'duban bench database (created by bench/, safe to drop)';

async function databaseMark(admin: Client, db: string): Promise<string | null | undefined> {
  const { rows } = await admin.query<{ mark: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1`,
    [db],
  );
  return rows.length ? rows[0].mark : undefined; // undefined: no such database
}

/**
 * The runtime role's URL (DATABASE_URL: the role the app logs in as) when it is another role than the
 * owner's, else undefined (a single-role installation).
 */
export function runtimeDatabaseUrl(ownerUrl: string, env = process.env): string | undefined {
  const url = env.DATABASE_URL;
  const user = (u: string) => decodeURIComponent(new URL(u).username);
  return url && user(url) !== user(ownerUrl) ? url : undefined;
}

/**
 * Opens the bench database `db` on the owner's server: creates it (marked as a bench's) unless it exists,
 * and migrates it either way, so a database kept from an older run gets the schema the code expects.
 * Migrating also grants the runtime role (`runtimeUrl`'s user; default DATABASE_URL's when it is not the
 * owner) what the migrations grant it, as `migrate` does for the app's database: without it the app,
 * logged in as that role, answers 500. `runtimeUrl` in the result is that role's URL for `db`.
 * `fresh` drops it first, and only if it carries the bench mark: a database the bench did not create is
 * refused, never dropped. Returns whether it existed before (a reused database keeps its data).
 */
export async function openBenchDatabase(
  ownerUrl: string,
  db: string,
  opts: { fresh?: boolean; runtimeUrl?: string } = {},
) {
  if (!/^duban_bench_[a-z0-9_]+$/.test(db)) throw new Error(`not a bench database name: ${db}`);
  const admin = new Client({ connectionString: withDb(ownerUrl, 'postgres') });
  await admin.connect();
  let existed: boolean;
  try {
    const mark = await databaseMark(admin, db);
    existed = mark !== undefined;
    if (existed && opts.fresh) {
      if (mark !== BENCH_DATABASE_MARK)
        throw new Error(
          `refusing to drop database ${db}: it does not carry the bench mark (not created by a bench). Drop it yourself if it is yours.`,
        );
      await admin.query(`DROP DATABASE ${db} WITH (FORCE)`);
      existed = false;
    }
    if (!existed) {
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.query(`COMMENT ON DATABASE ${db} IS '${BENCH_DATABASE_MARK}'`);
    }
  } finally {
    await admin.end();
  }
  const runtime = opts.runtimeUrl ?? runtimeDatabaseUrl(ownerUrl);
  const runtimeUrl = runtime && withDb(runtime, db);
  await migrateDatabase(withDb(ownerUrl, db), runtimeUrl);
  if (existed) console.log(`reusing database ${db}, migrated (drop it to regenerate)`);
  return { existed, url: withDb(ownerUrl, db), runtimeUrl: runtimeUrl ?? withDb(ownerUrl, db) };
}

/**
 * Runs the pending migrations on `url` as the app's `migrate` does (under its advisory lock), then
 * grants the runtime role of `runtimeUrl` (if another role) as every migrate run does.
 */
export async function migrateDatabase(url: string, runtimeUrl?: string): Promise<void> {
  const ds = createMigrationDataSource({
    db: { url: runtimeUrl ?? url, migrationUrl: url, poolSize: 1, migrationsRun: false },
  });
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
}

/** The value at quantile p of xs (nearest rank, below). Over 30 samples "p99" is the maximum: say so. */
export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
