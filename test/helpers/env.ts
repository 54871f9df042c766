import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository: the nearest folder up with a package.json. Not a fixed `../..`: a bench compiled by
 * `nest build` runs these helpers from dist/test/helpers (test/cluster/cluster.ts).
 */
function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return join(__dirname, '..', '..');
}

export const ROOT = findRoot(__dirname);
export const TEMPLATE_DB = 'duban_test_template';
/** Base seed + the demo replay, built lazily by the first browser spec (test/helpers/demo-template.ts). */
export const DEMO_TEMPLATE_DB = 'duban_test_demo';
export const TEST_PASSWORD = 'duban-test-2022';

/**
 * Local-service defaults from .env.example, overridable by the environment (CI may point elsewhere).
 * DATABASE_URL is the runtime role the app runs as; MIGRATION_DATABASE_URL the owner, which creates,
 * migrates and drops the test databases.
 */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  for (const key of Object.keys(env)) if (process.env[key] !== undefined) env[key] = process.env[key]!;
  // A runtime URL pointing elsewhere (another port, CI) without an owner URL: the owner of .env.example
  // on that same server.
  if (process.env.DATABASE_URL !== undefined && process.env.MIGRATION_DATABASE_URL === undefined) {
    const owner = new URL(env.MIGRATION_DATABASE_URL);
    const url = new URL(env.DATABASE_URL);
    url.username = owner.username;
    url.password = owner.password;
    env.MIGRATION_DATABASE_URL = url.toString();
  }
  return {
    ...env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_PRETTY: 'false',
    DEMO_PASSWORD: TEST_PASSWORD,
    MIGRATIONS_RUN: 'false',
    WORKER_HEARTBEAT_FILE: '',
  };
}

/** The same URL pointing at another database. */
export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
