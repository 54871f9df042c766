/**
 * The whole of duban "beyond one machine" on this machine, on real components: a PostgreSQL primary
 * and a streaming replica (pg_basebackup), Redis master + replica + 3 Sentinels, API processes behind
 * nginx on one port, workers with their metrics ports, and a real Prometheus scraping every /metrics.
 * Everything on free loopback ports, data under .data/ and a temp folder, all of it killed by stop()
 * (and by a process `exit` hook when the caller dies first).
 *
 * No jest in here: `npm run test:cluster` (test/cluster/*.cluster-spec.ts) and a plain node script
 * (a bench importing `../test/cluster/cluster`, compiled by `nest build` into dist/) start the same cluster.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { seedBase } from '../../seeds';
import { PIN_CLOCK_SQL } from '../../src/core/clock/clock';
import { createMigrationDataSource, dataSourceOptions } from '../../src/core/database/data-source';
import { runMigrationsLocked } from '../../src/core/database/migrate';
import { baseEnv, ROOT } from '../helpers/env';
import { Proc, startProcess, stopAll } from '../helpers/processes';
import { MASTER_NAME, SentinelSet } from '../helpers/sentinel';
import { freePort, OwnPostgres, waitFor } from '../helpers/services';

/** The password of every seeded account. */
export const CLUSTER_PASSWORD = 'duban-cluster-2022';
/** Required by every /metrics in the cluster; Prometheus sends it. */
export const CLUSTER_METRICS_TOKEN = 'cluster-metrics-token-0123456789';
const OWNER = 'duban';
const RUNTIME = 'duban_app';
const DB = 'duban';

export interface ClusterOptions {
  /** API processes behind the proxy (2). */
  apis?: number;
  /**
   * Per-API environment over `env`, by index (0-based); null removes a variable (e.g. DATABASE_REPLICA_URL:
   * an API that reads everything on the primary). bench/cluster.ts runs APIs with and without the replica.
   */
  apiEnv?: (i: number) => Record<string, string | null>;
  /**
   * More proxy listeners, each with its own upstream of chosen APIs (0-based indexes): their URLs in
   * `proxyUrls` by name. `proxyUrl` always balances over every API.
   */
  proxies?: Record<string, number[]>;
  /** Runs on the primary (superuser pool `db`) after migrate and seed, before the replica is taken: bulk data. */
  afterSeed?: (db: Pool) => Promise<void>;
  /** A streaming replica given to the APIs as DATABASE_REPLICA_URL (true). */
  replica?: boolean;
  /** Worker processes, each with its METRICS_PORT (2). */
  workers?: 0 | 1 | 2;
  /** A Prometheus scraping every API and worker (true). */
  prometheus?: boolean;
  /** The business clock, pinned and frozen (2022-10-08 10:00 Beijing, a working Saturday); null: real time. */
  clock?: string | null;
  /** Extra environment for the APIs and workers. */
  env?: Record<string, string>;
  /** Progress lines (console.log by default). */
  log?: (line: string) => void;
}

export interface Member {
  name: string;
  port: number;
  url: string;
  proc: Proc;
}

/** A non-jest child (nginx, Prometheus) with its output kept for a failure's dump. */
interface Daemon {
  name: string;
  child: ChildProcess;
  output: () => string;
}

function daemon(name: string, cmd: string, args: string[]): Daemon {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, output: () => out };
}

/**
 * SIGTERM, then SIGKILL after 5 s. Not SIGKILL first: nginx's master would die and leave its worker
 * (another process, running as nobody) listening.
 */
