/**
 * The free-text condition of the item search (`GET /items?q=…`): does `title || ' ' || detail`
 * contain the query? A query without Latin letters is an exact substring (Chinese has no letter case;
 * `strpos`); one with Latin letters (LED, 5G) ignores case (ILIKE, `%`, `_` and `\` taken literally).
 *
 * Both are served by the GIN index ix_items_grams over `duban_text_grams(text)` (migration
 * 1764000200000): the text's unigrams and bigrams, as written and lower-cased. A text containing the
 * query contains all its grams (`duban_query_grams`: its bigrams, or itself when one character), so
 * `@>` on the index narrows without losing a match, and the substring test then keeps exactly what
 * it kept before. For a query of one or two characters that have no case (Han, digits, punctuation)
 * the gram is the query itself: the index answers exactly and the per-row test is skipped (it costs
 * ≈ 10–20 ms on 55,000 matches).
 *
 * A common query is better served without the index where a LIMIT applies: a bitmap scan collects
 * every match first, a row-by-row scan stops at the LIMIT's matches. `textSearchForms` gives both
 * forms and the SQL test that picks one from the index's statistics (ItemsRepository.searchSql).
 */
export const SEARCH_TEXT = `i.title || ' ' || i.detail`;

const LATIN = /[A-Za-z]/;
/**
 * Characters with no case mapping in Unicode (Han ideographs, CJK and ASCII punctuation, digits,
 * spaces): neither they nor any other character lower-cases to them, so a lower-cased gram can never
 * stand in for them. Anything else (fullwidth or accented letters, ⓐ…) keeps the per-row test.
 */
const CASELESS = /^[\p{Script=Han}\p{Nd}\p{P}\p{Zs}\p{Sm}\p{Sc}\p{Sk}]+$/u;

/** True when the grams alone decide a match (no per-row substring test needed). */
export function gramsAreExact(q: string): boolean {
  return !LATIN.test(q) && [...q].length <= 2 && CASELESS.test(q);
}

/**
 * The SQL condition over `items i` for the (trimmed, non-empty) query `q`, by the index; `p` adds a
 * parameter and returns its placeholder.
 */
export function textSearchCondition(q: string, p: (v: unknown) => string): string {
  return textSearchForms(q, p).index;
}

/**
 * The plain substring test alone (`strpos`, or ILIKE with Latin letters): what the index form keeps,
 * tested row by row. Cheaper than the grams where rows are visited anyway (the plan-order walk), and
 * for a common query a scan with it stops early under a LIMIT.
 */
export function plainTextCondition(q: string, p: (v: unknown) => string): string {
  if (LATIN.test(q)) return `(${SEARCH_TEXT}) ILIKE ${p(likePattern(q))}`;
  return `strpos(${SEARCH_TEXT}, ${p(q)}) > 0`;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The query's two equivalent conditions (same rows) and when to prefer the scan:
 * - `index`: grams narrowed through ix_items_grams, then the substring test where the grams do not
 *   decide; a bitmap of every match is built before any LIMIT applies;
 * - `scan`: the plain substring test, row by row; under a LIMIT it stops at the LIMIT's matches;
 * - `common(wanted)`: SQL, true when the query is frequent enough that a scan finds `wanted` matches
 *   sooner than the index collects all of them (duban_text_is_common, migration 1764000500000: the
 *   planner's statistics of the index; no statistics means rare, i.e. the index).
 */
export function textSearchForms(
  q: string,
  p: (v: unknown) => string,
): { index: string; scan: string; common: (wanted: string) => string } {
  const grams = `duban_text_grams(${SEARCH_TEXT})`;
  if (LATIN.test(q)) {
    // The database's lower(), as the grams were built with it (not JavaScript's).
    const lower = `lower(${p(q)})`;
    const pattern = p(likePattern(q));
    const scan = `(${SEARCH_TEXT}) ILIKE ${pattern}`;
    return {
      index: `(${grams} @> duban_query_grams(${lower}) AND ${scan})`,
      scan,
      common: (wanted) => `duban_text_is_common(duban_query_grams(${lower}), ${wanted})`,
    };
  }
  const value = p(q);
  const scan = `strpos(${SEARCH_TEXT}, ${value}) > 0`;
  const narrow = `${grams} @> duban_query_grams(${value})`;
  return {
    index: gramsAreExact(q) ? narrow : `(${narrow} AND ${scan})`,
    scan,
    common: (wanted) => `duban_text_is_common(duban_query_grams(${value}), ${wanted})`,
  };
}
