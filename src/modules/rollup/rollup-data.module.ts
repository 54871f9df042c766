import { Module } from '@nestjs/common';

import { RollupRepository } from './rollup.repository';

/** Read access to computed figures, for the API. */
@Module({ providers: [RollupRepository], exports: [RollupRepository] })
export class RollupDataModule {}
