import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { BENCH_DATABASE_MARK, benchEnv, openBenchDatabase } from '../../bench/lib';
import { baseEnv, withDatabase } from '../helpers/env';

/**
 * The benches' databases (issue 19, bench hygiene): a bench drops only a database it created (marked),
 * and migrates a database it reuses; without its services named it stops instead of guessing.
 */
describe('压测数据库 (bench databases)', () => {
  const owner = baseEnv().MIGRATION_DATABASE_URL;
  const db = `duban_bench_t${randomBytes(3).toString('hex')}`;
  const sql = async <T>(database: string, text: string, params: unknown[] = []) => {
    const c = new Client({ connectionString: withDatabase(owner, database) });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const mark = async () =>
    (
      await sql<{ mark: string | null }>(
        'postgres',
        `SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1`,
        [db],
      )
    )[0];

  afterAll(() => sql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));

  it('refuses to drop a database it did not create, and leaves it and its rows alone', async () => {
    await sql('postgres', `CREATE DATABASE ${db}`);
    await sql(db, `CREATE TABLE precious (x int); INSERT INTO precious VALUES (1)`);
    await expect(openBenchDatabase(owner, db, { fresh: true })).rejects.toThrow(/refusing to drop/);
    expect(await sql<{ x: number }>(db, `SELECT x FROM precious`)).toEqual([{ x: 1 }]);
    await sql('postgres', `DROP DATABASE ${db}`);
  });

  it('migrates a database it reuses; drops and recreates only its own, marked', async () => {
    // A bench database kept from an older run, before the schema it needs: marked, no tables.
    await sql('postgres', `CREATE DATABASE ${db}`);
    await sql('postgres', `COMMENT ON DATABASE ${db} IS '${BENCH_DATABASE_MARK}'`);
    const migrated = async () =>
      (await sql<{ n: number }>(db, `SELECT count(*)::int AS n FROM typeorm_migrations`))[0].n;
    expect(await openBenchDatabase(owner, db)).toMatchObject({ existed: true });
    const all = await migrated();
    expect(all).toBeGreaterThan(10);
    await sql(db, `CREATE TABLE marker_row (x int)`);
    expect(await openBenchDatabase(owner, db)).toMatchObject({ existed: true });
    expect(await sql(db, `SELECT 1 FROM pg_tables WHERE tablename = 'marker_row'`)).toHaveLength(1);
    expect(await openBenchDatabase(owner, db, { fresh: true })).toMatchObject({ existed: false });
    expect(await sql(db, `SELECT 1 FROM pg_tables WHERE tablename = 'marker_row'`)).toHaveLength(0);
    expect(await migrated()).toBe(all);
    expect(await mark()).toEqual({ mark: BENCH_DATABASE_MARK });
  });

  it('without its services named (and no --yes) a bench stops, naming what is missing', () => {
    const saved = process.env.BENCH_URL;
    delete process.env.BENCH_URL;
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('exit');
    }) as never);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(() => benchEnv(['BENCH_URL'], ['node', 'bench'])).toThrow('exit');
      expect(exit).toHaveBeenCalledWith(2);
      expect(String(error.mock.calls[0][0])).toContain('BENCH_URL');
      expect(benchEnv(['BENCH_URL'], ['node', 'bench', '--yes'])).toEqual({
        BENCH_URL: 'http://127.0.0.1:3000',
      });
      expect(String(warn.mock.calls[0][0])).toContain('DEMO');
    } finally {
      exit.mockRestore();
      error.mockRestore();
      warn.mockRestore();
      if (saved !== undefined) process.env.BENCH_URL = saved;
    }
  });

  it('grants the runtime role on a database it creates, and again on one it reuses', async () => {
    const runtime = baseEnv().DATABASE_URL;
    // What the app, logged in as the runtime role, reads first: its login's user row.
    const asRuntime = async () => {
      const c = new Client({ connectionString: withDatabase(runtime, db) });
      await c.connect();
      try {
        return (await c.query(`SELECT count(*)::int AS n FROM users`)).rows as { n: number }[];
      } finally {
        await c.end();
      }
    };
    await sql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    const opened = await openBenchDatabase(owner, db, { runtimeUrl: runtime });
    expect(opened).toMatchObject({ existed: false, runtimeUrl: withDatabase(runtime, db) });
    expect(await asRuntime()).toEqual([{ n: 0 }]);
    // A database built before the grants were given (as the 100,000-item one was): granted when reused.
    const role = new URL(runtime).username;
    await sql(db, `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
    await expect(asRuntime()).rejects.toThrow(/permission denied/);
    expect(await openBenchDatabase(owner, db, { runtimeUrl: runtime })).toMatchObject({ existed: true });
    expect(await asRuntime()).toEqual([{ n: 0 }]);
  });
});
