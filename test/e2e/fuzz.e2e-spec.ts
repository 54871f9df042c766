import { writeFileSync } from 'node:fs';

import { zipBomb } from '../../src/modules/plans/sheet/zip.fixtures';
import { bearer, createTestApp, TestApp } from '../helpers/app';
import { multipartBody as buildMultipart } from '../helpers/multipart';

/**
 * Bad input never makes the API fail: a bounded, seeded fuzz over every endpoint the OpenAPI document
 * lists (so new endpoints are covered without touching this file). JSON bodies, query strings, path
 * parameters and multipart bodies are mutated (wrong types, huge and non-finite numbers, impossible
 * dates, NUL, deep nesting, very long strings, arrays for scalars, unknown and prototype keys, broken
 * framing), sent as admin, dispatcher, head, member and anonymous; no answer may be a 5xx, and every
 * error answer has the usual shape with a Chinese message.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20220615);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2400);

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  example?: unknown;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Endpoint {
  method: string;
  path: string;
  op: Operation;
}
interface Sent {
  role: string;
  method: string;
  url: string;
  contentType?: string;
  body?: string;
  status: number;
  response: string;
}

// Raw JSON fragments: some cannot be produced by JSON.stringify (1e400 parses to Infinity).
const RAW_NASTY = [
  'null',
  'true',
  '0',
  '-1',
  '1.5',
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '9007199254740993',
  '9999999999999999999999',
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '""',
  '"   "',
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800"',
  '"2022-02-30"',
  '"2022-13-01"',
  '"0000-00-00"',
  '"9999-12-31"',
  '"00000000-0000-0000-0000-000000000000"',
  '"\'; DROP TABLE items; --"',
  '"💩"',
  '[]',
  '[null]',
  '[1,2,3]',
  '["a","\\u0000"]',
  '{}',
  '{"a":1}',
  '{"__proto__":{"polluted":1}}',
  `"${'x'.repeat(20000)}"`,
  `"${'中'.repeat(3000)}"`,
  `${'['.repeat(200)}${']'.repeat(200)}`,
];

const PATH_NASTY = [
  'not-a-uuid',
  '0',
  '-1',
  '1e400',
  'Infinity',
  'NaN',
  '9999999999999999999999',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '%00',
  'a%00b',
  '%E4%B8%AD%E6%96%87',
  '%F0%9F%92%A9',
  '%ZZ',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(300),
  "1'%20OR%20'1'='1",
  '2022-02-30',
  '99999',
  '1.5',
];

const QUERY_NASTY = [
  '',
  '%00',
  'a%00b',
  '1e400',
  'Infinity',
  '-Infinity',
  'NaN',
  '-1',
  '0',
  '1.5',
  '9999999999999999999999',
  '2022-02-30',
  '2022-13-45',
  'abc',
  '%E4%B8%AD',
  '%ZZ',
  'true',
  'x'.repeat(3000),
  '00000000-0000-0000-0000-000000000000',
];

const NAMES: Record<string, string> = {
  admin: 'xxs.admin',
  dispatcher: 'xxs.dispatch',
  head: 'xxs.cityscape',
  member: 'xxs.zhufeng1',
  leader: 'xxs.liming',
};

describe('模糊测试：错误输入从不导致 5xx (fuzz)', () => {
  let t: TestApp;
  let doc: Doc;
  const tokens: Record<string, string | null> = { anonymous: null };
  const ids: Record<string, string[]> = {};
  let xlsx: Buffer;

  beforeAll(async () => {
    // Login attempts are part of the fuzz: a high limit keeps the fuzzing users able to log in again.
    t = await createTestApp({ LOGIN_MAX_FAILURES: '100' });
    for (const [role, username] of Object.entries(NAMES)) tokens[role] = await t.login(username);
    doc = (await t.http().get('/api/docs-json').expect(200)).body as Doc;

    // Real ids of every kind, so that some requests get past the 404 into the service.
    const q = async (sql: string) => ((await t.dataSource.query(sql)) as { id: string }[]).map((r) => r.id);
    const org = `(SELECT id FROM organizations WHERE code = (SELECT o.code FROM organizations o JOIN users u ON u.organization_id = o.id WHERE u.username = 'xxs.admin'))`;
    ids.units = await q(`SELECT id FROM units WHERE organization_id = ${org} ORDER BY code LIMIT 8`);
    ids.users = await q(
      `SELECT id FROM users WHERE organization_id = ${org} AND username NOT IN (${Object.values(NAMES)
        .map((n) => `'${n}'`)
        .join(',')}) ORDER BY username LIMIT 8`,
    );
    ids.plans = await q(`SELECT id FROM plans WHERE organization_id = ${org} ORDER BY year, title LIMIT 4`);
    ids.sections = await q(`SELECT id FROM plan_sections WHERE organization_id = ${org} ORDER BY id LIMIT 6`);
    ids.tasks = await q(`SELECT id FROM plan_tasks WHERE organization_id = ${org} ORDER BY id LIMIT 6`);
    ids.items = await q(`SELECT id FROM items WHERE organization_id = ${org} ORDER BY id LIMIT 10`);
    ids.reports = await q(
      `SELECT r.id FROM progress_reports r JOIN items i ON i.id = r.item_id WHERE i.organization_id = ${org} ORDER BY r.id LIMIT 8`,
    );
    ids.cycles = await q(
      `SELECT c.id FROM dispatch_cycles c JOIN plans p ON p.id = c.plan_id WHERE p.organization_id = ${org} ORDER BY c.period LIMIT 6`,
    );
    ids.meetings = await q(`SELECT id FROM meetings ORDER BY id LIMIT 4`);
    ids.extensions = await q(`SELECT id FROM deadline_extensions ORDER BY id LIMIT 4`);
    ids.closeouts = await q(`SELECT id FROM closeout_requests ORDER BY id LIMIT 4`);
    ids.evidence = await q(`SELECT id FROM evidence_files ORDER BY id LIMIT 4`);
    ids.inbox = await q(`SELECT id::text AS id FROM notifications ORDER BY id LIMIT 4`);
    ids.channels = await q(`SELECT id FROM notify_channels ORDER BY id LIMIT 4`);
    ids['pack-exports'] = await q(`SELECT id FROM pack_exports ORDER BY id LIMIT 4`);
    ids['webhook-hosts'] = ['example.org', 'hooks.example.org'];
    ids.failed = await q(`SELECT id::text AS id FROM deliveries ORDER BY id LIMIT 4`);

    // A real sheet (the 2022 plan's own breakdown) for well-formed imports.
    const res = await t
      .http()
      .get(`/api/v1/plans/${ids.plans[0]}/breakdown.xlsx`)
      .set(bearer(tokens.admin!))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    xlsx = res.body as Buffer;
  }, 120_000);
  afterAll(() => t?.close());

  it('answers thousands of mutated requests over every endpoint with no 5xx', async () => {
    const rand = mulberry32(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const chance = (p: number) => rand() < p;
    const resolve = (s: Schema | undefined): Schema => {
      let cur = s ?? {};
      for (let i = 0; i < 10; i++) {
        if (cur.$ref) cur = doc.components.schemas[cur.$ref.split('/').pop()!] ?? {};
        else if (cur.allOf?.length) cur = cur.allOf[0];
        else break;
      }
      return cur;
    };
    const anyId = () => pick(Object.values(ids).flat().concat(['00000000-0000-0000-0000-000000000000']));
    const idFor = (name: string): string => {
      const n = name.toLowerCase();
      const kind = n.includes('unit')
        ? 'units'
        : n.includes('owner') || n.includes('leader') || n.includes('user')
          ? 'users'
          : n.includes('plan')
            ? 'plans'
            : n.includes('task')
              ? 'tasks'
              : n.includes('section')
                ? 'sections'
                : n.includes('evidence')
                  ? 'evidence'
                  : n.includes('item')
                    ? 'items'
                    : '';
      return kind && ids[kind]?.length ? pick(ids[kind]) : anyId();
    };

    /** A value that fits the schema (as far as the document says). */
    const valid = (schema: Schema | undefined, name: string, depth = 0): unknown => {
      const s = resolve(schema);
      if (s.enum?.length) return pick(s.enum);
      if (s.example !== undefined && chance(0.7)) return s.example;
      switch (s.type) {
        case 'string':
          if (s.format === 'uuid' || /Id$/.test(name)) return idFor(name);
          if (s.format === 'date-time') return '2022-06-15T08:00:00Z';
          if (/date|deadline|heldOn/i.test(name)) return pick(['2022-06-30', '2022-12-31', '2023-01-15']);
          return pick(['测试', '模糊测试内容', 'fuzz', '2022-06']);
        case 'integer':
          return Math.round((s.minimum ?? 1) + rand() * Math.min(10, (s.maximum ?? 10) - (s.minimum ?? 1)));
        case 'number':
          // Versions, orders and day counts are integers even where the document only says "number".
          if (/version|sortOrder|year|Workday|Days|After|Every|attempts/i.test(name))
            return 1 + Math.floor(rand() * 3);
          return (s.minimum ?? 0) + rand() * Math.min(10, (s.maximum ?? 10) - (s.minimum ?? 0));
        case 'boolean':
          return chance(0.5);
        case 'array':
          return depth > 3
            ? []
            : Array.from({ length: Math.floor(rand() * 3) }, () => valid(s.items, name, depth + 1));
        default: {
          if (!s.properties || depth > 3) return {};
          const out: Record<string, unknown> = {};
          for (const [k, p] of Object.entries(s.properties)) {
            if (s.required?.includes(k) || chance(0.5)) out[k] = valid(p, k, depth + 1);
          }
          return out;
        }
      }
    };

    /** The body as JSON text, with 1–3 mutations (some only expressible as raw text). */
    const mutatedJson = (schema: Schema | undefined): string => {
      const s = resolve(schema);
      const roll = rand();
      if (roll < 0.04) return pick(['[]', '"text"', '42', 'null', 'true', '']);
      if (roll < 0.07) return `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      if (roll < 0.09) return `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
      if (roll < 0.11) return '{"title": "未闭合';
      if (roll < 0.13) return '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}';
      const body = valid(s, '') as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return JSON.stringify(body);
      const raws: Record<string, string> = {};
      const keys = Object.keys(s.properties ?? {});
      const n = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) {
        const what = rand();
        if (what < 0.6 && keys.length) {
          const k = pick(keys);
          delete body[k];
          raws[k] = pick(RAW_NASTY);
        } else if (what < 0.75 && keys.length) {
          delete body[pick(keys)];
        } else if (what < 0.85) {
          raws[pick(['unknownField', 'isAdmin', 'organizationId', 'constructor', 'toString'])] =
            pick(RAW_NASTY);
        } else if (keys.length) {
          // Inside an array of objects (targets, actuals, outcomes, holidays): mutate the first element.
          const k = pick(keys);
          const p = resolve(s.properties![k]);
          if (p.type === 'array') {
            const inner = resolve(p.items);
            const el = (valid(inner, k) ?? {}) as Record<string, unknown>;
            const ik = Object.keys(inner.properties ?? {});
            if (ik.length && typeof el === 'object') {
              const key = pick(ik);
              delete el[key];
              const text = JSON.stringify(el);
              raws[k] = `[${text.length > 2 ? `${text.slice(0, -1)},` : '{'}"${key}":${pick(RAW_NASTY)}}]`;
            }
          }
        }
      }
      const text = JSON.stringify(body);
      const extra = Object.entries(raws).map(([k, v]) => `"${k}":${v}`);
      if (!extra.length) return text;
      return text === '{}' ? `{${extra.join(',')}}` : `${text.slice(0, -1)},${extra.join(',')}}`;
    };

    const multipart = (
      fields: Record<string, string>,
      file?: { name: string; data: Buffer; field?: string },
    ) => buildMultipart(fields, file, `----fuzz${Math.floor(rand() * 1e9)}`);
    const bomb = zipBomb();
    const multipartBody = (): { body: Buffer | string; contentType: string } => {
      const roll = rand();
      const fields = (): Record<string, string> => {
        const f: Record<string, string> = {};
        if (chance(0.3)) f.planId = pick([...ids.plans, 'abc', '%00', 'a\u0000b']);
        if (chance(0.5))
          f.year = pick(['2024', '2025', 'abc', '1e400', '-1', '99999999999999999999', '\u0000']);
        if (chance(0.5))
          f.title = pick([`模糊导入${Math.floor(rand() * 1e6)}`, '   ', '', 'a\u0000b', 'x'.repeat(300)]);
        if (chance(0.1)) f[pick(['unknown', '__proto__', 'constructor'])] = '1';
        return f;
      };
      if (roll < 0.15) return multipart(fields(), { name: 'plan.xlsx', data: xlsx });
      if (roll < 0.25) return multipart(fields(), { name: 'empty.xlsx', data: Buffer.alloc(0) });
      if (roll < 0.32) return multipart(fields(), { name: 'bomb.xlsx', data: bomb });
      if (roll < 0.38)
        return multipart(fields(), { name: 'junk.xlsx', data: Buffer.from('PK\x03\x04garbage garbage') });
      if (roll < 0.44)
        return multipart(fields(), { name: 'a\u0000b.pdf', data: Buffer.from('%PDF-1.4\n%fuzz\n') });
      if (roll < 0.5)
        return multipart(fields(), { name: 'evil.pdf', data: Buffer.from('%PDF-1.4\n'), field: 'other' });
      if (roll < 0.56)
        return multipart(fields(), {
          name: pick(['x.png', '../../x.pdf', '中文.pdf', '']),
          data: Buffer.from('\x89PNG\r\n\x1a\nxxxx'),
        });
      if (roll < 0.62) {
        const full = multipart(fields(), { name: 'plan.xlsx', data: xlsx });
        return {
          body: full.body.subarray(0, Math.floor(full.body.length * rand())),
          contentType: full.contentType,
        };
      }
      if (roll < 0.7) return { body: multipart(fields()).body, contentType: 'multipart/form-data' };
      if (roll < 0.76)
        return { body: 'no multipart at all', contentType: 'multipart/form-data; boundary=zzz' };
      if (roll < 0.82) return { body: '', contentType: 'multipart/form-data; boundary=' };
      if (roll < 0.88) return multipart(fields());
      if (roll < 0.94) return { body: '{"file":"x"}', contentType: 'application/json' };
      return {
        body: 'file=x',
        contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']),
      };
    };

    const endpoints: Endpoint[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    expect(endpoints.length).toBeGreaterThan(80);

    const pathValue = (path: string, name: string, clean = false): string => {
      if (!clean && chance(0.3)) return pick(PATH_NASTY);
      if (name === 'year') return pick(['2022', '2023', '2021']);
      if (name === 'period') return pick(['2022-06', '2022-07', '2022-W23', '2022-Q2']);
      const before = path.split(`/{${name}}`)[0].split('/').pop() ?? '';
      const pool = ids[before === 'admin' ? 'webhook-hosts' : before];
      return pool?.length ? pick(pool) : anyId();
    };
    const queryString = (params: Parameter[]): string => {
      const parts: string[] = [];
      for (const p of params) {
        if (!p.required && chance(0.5)) continue;
        const k = encodeURIComponent(p.name);
        if (chance(0.35)) parts.push(`${k}=${pick(QUERY_NASTY)}`);
        else if (chance(0.08)) parts.push(`${k}=1&${k}=2`);
        else {
          const v = valid(p.schema, p.name);
          parts.push(`${k}=${encodeURIComponent(String(v))}`);
        }
      }
      if (chance(0.1)) parts.push(`${pick(['unknown', '__proto__', 'constructor[prototype]', 'a%00'])}=1`);
      return parts.length ? `?${parts.join('&')}` : '';
    };

    const fastify = t.app.getHttpAdapter().getInstance();
    const sent: Sent[] = [];
    const started = Date.now();
    const send = async (e: Endpoint, role: string, fixed?: { json: string }) => {
      let path = e.path;
      for (const p of e.op.parameters?.filter((x) => x.in === 'path') ?? []) {
        path = path.replace(`{${p.name}}`, pathValue(e.path, p.name, !!fixed));
      }
      const url = path + (fixed ? '' : queryString(e.op.parameters?.filter((x) => x.in === 'query') ?? []));
      const headers: Record<string, string> = {};
      if (tokens[role]) headers.authorization = `Bearer ${tokens[role]}`;
      let payload: Buffer | string | undefined;
      const content = e.op.requestBody?.content;
      if (fixed) {
        payload = fixed.json;
        headers['content-type'] = 'application/json';
      } else if (content?.['multipart/form-data']) {
        const m = multipartBody();
        payload = m.body;
        headers['content-type'] = m.contentType;
      } else if (
        content?.['application/json'] ||
        (['POST', 'PUT', 'PATCH'].includes(e.method) && chance(0.5))
      ) {
        payload = mutatedJson(content?.['application/json']?.schema);
        headers['content-type'] = chance(0.06)
          ? pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'])
          : 'application/json';
      }
      // Logging out the fuzzing sessions would turn the rest into 401s: log out a spare session instead.
      if (e.path === '/api/v1/auth/logout' && tokens[role])
        headers.authorization = `Bearer ${await t.login(NAMES[role])}`;
      const res = await fastify.inject({ method: e.method as 'GET', url, headers, payload });
      sent.push({
        role,
        method: e.method,
        url: url.slice(0, 300),
        contentType: headers['content-type'],
        body: payload === undefined ? undefined : String(payload).slice(0, 300),
        status: res.statusCode,
        response: res.body.slice(0, 300),
      });
      // A fuzzed password reset or role change may end a fuzzing session: log in again.
      if (res.statusCode === 401 && tokens[role] && role !== 'anonymous') {
        tokens[role] = await t.login(NAMES[role]).catch(() => tokens[role]);
      }
    };

    // 1. Random mutations of everything, as every role.
    for (let i = 0; i < REQUESTS; i++) {
      await send(
        endpoints[i % endpoints.length],
        pick(['admin', 'admin', 'dispatcher', 'head', 'member', 'leader', 'anonymous']),
      );
    }
    // 2. Systematically, as an admin on real ids: each field of each JSON body (top level and inside the
    //    first element of an array of objects) set to null, to an array and to a NUL string in turn.
    for (const e of endpoints) {
      const schema = resolve(e.op.requestBody?.content?.['application/json']?.schema);
      const props = Object.entries(schema.properties ?? {});
      for (const [k, p] of props) {
        const inner = resolve(resolve(p).items);
        const paths: string[][] = [[k], ...Object.keys(inner.properties ?? {}).map((ik) => [k, '0', ik])];
        for (const at of paths) {
          for (const raw of ['null', '[]', '"\\u0000"']) {
            const body = valid(schema, '') as Record<string, unknown>;
            if (at.length === 3) body[k] = [valid(inner, k)];
            const text = JSON.stringify(body, (key, v: unknown) =>
              key === at[at.length - 1] ? '__RAW__' : v,
            );
            const json = text.includes('"__RAW__"')
              ? text.replace('"__RAW__"', raw)
              : `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"${at[0]}":${raw}}`;
            await send(e, pick(['admin', 'dispatcher']), { json });
          }
        }
      }
    }
    const seconds = (Date.now() - started) / 1000;

    const byStatus = new Map<number, number>();
    for (const s of sent) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    const failures = sent.filter((s) => s.status >= 500);
    const unshaped = sent.filter((s) => {
      if (s.status < 400 || s.status >= 500) return false;
      try {
        const b = JSON.parse(s.response.length < 300 ? s.response : `${s.response}`) as {
          code?: string;
          message?: string;
        };
        return !b.code || !/[\u4e00-\u9fff]/.test(b.message ?? '');
      } catch {
        return s.response.length < 300; // truncated bodies are fine; short unparsable ones are not
      }
    });
    console.log(
      `fuzz: seed ${SEED}, ${sent.length} requests over ${endpoints.length} endpoints in ${seconds.toFixed(1)} s; ` +
        [...byStatus.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}×${n}`)
          .join(' '),
    );
    const line = (s: Sent) =>
      `${s.role} ${s.method} ${s.url.slice(0, 160)} [${s.contentType ?? '-'}] ${JSON.stringify(s.body?.slice(0, 160) ?? '')} → ${s.status} ${s.response.slice(0, 200)}`;
    if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, sent.map(line).join('\n'));
    if (failures.length) console.log(`5xx:\n${failures.map(line).join('\n')}`);
    if (unshaped.length)
      console.log(`error bodies without a Chinese message:\n${unshaped.slice(0, 30).map(line).join('\n')}`);
    expect(sent.length).toBeGreaterThanOrEqual(2000);
    expect(failures.length).toBe(0);
    expect(unshaped.length).toBe(0);
  }, 240_000);
});
