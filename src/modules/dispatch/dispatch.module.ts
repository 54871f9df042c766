import { Module } from '@nestjs/common';

import { CyclesModule } from '../cycles/cycles.module';
import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { RollupDataModule } from '../rollup/rollup-data.module';
import { DispatchController } from './dispatch.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';

/** The monthly dispatch meeting (月调度会): its pack. Exports and meeting records follow (issue 7). */
@Module({
  imports: [OrgDataModule, PlansModule, CyclesModule, RollupDataModule],
  controllers: [DispatchController],
  providers: [DispatchRepository, DispatchService],
})
export class DispatchModule {}
