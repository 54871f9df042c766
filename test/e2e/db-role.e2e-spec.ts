import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { bearer, createTestApp, createTestWorker, TestApp, TestWorker } from '../helpers/app';
import { makeDraftPlan } from '../helpers/fixtures';

/**
 * The API and the worker connect as a runtime role that owns nothing: it reads and writes rows, and
 * every change to the schema, the audit triggers or anyone's privileges is refused by PostgreSQL.
 */
describe('数据库运行时角色 (runtime database role)', () => {
  let t: TestApp;
  let worker: TestWorker;
  let owner: Client;
  let runtimeRole: string;
  let ownerRole: string;

  /** Runs `sql` as the app's role in a transaction that is always rolled back; returns its error. */
  async function attempt(sql: string): Promise<{ code?: string; message: string } | null> {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(sql);
      return null;
    } catch (err) {
      return err as { code?: string; message: string };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker(t);
    // A single-role installation has no owner URL: the owner is then the app's own role.
    owner = new Client({ connectionString: t.config.db.migrationUrl ?? t.config.db.url });
    await owner.connect();
    runtimeRole = new URL(t.config.db.url).username;
    ownerRole = (
      await owner.query<{ o: string }>(
        `SELECT tableowner::text AS o FROM pg_tables WHERE tablename = 'items'`,
      )
    ).rows[0].o;
  });
  afterAll(async () => {
    await owner?.end();
    await worker?.close();
    await t?.close();
  });

  it('the API and the worker run as the runtime role, which owns nothing and has no special rights', async () => {
    for (const ds of [t.dataSource, worker.get(DataSource)]) {
      const [me] = (await ds.query(`SELECT current_user::text AS name`)) as { name: string }[];
      expect(me.name).toBe(runtimeRole);
    }
    expect(runtimeRole).not.toBe(ownerRole);
    const [role] = (await t.dataSource.query(
      `SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls,
              pg_has_role(current_user, $1, 'MEMBER') AS member_of_owner,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned_relations,
              (SELECT count(*)::int FROM pg_proc WHERE proowner = r.oid) AS owned_functions
         FROM pg_roles r WHERE rolname = current_user`,
      [ownerRole],
    )) as Record<string, unknown>[];
    expect(role).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolbypassrls: false,
      member_of_owner: false,
      owned_relations: 0,
      owned_functions: 0,
    });
    // Every session the app opened on its database (pool, outbox listener) is the runtime role's.
    const sessions = (
      await owner.query<{ usename: string; application_name: string }>(
        `SELECT DISTINCT usename::text, application_name FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
    ).rows;
    expect(sessions.map((s) => s.application_name)).toEqual(
      expect.arrayContaining(['duban-app', 'duban-outbox-listen']),
    );
    expect(new Set(sessions.map((s) => s.usename))).toEqual(new Set([runtimeRole]));
  });

  it.each([
    ['drop an audit trigger', 'DROP TRIGGER audit_log_no_update ON audit_log'],
    ['drop the audit chain trigger', 'DROP TRIGGER audit_log_chain ON audit_log'],
    ['disable an audit trigger', 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate'],
    ['bypass triggers by replication mode', 'SET session_replication_role = replica'],
    ['alter a table', 'ALTER TABLE items ADD COLUMN stolen int'],
    ['drop a table', 'DROP TABLE refresh_tokens'],
    ['create a table', 'CREATE TABLE stolen (id int)'],
    ['create a function', 'CREATE FUNCTION stolen() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'],
    ['create a schema', 'CREATE SCHEMA stolen'],
    [
      'replace an audit function',
      `CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    ],
    ['truncate the audit log', 'TRUNCATE audit_log'],
    ['truncate any table', 'TRUNCATE items CASCADE'],
    ['update an audit row', `UPDATE audit_log SET actor_name = '别人'`],
    ['delete an audit row', 'DELETE FROM audit_log'],
    ['rewrite the migration record', 'DELETE FROM typeorm_migrations'],
  ])('cannot %s: refused by privilege', async (_what, sql) => {
    const err = await attempt(sql);
    expect(err).not.toBeNull();
    expect(err!.code).toBe('42501');
    // Refused before any trigger ran: the privilege, not the append-only trigger, said no.
    expect(err!.message).not.toMatch(/只能追加/);
  });

  it('cannot GRANT: neither table privileges nor the owner role', async () => {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // Without grant options PostgreSQL only warns "no privileges were granted": nothing changes.
      await runner.query(`GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO PUBLIC`);
      const [p] = (await runner.query(
        `SELECT has_table_privilege('audit_log', 'UPDATE') AS u, has_table_privilege('audit_log', 'DELETE') AS d,
                has_table_privilege('audit_log', 'TRUNCATE') AS tr`,
      )) as Record<string, boolean>[];
      expect(p).toEqual({ u: false, d: false, tr: false });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    // With no privilege at all on an object, or on a role, GRANT is an error.
    expect((await attempt(`GRANT ALL ON typeorm_migrations TO PUBLIC`))?.code).toBe('42501');
    expect((await attempt(`GRANT "${ownerRole}" TO CURRENT_USER`))?.code).toBe('42501');
  });

  it('still does all its work: audited writes keep the chain, sequences, LISTEN, locks, SET LOCAL', async () => {
    const admin = await t.login('xxs.dispatch');
    await makeDraftPlan(t, admin, '运行时角色测试计划');
    const verify = await t.http().get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    await t.dataSource.transaction(async (em) => {
      await em.query(`SET LOCAL work_mem = '64MB'`);
      await em.query(`SELECT pg_advisory_xact_lock(1)`);
      await em.query(`LISTEN duban_outbox`);
      await em.query(`SELECT nextval('outbox_id_seq')`);
      await em.query(`SELECT duban_now(), rebuild_work_day_index()`);
    });
  });

  it('a table a later migration adds is granted to the runtime role by default privileges', async () => {
    await owner.query(`CREATE TABLE db_role_later (id bigserial PRIMARY KEY, note text)`);
    try {
      const [row] = (await t.dataSource.query(
        `INSERT INTO db_role_later (note) VALUES ('新表') RETURNING id`,
      )) as { id: number }[];
      await t.dataSource.query(`UPDATE db_role_later SET note = '改' WHERE id = $1`, [row.id]);
      expect(await t.dataSource.query(`SELECT note FROM db_role_later`)).toEqual([{ note: '改' }]);
      await t.dataSource.query(`DELETE FROM db_role_later`);
      expect((await attempt(`DROP TABLE db_role_later`))?.code).toBe('42501');
      expect((await attempt(`TRUNCATE db_role_later`))?.code).toBe('42501');
    } finally {
      await owner.query(`DROP TABLE db_role_later`);
    }
  });
});
