import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { ReadRouter } from '../../core/database/read-router';
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
    private readonly reads: ReadRouter,
  ) {}

  async scoreboard(actor: Actor, planId: string): Promise<ScoreboardDto> {
    const today = await this.clock.today();
    // A heavy read: the plan, its settings and the unit counts on one database (replica when allowed).
    const { settings, rows } = await this.reads.heavy(actor, async ({ manager }) => {
      const plan = await this.plans.getPlan(actor.organizationId, planId, manager);
      if (!plan) throw PlanErrors.planNotFound();
      const settings = await this.plans.settings(manager, planId);
      return { settings, rows: await this.rollup.unitStats(planId, today, settings.onTimeBasis, manager) };
    });
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
    return this.reads.heavy(actor, async ({ manager }) => {
      const plan = await this.plans.getPlan(actor.organizationId, planId, manager);
      if (!plan) throw PlanErrors.planNotFound();
      return { points: await this.rollup.trend(actor.organizationId, planId, manager) };
    });
  }
}
