import { Module } from '@nestjs/common';

import { CyclesRepository } from './cycles.repository';

/** The calendar and cycle queries without controllers, so plans can open cycles when published. */
@Module({ providers: [CyclesRepository], exports: [CyclesRepository] })
export class CyclesDataModule {}
