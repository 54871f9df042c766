/**
 * 考核排名: each unit's figures as lead unit (牵头) and, separately, as co-unit (配合), a score by a
 * configurable formula, a standard competition rank within the organization and a quartile colour.
 */
import { isValidDate } from '../../../core/calendar/dates';
import type { ExpectedState } from '../../cycles/domain/expected-reports';
import type { ItemStatus } from '../../plans/domain/types';
import { isExcluded, isOverdue } from './light';
import type { Light, OnTimeBasis, RollupSettingsInput, ScoreWeights } from './types';
import { DEFAULT_SCORE_WEIGHTS, clamp, resolveRollupSettings, round2, withDefaults } from './types';

export type UnitRole = 'lead' | 'co';

export interface ScoreItem {
  leadUnitId: string;
  coUnitIds: readonly string[];
  status: ItemStatus;
  weight: number;
  /** 完成时限 in force (after any approved extension). */
  deadline: string;
  /** The deadline before the first approved extension; null when it was never extended. */
  originalDeadline: string | null;
  /** Asia/Shanghai day of the 销号; null when not closed. */
  closedOn: string | null;
  /** 完成率 0..100 (itemCompletion). */
  completion: number;
  light: Light | null;
  /** The reports the item owes so far (expectedReports); only on_time, late and missing are counted. */
  reports: readonly { state: ExpectedState }[];
}

export interface UnitRoleStats {
  /** Items counted (cancelled and suspended left out). */
  items: number;
  closed: number;
  /** Closed on or before the scoring deadline (original or extended, per the plan's onTimeBasis). */
  closedOnTime: number;
  /** Items that should be closed by now: closed ones plus open ones past the scoring deadline. */
  dueForClose: number;
  /** closedOnTime / dueForClose in percent; null when nothing is due for closing yet. */
  onTimeClosePercent: number | null;
  /** Open items past the deadline in force today. */
  overdue: number;
  red: number;
  yellow: number;
  green: number;
  /** red / items in percent; null without items. */
  redSharePercent: number | null;
  /** Reports whose due day has come: on_time + late + missing. */
  reportsDue: number;
  reportsOnTime: number;
  /** on_time / (on_time + late + missing) in percent; null when no report was due. */
  reportOnTimePercent: number | null;
  /** Weight-weighted mean 完成率 (closed = 100); null without items. */
  completionMean: number | null;
  /** 0..100, two decimals; null without items. */
  score: number | null;
}

export type Quartile = 1 | 2 | 3 | 4;

export interface UnitStanding extends UnitRoleStats {
  unitId: string;
  /** Standard competition rank (1, 2, 2, 4) by score; null for a unit without items in this role. */
  rank: number | null;
  quartile: Quartile | null;
  /** Quartile colour: 1 → green, 2 and 3 → yellow, 4 → red. */
  band: Light | null;
}

export interface Scoreboard {
  /** As lead unit (牵头单位), best first; units without such items last, in input order. */
  lead: UnitStanding[];
  /** As co-unit (配合单位), likewise. */
  co: UnitStanding[];
}

