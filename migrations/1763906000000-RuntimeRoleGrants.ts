import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The runtime role (the user of DATABASE_URL) may read and write rows and nothing else: it owns no
 * object, so it cannot ALTER or DROP a table, drop the audit triggers or GRANT. Migrations run as
 * the owner, which passes the runtime role's name in the session setting `duban.runtime_role`
 * (src/core/database/data-source.ts). Default privileges cover what later migrations add.
 * audit_log stays append-only by privilege too; typeorm_migrations is the owner's alone.
 *
 * The grants live in `duban_grant_runtime_role(role)`, which every migrate run calls again
 * (runMigrationsLocked): a runtime role created after this migration, or renamed, is granted at
 * the next `migrate`. A single-role installation (no runtime role, or the owner itself) is left as it was.
 */
export class RuntimeRoleGrants1763906000000 implements MigrationInterface {
  name = 'RuntimeRoleGrants1763906000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION duban_grant_runtime_role(app text) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        s text := current_schema();
        ns oid := (SELECT oid FROM pg_namespace WHERE nspname = current_schema());
        me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
        r pg_roles%ROWTYPE;
        f regprocedure;
      BEGIN
        IF app IS NULL OR app = '' OR app = current_user THEN
          RETURN;
        END IF;
        SELECT * INTO r FROM pg_roles WHERE rolname = app;
        IF NOT FOUND THEN
          RAISE EXCEPTION '运行时数据库角色 % 不存在：请先创建（LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE，见 README“Database roles”）', app
            USING ERRCODE = 'undefined_object';
        END IF;
        IF r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls THEN
          RAISE EXCEPTION '运行时数据库角色 % 权限过大：须为 NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', app
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF pg_has_role(app, current_user, 'MEMBER') THEN
          RAISE EXCEPTION '运行时数据库角色 % 不得是所有者角色 % 的成员（否则可修改表结构）', app, current_user
            USING ERRCODE = 'insufficient_privilege';
        END IF;

        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, app);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, app);
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, app);
        -- Our own functions only (pg_trgm's belong to the extension; PUBLIC may run them anyway),
        -- and not this one.
        FOR f IN SELECT p.oid FROM pg_proc p
                  WHERE p.pronamespace = ns AND p.proowner = me AND p.proname <> 'duban_grant_runtime_role'
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                      AND d.objid = p.oid AND d.deptype = 'e')
        LOOP
          EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, app);
        END LOOP;
        -- Append-only: the triggers refuse changes; without the privilege the attempt fails earlier.
        EXECUTE format('REVOKE UPDATE, DELETE ON audit_log FROM %I', app);
        IF to_regclass('typeorm_migrations') IS NOT NULL THEN
          EXECUTE format('REVOKE ALL ON typeorm_migrations FROM %I', app);
        END IF;

        -- What later migrations create (as this owner) is granted the same way.
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', current_user, s, app);
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', current_user, s, app);
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO %I', current_user, s, app);
      END $$`);
    // Only the owner grants: the runtime role must not even call it.
    await q.query(`REVOKE EXECUTE ON FUNCTION duban_grant_runtime_role(text) FROM PUBLIC`);
    await q.query(`SELECT duban_grant_runtime_role(nullif(current_setting('duban.runtime_role', true), ''))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Whoever was granted is named in the owner's default privileges: no setting needed here.
    await q.query(`
      DO $$
      DECLARE
        s text := current_schema();
        ns oid := (SELECT oid FROM pg_namespace WHERE nspname = current_schema());
        me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
        app text;
        f regprocedure;
      BEGIN
        FOR app IN
          SELECT DISTINCT a.grantee::regrole::text
            FROM pg_default_acl d, aclexplode(d.defaclacl) a
           WHERE d.defaclrole = me AND d.defaclnamespace = ns AND a.grantee NOT IN (0, me)
        LOOP
          EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I REVOKE ALL ON TABLES FROM %s', current_user, s, app);
          EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM %s', current_user, s, app);
          EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I REVOKE ALL ON FUNCTIONS FROM %s', current_user, s, app);
          EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %s', s, app);
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %s', s, app);
          FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = ns AND p.proowner = me
          LOOP
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM %s', f, app);
          END LOOP;
          EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM %s', s, app);
        END LOOP;
      END $$`);
    await q.query(`DROP FUNCTION duban_grant_runtime_role(text)`);
  }
}
