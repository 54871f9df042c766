import { Module } from '@nestjs/common';

import { AuditController } from '../audit/audit.controller';
import { AuditService } from '../audit/audit.service';
import { CyclesDataModule } from '../cycles/cycles-data.module';
import { OrgDataModule } from '../org/org-data.module';
import { RollupDataModule } from '../rollup/rollup-data.module';
import { BreakdownController } from './breakdown.controller';
import { BreakdownService } from './breakdown.service';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { PlansController } from './plans.controller';
import { PlansDataModule } from './plans-data.module';
import { PlansService } from './plans.service';
import { PlanWriter } from './plan-writer';

/** Plans, sections, key tasks, items, the breakdown sheet, item history and audit verification (API side). */
@Module({
  imports: [OrgDataModule, PlansDataModule, CyclesDataModule, RollupDataModule],
  controllers: [PlansController, ItemsController, BreakdownController, AuditController],
  providers: [PlansService, ItemsService, BreakdownService, AuditService, PlanWriter],
  exports: [PlansDataModule, ItemsService, PlanWriter],
})
export class PlansModule {}
