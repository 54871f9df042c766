/** Shared vocabulary of the plans domain (names from shared/GLOSSARY.md). Pure types, no Nest/TypeORM. */

export const CADENCES = ['once', 'weekly', 'monthly', 'quarterly', 'annual', 'ongoing'] as const;
export type Cadence = (typeof CADENCES)[number];

export const CADENCE_ZH: Record<Cadence, string> = {
  once: '一次性',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  annual: '每年',
  ongoing: '常态化',
};

export const ITEM_STATUSES = [
  'draft',
  'assigned',
  'in_progress',
  'awaiting_closeout',
  'closed',
  'suspended',
  'cancelled',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_STATUS_ZH: Record<ItemStatus, string> = {
  draft: '草稿',
  assigned: '已分派',
  in_progress: '推进中',
  awaiting_closeout: '待销号',
  closed: '已销号',
  suspended: '已暂停',
  cancelled: '已取消',
};

/** 'range' (1～2 个): value is the lower bound, upper the upper one; done once inside the range. */
export const COMPARATORS = ['>=', '<=', '=', 'range'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const DIRECTIONS = ['increase', 'decrease'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * A quantitative target (量化指标). `value` is null when the source text is redacted ("x.x"): then `valueText` holds
 * it. A 'range' target (1～2 个) keeps its lower bound in value/valueText and its upper bound in upper/upperText
 * (null + "x" when redacted); the upper fields are present only for 'range', which is always an increase.
 */
export interface TargetSpec {
  metric: string;
  comparator: Comparator;
  value: number | null;
  valueText: string;
  upper?: number | null;
  upperText?: string;
  unit: string;
  baseline?: number | null;
  direction: Direction;
}
