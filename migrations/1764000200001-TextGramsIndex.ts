import { MigrationInterface, QueryRunner } from 'typeorm';

import { createIndexConcurrently, dropIndexConcurrently } from './concurrently';

/**
 * The free-text search's index (src/modules/plans/text-search.ts): a GIN index over the unigrams and
 * bigrams of `title || ' ' || detail`. An expression index, not a stored column: Postgres keeps it in
 * step with every insert and update of title or detail in the same transaction, no table rewrite is
 * needed and it builds CONCURRENTLY (≈ 5 s for 100,000 items, 7 MB). It serves every query length, so
 * the trigram index it replaces (ix_items_text: three characters and up, ILIKE only) goes.
 */
export class TextGramsIndex1764000200001 implements MigrationInterface {
  name = 'TextGramsIndex1764000200001';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexConcurrently(
      q,
      'ix_items_grams',
      `ON items USING gin (duban_text_grams(title || ' ' || detail))`,
    );
    await dropIndexConcurrently(q, 'ix_items_text');
    // The planner's estimates for `@>` on the new expression come from its statistics.
    await q.query(`ANALYZE items`);
  }

  async down(q: QueryRunner): Promise<void> {
    await createIndexConcurrently(
      q,
      'ix_items_text',
      `ON items USING gin ((title || ' ' || detail) gin_trgm_ops)`,
    );
    await dropIndexConcurrently(q, 'ix_items_grams');
  }
}