async function killDaemon(d: Daemon | undefined): Promise<void> {
  if (!d || d.child.exitCode !== null || d.child.signalCode !== null) return;
  const exited = new Promise((r) => d.child.once('exit', r));
  d.child.kill('SIGTERM');
  const hard = setTimeout(() => d.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(hard);
}

const tail = (text: string, lines: number) => text.split('\n').slice(-lines).join('\n');

export class Cluster {
  primary: OwnPostgres;
  replica?: OwnPostgres;
  redis: SentinelSet;
  readonly apis: Member[] = [];
  readonly workers: Member[] = [];
  proxyUrl: string;
  /** The listeners of `ClusterOptions.proxies`, by name. */
  readonly proxyUrls: Record<string, string> = {};
  prometheusUrl?: string;
  /** Superuser pool on the primary's duban database (setup data, checks). */
  db: Pool;
  readonly prefix = `c${Date.now().toString(36)}`;
  private dir: string;
  private nginx?: Daemon;
  private prometheus?: Daemon;
  private exitHook?: () => void;
  private signalHook?: () => void;
  private log: (line: string) => void;

  private constructor(private readonly opts: ClusterOptions) {
    this.log = opts.log ?? ((l) => console.log(l));
  }

  static async start(opts: ClusterOptions = {}): Promise<Cluster> {
    const c = new Cluster(opts);
    try {
      await c.boot();
    } catch (err) {
      const dump = c.tails();
      await c.stop();
      throw new Error(`${(err as Error).message}\n${dump}`);
    }
    return c;
  }

  /** Runtime-role URL of the primary (the APIs' and workers' DATABASE_URL). */
  get databaseUrl(): string {
    return `postgres://${RUNTIME}:${RUNTIME}@127.0.0.1:${this.primary.port}/${DB}`;
  }

  get replicaUrl(): string | undefined {
    return this.replica && `postgres://${RUNTIME}:${RUNTIME}@127.0.0.1:${this.replica.port}/${DB}`;
  }

  /** The environment every API and worker gets: Redis only through the Sentinels. */
  processEnv(): Record<string, string> {
    const env: Record<string, string> = {
      ...baseEnv(),
      DATABASE_URL: this.databaseUrl,
      MIGRATION_DATABASE_URL: `postgres://${OWNER}:${OWNER}@127.0.0.1:${this.primary.port}/${DB}`,
      MIGRATIONS_RUN: 'false',
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: 'redis://127.0.0.1:1/0', // unused in Sentinel mode: a dead address proves it
      REDIS_SENTINELS: this.redis.addresses,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      REDIS_PREFIX: this.prefix,
      EVIDENCE_STORAGE: 'postgres',
      TRUST_PROXY: 'true',
      METRICS_TOKEN: CLUSTER_METRICS_TOKEN,
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      NOTIFY_CONCURRENCY: '8',
      NOTIFY_LEASE_SECONDS: '5',
    };
    if (this.replicaUrl) env.DATABASE_REPLICA_URL = this.replicaUrl;
    return { ...env, ...this.opts.env };
  }

  private async boot(): Promise<void> {
    const started = Date.now();
    this.dir = mkdtempSync(join(tmpdir(), 'duban-cluster-'));
    // nginx's workers run as nobody when we are root: they need its temp folders.
    chmodSync(this.dir, 0o777);
    this.installExitHook();
    // OwnPostgres keeps its clusters under .data/ (git-ignored), absent in a fresh clone.
    mkdirSync(join(ROOT, '.data'), { recursive: true });

    this.primary = await OwnPostgres.start();
    this.primary.sql(`CREATE ROLE ${OWNER} LOGIN CREATEDB PASSWORD '${OWNER}'`);
    this.primary.sql(
      `CREATE ROLE ${RUNTIME} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '${RUNTIME}'`,
    );
    this.primary.sql(`CREATE DATABASE ${DB} OWNER ${OWNER}`);
    this.db = new Pool({ connectionString: this.primary.url(DB), max: 4 });
    await this.migrateAndSeed();
    if (this.opts.afterSeed) await this.opts.afterSeed(this.db);
    this.log(`cluster: PostgreSQL primary on ${this.primary.port}, migrated and seeded`);
    if (this.opts.replica ?? true) {
      this.replica = await this.primary.startReplica();
      this.log(`cluster: streaming replica on ${this.replica.port}`);
    }
    this.redis = await SentinelSet.start();
    this.log(
      `cluster: Redis master ${this.redis.master}, replica ${this.redis.replica}, sentinels ${this.redis.addresses}`,
    );

    const env = this.processEnv();
    for (let i = 1; i <= (this.opts.apis ?? 2); i++) {
      const port = await freePort();
      const apiEnv: Record<string, string> = { ...env, PORT: String(port) };
      for (const [k, v] of Object.entries(this.opts.apiEnv?.(i - 1) ?? {}))
        if (v === null) delete apiEnv[k];
        else apiEnv[k] = v;
      const proc = startProcess(`api${i}`, 'main.api.js', apiEnv);
      this.apis.push({ name: `api${i}`, port, url: `http://127.0.0.1:${port}`, proc });
    }
    for (let i = 1; i <= (this.opts.workers ?? 2); i++) {
      const port = await freePort();
      const proc = startProcess(`worker${i}`, 'main.worker.js', { ...env, METRICS_PORT: String(port) });
      this.workers.push({ name: `worker${i}`, port, url: `http://127.0.0.1:${port}`, proc });
    }
    await Promise.all([
      ...this.apis.map((a) => this.waitHttp(a, '/health/ready', 60_000)),
      ...this.workers.map((w) => this.waitHttp(w, '/metrics', 60_000)),
    ]);
    await this.startNginx();
    if (this.opts.prometheus ?? true) await this.startPrometheus();
    this.log(
      `cluster: ${this.apis.length} API(s) behind nginx ${this.proxyUrl}, ${this.workers.length} worker(s)` +
        `${this.prometheusUrl ? `, Prometheus ${this.prometheusUrl}` : ''}; started in ${Date.now() - started} ms`,
    );
  }

  private async migrateAndSeed(): Promise<void> {
    // As in production: migrated by the owner (which grants the runtime role), seeded by the runtime role.
    const db = {
      url: this.databaseUrl,
      migrationUrl: `postgres://${OWNER}:${OWNER}@127.0.0.1:${this.primary.port}/${DB}`,
      poolSize: 2,
      migrationsRun: false,
    };
    const migrator = createMigrationDataSource({ db }, 'duban-cluster-migrate');
    await migrator.initialize();
    try {
      await runMigrationsLocked(migrator);
    } finally {
      await migrator.destroy();
    }
    const ds = new DataSource(dataSourceOptions({ db }, 'duban-cluster-seed'));
    await ds.initialize();
    try {
      await seedBase(ds, CLUSTER_PASSWORD);
      const clock = this.opts.clock === undefined ? '2022-10-08T10:00:00+08:00' : this.opts.clock;
      if (clock) await ds.query(PIN_CLOCK_SQL, [clock, true]);
    } finally {
      await ds.destroy();
    }
  }

  private async waitHttp(m: Member, path: string, timeoutMs: number): Promise<void> {
    await waitFor(
      `${m.name} ${path} answering 200`,
      async () => {
        if (m.proc.child.exitCode !== null) throw new Error(`${m.name} exited`);
        const res = await fetch(`${m.url}${path}`, {
          headers: { authorization: `Bearer ${CLUSTER_METRICS_TOKEN}` },
          signal: AbortSignal.timeout(5000),
        });
        return res.status === 200;
      },
      timeoutMs,
      250,
    );
  }

  private async startNginx(): Promise<void> {
    const dir = this.dir;
    const listeners: { name: string; port: number; members: Member[] }[] = [
      { name: 'duban_api', port: await freePort(), members: this.apis },
    ];
    for (const [name, indexes] of Object.entries(this.opts.proxies ?? {}))
      listeners.push({ name, port: await freePort(), members: indexes.map((i) => this.apis[i]) });
    const upstream = (l: (typeof listeners)[number]) => `  upstream ${l.name} {
    least_conn;
${l.members.map((a) => `    server 127.0.0.1:${a.port} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }`;
    const server = (l: (typeof listeners)[number]) => `  server {
    listen 127.0.0.1:${l.port};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_connect_timeout 2s;
    proxy_read_timeout 60s;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 2;
    location ~ ^/api/v1/.*/evidence {
      proxy_request_buffering off;
      proxy_pass http://${l.name};
    }
    location / { proxy_pass http://${l.name}; }
  }`;
    // As deploy/proxy/nginx.conf (plain HTTP here): passive health (max_fails), and an idempotent request
    // whose API dies under it is retried once on the other (nginx never retries a sent POST).
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 25m;
${listeners.map(upstream).join('\n')}
${listeners.map(server).join('\n')}
}
`,
    );
    // Debian puts it in /usr/sbin, outside a non-root PATH.
    const bin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
    this.nginx = daemon('nginx', bin, [
      '-p',
      dir,
      '-c',
      join(dir, 'nginx.conf'),
      '-e',
      join(dir, 'nginx-error.log'),
      '-g',
      'daemon off;',
    ]);
    this.proxyUrl = `http://127.0.0.1:${listeners[0].port}`;
    for (const l of listeners.slice(1)) this.proxyUrls[l.name] = `http://127.0.0.1:${l.port}`;
    for (const url of [this.proxyUrl, ...Object.values(this.proxyUrls)])
      await waitFor(`nginx answering /health/ready on ${url}`, async () => {
        if (this.nginx!.child.exitCode !== null) throw new Error(`nginx exited: ${this.nginx!.output()}`);
        return (await fetch(`${url}/health/ready`)).status === 200;
      });
  }

  private async startPrometheus(): Promise<void> {
    const port = await freePort();
    const targets = (ms: Member[]) => ms.map((m) => `'127.0.0.1:${m.port}'`).join(', ');
    const job = (name: string, ms: Member[]) => `  - job_name: ${name}
    authorization:
      credentials: ${CLUSTER_METRICS_TOKEN}
    static_configs:
      - targets: [${targets(ms)}]
`;
    writeFileSync(
      join(this.dir, 'prometheus.yml'),
      `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
${this.apis.length ? job('duban-api', this.apis) : ''}${this.workers.length ? job('duban-worker', this.workers) : ''}`,
    );
    this.prometheus = daemon('prometheus', 'prometheus', [
      `--config.file=${join(this.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(this.dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ]);
    this.prometheusUrl = `http://127.0.0.1:${port}`;
    const expected = this.apis.length + this.workers.length;
    await waitFor(
      `Prometheus scraping all ${expected} targets`,
      async () => {
        if (this.prometheus!.child.exitCode !== null) throw new Error('prometheus exited');
        const up = await this.promQuery('up');
        return up.length === expected && up.every((s) => s.value === 1);
      },
      30_000,
      500,
    );
  }

  /** An instant PromQL query: one value per series. */
  async promQuery(query: string): Promise<{ labels: Record<string, string>; value: number }[]> {
    const res = await fetch(`${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  /** A PromQL range query (times in ms): the samples of each series. */
  async promRange(
    query: string,
    fromMs: number,
    toMs: number,
    stepSeconds = 1,
  ): Promise<{ labels: Record<string, string>; values: [number, number][] }[]> {
    const qs = new URLSearchParams({
      query,
      start: String(fromMs / 1000),
      end: String(toMs / 1000),
      step: String(stepSeconds),
    });
    const res = await fetch(`${this.prometheusUrl}/api/v1/query_range?${qs}`);
    const body = (await res.json()) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    return body.data.result.map((r) => ({
      labels: r.metric,
      values: r.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number]),
    }));
  }

  /** GET /metrics of one API or worker (the raw text). */
  async metrics(m: Member): Promise<string> {
    const res = await fetch(`${m.url}/metrics`, {
      headers: { authorization: `Bearer ${CLUSTER_METRICS_TOKEN}` },
      signal: AbortSignal.timeout(5000),
    });
    return res.text();
  }

  /** SIGKILL of API i (0-based): a crash, not a drain. */
  async killApi(i: number): Promise<void> {
    await stopAll([this.apis[i].proc]);
  }

  /** The replica crashes (immediate stop); startReplica() brings it back as the same standby. */
  async stopReplica(): Promise<void> {
    await this.replica!.stop();
  }

  async startReplica(): Promise<void> {
    await this.replica!.start();
  }

  /** SIGKILLs whichever Redis is master now; returns its port. */
  async killRedisMaster(): Promise<number> {
    const port = await this.redis.masterPort();
    await this.redis.kill(port);
    return port;
  }

  /** The last lines of every process's output, for a failure's message. */
  tails(lines = 30): string {
    const parts: string[] = [];
    for (const m of [...this.apis, ...this.workers])
      parts.push(
        `--- ${m.name} (exit ${m.proc.child.exitCode ?? m.proc.child.signalCode ?? 'running'})\n${tail(m.proc.output(), lines)}`,
      );
    for (const d of [this.nginx, this.prometheus])
      if (d) parts.push(`--- ${d.name}\n${tail(d.output(), lines)}`);
    const file = (label: string, path: string) => {
      try {
        parts.push(`--- ${label}\n${tail(readFileSync(path, 'utf8'), lines)}`);
      } catch {
        // not written
      }
    };
    if (this.dir) file('nginx error log', join(this.dir, 'nginx-error.log'));
    for (const [label, pg] of [
      ['postgres primary log', this.primary],
      ['postgres replica log', this.replica],
    ] as const)
      if (pg) file(label, pg.logFile);
    return parts.join('\n');
  }

  async stop(): Promise<void> {
    await killDaemon(this.prometheus);
    await killDaemon(this.nginx);
    await stopAll([...this.apis, ...this.workers].map((m) => m.proc));
    await this.db?.end().catch(() => undefined);
    await this.redis?.stop();
    await this.replica?.destroy();
    await this.primary?.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    if (this.exitHook) process.removeListener('exit', this.exitHook);
    if (this.signalHook)
      for (const sig of ['SIGINT', 'SIGTERM']) process.removeListener(sig, this.signalHook);
  }

  /** The caller died before stop(): no daemon of ours outlives it. Synchronous, as `exit` requires. */
  private installExitHook(): void {
    this.exitHook = () => {
      // SIGTERM for nginx and Prometheus: they end their own workers after we are gone.
      for (const d of [this.prometheus, this.nginx])
        if (d && d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGTERM');
      for (const m of [...this.apis, ...this.workers])
        if (m.proc.child.exitCode === null && m.proc.child.signalCode === null) m.proc.child.kill('SIGKILL');
      this.redis?.killNow();
      for (const pg of [this.replica, this.primary]) {
        try {
          // stop() runs pg_ctl synchronously before its first await.
          void pg?.stop().catch(() => undefined);
        } catch {
          // already stopped
        }
      }
    };
    process.once('exit', this.exitHook);
    // Ctrl-C or a CI timeout: node's default for these signals skips `exit` handlers.
    this.signalHook = () => process.exit(130);
    process.once('SIGINT', this.signalHook);
    process.once('SIGTERM', this.signalHook);
  }
}

/** Counts of a metric's samples by label, from the Prometheus text format. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have[l[1]] = l[2];
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
