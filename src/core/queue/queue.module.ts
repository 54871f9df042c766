import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';

import { AppConfig } from '../config/app-config';
import { redisOptions, RedisSettings } from '../redis/redis-options';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-names';

/**
 * BullMQ connection options (BullMQ wants options, not a URL): REDIS_URL or the Sentinels' master
 * (redisOptions). Workers keep retrying forever (BullMQ forces maxRetriesPerRequest: null).
 */
export function bullConnection(redis: RedisSettings, extra: RedisOptions = {}): BullRedisOptions {
  // BullMQ declares its own (index-signature) options type; the fields are ioredis's.
  return redisOptions(redis, {
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
    ...extra,
  }) as BullRedisOptions;
}

@Module({})
export class QueueModule {
  /** Registers the BullMQ root connection (prefix from REDIS_PREFIX) and every queue. */
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            connection: bullConnection(config.redis),
            prefix: config.redis.prefix,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      exports: [BullModule],
    };
  }
}
