/**
 * GET /api/v1/auth/me through the whole stack (fastify, JWT guard, session lookup, handler)
 * against the guard's own SQL run straight through pg, both timed in this run.
 *
 *   npm run demo                       # in another terminal: API on 127.0.0.1:3000
 *   npm run build && node dist/bench/auth-me.js [requests=5000] [concurrency=20]
 */
import { Pool } from 'pg';

const URL_BASE = process.env.BENCH_URL ?? 'http://127.0.0.1:3000';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://duban:duban@127.0.0.1:55432/duban';
const total = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 20);

async function run(label: string, once: () => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  const rps = latencies.length / seconds;
  console.log(
    `${label.padEnd(28)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${pct(0.5)} ms   p95 ${pct(0.95)} ms`,
  );
  return rps;
}

async function main() {
  const login = await fetch(`${URL_BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'xxs.admin', password: process.env.DEMO_PASSWORD ?? 'duban-demo-2022' }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} (is the demo running at ${URL_BASE}?)`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const [, payload] = accessToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; sid: string };

  const pool = new Pool({ connectionString: DATABASE_URL, max: 10 });
  console.log(`${total} requests, concurrency ${concurrency}`);
  const raw = await run('raw SQL (guard lookup)', async () => {
    await pool.query(
      `SELECT u.id, u.organization_id, u.unit_id, u.username, u.name, u.roles FROM users u
        WHERE u.id = $1 AND u.active AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $2 AND t.user_id = u.id AND t.revoked_at IS NULL)`,
      [claims.sub, claims.sid],
    );
  });
  const api = await run('GET /api/v1/auth/me', async () => {
    const res = await fetch(`${URL_BASE}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(`ratio API / raw SQL throughput: ${(api / raw).toFixed(2)}`);
  await pool.end();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
