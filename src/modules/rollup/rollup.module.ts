import { Module } from '@nestjs/common';

import { PlansModule } from '../plans/plans.module';
import { RollupDataModule } from './rollup-data.module';
import { ScoreboardController } from './scoreboard.controller';
import { ScoreboardService } from './scoreboard.service';

/** API side of the roll-up: the scoreboard. */
@Module({
  imports: [RollupDataModule, PlansModule],
  controllers: [ScoreboardController],
  providers: [ScoreboardService],
})
export class RollupModule {}
