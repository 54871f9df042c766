import { DynamicModule, Module } from '@nestjs/common';

import { AuditModule } from '../modules/audit/audit.module';
import { ClockModule } from './clock/clock.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics';
import { ReadRouterModule } from './database/read-router';
import { OutboxModule } from './outbox/outbox.repository';
import { RedisModule } from './redis/redis.module';

/** Framework glue both processes share: config, clock, logging, Postgres, Redis, audit, metrics. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        LoggingModule.forRoot(),
        DatabaseModule,
        RedisModule,
        AuditModule,
        OutboxModule,
        MetricsModule,
        ReadRouterModule,
      ],
    };
  }
}