function scoringDeadline(item: ScoreItem, basis: OnTimeBasis): string {
  return basis === 'original' ? (item.originalDeadline ?? item.deadline) : item.deadline;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

interface RawStats {
  stats: Omit<UnitRoleStats, 'score'>;
  /** Unrounded rates for the score, so rounding happens once. */
  exact: {
    completion: number | null;
    onTimeClose: number | null;
    reportOnTime: number | null;
    red: number | null;
  };
}

function collect(items: readonly ScoreItem[], today: string, basis: OnTimeBasis): RawStats {
  const s = { items: 0, closed: 0, closedOnTime: 0, dueForClose: 0, overdue: 0, red: 0, yellow: 0, green: 0 };
  let reportsDue = 0;
  let reportsOnTime = 0;
  let weight = 0;
  let weighted = 0;
  for (const item of items) {
    if (!Number.isFinite(item.weight) || item.weight <= 0) {
      throw new RangeError(`item weight must be a positive number, got ${item.weight}`);
    }
    if (isExcluded(item.status)) continue;
    s.items++;
    weight += item.weight;
    weighted += item.weight * (item.status === 'closed' ? 100 : item.completion);
    const due = scoringDeadline(item, basis);
    if (item.status === 'closed') {
      s.closed++;
      s.dueForClose++;
      // A closed item without its close-out day cannot be shown to be on time.
      if (item.closedOn !== null && item.closedOn <= due) s.closedOnTime++;
    } else if (due < today) {
      s.dueForClose++;
    }
    if (isOverdue(item.status, item.deadline, today)) s.overdue++;
    if (item.light !== null) s[item.light]++;
    for (const r of item.reports) {
      if (r.state === 'on_time' || r.state === 'late' || r.state === 'missing') reportsDue++;
      if (r.state === 'on_time') reportsOnTime++;
    }
  }
  const exact = {
    completion: s.items === 0 ? null : weighted / weight,
    onTimeClose: percent(s.closedOnTime, s.dueForClose),
    reportOnTime: percent(reportsOnTime, reportsDue),
    red: percent(s.red, s.items),
  };
  const r = (x: number | null): number | null => (x === null ? null : round2(x));
  return {
    stats: {
      ...s,
      onTimeClosePercent: r(exact.onTimeClose),
      redSharePercent: r(exact.red),
      reportsDue,
      reportsOnTime,
      reportOnTimePercent: r(exact.reportOnTime),
      completionMean: r(exact.completion),
    },
    exact,
  };
}

/**
 * score = w.completion·完成率 + w.onTimeClose·按期销号率 + w.reportOnTime·按时报送率 − w.redPenalty·红灯占比,
 * all figures in percent, clamped to 0..100 and rounded to two decimals.
 *
 * A rate that does not exist yet (nothing due for closing, no report due) hands its weight to the other
 * positive terms in proportion, so early in the year a unit is scored on what can be judged rather than
 * given 0 or 100 for what cannot. Null without items, or when no positive term with a weight is available.
 */
export function unitScore(
  figures: {
    completion: number | null;
    onTimeClose: number | null;
    reportOnTime: number | null;
    red: number | null;
  },
  weights: Partial<ScoreWeights> = {},
): number | null {
  const w = withDefaults(DEFAULT_SCORE_WEIGHTS, weights);
  if (figures.completion === null) return null;
  const terms: [number, number | null][] = [
    [w.completion, figures.completion],
    [w.onTimeClose, figures.onTimeClose],
    [w.reportOnTime, figures.reportOnTime],
  ];
  const all = terms.reduce((sum, [weight]) => sum + weight, 0);
  const available = terms.filter((t): t is [number, number] => t[1] !== null);
  const availableWeight = available.reduce((sum, [weight]) => sum + weight, 0);
  if (availableWeight === 0) return null;
  const positive = (available.reduce((sum, [weight, x]) => sum + weight * x, 0) / availableWeight) * all;
  const score = positive - w.redPenalty * (figures.red ?? 0);
  return round2(clamp(score, 0, 100));
}

/** Standard competition ranking ("1, 2, 2, 4"), higher first; equal scores share a rank; null stays unranked. */
export function competitionRanks(scores: readonly (number | null)[]): (number | null)[] {
  return scores.map((s) => (s === null ? null : 1 + scores.filter((o) => o !== null && o > s).length));
}

/**
 * Quartile of a rank among `ranked` units by the share of units placed strictly ahead of it:
 * under 25 % → 1, under 50 % → 2, under 75 % → 3, else 4; i.e. floor(4·(rank − 1) / ranked) + 1.
 * With fewer than four units no one reaches quartile 4: a single unit is in quartile 1, two units are in 1
 * and 3, three units in 1, 2 and 3. Tied units share their rank and so their quartile.
 */
export function quartileOf(rank: number, ranked: number): Quartile {
  if (!Number.isInteger(rank) || !Number.isInteger(ranked) || rank < 1 || rank > ranked) {
    throw new RangeError(`rank ${rank} out of 1..${ranked}`);
  }
  return (Math.floor((4 * (rank - 1)) / ranked) + 1) as Quartile;
}

/** Quartile colour: the top quarter green, the middle two yellow, the bottom quarter red. */
export const QUARTILE_BAND: Record<Quartile, Light> = { 1: 'green', 2: 'yellow', 3: 'yellow', 4: 'red' };

export interface ScoreboardInput {
  /** The organization's units to rank, in display order; units met only in items are appended. */
  unitIds: readonly string[];
  items: readonly ScoreItem[];
  /** Asia/Shanghai calendar day 'YYYY-MM-DD'. */
  today: string;
  settings?: RollupSettingsInput;
}

/** One unit's figures in one role (without rank). */
export function unitRoleStats(
  unitId: string,
  role: UnitRole,
  items: readonly ScoreItem[],
  today: string,
  settings: RollupSettingsInput = {},
): UnitRoleStats {
  const resolved = resolveRollupSettings(settings);
  const mine = items.filter((i) =>
    role === 'lead' ? i.leadUnitId === unitId : i.coUnitIds.includes(unitId),
  );
  const { stats, exact } = collect(mine, today, resolved.onTimeBasis);
  return { ...stats, score: unitScore(exact, resolved.scoreWeights) };
}

function board(
  unitIds: readonly string[],
  role: UnitRole,
  items: readonly ScoreItem[],
  today: string,
  settings: RollupSettingsInput,
): UnitStanding[] {
  const stats = unitIds.map((id) => unitRoleStats(id, role, items, today, settings));
  const ranks = competitionRanks(stats.map((s) => s.score));
  const ranked = ranks.filter((r) => r !== null).length;
  const rows = stats.map((s, i): UnitStanding => {
    const rank = ranks[i];
    const quartile = rank === null ? null : quartileOf(rank, ranked);
    return {
      unitId: unitIds[i],
      ...s,
      rank,
      quartile,
      band: quartile === null ? null : QUARTILE_BAND[quartile],
    };
  });
  // Listing order only: rank first, then input order; it breaks no tie, tied units keep one rank.
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => (a.row.rank ?? Infinity) - (b.row.rank ?? Infinity) || a.index - b.index)
    .map(({ row }) => row);
}

/** The organization's scoreboard on `today`, as lead unit and as co-unit. */
export function buildScoreboard(input: ScoreboardInput): Scoreboard {
  if (!isValidDate(input.today)) throw new RangeError(`invalid date "${input.today}", expected YYYY-MM-DD`);
  const settings = input.settings ?? {};
  resolveRollupSettings(settings);
  // A unit seen only in items is still ranked: leaving it out would hide its results.
  const unitIds = [...input.unitIds];
  const known = new Set(unitIds);
  for (const item of input.items) {
    for (const id of [item.leadUnitId, ...item.coUnitIds]) {
      if (!known.has(id)) {
        known.add(id);
        unitIds.push(id);
      }
    }
  }
  // One item names a co-unit once, however the list was written.
  const items = input.items.map((i) => ({ ...i, coUnitIds: [...new Set(i.coUnitIds)] }));
  return {
    lead: board(unitIds, 'lead', items, input.today, settings),
    co: board(unitIds, 'co', items, input.today, settings),
  };
}
