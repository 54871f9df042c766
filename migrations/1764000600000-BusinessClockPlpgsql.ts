import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `duban_now()` in PL/pgSQL (issue 19, "auth3"). As a SQL function it is never inlined (its body has a
 * sub-select), so PostgreSQL 15 parsed and planned that body again for every statement that calls it:
 * ≈ 35 µs of backend CPU per statement, almost half of the auth guard's per-request session lookup.
 * PL/pgSQL keeps the body's plan for the session. Same result, same volatility (STABLE); a call per row
 * (not per statement) costs about 1 µs more, so per-row uses should read `(SELECT duban_now())`.
 */
export class BusinessClockPlpgsql1764000600000 implements MigrationInterface {
  name = 'BusinessClockPlpgsql1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION duban_now() RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN coalesce(
          (SELECT CASE WHEN frozen THEN pinned_at ELSE pinned_at + (now() - set_at) END FROM clock_pin),
          now());
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION duban_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT coalesce(
          (SELECT CASE WHEN frozen THEN pinned_at ELSE pinned_at + (now() - set_at) END FROM clock_pin),
          now())
      $$`);
  }
}
