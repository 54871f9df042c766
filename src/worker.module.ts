import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';

import { AppConfig } from './core/config/app-config';
import { CoreModule } from './core/core.module';
import { WorkerMetrics } from './core/metrics/worker-metrics';
import { QueueModule } from './core/queue/queue.module';
import { WorkerDrain } from './core/queue/worker-drain';
import { DispatchWorkerModule } from './modules/dispatch/dispatch-worker.module';
import { RemindersWorkerModule } from './modules/reminders/reminders-worker.module';
import { RollupWorkerModule } from './modules/rollup/rollup-worker.module';
import { SystemWorkerModule } from './modules/system/system-worker.module';

/** The worker process: BullMQ processors and schedules; HTTP only for its metrics (METRICS_PORT). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        ScheduleModule.forRoot(),
        QueueModule.forRoot(),
        SystemWorkerModule,
        RollupWorkerModule,
        RemindersWorkerModule,
        DispatchWorkerModule,
        DiscoveryModule,
      ],
      providers: [WorkerDrain, WorkerMetrics],
    };
  }
}
