import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a free-text query is common enough that a plain substring scan which stops at the page's
 * bounded count beats the n-gram index (src/modules/plans/text-search.ts). A bitmap scan of
 * ix_items_grams must collect every match before a LIMIT applies (违停: 55,000 matches of 100,000
 * items, ≈ 20 ms), while a scan testing `strpos` row by row stops after the LIMIT's rows (≈ 1 ms);
 * for a rare query it is the reverse (the scan reads the whole table).
 *
 * The estimate is the planner's own: ANALYZE keeps the most common grams of the index expression
 * with their frequencies (pg_stats.most_common_elems of ix_items_grams). A query's frequency is at
 * most that of its rarest gram (a gram not listed counts as 0: rare). The runtime role cannot read
 * an index's statistics, hence SECURITY DEFINER (catalog-only search path; it returns one boolean).
 * plpgsql, not sql: its statements are planned once per session (as a SQL function ≈ 1 ms a call,
 * planning pg_stats each time; ≈ 0.2 ms so, mostly reading the statistics' arrays).
 * The scan pays when the rows it must read to find `wanted` matches (wanted / f) are fewer than the
 * matches the index collects (f × rows): f² × rows > wanted.
 */
export class TextGramFrequency1764000500000 implements MigrationInterface {
  name = 'TextGramFrequency1764000500000';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = (await q.query(`SELECT current_schema() AS schema`)) as { schema: string }[];
    const lit = `'${schema.replace(/'/g, "''")}'`;
    await q.query(`
      CREATE FUNCTION duban_text_is_common(grams text[], wanted int) RETURNS boolean
        LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        elems text[];
        freqs real[];
        f real := 1;
        g text;
        i int;
      BEGIN
        SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs INTO elems, freqs
          FROM pg_stats s WHERE s.schemaname = ${lit} AND s.tablename = 'ix_items_grams';
        FOREACH g IN ARRAY grams LOOP
          i := array_position(elems, g);
          IF i IS NULL THEN
            RETURN false; -- not among the common grams (or no statistics yet): rare
          END IF;
          f := least(f, freqs[i]);
        END LOOP;
        RETURN f * f * (SELECT greatest(c.reltuples, 0) FROM pg_class c
                         WHERE c.oid = to_regclass(quote_ident(${lit}) || '.items')) > wanted;
      END $$`);
    // Not PUBLIC's: the runtime role gets it through the owner's default privileges (and the grants
    // every migrate run repeats).
    await q.query(`REVOKE EXECUTE ON FUNCTION duban_text_is_common(text[], int) FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION duban_text_is_common(text[], int)`);
  }
}
