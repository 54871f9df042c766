import { Client } from 'pg';

import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { gramsAreExact, plainTextCondition, textSearchCondition } from '../../src/modules/plans/text-search';
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

  const viaIndex = async (q: string, build = textSearchCondition) => {
    const params: unknown[] = [org, planId];
    const cond = build(q, (v) => `$${params.push(v)}`);
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
      // The scan's form (a common query's count and sort, the plan-order walk): the same rows.
      expect({ q, ids: await viaIndex(q, plainTextCondition) }).toEqual({ q, ids: want });
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

  describe('a common query is served by a scan that stops early, a rare one by the index', () => {
    const COUNT = 4000;
    let common: string; // a plan where most items say 违停
    const commonTexts: string[] = []; // by sort_order - 1 (the plan order: one key task)
    const ids: string[] = [];
    let saved: string; // duban_text_is_common as migrated
    const setCommon = (value: boolean | null) =>
      owner.query(
        value === null
          ? saved
          : `CREATE OR REPLACE FUNCTION duban_text_is_common(grams text[], wanted int) RETURNS boolean
               LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN ${value}; END $$`,
      );

    beforeAll(async () => {
      const fx = await makeDraftPlan(t, token, '常见词检索测试计划', 2024);
      common = fx.planId;
      // 90 % 违停整治…, 10 % 门前五包…; every 7th detail 开展违停, every 5th LED屏.
      for (let n = 1; n <= COUNT; n++) {
        const title = `${n % 10 < 9 ? '违停整治' : '门前五包'}事项${n}`;
        const detail = `${n % 7 === 0 ? '开展违停' : ''}${n % 5 === 0 ? 'LED屏' : ''}`;
        commonTexts.push(`${title} ${detail}`);
      }
      const rows = (await owner.query(
        `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, detail, lead_unit_id,
                            responsible_leader_id, start_date, deadline, cadence, status)
         SELECT $1, $2, $3, $4, n, split_part(x, ' ', 1), split_part(x, ' ', 2), u.id, l.id,
                DATE '2024-01-01', DATE '2024-01-01' + (n * 37 % 365)::int, 'monthly', 'draft'
           FROM unnest($5::text[]) WITH ORDINALITY AS t(x, n),
                (SELECT id FROM units WHERE organization_id = $1 ORDER BY code LIMIT 1) u,
                (SELECT id FROM users WHERE organization_id = $1 ORDER BY username LIMIT 1) l
         ORDER BY n RETURNING id`,
        [org, common, fx.sectionId, fx.taskId, commonTexts],
      )) as { rows: { id: string }[] };
      ids.push(...rows.rows.map((r) => r.id));
      await owner.query(`VACUUM ANALYZE items`);
      [{ saved }] = (
        await owner.query(
          `SELECT pg_get_functiondef('duban_text_is_common(text[], int)'::regprocedure) AS saved`,
        )
      ).rows as { saved: string }[];
    });
    afterAll(() => (saved ? setCommon(null) : undefined));

    const list = async (qs: string) =>
      (await t.http().get(`/api/v1/items?${qs}`).set(bearer(token)).expect(200)).body as {
        total: number;
        totalCapped: boolean;
        items: { id: string }[];
      };

    it('both strategies give the same pages and totals, the substring matches in plan order', async () => {
      const queries = ['违停', '违停整治', '违', '门前', '事项1', '停事', 'led', 'LED屏'];
      const pages: [string, number, string][] = [
        ['plan', 1, ''],
        ['plan', 3, ''],
        ['plan', 21, ''],
        ['deadline', 1, ''],
        ['title', 2, ''],
        ['plan', 1, '&exactTotal=true'],
      ];
      for (const q of queries) {
        const matches = ids.filter((_, n) =>
          /[A-Za-z]/.test(q)
            ? commonTexts[n].toLowerCase().includes(q.toLowerCase())
            : commonTexts[n].includes(q),
        );
        for (const [sort, page, extra] of pages) {
          const qs = `planId=${common}&q=${encodeURIComponent(q)}&pageSize=50&sort=${sort}&page=${page}${extra}`;
          const got: unknown[] = [];
          for (const mode of [true, false]) {
            await setCommon(mode);
            const body = await list(qs);
            got.push({ total: body.total, totalCapped: body.totalCapped, ids: body.items.map((i) => i.id) });
          }
          expect({ q, sort, page, extra, scan: got[0] }).toEqual({ q, sort, page, extra, scan: got[1] });
          const offset = (page - 1) * 50;
          const bound = offset + 1000;
          const capped = !extra && matches.length > bound;
          expect({ q, sort, page, total: got[0] }).toMatchObject({
            q,
            sort,
            page,
            total: { total: capped ? bound : matches.length, totalCapped: capped },
          });
          const pageIds = (got[0] as { ids: string[] }).ids;
          if (sort === 'plan') expect(pageIds).toEqual(matches.slice(offset, offset + 50));
          else expect(pageIds.filter((id) => !matches.includes(id))).toEqual([]);
        }
      }
      await setCommon(null);
    });

    it('chooses by the statistics: the index runs for a rare two-character query, not for a common one', async () => {
      await setCommon(null);
      const isCommon = async (q: string) =>
        (
          (await t.dataSource.query(`SELECT duban_text_is_common(duban_query_grams($1), 1001) AS c`, [
            q,
          ])) as { c: boolean }[]
        )[0].c;
      // As the runtime role: 违停 is in 3,600 of ≈ 7,000 items, 清运 in a few of the random ones.
      expect({ 违停: await isCommon('违停'), 清运: await isCommon('清运') }).toEqual({
        违停: true,
        清运: false,
      });
      // The statement the API runs (count and page ids), captured from the app's pool and run again
      // under EXPLAIN ANALYZE: which nodes ran.
      const pool = (t.dataSource.driver as PostgresDriver).master as {
        query: (...args: unknown[]) => Promise<unknown>;
      };
      const executed = async (qs: string) => {
        const seen: { text: string; values: unknown[] }[] = [];
        const original = pool.query;
        pool.query = function (this: unknown, ...args: unknown[]) {
          const c = args[0] as { text?: string; values?: unknown[] };
          if (c?.text?.includes('page_n')) seen.push({ text: c.text, values: c.values ?? [] });
          return original.apply(this, args);
        };
        try {
          await list(qs);
        } finally {
          pool.query = original;
        }
        expect(seen).toHaveLength(1);
        const [{ 'QUERY PLAN': plan }] = (
          await owner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${seen[0].text}`, seen[0].values)
        ).rows as { 'QUERY PLAN': unknown }[];
        const nodes: { 'Node Type': string; 'Index Name'?: string; 'Actual Loops': number }[] = [];
        const walk = (n: { Plans?: unknown[] }) => {
          nodes.push(n as (typeof nodes)[number]);
          (n.Plans ?? []).forEach((c) => walk(c as { Plans?: unknown[] }));
        };
        walk((plan as { Plan: { Plans?: unknown[] } }[])[0].Plan);
        return nodes.filter((n) => n['Actual Loops'] > 0);
      };
      const viaGrams = (nodes: { 'Index Name'?: string }[]) =>
        nodes.some((n) => n['Index Name'] === 'ix_items_grams');
      const rare = await executed(`planId=${planId}&q=${encodeURIComponent('清运')}&pageSize=50`);
      expect(viaGrams(rare)).toBe(true);
      for (const q of ['违停', '违停整治']) {
        for (const sort of ['plan', 'deadline']) {
          const ran = await executed(`planId=${common}&q=${encodeURIComponent(q)}&pageSize=50&sort=${sort}`);
          expect({ q, sort, viaGrams: viaGrams(ran) }).toEqual({ q, sort, viaGrams: false });
        }
      }
    });
  });
});
