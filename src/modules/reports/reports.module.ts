import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppConfig } from '../../core/config/app-config';
import { EvidenceStorage } from '../../core/storage/evidence-storage';
import { createEvidenceStorage } from '../../core/storage/postgres-evidence-storage';
import { OrgDataModule } from '../org/org-data.module';
import { PlansModule } from '../plans/plans.module';
import { NoticesModule } from '../reminders/notices.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { RequestsController } from './requests.controller';
import { RequestsRepository } from './requests.repository';
import { RequestsService } from './requests.service';

/** Progress reports, co-unit contributions, evidence files, deadline extensions and close-out (API side). */
@Module({
  imports: [OrgDataModule, PlansModule, NoticesModule],
  controllers: [ReportsController, RequestsController],
  providers: [
    ReportsRepository,
    ReportsService,
    RequestsRepository,
    RequestsService,
    {
      provide: EvidenceStorage,
      inject: [AppConfig, getDataSourceToken()],
      useFactory: (c: AppConfig, ds: DataSource) =>
        createEvidenceStorage(c.evidence.storage, ds, c.evidence.dir),
    },
  ],
})
export class ReportsModule {}
