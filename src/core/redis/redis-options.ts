import type { RedisOptions } from 'ioredis';

/** Where Redis is: REDIS_URL, or the master a set of Sentinels names (REDIS_SENTINELS). */
export interface RedisSettings {
  /** Always set: gives username, password, database number and TLS; host and port only without Sentinels. */
  url: string;
  /** BullMQ's `prefix` and the first part of every key the app builds (never ioredis `keyPrefix`). */
  prefix: string;
  /** Sentinel mode when non-empty: the master's address is asked of these, on every (re)connect. */
  sentinels?: SentinelAddress[];
  /** The master's name in the Sentinels' configuration (REDIS_SENTINEL_NAME). */
  sentinelName?: string;
  /** The Sentinels' own password (REDIS_SENTINEL_PASSWORD), when they require one. */
  sentinelPassword?: string;
}

export interface SentinelAddress {
  host: string;
  port: number;
}

/**
 * `host:port,host:port` → addresses; null when any entry is malformed (a missing or bad port, an
 * empty host), so env validation can name the variable. IPv6 hosts go in brackets: `[::1]:26379`.
 */
export function parseSentinels(value: string): SentinelAddress[] | null {
  const out: SentinelAddress[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    if (!m) return null;
    const port = Number(m[2]);
    if (port < 1 || port > 65535) return null;
    out.push({ host: m[1].replace(/^\[|\]$/g, ''), port });
  }
  return out.length > 0 ? out : null;
}

/**
 * After a failover a connection may still reach the old master, now a replica, whose writes fail with
 * READONLY: reconnect (Sentinel mode asks the Sentinels for the new master) and resend the command (2).
 */
export function reconnectOnReadonly(err: Error): 2 | false {
  return /\bREADONLY\b/.test(err.message) ? 2 : false;
}

/**
 * The ioredis options of every client the app opens — the API's plain client, BullMQ's queues,
 * workers and queue events, the CLI's — so none can miss the Sentinel settings. `extra` adds what
 * differs per client (offline queue, retries per request, reconnect pace); it cannot unset Sentinel mode.
 */
export function redisOptions(settings: RedisSettings, extra: RedisOptions = {}): RedisOptions {
  const u = new URL(settings.url);
  const tls = u.protocol === 'rediss:' ? {} : undefined;
  const common: RedisOptions = {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    tls,
    reconnectOnError: reconnectOnReadonly,
    // Reconnect quickly: readiness must recover within seconds of Redis (or a new master) being back.
    retryStrategy: (times: number) => Math.min(times * 250, 2000),
    ...extra,
  };
  if (!settings.sentinels?.length) return { ...common, host: u.hostname, port: Number(u.port || 6379) };
  return {
    ...common,
    sentinels: settings.sentinels.map((s) => ({ ...s })),
    name: settings.sentinelName,
    sentinelPassword: settings.sentinelPassword,
    // rediss:// → TLS to the master as well (ioredis uses `tls` in Sentinel mode only with this switch).
    enableTLSForSentinelMode: tls !== undefined,
    // Keep asking the Sentinels during an election instead of giving up after one round.
    sentinelRetryStrategy: (times: number) => Math.min(times * 250, 2000),
    // Not ioredis' failover detector (+switch-master subscribers): in our failover test its Sentinel
    // subscribers outlived close() and kept reconnecting, which would hold a stopping process. A dead
    // master drops our sockets anyway, and a demoted one answers READONLY (reconnectOnReadonly).
    failoverDetector: false,
  };
}
