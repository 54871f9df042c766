import { Client } from 'pg';

import { gramsAreExact, textSearchCondition } from '../../src/modules/plans/text-search';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { baseEnv, withDatabase } from '../helpers/env';
import { indexOrg, makeDraftPlan } from '../helpers/fixtures';

/** mulberry32: a seeded generator, so a failure can be replayed (the seed is in the test name). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261207;
const ITEMS = 3000;
// Chinese of the trade, Latin in both cases (and letters whose lower case is not ASCII: Ä, fullwidth
// Ａ, circled Ⓐ), digits, and the characters LIKE treats specially.
// (𠀀: a Han character outside the BMP, two UTF-16 units in JS, one character in Postgres.)
const HAN = [...'违停整治门前五包垃圾清运户外广告拆除建油烟餐饮道路市容环境卫生专项行动督查落实𠀀'];
const LATIN = [...'aAbBeEdDlLgG'];
const OTHER = [...'0125%_\\-（）、。 .:ÄäＡａⒶⓐ'];

describe('free-text search by the n-gram index (issue 19)', () => {
  let t: TestApp;
  let token: string;
  let owner: Client;
  let org: string;
  let planId: string;
  const texts = new Map<string, string>(); // id → title || ' ' || detail

  beforeAll(async () => {
    t = await createTestApp();
    token = await t.login('xxs.dispatch');
    const idx = await indexOrg(t, token);
    const fx = await makeDraftPlan(t, token, '全文检索测试计划');
    planId = fx.planId;
    owner = new Client({ connectionString: withDatabase(baseEnv().MIGRATION_DATABASE_URL, t.database) });
    await owner.connect();
    [{ org }] = (await owner.query(`SELECT organization_id AS org FROM plans WHERE id = $1`, [planId]))
      .rows as { org: string }[];

    const next = rng(SEED);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
    const char = () => {
      const r = next();
      return r < 0.75 ? pick(HAN) : r < 0.88 ? pick(LATIN) : pick(OTHER);
    };
    const text = (min: number, max: number) =>
      Array.from({ length: min + Math.floor(next() * (max - min + 1)) }, char).join('');
    const titles = Array.from({ length: ITEMS }, () => text(2, 16));
    const details = Array.from({ length: ITEMS }, () => (next() < 0.2 ? '' : text(0, 40)));
    const rows = (await owner.query(
      `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, detail, lead_unit_id,
                          responsible_leader_id, start_date, deadline, cadence, status)
       SELECT $1, $2, $3, $4, n, title, detail, $5, $6, DATE '2023-01-01', DATE '2023-12-31', 'monthly', 'draft'
         FROM unnest($7::text[], $8::text[]) WITH ORDINALITY AS x(title, detail, n)
       RETURNING id, title || ' ' || detail AS text`,
      [
        org,
        planId,
        fx.sectionId,
        fx.taskId,
        idx.units.get('zhufeng-squad'),
        idx.users.get('xxs.liming'),
        titles,
        details,
      ],
    )) as { rows: { id: string; text: string }[] };
    for (const r of rows.rows) texts.set(r.id, r.text);
    // What autovacuum does after such a batch (a plan import): statistics for the planner, and new
    // rows moved from the GIN index's pending list (fastupdate, read linearly by every search until
    // then) into its tree.
    await owner.query(`VACUUM ANALYZE items`);
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  /** The plain substring filter the search promises: exact, ignoring case when q has Latin letters. */
  const expected = (q: string) =>
    [...texts]
      .filter(([, text]) =>
        /[A-Za-z]/.test(q) ? text.toLowerCase().includes(q.toLowerCase()) : text.includes(q),
      )
      .map(([id]) => id)
      .sort();

  const viaIndex = async (q: string) => {
    const params: unknown[] = [org, planId];
    const cond = textSearchCondition(q, (v) => `$${params.push(v)}`);
    const rows = (await t.dataSource.query(
      `SELECT i.id FROM items i WHERE i.organization_id = $1 AND i.plan_id = $2 AND ${cond}`,
      params,
    )) as { id: string }[];
    return rows.map((r) => r.id).sort();
  };

  it(`matches a plain substring filter on random queries of 1–6 characters (seed ${SEED})`, async () => {
    const next = rng(SEED + 1);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
    const all = [...texts.values()];
    const alphabets = [
      HAN,
      LATIN,
      OTHER,
      [...HAN, ...LATIN],
      [...HAN, ...OTHER],
      [...HAN, ...LATIN, ...OTHER],
    ];
    const queries = new Set<string>([
      '%',
      '_',
      '\\',
      '%_',
      '100%_',
      'Ä',
      'ä',
      'Ａ',
      'ａ',
      'Ⓐ',
      'ⓐ',
      'LED',
      '5G',
    ]);
    while (queries.size < 400) {
      const length = 1 + Math.floor(next() * 6);
      if (next() < 0.5) {
        // A piece of an existing text (most random strings match nothing), case flipped at times.
        const text = [...pick(all)];
        const at = Math.floor(next() * Math.max(1, text.length - length + 1));
        const piece = text.slice(at, at + length).join('');
        queries.add(next() < 0.3 ? piece.toUpperCase() : piece);
      } else {
        const alphabet = pick(alphabets);
        queries.add(Array.from({ length }, () => pick(alphabet)).join(''));
      }
    }
    let matched = 0;
    let exact = 0;
    for (const q of queries) {
      const want = expected(q);
      expect({ q, ids: await viaIndex(q) }).toEqual({ q, ids: want });
      if (want.length) matched++;
      if (gramsAreExact(q)) exact++;
    }
    // The sample is worth something: many queries find items, both paths (with and without the
    // per-row test) are exercised.
    expect(matched).toBeGreaterThan(200);
    expect(exact).toBeGreaterThan(30);
    expect(queries.size - exact).toBeGreaterThan(200);
  });

  it('GET /items?q= returns the same items as the substring filter', async () => {
    for (const q of ['违停', '治', '%', 'a', 'ä', '整治门', 'LE', '_\\']) {
      const res = await t
        .http()
        .get(`/api/v1/items?planId=${planId}&q=${encodeURIComponent(q)}&pageSize=200&exactTotal=true`)
        .set(bearer(token))
        .expect(200);
      const body = res.body as { total: number; items: { id: string }[] };
      const want = expected(q);
      expect({ q, total: body.total }).toEqual({ q, total: want.length });
      if (want.length <= 200) expect(body.items.map((i) => i.id).sort()).toEqual(want);
    }
  });

  it('an edited title or detail is found by its new text at once, and no longer by the old', async () => {
    const find = async (q: string) =>
      (
        (
          await t
            .http()
            .get(`/api/v1/items?planId=${planId}&q=${encodeURIComponent(q)}`)
            .set(bearer(token))
            .expect(200)
        ).body as { items: { id: string }[] }
      ).items.map((i) => i.id);
    const [id] = [...texts.keys()];
    const item = (await t.http().get(`/api/v1/items/${id}`).set(bearer(token)).expect(200)).body as {
      version: number;
    };
    // Characters the generated texts never use: only this item can match.
    await t
      .http()
      .patch(`/api/v1/items/${id}`)
      .set(bearer(token))
      .send({ version: item.version, title: '夜市摊点', detail: '规范夜市摊点经营秩序' })
      .expect(200);
    expect(await find('夜市')).toEqual([id]);
    expect(await find('秩')).toEqual([id]);
    expect(await find('经营秩序')).toEqual([id]);
    const old = texts.get(id)!;
    expect(await find(old)).not.toContain(id);
  });

  it('a two-character Chinese search scans the n-gram index, not the table', async () => {
    // A two-character query as the API builds it, planned with the values bound (as pg sends them).
    for (const q of ['违停', '清运']) {
      const params: unknown[] = [org];
      const cond = textSearchCondition(q, (v) => `$${params.push(v)}`);
      const [{ 'QUERY PLAN': plan }] = (await t.dataSource.query(
        `EXPLAIN (FORMAT JSON) SELECT i.id FROM items i WHERE i.organization_id = $1 AND ${cond}`,
        params,
      )) as { 'QUERY PLAN': unknown }[];
      const text = JSON.stringify(plan);
      expect({ q, usesIndex: text.includes('"Index Name":"ix_items_grams"') }).toEqual({
        q,
        usesIndex: true,
      });
      expect(text).not.toContain('"Node Type":"Seq Scan"');
    }
  });
});
