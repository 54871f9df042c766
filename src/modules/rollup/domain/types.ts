/**
 * Shared vocabulary of the roll-up rules (红黄绿灯, 完成率, 序时进度, 考核排名) and the plan settings that tune them.
 * Pure types and defaults; the rules themselves live next door. docs/ROLLUP.md states them for users.
 */
import type { ExpectedState } from '../../cycles/domain/expected-reports';

export const LIGHTS = ['red', 'yellow', 'green'] as const;
export type Light = (typeof LIGHTS)[number];

export const LIGHT_ZH: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' };

/** Worst first: the order in which a parent picks its light from its children. */
export const LIGHT_SEVERITY: Record<Light, number> = { red: 3, yellow: 2, green: 1 };

/** 'targets': mean of 量化指标 progress when any can be measured; 'percent': the approved percent only. */
export type CompletionBasis = 'targets' | 'percent';

/** Which deadline "closed on time" (按期销号) is judged against: before or after an approved extension. */
export type OnTimeBasis = 'original' | 'extended';

export interface LightThresholds {
  /** Yellow when 序时进度 − 完成率 is more than this many percentage points. */
  lagPoints: number;
  /** "Near the deadline": at most this many working days left after today. */
  nearDeadlineWorkdays: number;
  /** Near the deadline and below this percent → yellow. */
  nearDeadlineMinPercent: number;
}

/**
 * score = completion·完成率 + onTimeClose·按期销号率·100 + reportOnTime·按时报送率·100 − redPenalty·红灯占比·100,
 * clamped to 0..100. The three positive weights sum to 1 by default so a perfect unit scores 100.
 */
export interface ScoreWeights {
  completion: number;
  onTimeClose: number;
  reportOnTime: number;
  redPenalty: number;
}

export interface RollupSettings {
  completionBasis: CompletionBasis;
  onTimeBasis: OnTimeBasis;
  thresholds: LightThresholds;
  scoreWeights: ScoreWeights;
}

/** A plan's stored settings: anything left out takes the default. */
export interface RollupSettingsInput {
  completionBasis?: CompletionBasis;
  onTimeBasis?: OnTimeBasis;
  thresholds?: Partial<LightThresholds>;
  scoreWeights?: Partial<ScoreWeights>;
}

export const DEFAULT_LIGHT_THRESHOLDS: Readonly<LightThresholds> = Object.freeze({
  lagPoints: 20,
  nearDeadlineWorkdays: 10,
  nearDeadlineMinPercent: 80,
});

export const DEFAULT_SCORE_WEIGHTS: Readonly<ScoreWeights> = Object.freeze({
  completion: 0.5,
  onTimeClose: 0.2,
  reportOnTime: 0.3,
  redPenalty: 0.2,
});

export const DEFAULT_ROLLUP_SETTINGS: Readonly<RollupSettings> = Object.freeze({
  completionBasis: 'targets',
  onTimeBasis: 'original',
  thresholds: DEFAULT_LIGHT_THRESHOLDS,
  scoreWeights: DEFAULT_SCORE_WEIGHTS,
});

/** One reporting period an item owes (from expectedReports), as far as the lights and rates need it. */
export interface ReportStatus {
  /** Period key: 'YYYY-MM', 'YYYY-Www', 'YYYY-Qn' or 'YYYY'. */
  key: string;
  state: ExpectedState;
  /** Due day 'YYYY-MM-DD'. */
  due: string;
}

/** Two decimals, like targetProgress: enough for display and ranking, and free of binary noise. */
export function round2(x: number): number {
  return Number(x.toFixed(2));
}

export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

/** "60", "62.5": a percent or point figure as users read it, without trailing zeros. */
export function formatNumber(x: number): string {
  return String(round2(x));
}

/** Defaults overridden by the given fields; an explicit undefined keeps the default (a plain spread would not). */
export function withDefaults<T extends object>(defaults: Readonly<T>, given: Partial<T> | undefined): T {
  const result: T = { ...defaults } as T;
  for (const key of Object.keys(given ?? {}) as (keyof T)[]) {
    const value = given?.[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * Checks a plan's roll-up settings; returns the first problem in Chinese (settings are edited by the dispatch
 * office, so the message may reach a user), or null when they are usable.
 */
export function checkRollupSettings(input: RollupSettingsInput): string | null {
  if (input.completionBasis !== undefined && !['targets', 'percent'].includes(input.completionBasis)) {
    return '完成率口径只能是“量化指标”（targets）或“填报完成率”（percent）';
  }
  if (input.onTimeBasis !== undefined && !['original', 'extended'].includes(input.onTimeBasis)) {
    return '按期销号口径只能是“原完成时限”（original）或“延期后完成时限”（extended）';
  }
  const t = input.thresholds ?? {};
  if (
    t.lagPoints !== undefined &&
    !(Number.isFinite(t.lagPoints) && t.lagPoints >= 0 && t.lagPoints <= 100)
  ) {
    return '滞后黄灯阈值须为 0 至 100 之间的百分点数';
  }
  if (
    t.nearDeadlineWorkdays !== undefined &&
    !(Number.isInteger(t.nearDeadlineWorkdays) && t.nearDeadlineWorkdays >= 0)
  ) {
    return '临近完成时限的工作日数须为非负整数';
  }
  if (
    t.nearDeadlineMinPercent !== undefined &&
    !(
      Number.isFinite(t.nearDeadlineMinPercent) &&
      t.nearDeadlineMinPercent >= 0 &&
      t.nearDeadlineMinPercent <= 100
    )
  ) {
    return '临近完成时限的最低完成率须为 0 至 100 之间的数';
  }
  const w = withDefaults(DEFAULT_SCORE_WEIGHTS, input.scoreWeights);
  if (Object.values(w).some((x) => !Number.isFinite(x) || x < 0)) return '考核得分权重须为非负数';
  if (w.completion + w.onTimeClose + w.reportOnTime <= 0) {
    return '完成率、按期销号率、按时报送率的权重不能全为 0';
  }
  return null;
}

/** The plan's settings with defaults filled in; throws a RangeError (Chinese message) when they are unusable. */
export function resolveRollupSettings(input: RollupSettingsInput = {}): RollupSettings {
  const problem = checkRollupSettings(input);
  if (problem !== null) throw new RangeError(problem);
  return {
    completionBasis: input.completionBasis ?? DEFAULT_ROLLUP_SETTINGS.completionBasis,
    onTimeBasis: input.onTimeBasis ?? DEFAULT_ROLLUP_SETTINGS.onTimeBasis,
    thresholds: withDefaults(DEFAULT_LIGHT_THRESHOLDS, input.thresholds),
    scoreWeights: withDefaults(DEFAULT_SCORE_WEIGHTS, input.scoreWeights),
  };
}
