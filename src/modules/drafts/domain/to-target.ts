/**
 * A draft's target (as read from the report) → the plan's TargetSpec, when a draft is published.
 * Pure: no Nest, no TypeORM.
 */
import type { TargetSpec } from '../../plans/domain/types';
import type { DraftTarget } from './types';

const NUMBER = /^-?\d+(\.\d+)?$/;

/** "1.5" → 1.5; a redaction ("x.x") or anything not a plain number → null, kept as text. */
function readValue(raw: number | string): { value: number | null; valueText: string } {
  if (typeof raw === 'number') return { value: raw, valueText: String(raw) };
  const text = raw.trim();
  return NUMBER.test(text)
    ? { value: Number(text), valueText: String(Number(text)) }
    : { value: null, valueText: text };
}

export function toTargetSpec(t: DraftTarget): TargetSpec {
  const base = { metric: t.metric.trim(), unit: (t.unit ?? '').trim() };
  if (t.comparator === 'range') {
    // TODO(range): the model gains the 'range' comparator with `upper`/`upperText` (issue 17, "What 2");
    // until then a range keeps its lower bound as a ≥ target, as the seeds do.
    const lower = String(t.value).split('-')[0];
    return { ...base, comparator: '>=', ...readValue(lower), baseline: null, direction: 'increase' };
  }
  return {
    ...base,
    comparator: t.comparator,
    ...readValue(t.value),
    baseline: null,
    // A ≤ target is about keeping something down (积压、发案), as the breakdown sheet reads it.
    direction: t.comparator === '<=' ? 'decrease' : 'increase',
  };
}
