import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plan drafts read from a work report (导入工作报告, issue 17): the source text and the proposed tree
 * (sections → tasks → items, src/modules/drafts/domain/types.ts) as one jsonb document, edited as a whole by
 * the reviewer (optimistic `version`) until it is published into a plan. The list reads the newest first
 * per organization.
 */
export class PlanDrafts1764000100000 implements MigrationInterface {
  name = 'PlanDrafts1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_drafts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        year int NOT NULL,
        title text NOT NULL,
        status text NOT NULL DEFAULT 'open',
        version int NOT NULL DEFAULT 1,
        source_text text NOT NULL,
        source_name text,
        body jsonb NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_plan_id uuid REFERENCES plans(id) ON DELETE SET NULL,
        published_at timestamptz,
        CONSTRAINT ck_plan_drafts_year CHECK (year BETWEEN 2000 AND 2100),
        CONSTRAINT ck_plan_drafts_status CHECK (status IN ('open', 'published')),
        CONSTRAINT ck_plan_drafts_published CHECK ((status = 'published') = (published_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX ix_plan_drafts_org_created ON plan_drafts (organization_id, created_at DESC)`,
    );
    await q.query(`CREATE INDEX ix_plan_drafts_published_plan ON plan_drafts (published_plan_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE plan_drafts`);
  }
}
