import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bearer, createTestApp, TestApp } from '../helpers/app';
import { baseEnv, withDatabase } from '../helpers/env';
import { indexOrg, makeDraftPlan, OrgIndex } from '../helpers/fixtures';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { freePort, waitFor } from '../helpers/services';

const MB = 1024 * 1024;
const CHUNK = 256 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A PDF by its first bytes, `size` bytes long, unlike any other. */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);

/** The largest resident set the process has had (Linux VmHWM), in bytes. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Evidence in PostgreSQL (EVIDENCE_STORAGE=postgres, the default): every API replica serves every file,
 * uploads and downloads stream (bounded memory), identical content is stored once, and `evidence:copy`
 * moves a store between disk and the database.
 */
describe('佐证材料存储 (evidence in PostgreSQL)', () => {
  let t: TestApp;
  let dir: string;
  let idx: OrgIndex;
  let admin: string;
  let member: string;
  let itemId: string;
  const procs: Proc[] = [];
  let env: Record<string, string>;
  const apis: { proc: Proc; port: number }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-evidence-pg-'));
    t = await createTestApp({
      EVIDENCE_DIR: dir,
      EVIDENCE_MAX_BYTES: String(256 * MB),
      DUBAN_NOW: '2023-06-28T10:00:00+08:00',
    });
    [admin, member] = await Promise.all(['xxs.dispatch', 'xxs.zhufeng1'].map((u) => t.login(u)));
    idx = await indexOrg(t, admin);
    const fx = await makeDraftPlan(t, admin, '佐证存储计划');
    itemId = (
      await t
        .http()
        .post('/api/v1/items')
        .set(bearer(admin))
        .send({
          taskId: fx.taskId,
          title: '拆除违法建设',
          leadUnitId: idx.units.get('zhufeng-squad'),
          responsibleLeaderId: idx.users.get('xxs.liming'),
          ownerId: idx.users.get('xxs.zhufeng1'),
          startDate: '2023-01-01',
          deadline: '2023-12-31',
          cadence: 'monthly',
          targets: [{ metric: '拆除违法建设', comparator: '>=', value: 1.5, unit: '万平方米' }],
        })
        .expect(201)
    ).body.id;

    // Two real API processes on the same database (no shared disk: each has its own EVIDENCE_DIR).
    const base = baseEnv();
    env = {
      ...base,
      DATABASE_URL: withDatabase(base.DATABASE_URL, t.database),
      MIGRATION_DATABASE_URL: withDatabase(base.MIGRATION_DATABASE_URL, t.database),
      REDIS_PREFIX: `e${randomBytes(4).toString('hex')}`,
      DATABASE_POOL_SIZE: '3',
      EVIDENCE_MAX_BYTES: String(256 * MB),
    };
    for (const i of [0, 1]) {
      const port = await freePort();
      const own = mkdtempSync(join(tmpdir(), `duban-evidence-api${i}-`));
      apis.push({
        port,
        proc: startProcess(`api${i}`, 'main.api.js', { ...env, PORT: String(port), EVIDENCE_DIR: own }),
      });
    }
    procs.push(...apis.map((a) => a.proc));
    for (const { port, proc } of apis) {
      await waitFor(
        `${proc.name} ready`,
        async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.status === 200,
        45000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${proc.output()}`);
      });
    }
  });

  afterAll(async () => {
    await stopAll(procs);
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let period = 1;
  /** A fresh draft report of the item (one per period). */
  async function draftReport(): Promise<string> {
    const key = `2023-${String(period++).padStart(2, '0')}`;
    return (
      await t
        .http()
        .put(`/api/v1/items/${itemId}/reports/${key}`)
        .set(bearer(member))
        .send({ percent: 10, progress: `${key} 进展` })
        .expect(200)
    ).body.id;
  }

  const upload = (reportId: string, file: Buffer, filename: string) =>
    t
      .http()
      .post(`/api/v1/reports/${reportId}/evidence`)
      .set(bearer(member))
      .attach('file', file, { filename });

  const blobs = async (hash: string) =>
    (
      await t.dataSource.query(
        `SELECT b.size::bigint AS size, (SELECT count(*)::int FROM evidence_chunks c WHERE c.sha256 = b.sha256) AS chunks
           FROM evidence_blobs b WHERE b.sha256 = $1`,
        [hash],
      )
    ).map((r: { size: string; chunks: number }) => ({ size: Number(r.size), chunks: r.chunks }));

  type Evidence = { id: string; url: string; filename: string; size: number };
  const evidenceOf = (body: { evidence: Evidence[] }, filename: string) =>
    body.evidence.find((e) => e.filename === filename)!;

  it('upload → download round trip: bytes, type and size identical, stored in the database in chunks, nothing on disk', async () => {
    const file = pdf(CHUNK * 4 + 12345);
    const res = await upload(await draftReport(), file, '整治台账.pdf').expect(201);
    const e = evidenceOf(res.body, '整治台账.pdf');
    expect(e.size).toBe(file.length);
    const down = await t.http().get(e.url).set(bearer(member)).buffer(true).expect(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(Number(down.headers['content-length'])).toBe(file.length);
    expect(sha(down.body as Buffer)).toBe(sha(file));
    expect(await blobs(sha(file))).toEqual([{ size: file.length, chunks: 5 }]);
    expect(filesUnder(dir)).toEqual([]);
  });

  it('the same content uploaded twice is stored once (two evidence rows, one blob); identical uploads at once all succeed', async () => {
    const file = pdf(CHUNK + 99);
    const [a, b] = [await draftReport(), await draftReport()];
    await upload(a, file, '照片一.pdf').expect(201);
    await upload(b, file, '照片二.pdf').expect(201);
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence_files WHERE sha256 = $1`, [
      sha(file),
    ]);
    expect(rows[0].n).toBe(2);
    expect(await blobs(sha(file))).toEqual([{ size: file.length, chunks: 2 }]);

    const same = pdf(CHUNK * 3);
    const c = await draftReport();
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => upload(c, same, `同时上传${n}.pdf`).then((r) => r.status)),
    );
    expect(results).toEqual([201, 201, 201, 201]);
    expect(await blobs(sha(same))).toEqual([{ size: same.length, chunks: 3 }]);
    const listed = (
      await t.http().get(`/api/v1/items/${itemId}/reports`).set(bearer(member)).expect(200)
    ).body.find((r: { id: string }) => r.id === c) as { evidence: Evidence[] };
    expect(listed.evidence).toHaveLength(4);
    for (const e of listed.evidence) {
      const down = await t.http().get(e.url).set(bearer(member)).buffer(true).expect(200);
      expect(sha(down.body as Buffer)).toBe(sha(same));
    }
  });

  it('evidence uploaded through one API process downloads through the other; another organization still gets 404', async () => {
    const [one, two] = apis.map((a) => `http://127.0.0.1:${a.port}`);
    const file = pdf(MB + 7);
    const form = new FormData();
    form.append('file', new Blob([file]), '跨实例.pdf');
    const res = await fetch(`${one}/api/v1/reports/${await draftReport()}/evidence`, {
      method: 'POST',
      headers: bearer(member),
      body: form,
    });
    expect(res.status).toBe(201);
    const e = evidenceOf((await res.json()) as { evidence: Evidence[] }, '跨实例.pdf');
    const down = await fetch(`${two}${e.url}`, { headers: bearer(member) });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/pdf');
    expect(down.headers.get('content-length')).toBe(String(file.length));
    expect(sha(Buffer.from(await down.arrayBuffer()))).toBe(sha(file));

    const foreign = await t.login('yy.admin');
    expect((await fetch(`${two}${e.url}`, { headers: bearer(foreign) })).status).toBe(404);
    expect((await fetch(`${two}${e.url}`)).status).toBe(401);
  });

  it('a 200 MB upload and its download stream: neither API process grows by half the file’s size', async () => {
    const [one, two] = apis;
    const transfer = async (file: Buffer, filename: string) => {
      const form = new FormData();
      form.append('file', new Blob([file]), filename);
      const res = await fetch(`http://127.0.0.1:${one.port}/api/v1/reports/${await draftReport()}/evidence`, {
        method: 'POST',
        headers: bearer(member),
        body: form,
      });
      expect(res.status).toBe(201);
      const e = evidenceOf((await res.json()) as { evidence: Evidence[] }, filename);
      const down = await fetch(`http://127.0.0.1:${two.port}${e.url}`, { headers: bearer(member) });
      const hash = createHash('sha256');
      for await (const chunk of down.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
      expect(hash.digest('hex')).toBe(sha(file));
    };
    // Warm-up: the first transfer grows the heap to its working size (GC slack), whatever the file's size.
    await transfer(pdf(40 * MB), '预热.pdf');
    const file = pdf(200 * MB);
    const before = [peakRss(one.proc.child.pid!), peakRss(two.proc.child.pid!)];
    await transfer(file, '大文件.pdf');
    const growth = [peakRss(one.proc.child.pid!) - before[0], peakRss(two.proc.child.pid!) - before[1]];
    // Whole-buffer handling holds the file at least twice (its parts, then their concatenation).
    // Streaming leaves only garbage that V8 reclaims lazily (young generation, and Buffers collected when
    // external memory has grown by some tens of MB): a bound independent of the file's size, seen at 0–45 MB.
    expect(growth[0]).toBeLessThan(file.length / 2);
    expect(growth[1]).toBeLessThan(file.length / 2);
    console.log(
      `peak RSS growth: upload ${(growth[0] / MB).toFixed(1)} MB, download ${(growth[1] / MB).toFixed(1)} MB`,
    );
  }, 180000);

  it('downloads abandoned by their clients release the pool: with 3 connections, 6 aborted downloads later the API still answers', async () => {
    const [, two] = apis;
    const listed = (await t.http().get(`/api/v1/items/${itemId}/reports`).set(bearer(member)).expect(200))
      .body as { evidence: Evidence[] }[];
    const big = listed.flatMap((r) => r.evidence).find((e) => e.filename === '大文件.pdf')!;
    for (let n = 0; n < 6; n++) {
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${two.port}${big.url}`, {
        headers: bearer(member),
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      abort.abort();
      await reader.read().catch(() => undefined);
    }
    const started = Date.now();
    const small = listed.flatMap((r) => r.evidence).find((e) => e.filename === '整治台账.pdf')!;
    const res = await fetch(`http://127.0.0.1:${two.port}${small.url}`, { headers: bearer(member) });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(small.size);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('evidence:copy postgres → disk → postgres: counts printed, idempotent, resumable, hashes verified', async () => {
    const disk = mkdtempSync(join(tmpdir(), 'duban-evidence-copy-'));
    const copy = async (from: string, to: string) => {
      const p = startProcess('copy', 'main.cli.js', { ...env, EVIDENCE_DIR: disk }, [
        'evidence:copy',
        '--from',
        from,
        '--to',
        to,
      ]);
      procs.push(p);
      const { code } = await p.exited;
      return { code, out: p.output() };
    };
    try {
      const total = (await t.dataSource.query(`SELECT count(*)::int AS n FROM evidence_blobs`))[0]
        .n as number;
      expect(total).toBeGreaterThanOrEqual(4);

      const first = await copy('postgres', 'disk');
      expect(first.out).toContain(`源共 ${total} 个文件：新复制 ${total} 个，目标已有 0 个，校验不符 0 个`);
      expect(first.out).toContain('在目标中缺失 0 个');
      expect(first.code).toBe(0);
      const stored = readdirSync(disk)
        .filter((d) => /^[0-9a-f]{2}$/.test(d))
        .flatMap((d) => readdirSync(join(disk, d)).map((f) => join(disk, d, f)));
      expect(stored).toHaveLength(total);
      for (const f of stored) expect(sha(readFileSync(f))).toBe(f.split('/').pop());

      const again = await copy('postgres', 'disk');
      expect(again.out).toContain(`新复制 0 个，目标已有 ${total} 个`);
      expect(again.code).toBe(0);

      // Interrupted half way (files missing in the target): the next run copies only those.
      unlinkSync(stored[0]);
      unlinkSync(stored[1]);
      const resumed = await copy('postgres', 'disk');
      expect(resumed.out).toContain(`新复制 2 个，目标已有 ${total - 2} 个`);

      // Back: a file only on disk is copied into the database; one whose bytes do not match its
      // name is refused and reported (exit code 1).
      const only = pdf(CHUNK * 2 + 1);
      mkdirSync(join(disk, sha(only).slice(0, 2)), { recursive: true });
      writeFileSync(join(disk, sha(only).slice(0, 2), sha(only)), only);
      const bad = pdf(1000);
      const badKey = sha(pdf(1000));
      mkdirSync(join(disk, badKey.slice(0, 2)), { recursive: true });
      writeFileSync(join(disk, badKey.slice(0, 2), badKey), bad);
      const back = await copy('disk', 'postgres');
      expect(back.out).toContain(
        `源共 ${total + 2} 个文件：新复制 1 个，目标已有 ${total} 个，校验不符 1 个`,
      );
      expect(back.out).toContain(`校验不符（未复制）：${badKey.slice(0, 2)}/${badKey}`);
      expect(back.code).toBe(1);
      expect(await blobs(sha(only))).toEqual([{ size: only.length, chunks: 3 }]);
      const [{ bytes }] = await t.dataSource.query(
        `SELECT string_agg(data, ''::bytea ORDER BY seq) AS bytes FROM evidence_chunks WHERE sha256 = $1`,
        [sha(only)],
      );
      expect(sha(bytes as Buffer)).toBe(sha(only));
      expect(await blobs(badKey)).toEqual([]);
    } finally {
      rmSync(disk, { recursive: true, force: true });
    }
  }, 120000);

  it('EVIDENCE_STORAGE=disk: the upload streams into EVIDENCE_DIR/ab/<sha256> (write then rename), nothing in the database', async () => {
    const disk = mkdtempSync(join(tmpdir(), 'duban-evidence-disk-'));
    const d = await createTestApp({
      DATABASE_NAME: t.database,
      EVIDENCE_STORAGE: 'disk',
      EVIDENCE_DIR: disk,
    });
    try {
      const file = pdf(CHUNK * 3 + 5);
      const res = await d
        .http()
        .post(`/api/v1/reports/${await draftReport()}/evidence`)
        .set(bearer(member))
        .attach('file', file, { filename: '磁盘.pdf' })
        .expect(201);
      const e = evidenceOf(res.body, '磁盘.pdf');
      expect(readFileSync(join(disk, sha(file).slice(0, 2), sha(file))).equals(file)).toBe(true);
      expect(readdirSync(join(disk, 'tmp'))).toEqual([]);
      expect(await blobs(sha(file))).toEqual([]);
      const down = await d.http().get(e.url).set(bearer(member)).buffer(true).expect(200);
      expect(sha(down.body as Buffer)).toBe(sha(file));
    } finally {
      await d.close();
      rmSync(disk, { recursive: true, force: true });
    }
  });
});
