import { Module } from '@nestjs/common';

import { AppConfig } from '../../core/config/app-config';
import { EvidenceStorage, LocalDiskStorage } from '../../core/storage/evidence-storage';
import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Progress reports, co-unit contributions and evidence files (API side). */
@Module({
  imports: [OrgDataModule, PlansModule],
  controllers: [ReportsController],
  providers: [
    ReportsRepository,
    ReportsService,
    {
      provide: EvidenceStorage,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => new LocalDiskStorage(c.evidence.dir),
    },
  ],
})
export class ReportsModule {}
