/** How far one 量化指标 has got, as a percentage for the red/yellow/green lights and the meeting pack. */
import type { TargetSpec } from './types';

function clampPercent(x: number): number {
  // Two decimals: enough for display and ranking, and it hides binary noise (59.99999999999999).
  return Number(Math.min(100, Math.max(0, x)).toFixed(2));
}

/** Share of the required change achieved; a target at or behind its starting point is simply met or not. */
function share(done: number, needed: number, met: boolean): number {
  if (needed <= 0) return met ? 100 : 0;
  return clampPercent((done / needed) * 100);
}

/**
 * Progress of `t` in percent (0..100), `actual` being the cumulative figure in the target's own unit.
 *
 * - redacted target (value null): null, there is nothing to measure against;
 * - no actual reported yet (null): 0, nothing has been shown to be done;
 * - a non-finite actual: null, bad data is not progress;
 * - increase: (actual − baseline) / (value − baseline), baseline 0 when absent; "=" and "≥" read the same;
 * - range (1～2 个, always increase): the same against the LOWER bound (value), so it is 100 inside the range;
 *   above the upper bound it stays 100: the duty was met, and doing more is not behind (the upper bound is
 *   shown beside the actual, not scored);
 * - decrease with baseline: (baseline − actual) / (baseline − value);
 * - decrease without baseline, "≤": 100 once actual ≤ value, else value / actual;
 * - decrease without baseline, "≥" or "=" (下降 ≥ 10 %): the figure is the amount cut, so actual / value.
 */
export function targetProgress(t: TargetSpec, actual: number | null): number | null {
  if (t.value === null) return null;
  if (actual === null) return 0;
  if (!Number.isFinite(actual)) return null;
  const value = t.value;
  const baseline = t.baseline ?? null;

  if (t.direction === 'increase' || t.comparator === 'range') {
    const from = baseline ?? 0;
    return share(actual - from, value - from, actual >= value);
  }
  if (baseline !== null) return share(baseline - actual, baseline - value, actual <= value);
  if (t.comparator === '<=') return actual <= value ? 100 : clampPercent((value / actual) * 100);
  return share(actual, value, actual >= value);
}
