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
 * The SQL condition over `items i` for the (trimmed, non-empty) query `q`; `p` adds a parameter and
 * returns its placeholder.
 */
export function textSearchCondition(q: string, p: (v: unknown) => string): string {
  const grams = `duban_text_grams(${SEARCH_TEXT})`;
  if (LATIN.test(q)) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return `(${grams} @> duban_query_grams(lower(${p(q)})) AND (${SEARCH_TEXT}) ILIKE ${p(pattern)})`;
  }
  const value = p(q);
  if (gramsAreExact(q)) return `${grams} @> duban_query_grams(${value})`;
  return `(${grams} @> duban_query_grams(${value}) AND strpos(${SEARCH_TEXT}, ${value}) > 0)`;
}
