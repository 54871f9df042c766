import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { DraftsController } from './drafts.controller';
import { DraftsRepository } from './drafts.repository';
import { DraftsService } from './drafts.service';

/** Plan drafts from a work report (导入工作报告): read, review, publish into a plan (API side). */
@Module({
  imports: [OrgDataModule, PlansModule],
  controllers: [DraftsController],
  providers: [DraftsService, DraftsRepository],
})
export class DraftsModule {}
