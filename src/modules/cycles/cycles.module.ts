import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { CyclesController } from './cycles.controller';
import { CyclesRepository } from './cycles.repository';
import { CyclesService } from './cycles.service';

/** Working-day calendar, dispatch cycles and expected reports (API side). */
@Module({
  imports: [OrgDataModule, PlansModule],
  controllers: [CyclesController],
  providers: [CyclesRepository, CyclesService],
  exports: [CyclesRepository],
})
export class CyclesModule {}
