import { Module } from '@nestjs/common';

import { CyclesDataModule } from '../cycles/cycles-data.module';
import { DeliveriesRepository } from './deliveries.repository';
import { NotifyDispatcher, NotifyProcessor } from './notify.processor';
import { ReminderScanService } from './reminder-scan.service';
import { RemindersRepository } from './reminders.repository';
import { RemindersScheduler } from './reminders.scheduler';
import { SenderService } from './sender.service';

/** Worker-only: the reminder scan, the dispatcher and the senders. */
@Module({
  imports: [CyclesDataModule],
  providers: [
    RemindersRepository,
    DeliveriesRepository,
    ReminderScanService,
    NotifyDispatcher,
    SenderService,
    NotifyProcessor,
    RemindersScheduler,
  ],
})
export class RemindersWorkerModule {}
