import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

import { parseSentinels } from '../redis/redis-options';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

const TRUST_PROXY_VALUE = /^(true|false|[0-9]|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/;

/**
 * TRUST_PROXY as fastify takes it. `true` is ONE hop, not fastify's "trust every hop": with that the
 * client address would be the leftmost X-Forwarded-For entry, which the client writes itself, and a
 * guesser could give every login attempt a new address (login throttle, per-address limit).
 */
export function trustProxySetting(value: string | undefined): false | number | string[] {
  const v = (value ?? 'false').trim();
  if (v === 'false' || v === '0') return false;
  if (v === 'true') return 1;
  if (/^[0-9]$/.test(v)) return Number(v);
  return v.split(',').map((a) => a.trim());
}

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const OLD_KEYS = /^[A-Za-z0-9_-]{1,32}:[^,]{32,}(,[A-Za-z0-9_-]{1,32}:[^,]{32,})*$/;

/** Every environment variable duban reads. Keep `.env.example` in step with this class. */
export class EnvVars {
  @IsOptional() @IsIn(['development', 'test', 'production']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  /** The runtime role: owns nothing, may only read and write rows (docs/ARCHITECTURE.md, "Database roles"). */
  @Matches(/^postgres(ql)?:\/\/.+/) DATABASE_URL!: string;
  /** The schema owner, for migrations only; unset or empty = DATABASE_URL (a single-role installation). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @Matches(/^postgres(ql)?:\/\/.+/)
  MIGRATION_DATABASE_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000) DATABASE_CONNECT_TIMEOUT_MS?: number;
  /** A streaming replica for heavy reads (runtime role); unset or empty = every read on the primary. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @Matches(/^postgres(ql)?:\/\/.+/)
  DATABASE_REPLICA_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) DATABASE_REPLICA_MAX_LAG_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200) DATABASE_REPLICA_POOL_SIZE?: number;
  /** With REDIS_SENTINELS, only its username, password, database number and TLS (rediss://) are used. */
  @Matches(/^rediss?:\/\/.+/) REDIS_URL!: string;
  /** Letters, digits, `_`, `-`; or one hash tag in braces (`{duban}`) so a Redis Cluster keeps every key in one slot. */
  @IsOptional() @Matches(/^([a-zA-Z0-9_-]{1,40}|\{[a-zA-Z0-9_-]{1,40}\})$/) REDIS_PREFIX?: string;
  /** Sentinel mode: `host:port` of each Sentinel, comma-separated; the master's address comes from them. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() REDIS_SENTINELS?: string;
  /** The master's name in the Sentinels' configuration (required with REDIS_SENTINELS). */
  @IsOptional() @Transform(emptyToUndefined) @Matches(/^[A-Za-z0-9._-]{1,64}$/) REDIS_SENTINEL_NAME?: string;
  /** The Sentinels' own password (`requirepass` in sentinel.conf), when they require one. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() REDIS_SENTINEL_PASSWORD?: string;
  @IsString() @MinLength(32) JWT_SECRET!: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(30) @Max(86400) JWT_ACCESS_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(300) @Max(31536000) REFRESH_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) LOGIN_MAX_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) LOGIN_ADDRESS_MAX_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) LOGIN_LOCK_SECONDS?: number;
  @IsOptional() @IsISO8601({ strict: true }) DUBAN_NOW?: string;
  /** How `seed` leaves the pinned demo clock: standing still (frozen) or running on in real time. */
  @IsOptional() @IsIn(['frozen', 'running']) DUBAN_CLOCK?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() MIGRATIONS_RUN?: boolean;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() LOG_PRETTY?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() SWAGGER_ENABLED?: boolean;
  /** Production serves Swagger only when this says so as well (the API map helps an attacker too). */
  @IsOptional() @Transform(toBool) @IsBoolean() SWAGGER_IN_PRODUCTION?: boolean;
  /**
   * Which proxies in front may say who the client is (X-Forwarded-For/-Proto): `false`; `true` = the
   * one proxy directly in front; a number of proxy hops; or the proxies' addresses/CIDRs, comma-separated.
   */
  @IsOptional()
  @Matches(TRUST_PROXY_VALUE, {
    message: 'TRUST_PROXY 必须是 true、false、代理层数（1～9）或代理地址/网段列表（逗号分隔）',
  })
  TRUST_PROXY?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(600000) SHUTDOWN_TIMEOUT_MS?: number;
  @IsOptional() @IsString() WORKER_HEARTBEAT_FILE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(500) WORKER_CONCURRENCY?: number;
  @IsOptional() @IsString() @MinLength(8) DEMO_PASSWORD?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(104857600) IMPORT_MAX_BYTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(1073741824) EVIDENCE_MAX_BYTES?: number;
  /** Largest work report accepted for a plan draft (JSON text in UTF-8 bytes, or the uploaded file). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(104857600) DRAFT_MAX_BYTES?: number;
  @IsOptional() @IsString() EVIDENCE_DIR?: string;
  /** Where evidence files live: `postgres` (default; shared by every API replica) or `disk` (EVIDENCE_DIR). */
  @IsOptional() @IsIn(['postgres', 'disk']) EVIDENCE_STORAGE?: 'postgres' | 'disk';
  /** The web app's production build (index.html + assets/), served at `/`. */
  @IsOptional() @IsString() WEB_DIST_DIR?: string;
  /** The web app's address as users reach it: every link in a message or export is `${APP_URL}/items/<id>`. */
  @IsOptional() @Matches(/^https?:\/\/.+/) APP_URL?: string;
  /** Deprecated alias of APP_URL (read when APP_URL is unset). */
  @IsOptional() @Matches(/^https?:\/\/.+/) PUBLIC_URL?: string;
  @IsOptional() @Matches(/^smtps?:\/\/.+/) SMTP_URL?: string;
  @IsOptional() @IsString() SMTP_FROM?: string;
  /**
   * Seals channel secrets (robot URLs and secrets, webhook keys). Outside production it falls back to
   * material derived from JWT_SECRET; production requires its own key.
   */
  @IsOptional() @IsString() @MinLength(32) NOTIFY_SECRET_KEY?: string;
  /** The id written into every value sealed with NOTIFY_SECRET_KEY, so the key can be rotated (k1). */
  @IsOptional() @Matches(KEY_ID) NOTIFY_SECRET_KEY_ID?: string;
  /** Earlier keys that still open what they sealed: `id:material` pairs separated by commas. */
  @IsOptional() @Matches(OLD_KEYS) NOTIFY_SECRET_KEYS_OLD?: string;
  /** Only for local test sinks: lets webhooks reach loopback and private addresses. */
  @IsOptional() @Transform(toBool) @IsBoolean() WEBHOOK_ALLOW_PRIVATE_NETWORKS?: boolean;
  /** External sends in flight per worker process (also the bound on duplicates after a crash). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) NOTIFY_CONCURRENCY?: number;
  /** How long a sender holds a delivery before another may take it over (a crashed sender's rows). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(3600) NOTIFY_LEASE_SECONDS?: number;
  /** When set, GET /metrics (API) and the worker's metrics port answer only `Authorization: Bearer <it>`. */
  @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;
  /** The worker's metrics port (Prometheus text at /metrics on HOST); unset: the worker serves none. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;
}

/** Variables whose values must never be printed. */
export const SENSITIVE_ENV = new Set([
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'REDIS_URL',
  'REDIS_SENTINEL_PASSWORD',
  'JWT_SECRET',
  'DEMO_PASSWORD',
  'METRICS_TOKEN',
  'SMTP_URL',
  'NOTIFY_SECRET_KEY',
  'NOTIFY_SECRET_KEYS_OLD',
]);

/** The JWT secrets shipped in .env.example and docker-compose.yml: anyone can sign tokens with them. */
const EXAMPLE_JWT_SECRETS = new Set([
  'dev-only-secret-change-me-0123456789abcdef',
  'compose-dev-secret-change-me-0123456789',
]);

/** Older notification keys by id, from NOTIFY_SECRET_KEYS_OLD (already format-checked). */
export function parseOldKeys(value: string | undefined): { id: string; material: string }[] {
  if (!value) return [];
  return value.split(',').map((pair) => {
    const at = pair.indexOf(':');
    return { id: pair.slice(0, at), material: pair.slice(at + 1) };
  });
}

/**
 * What production must not run with, each named with the reason: a known secret, a pinned or
 * test-only setting, Swagger without the explicit second switch, channel secrets sealed with
 * material derived from the token secret. Empty outside production.
 */
export function productionProblems(env: EnvVars): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (EXAMPLE_JWT_SECRETS.has(env.JWT_SECRET) || /change-?me/i.test(env.JWT_SECRET))
    problems.push('JWT_SECRET（示例密钥，请换成随机生成的密钥）');
  if (env.DEMO_PASSWORD) problems.push('DEMO_PASSWORD（演示账号密码）');
  if (env.DUBAN_NOW) problems.push('DUBAN_NOW（固定的演示时钟）');
  if (env.WEBHOOK_ALLOW_PRIVATE_NETWORKS)
    problems.push('WEBHOOK_ALLOW_PRIVATE_NETWORKS（允许向内网地址外发）');
  if (env.SWAGGER_ENABLED && !env.SWAGGER_IN_PRODUCTION)
    problems.push('SWAGGER_ENABLED（如确需开放接口文档，请同时设置 SWAGGER_IN_PRODUCTION=true）');
  // The default (this machine's loopback address) would put a dead link in every e-mail and robot message.
  if (!env.APP_URL && !env.PUBLIC_URL) problems.push('APP_URL（未设置：消息中的链接须指向用户访问的网址）');
  if (!env.NOTIFY_SECRET_KEY) problems.push('NOTIFY_SECRET_KEY（未设置：渠道密钥须有独立的加密密钥）');
  else if (env.NOTIFY_SECRET_KEY === env.JWT_SECRET)
    problems.push('NOTIFY_SECRET_KEY（不能与 JWT_SECRET 相同）');
  return problems;
}

export class ConfigError extends Error {}

/** The notification key's id when NOTIFY_SECRET_KEY_ID is not set. */
export const DEFAULT_KEY_ID = 'k1';

/** Validates the environment; on failure throws one line naming the variables, never their values. */
export function validateEnv(raw: NodeJS.ProcessEnv): EnvVars {
  const env = plainToInstance(EnvVars, raw, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const names = errors.map((e) => e.property).join(', ');
    throw new ConfigError(`启动失败：环境变量缺失或格式不正确：${names}（详见 .env.example）`);
  }
  if (env.REDIS_SENTINELS !== undefined && parseSentinels(env.REDIS_SENTINELS) === null) {
    throw new ConfigError(
      '启动失败：REDIS_SENTINELS 格式不正确：应为以逗号分隔的“主机:端口”列表，如 10.0.0.1:26379,10.0.0.2:26379（详见 .env.example）',
    );
  }
  if ((env.REDIS_SENTINELS === undefined) !== (env.REDIS_SENTINEL_NAME === undefined)) {
    throw new ConfigError(
      '启动失败：REDIS_SENTINELS 与 REDIS_SENTINEL_NAME 须同时设置（哨兵地址与主节点名称），或都不设置（详见 .env.example）',
    );
  }
  const currentId = env.NOTIFY_SECRET_KEY_ID ?? DEFAULT_KEY_ID;
  const oldIds = parseOldKeys(env.NOTIFY_SECRET_KEYS_OLD).map((k) => k.id);
  if (new Set([currentId, ...oldIds]).size !== oldIds.length + 1) {
    throw new ConfigError(
      '启动失败：NOTIFY_SECRET_KEYS_OLD 中的密钥编号重复，或与 NOTIFY_SECRET_KEY_ID 相同（详见 .env.example）',
    );
  }
  const problems = productionProblems(env);
  if (problems.length > 0) {
    throw new ConfigError(`启动失败：生产环境（NODE_ENV=production）不允许：${problems.join('；')}`);
  }
  return env;
}
