import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { AppConfig } from '../config/app-config';
import { redisOptions } from './redis-options';

export const REDIS = Symbol('REDIS');
export type RedisClient = Redis;

/**
 * A plain ioredis client (login throttling, health, heartbeats); fails fast while Redis is down. In
 * Sentinel mode it follows the master through a failover (redisOptions).
 */
export function createRedisClient(config: AppConfig, name: string): Redis {
  const logger = new Logger('Redis');
  const client = new Redis(
    redisOptions(config.redis, {
      connectionName: name,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 3000,
    }),
  );
  let lastLog = 0;
  client.on('error', (err: Error) => {
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      logger.warn(`Redis 连接错误：${err.message}`);
    }
  });
  return client;
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: (c: AppConfig) => createRedisClient(c, 'duban-api') },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
