import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { shanghaiDate } from '../../core/calendar/shanghai';
import { Clock } from '../../core/clock/clock';
import { PlanErrors } from '../plans/plans.errors';
import { PlansRepository } from '../plans/plans.repository';
import { competitionRanks, QUARTILE_BAND, quartileOf, unitScore } from './domain/scoreboard';
import { ScoreboardDto, UnitStandingDto } from './dto/scoreboard.dto';
import { RollupRepository, UnitStatsRow } from './rollup.repository';

const pct = (a: number, b: number) => (b === 0 ? null : (a / b) * 100);
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** Units ranked by their items' results: counts from SQL, score and rank by the documented formula. */
@Injectable()
export class ScoreboardService {
  constructor(
    private readonly rollup: RollupRepository,
    private readonly plans: PlansRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async scoreboard(actor: Actor, planId: string): Promise<ScoreboardDto> {
    const plan = await this.plans.getPlan(actor.organizationId, planId);
    if (!plan) throw PlanErrors.planNotFound();
    const settings = await this.plans.settings(this.plans.manager(), planId);
    const today = shanghaiDate(this.clock.now());
    const rows = await this.rollup.unitStats(planId, today, settings.onTimeBasis);
    return {
      asOf: today,
      lead: this.standings(rows.filter((r) => r.role === 'lead')),
      co: this.standings(rows.filter((r) => r.role === 'co')),
    };
  }

  private standings(rows: UnitStatsRow[]): UnitStandingDto[] {
    const figures = rows.map((r) => ({
      completion: r.completionMean,
      onTimeClose: pct(r.closedOnTime, r.dueForClose),
      reportOnTime: pct(r.reportsOnTime, r.reportsDue),
      red: pct(r.red, r.items),
    }));
    const scores = figures.map((f) => unitScore(f));
    const ranks = competitionRanks(scores);
    const ranked = ranks.filter((r) => r !== null).length;
    return rows
      .map((r, i): UnitStandingDto => {
        const rank = ranks[i];
        const quartile = rank === null ? null : quartileOf(rank, ranked);
        return {
          unitId: r.unitId,
          unitName: r.unitName,
          rank,
          quartile,
          band: quartile === null ? null : QUARTILE_BAND[quartile],
          score: scores[i],
          items: r.items,
          closed: r.closed,
          closedOnTime: r.closedOnTime,
          overdue: r.overdue,
          red: r.red,
          yellow: r.yellow,
          green: r.green,
          completionMean: r2(r.completionMean),
          onTimeClosePercent: r2(figures[i].onTimeClose),
          reportOnTimePercent: r2(figures[i].reportOnTime),
        };
      })
      .sort(
        (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unitName.localeCompare(b.unitName, 'zh'),
      );
  }
}
