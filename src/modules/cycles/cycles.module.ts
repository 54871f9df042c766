import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { CyclesDataModule } from './cycles-data.module';
import { CyclesController } from './cycles.controller';
import { CyclesService } from './cycles.service';

/** Working-day calendar, dispatch cycles and expected reports (API side). */
@Module({
  imports: [OrgDataModule, PlansModule, CyclesDataModule],
  controllers: [CyclesController],
  providers: [CyclesService],
  exports: [CyclesService],
})
export class CyclesModule {}
