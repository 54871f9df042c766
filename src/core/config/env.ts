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

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

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
  @Matches(/^rediss?:\/\/.+/) REDIS_URL!: string;
  @IsOptional() @Matches(/^[a-zA-Z0-9_-]{1,40}$/) REDIS_PREFIX?: string;
  @IsString() @MinLength(32) JWT_SECRET!: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(30) @Max(86400) JWT_ACCESS_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(300) @Max(31536000) REFRESH_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) LOGIN_MAX_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) LOGIN_ADDRESS_MAX_FAILURES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) LOGIN_LOCK_SECONDS?: number;
  @IsOptional() @IsISO8601({ strict: true }) DUBAN_NOW?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() MIGRATIONS_RUN?: boolean;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() LOG_PRETTY?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() SWAGGER_ENABLED?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() TRUST_PROXY?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(600000) SHUTDOWN_TIMEOUT_MS?: number;
  @IsOptional() @IsString() WORKER_HEARTBEAT_FILE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(500) WORKER_CONCURRENCY?: number;
  @IsOptional() @IsString() @MinLength(8) DEMO_PASSWORD?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(104857600) IMPORT_MAX_BYTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(1073741824) EVIDENCE_MAX_BYTES?: number;
  @IsOptional() @IsString() EVIDENCE_DIR?: string;
  /** Link target in reminders: the web app's address as users reach it. */
  @IsOptional() @Matches(/^https?:\/\/.+/) PUBLIC_URL?: string;
  @IsOptional() @Matches(/^smtps?:\/\/.+/) SMTP_URL?: string;
  @IsOptional() @IsString() SMTP_FROM?: string;
  /** Seals channel secrets (robot secrets, webhook keys); falls back to JWT_SECRET-derived material. */
  @IsOptional() @IsString() @MinLength(32) NOTIFY_SECRET_KEY?: string;
  /** Only for local test sinks: lets webhooks reach loopback and private addresses. */
  @IsOptional() @Transform(toBool) @IsBoolean() WEBHOOK_ALLOW_PRIVATE_NETWORKS?: boolean;
  /** External sends in flight per worker process (also the bound on duplicates after a crash). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) NOTIFY_CONCURRENCY?: number;
  /** How long a sender holds a delivery before another may take it over (a crashed sender's rows). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(3600) NOTIFY_LEASE_SECONDS?: number;
}

/** Variables whose values must never be printed. */
export const SENSITIVE_ENV = new Set([
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'DEMO_PASSWORD',
  'SMTP_URL',
  'NOTIFY_SECRET_KEY',
]);

export class ConfigError extends Error {}

/** Validates the environment; on failure throws one line naming the variables, never their values. */
export function validateEnv(raw: NodeJS.ProcessEnv): EnvVars {
  const env = plainToInstance(EnvVars, raw, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const names = errors.map((e) => e.property).join(', ');
    throw new ConfigError(`启动失败：环境变量缺失或格式不正确：${names}（详见 .env.example）`);
  }
  if (env.NODE_ENV === 'production' && env.DEMO_PASSWORD) {
    throw new ConfigError('启动失败：生产环境（NODE_ENV=production）不允许设置 DEMO_PASSWORD');
  }
  return env;
}
