import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { AccessContexts } from './access-contexts';
import { ItemsRepository } from './items.repository';
import { PlansRepository } from './plans.repository';

/** The plan and item queries and the read rules without controllers, for the worker. */
@Module({
  imports: [OrgDataModule],
  providers: [AccessContexts, PlansRepository, ItemsRepository],
  exports: [AccessContexts, PlansRepository, ItemsRepository],
})
export class PlansDataModule {}
