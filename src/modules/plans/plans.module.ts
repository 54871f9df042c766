import { Module } from '@nestjs/common';

import { AuditController } from '../audit/audit.controller';
import { AuditService } from '../audit/audit.service';
import { CyclesDataModule } from '../cycles/cycles-data.module';
import { OrgDataModule } from '../org/org-data.module';
import { RollupDataModule } from '../rollup/rollup-data.module';
import { AccessContexts } from './access-contexts';
import { BreakdownController } from './breakdown.controller';
import { BreakdownService } from './breakdown.service';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { PlansController } from './plans.controller';
import { PlansRepository } from './plans.repository';
import { PlansService } from './plans.service';

/** Plans, sections, key tasks, items, the breakdown sheet, item history and audit verification (API side). */
@Module({
  imports: [OrgDataModule, CyclesDataModule, RollupDataModule],
  controllers: [PlansController, ItemsController, BreakdownController, AuditController],
  providers: [
    AccessContexts,
    PlansRepository,
    ItemsRepository,
    PlansService,
    ItemsService,
    BreakdownService,
    AuditService,
  ],
  exports: [PlansRepository, ItemsRepository, AccessContexts],
})
export class PlansModule {}
