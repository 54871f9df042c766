import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { RollupDataModule } from '../rollup/rollup-data.module';
import { DispatchController } from './dispatch.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';
import { MeetingsController } from './meetings.controller';
import { MeetingsRepository } from './meetings.repository';
import { MeetingsService } from './meetings.service';
import { PackExportsRepository } from './pack-exports.repository';
import { PackExportsService } from './pack-exports.service';

/** The monthly dispatch meeting (月调度会): its pack, its exports and its record with 交办 items. */
@Module({
  imports: [OrgDataModule, PlansModule, RollupDataModule],
  controllers: [DispatchController, MeetingsController],
  providers: [
    DispatchRepository,
    DispatchService,
    MeetingsRepository,
    MeetingsService,
    PackExportsRepository,
    PackExportsService,
  ],
})
export class DispatchModule {}
