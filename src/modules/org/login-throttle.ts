import { Inject, Injectable, Logger } from '@nestjs/common';

import { AppConfig } from '../../core/config/app-config';
import { REDIS, RedisClient } from '../../core/redis/redis.module';

/**
 * Counts failed logins per username and per client address in Redis, so the limit holds across
 * API replicas. Fails open when Redis is down (logged): argon2 still makes guessing slow, and a
 * Redis outage must not lock every bureau user out.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  private keys(username: string, ip: string): [string, string] {
    const p = this.config.redis.prefix;
    return [`${p}:login-fail:user:${username.toLowerCase()}`, `${p}:login-fail:ip:${ip}`];
  }

  /** Seconds until the caller may try again, or 0 if not blocked. */
  async blockedFor(username: string, ip: string): Promise<number> {
    const [userKey, ipKey] = this.keys(username, ip);
    try {
      const [[, u], [, i], [, uTtl], [, iTtl]] = (await this.redis
        .multi()
        .get(userKey)
        .get(ipKey)
        .ttl(userKey)
        .ttl(ipKey)
        .exec()) as [unknown, string | number | null][];
      const max = this.config.auth.loginMaxFailures;
      // An address may fail more often than one account: a whole office may sit behind one NAT.
      if (Number(u ?? 0) >= max) return Math.max(Number(uTtl), 1);
      if (Number(i ?? 0) >= max * 4) return Math.max(Number(iTtl), 1);
      return 0;
    } catch (err) {
      this.logger.warn(`登录限流不可用（Redis）：${(err as Error).message}`);
      return 0;
    }
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    const ttl = this.config.auth.loginLockSeconds;
    try {
      const multi = this.redis.multi();
      for (const key of this.keys(username, ip)) multi.incr(key).expire(key, ttl, 'NX');
      await multi.exec();
    } catch (err) {
      this.logger.warn(`登录失败计数未记录（Redis）：${(err as Error).message}`);
    }
  }

  async reset(username: string): Promise<void> {
    try {
      await this.redis.del(this.keys(username, '')[0]);
    } catch {
      // Best effort: the counter expires by itself.
    }
  }
}
