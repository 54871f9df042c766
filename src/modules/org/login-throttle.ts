import { Inject, Injectable, Logger } from '@nestjs/common';

import { AppConfig } from '../../core/config/app-config';
import { REDIS, RedisClient } from '../../core/redis/redis.module';

/**
 * Admits a login attempt or refuses it, atomically, BEFORE the password is verified. Each subject
 * (the username; the client address) is a hash: `a` attempts admitted and not yet settled, `f`
 * failures in the window. An attempt is admitted while a + f is under the subject's limit, and
 * admitting it counts it at once, so N concurrent guesses cannot all pass a check that only later
 * counts failures. The window (TTL) starts at the first attempt.
 *
 * The address limit is skipped for usernames that have logged in from that address before (a set
 * per address): behind one office NAT, someone failing on purpose cannot lock out colleagues who
 * have used the system from there; the per-username limit still applies to everybody.
 *
 * Returns the seconds to wait (> 0: refused), or 0 (admitted).
 * KEYS: user hash, address hash, address's known usernames. ARGV: user limit, address limit, window s, username.
 */
const ADMIT = `
local function used(k)
  local v = redis.call('HMGET', k, 'a', 'f')
  return (tonumber(v[1]) or 0) + (tonumber(v[2]) or 0)
end
local function wait(k)
  local ttl = redis.call('TTL', k)
  if ttl < 1 then return 1 end
  return ttl
end
if used(KEYS[1]) >= tonumber(ARGV[1]) then return wait(KEYS[1]) end
if used(KEYS[2]) >= tonumber(ARGV[2]) and redis.call('SISMEMBER', KEYS[3], ARGV[4]) == 0 then
  return wait(KEYS[2])
end
for i = 1, 2 do
  redis.call('HINCRBY', KEYS[i], 'a', 1)
  redis.call('EXPIRE', KEYS[i], ARGV[3], 'NX')
end
return 0
`;

/**
 * Settles an admitted attempt: no longer in flight; a failure counts in the window, a success
 * clears the username's failures and remembers the username at this address.
 * KEYS: as ADMIT. ARGV: 'ok' | 'fail' | 'void', window s, username, known-set TTL s.
 */
const SETTLE = `
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    if (tonumber(redis.call('HGET', KEYS[i], 'a')) or 0) > 0 then redis.call('HINCRBY', KEYS[i], 'a', -1) end
    if ARGV[1] == 'fail' then redis.call('HINCRBY', KEYS[i], 'f', 1) end
  elseif ARGV[1] == 'fail' then
    -- The window ended while this attempt was verified: its failure opens the next one.
    redis.call('HSET', KEYS[i], 'f', 1)
    redis.call('EXPIRE', KEYS[i], ARGV[2])
  end
end
if ARGV[1] == 'ok' then
  redis.call('HDEL', KEYS[1], 'f')
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[4])
end
return 0
`;

// How long an address remembers who logged in from it.
const KNOWN_TTL_SECONDS = 30 * 86400;

/** ok: right password; fail: wrong (counts); void: not decided (e.g. the database failed), only released. */
export type Outcome = 'ok' | 'fail' | 'void';
export type Admission =
  { admitted: true; settle: (outcome: Outcome) => Promise<void> } | { admitted: false; wait: number };

/**
 * Login limits in Redis, so they hold across API replicas. Fails open when Redis is down (logged):
 * argon2 still makes guessing slow, and a Redis outage must not lock every bureau user out.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  private keys(username: string, ip: string): [string, string, string] {
    const p = this.config.redis.prefix;
    return [`${p}:login:user:${username}`, `${p}:login:ip:${ip}`, `${p}:login:known:${ip}`];
  }

  /** Counts this attempt (before the password is checked) and says whether it may go on. */
  async admit(rawUsername: string, ip: string): Promise<Admission> {
    const username = rawUsername.toLowerCase();
    const keys = this.keys(username, ip);
    const { loginMaxFailures, loginAddressMaxFailures, loginLockSeconds } = this.config.auth;
    let wait: number;
    try {
      wait = Number(
        await this.redis.eval(
          ADMIT,
          3,
          ...keys,
          loginMaxFailures,
          loginAddressMaxFailures,
          loginLockSeconds,
          username,
        ),
      );
    } catch (err) {
      this.logger.warn(`登录限流不可用（Redis），本次放行：${(err as Error).message}`);
      return { admitted: true, settle: () => Promise.resolve() };
    }
    if (wait > 0) return { admitted: false, wait };
    return {
      admitted: true,
      settle: async (outcome: Outcome) => {
        try {
          await this.redis.eval(SETTLE, 3, ...keys, outcome, loginLockSeconds, username, KNOWN_TTL_SECONDS);
        } catch (err) {
          // The attempt stays counted until the window ends: erring towards the limit is safe.
          this.logger.warn(`登录尝试未结算（Redis）：${(err as Error).message}`);
        }
      },
    };
  }
}
