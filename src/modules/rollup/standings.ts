import { competitionRanks, QUARTILE_BAND, quartileOf, unitScore } from './domain/scoreboard';
import { ScoreWeights } from './domain/types';
import { UnitStandingDto } from './dto/scoreboard.dto';
import { UnitStatsRow } from './rollup.repository';

const pct = (a: number, b: number) => (b === 0 ? null : (a / b) * 100);
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** Score, competition rank and quartile band of each unit, from its counts (docs/ROLLUP.md). */
export function standings(rows: UnitStatsRow[], weights: Partial<ScoreWeights> = {}): UnitStandingDto[] {
  const figures = rows.map((r) => ({
    completion: r.completionMean,
    onTimeClose: pct(r.closedOnTime, r.dueForClose),
    reportOnTime: pct(r.reportsOnTime, r.reportsDue),
    red: pct(r.red, r.items),
  }));
  const scores = figures.map((f) => unitScore(f, weights));
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
