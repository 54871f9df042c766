/** 完成率 of one item: how much of it is done, in percent, from its targets or its approved reports. */
import { targetProgress } from '../../plans/domain/progress';
import type { ItemStatus, TargetSpec } from '../../plans/domain/types';
import type { CompletionBasis } from './types';
import { clamp, round2 } from './types';

/** One 量化指标 with its cumulative actual in the target's own unit (null when nothing was reported yet). */
export interface TargetActual {
  target: TargetSpec;
  actual: number | null;
}

export interface CompletionInput {
  status: ItemStatus;
  /** Percent of the latest approved report; null when no report has been approved yet. */
  approvedPercent: number | null;
  targets: readonly TargetActual[];
}

/**
 * Where the figure came from, for the explain view:
 * closed (销号 = 100), targets (mean of measurable targets), percent (approved report), none (nothing yet, 0).
 */
export type CompletionSource = 'closed' | 'targets' | 'percent' | 'none';

export interface ItemCompletion {
  /** 0..100, two decimals. */
  percent: number;
  source: CompletionSource;
  /** Targets that entered the mean (0 unless source is 'targets'). */
  measuredTargets: number;
  /** Targets that cannot be measured (redacted value, or an unusable actual), whatever the basis. */
  unmeasurableTargets: number;
}

/**
 * Completion of an item:
 * - closed: 100;
 * - basis 'targets' and at least one measurable target: the plain mean of their progress (targetProgress:
 *   baseline-aware, decreasing targets supported; a target with nothing reported counts 0);
 * - otherwise the latest approved percent, clamped to 0..100;
 * - nothing approved and nothing measurable: 0, since nothing has been shown to be done (the same reading
 *   targetProgress gives an unreported actual). Callers decide separately whether the item counts at all.
 *
 * Targets are averaged unweighted because a plan gives no weights between one item's targets.
 */
export function itemCompletion(input: CompletionInput, basis: CompletionBasis = 'targets'): ItemCompletion {
  const progress = input.targets.map((t) => targetProgress(t.target, t.actual));
  const measured = progress.filter((p): p is number => p !== null);
  const unmeasurableTargets = progress.length - measured.length;
  const none = { measuredTargets: 0, unmeasurableTargets };

  if (input.status === 'closed') return { percent: 100, source: 'closed', ...none };
  if (basis === 'targets' && measured.length > 0) {
    const mean = measured.reduce((a, b) => a + b, 0) / measured.length;
    return {
      percent: round2(mean),
      source: 'targets',
      measuredTargets: measured.length,
      unmeasurableTargets,
    };
  }
  if (input.approvedPercent !== null && Number.isFinite(input.approvedPercent)) {
    return { percent: round2(clamp(input.approvedPercent, 0, 100)), source: 'percent', ...none };
  }
  return { percent: 0, source: 'none', ...none };
}
