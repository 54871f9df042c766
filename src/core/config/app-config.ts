import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { parseSentinels, RedisSettings } from '../redis/redis-options';
import { DEFAULT_KEY_ID, EnvVars, parseOldKeys, trustProxySetting, validateEnv } from './env';

/**
 * The repository (or image) root: the nearest folder above this file holding package.json. Found from
 * the file's own location, not the cwd, so `node /app/dist/src/main.api.js` run from anywhere (and the
 * tests, from src/) find the same web build.
 */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export interface NotifyKey {
  id: string;
  material: string;
}

/** Typed configuration built once from the validated environment; nothing else reads process.env. */
export class AppConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly http: { port: number; host: string; trustProxy: false | number | string[]; swagger: boolean };
  /** `url`: the runtime role; `migrationUrl`: the schema owner, used only to migrate (unset = `url`). */
  readonly db: {
    url: string;
    poolSize: number;
    connectTimeoutMs?: number;
    migrationsRun: boolean;
    migrationUrl?: string;
    /** A streaming replica for heavy reads (src/core/database/read-router.ts); unset = all on the primary. */
    replica?: { url: string; maxLagMs: number; poolSize: number };
  };
  readonly redis: RedisSettings;
  readonly auth: {
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    loginMaxFailures: number;
    loginAddressMaxFailures: number;
    loginLockSeconds: number;
  };
  readonly log: { level: string; pretty: boolean };
  readonly now?: string;
  /** DUBAN_CLOCK=running: the demo's pinned clock runs on from DUBAN_NOW instead of standing still. */
  readonly clockRunning: boolean;
  readonly shutdownTimeoutMs: number;
  readonly worker: { heartbeatFile?: string; concurrency: number };
  readonly demoPassword?: string;
  readonly imports: { maxBytes: number };
  readonly drafts: { maxBytes: number };
  readonly evidence: { maxBytes: number; dir: string; storage: 'postgres' | 'disk' };
  /** `distDir`: the web app's build folder, absolute. */
  readonly web: { distDir: string };
  /** The web app's base URL (APP_URL, or the deprecated PUBLIC_URL), without a trailing slash. */
  readonly appUrl: string;
  /** `token`: required bearer of the metrics endpoints when set; `port`: the worker's metrics port. */
  readonly metrics: { token?: string; port?: number };
  readonly notify: {
    smtpUrl?: string;
    smtpFrom: string;
    /** Seals new values; `older` only open what they sealed before a rotation. */
    secretKeys: { current: NotifyKey; older: NotifyKey[] };
    allowPrivateNetworks: boolean;
    concurrency: number;
    leaseSeconds: number;
  };

  constructor(e: EnvVars) {
    this.env = (e.NODE_ENV as AppConfig['env']) ?? 'development';
    this.http = {
      port: e.PORT ?? 3000,
      host: e.HOST ?? '127.0.0.1',
      trustProxy: trustProxySetting(e.TRUST_PROXY),
      // Off by default in production; on there only with SWAGGER_IN_PRODUCTION as well (env.ts).
      swagger: e.SWAGGER_ENABLED ?? this.env !== 'production',
    };
    this.db = {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE ?? 10,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS ?? 5000,
      migrationsRun: e.MIGRATIONS_RUN ?? true,
      migrationUrl: e.MIGRATION_DATABASE_URL,
      replica: e.DATABASE_REPLICA_URL
        ? {
            url: e.DATABASE_REPLICA_URL,
            maxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS ?? 10000,
            poolSize: e.DATABASE_REPLICA_POOL_SIZE ?? 5,
          }
        : undefined,
    };
    this.redis = {
      url: e.REDIS_URL,
      prefix: e.REDIS_PREFIX ?? 'duban',
      // Validated in env.ts: set together, well-formed.
      sentinels: e.REDIS_SENTINELS ? (parseSentinels(e.REDIS_SENTINELS) ?? undefined) : undefined,
      sentinelName: e.REDIS_SENTINEL_NAME,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD,
    };
    this.auth = {
      jwtSecret: e.JWT_SECRET,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS ?? 900,
      refreshTtlSeconds: e.REFRESH_TTL_SECONDS ?? 30 * 86400,
      loginMaxFailures: e.LOGIN_MAX_FAILURES ?? 5,
      loginAddressMaxFailures: e.LOGIN_ADDRESS_MAX_FAILURES ?? 100,
      loginLockSeconds: e.LOGIN_LOCK_SECONDS ?? 900,
    };
    this.log = { level: e.LOG_LEVEL ?? 'info', pretty: e.LOG_PRETTY ?? false };
    this.now = e.DUBAN_NOW;
    this.clockRunning = e.DUBAN_CLOCK === 'running';
    this.shutdownTimeoutMs = e.SHUTDOWN_TIMEOUT_MS ?? 25000;
    this.worker = { heartbeatFile: e.WORKER_HEARTBEAT_FILE, concurrency: e.WORKER_CONCURRENCY ?? 10 };
    this.demoPassword = e.DEMO_PASSWORD;
    this.imports = { maxBytes: e.IMPORT_MAX_BYTES ?? 10 * 1024 * 1024 };
    this.drafts = { maxBytes: e.DRAFT_MAX_BYTES ?? 2 * 1024 * 1024 };
    this.evidence = {
      maxBytes: e.EVIDENCE_MAX_BYTES ?? 20 * 1024 * 1024,
      dir: e.EVIDENCE_DIR ?? '.data/evidence',
      storage: e.EVIDENCE_STORAGE ?? 'postgres',
    };
    this.web = { distDir: resolve(e.WEB_DIST_DIR ?? join(projectRoot(), 'web', 'dist')) };
    this.appUrl = (e.APP_URL ?? e.PUBLIC_URL ?? `http://127.0.0.1:${this.http.port}`).replace(/\/+$/, '');
    this.metrics = { token: e.METRICS_TOKEN, port: e.METRICS_PORT };
    this.notify = {
      smtpUrl: e.SMTP_URL,
      smtpFrom: e.SMTP_FROM ?? '督办系统 <duban@localhost>',
      secretKeys: {
        current: {
          id: e.NOTIFY_SECRET_KEY_ID ?? DEFAULT_KEY_ID,
          material: e.NOTIFY_SECRET_KEY ?? `notify:${e.JWT_SECRET}`,
        },
        older: parseOldKeys(e.NOTIFY_SECRET_KEYS_OLD),
      },
      allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? false,
      concurrency: e.NOTIFY_CONCURRENCY ?? 32,
      leaseSeconds: e.NOTIFY_LEASE_SECONDS ?? 60,
    };
  }

  static fromEnv(raw: NodeJS.ProcessEnv = process.env): AppConfig {
    return new AppConfig(validateEnv(raw));
  }
}

/** The web page of an item: where every message and export links to (the web app's route /items/:id). */
export function itemPageUrl(appUrl: string, itemId: string): string {
  return `${appUrl}/items/${encodeURIComponent(itemId)}`;
}
