import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { PlanErrors } from '../plans/plans.errors';
import { PlansRepository } from '../plans/plans.repository';
import { ScoreboardDto, TrendDto } from './dto/scoreboard.dto';
import { RollupRepository } from './rollup.repository';
import { standings } from './standings';

/** Units ranked by their items' results: counts from SQL, score and rank by the documented formula. */
@Injectable()
export class ScoreboardService {
  constructor(
    private readonly rollup: RollupRepository,
    private readonly plans: PlansRepository,
    private readonly clock: Clock,
  ) {}

  async scoreboard(actor: Actor, planId: string): Promise<ScoreboardDto> {
    const plan = await this.plans.getPlan(actor.organizationId, planId);
    if (!plan) throw PlanErrors.planNotFound();
    const settings = await this.plans.settings(this.plans.manager(), planId);
    const today = await this.clock.today();
    const rows = await this.rollup.unitStats(planId, today, settings.onTimeBasis);
    return {
      asOf: today,
      lead: standings(
        rows.filter((r) => r.role === 'lead'),
        settings.scoreWeights,
      ),
      co: standings(
        rows.filter((r) => r.role === 'co'),
        settings.scoreWeights,
      ),
    };
  }

  async trend(actor: Actor, planId: string): Promise<TrendDto> {
    const plan = await this.plans.getPlan(actor.organizationId, planId);
    if (!plan) throw PlanErrors.planNotFound();
    return { points: await this.rollup.trend(actor.organizationId, planId) };
  }
}
