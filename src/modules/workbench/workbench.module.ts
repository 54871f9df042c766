import { Module } from '@nestjs/common';

import { CyclesDataModule } from '../cycles/cycles-data.module';
import { PlansModule } from '../plans/plans.module';
import { RemindersModule } from '../reminders/reminders.module';
import { WorkbenchController } from './workbench.controller';
import { WorkbenchRepository } from './workbench.repository';
import { WorkbenchService } from './workbench.service';

/** The web workbench's API: the review queue (GET /reviews) and the home page's counts (GET /me/summary). */
@Module({
  imports: [PlansModule, CyclesDataModule, RemindersModule],
  controllers: [WorkbenchController],
  providers: [WorkbenchRepository, WorkbenchService],
})
export class WorkbenchModule {}
