import { DynamicModule, Module } from '@nestjs/common';

import { AppConfig } from './core/config/app-config';
import { CoreModule } from './core/core.module';
import { CyclesModule } from './modules/cycles/cycles.module';
import { HealthModule } from './modules/health/health.module';
import { OrgModule } from './modules/org/org.module';
import { PlansModule } from './modules/plans/plans.module';
import { ReportsModule } from './modules/reports/reports.module';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { RemindersModule } from './modules/reminders/reminders.module';
import { RollupModule } from './modules/rollup/rollup.module';
import { WorkbenchModule } from './modules/workbench/workbench.module';
import { DraftsModule } from './modules/drafts/drafts.module';

/** The HTTP process: controllers only; no BullMQ processor is in this graph. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config),
        HealthModule,
        OrgModule,
        PlansModule,
        ReportsModule,
        CyclesModule,
        RollupModule,
        RemindersModule,
        DispatchModule,
        WorkbenchModule,
        DraftsModule,
      ],
    };
  }
}
