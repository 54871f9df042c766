import { Module } from '@nestjs/common';

import { NoticesService } from './notices.service';
import { RemindersRepository } from './reminders.repository';

/** Decision messages for the services that decide (reports, extensions, close-outs). */
@Module({ providers: [RemindersRepository, NoticesService], exports: [NoticesService] })
export class NoticesModule {}
