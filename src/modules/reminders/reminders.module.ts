import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { DeliveriesRepository } from './deliveries.repository';
import { NotifyController } from './notify.controller';
import { NotifyRepository } from './notify.repository';
import { NotifyService } from './notify.service';

/** API side of reminders: inbox, channels, allowed hosts, failed sends, plan rules, an item's reminders. */
@Module({
  imports: [OrgDataModule, PlansModule],
  controllers: [NotifyController],
  providers: [NotifyRepository, DeliveriesRepository, NotifyService],
  exports: [NotifyRepository],
})
export class RemindersModule {}
