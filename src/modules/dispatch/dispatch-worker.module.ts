import { Module } from '@nestjs/common';

import { OrgDataModule } from '../org/org-data.module';
import { PlansDataModule } from '../plans/plans-data.module';
import { RollupDataModule } from '../rollup/rollup-data.module';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';
import { PackExportProcessor, PackExportSweeper } from './pack-export.processor';
import { PackExportsRepository } from './pack-exports.repository';

/** Worker-only: generates dispatch-pack exports (xlsx, docx with charts). */
@Module({
  imports: [OrgDataModule, PlansDataModule, RollupDataModule],
  providers: [
    DispatchRepository,
    DispatchService,
    PackExportsRepository,
    PackExportProcessor,
    PackExportSweeper,
  ],
})
export class DispatchWorkerModule {}
