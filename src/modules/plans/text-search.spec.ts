import { gramsAreExact, textSearchCondition } from './text-search';

const build = (q: string) => {
  const params: unknown[] = [];
  const sql = textSearchCondition(q, (v) => `$${params.push(v)}`);
  return { sql, params };
};

describe('free-text condition (text-search.ts)', () => {
  it('one or two caseless characters are answered by the index alone', () => {
    for (const q of ['违', '违停', '12', '%', '_\\', '（一', '违 '])
      expect({ q, exact: gramsAreExact(q) }).toEqual({ q, exact: true });
    expect(build('违停')).toEqual({
      sql: `duban_text_grams(i.title || ' ' || i.detail) @> duban_query_grams($1)`,
      params: ['违停'],
    });
  });

  it('longer queries, letters with case and characters outside the BMP keep the exact substring test', () => {
    for (const q of ['违停整', 'ä', 'Ａ', 'ⓐ', '违Ä', 'a', 'LE'])
      expect({ q, exact: gramsAreExact(q) }).toEqual({ q, exact: false });
    // Two code points, one character each (an astral Han character is two UTF-16 units).
    expect(gramsAreExact('𠀀')).toBe(true);
    expect(gramsAreExact('𠀀违停')).toBe(false);
    expect(build('违停整治')).toEqual({
      sql: `(duban_text_grams(i.title || ' ' || i.detail) @> duban_query_grams($1) AND strpos(i.title || ' ' || i.detail, $1) > 0)`,
      params: ['违停整治'],
    });
  });

  it('Latin letters: lower-cased grams, then ILIKE with %, _ and \\ taken literally', () => {
    expect(build('5G_%\\')).toEqual({
      sql: `(duban_text_grams(i.title || ' ' || i.detail) @> duban_query_grams(lower($1)) AND (i.title || ' ' || i.detail) ILIKE $2)`,
      params: ['5G_%\\', '%5G\\_\\%\\\\%'],
    });
  });
});
