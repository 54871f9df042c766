import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { WorkerHeartbeat } from '../health/worker-heartbeat.service';
import { SystemProcessor } from './system.processor';
import { SystemRepository } from './system.repository';
import { SystemScheduler } from './system.scheduler';

/** Worker-only: housekeeping processor, its schedule, and the heartbeat. */
@Module({
  imports: [OrgDataModule],
  providers: [SystemProcessor, SystemRepository, SystemScheduler, WorkerHeartbeat],
})
export class SystemWorkerModule {}
