import { Module } from '@nestjs/common';

import { OutboxRelay } from './outbox-relay';
import { RollupDataModule } from './rollup-data.module';
import { RollupProcessor } from './rollup.processor';
import { RollupScheduler } from './rollup.scheduler';
import { RollupService } from './rollup.service';

/** Worker-only: relays outbox events and recomputes plans' figures. */
@Module({
  imports: [RollupDataModule],
  providers: [RollupService, RollupProcessor, RollupScheduler, OutboxRelay],
})
export class RollupWorkerModule {}
