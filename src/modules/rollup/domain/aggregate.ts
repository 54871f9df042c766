/**
 * Roll-up of items to key tasks (重点任务), sections (部分) and the plan.
 *
 * Completion is weighted over all leaves: a parent's weight is the sum of its items' weights and its
 * completion is Σ weight·完成率 / Σ weight over its items. That is the same number as the weight-weighted mean
 * of its children when each child weighs the sum of its own items' weights, so task → section → plan can be
 * read either way. Chosen over "weighted among siblings" (each task equal within its section) because items
 * are the only things a plan gives weights to: a task of twelve items must not count the same as a task of
 * one, and regrouping items under other tasks must not change the plan's figure.
 */
import type { ItemStatus } from '../../plans/domain/types';
import { isExcluded, worseLight } from './light';
import type { Light } from './types';
import { round2 } from './types';

export interface RollupLeaf {
  taskId: string;
  status: ItemStatus;
  /** The item's weight (> 0); 1 unless the plan says otherwise. */
  weight: number;
  /** 完成率 0..100 (itemCompletion; 100 for closed). */
  completion: number;
  /** 序时进度 0..100 (expectedProgress). */
  expected: number;
  /** The item's light (itemLight); null for cancelled and suspended items. */
  light: Light | null;
}

export interface LightCounts {
  red: number;
  yellow: number;
  green: number;
}

export interface RollupSummary {
  /** Items counted: neither cancelled nor suspended. */
  items: number;
  /** Cancelled and suspended items left out. */
  excluded: number;
  /** Sum of the counted items' weights. */
  weight: number;
  /** Weighted mean 完成率 of the counted items (two decimals); null when none is counted. */
  completion: number | null;
  /** Weighted mean 序时进度 of the counted items, same weights; null when none is counted. */
  expected: number | null;
  /** Worst light of the counted items; null when none is counted. */
  light: Light | null;
  /** Counted items per colour. */
  counts: LightCounts;
}

function assertWeight(w: number): void {
  if (!Number.isFinite(w) || w <= 0) throw new RangeError(`item weight must be a positive number, got ${w}`);
}

/** Summary of any set of items (a task's, a section's, a plan's, or a filtered list). */
export function summarize(leaves: readonly RollupLeaf[]): RollupSummary {
  const counts: LightCounts = { red: 0, yellow: 0, green: 0 };
  let items = 0;
  let excluded = 0;
  let weight = 0;
  let weighted = 0;
  let weightedExpected = 0;
  let light: Light | null = null;
  for (const leaf of leaves) {
    assertWeight(leaf.weight);
    if (isExcluded(leaf.status)) {
      excluded++;
      continue;
    }
    items++;
    weight += leaf.weight;
    // Closed counts as done whatever the last report said.
    weighted += leaf.weight * (leaf.status === 'closed' ? 100 : leaf.completion);
    weightedExpected += leaf.weight * leaf.expected;
    if (leaf.light !== null) counts[leaf.light]++;
    light = worseLight(light, leaf.light);
  }
  return {
    items,
    excluded,
    weight: round2(weight),
    completion: items === 0 ? null : round2(weighted / weight),
    expected: items === 0 ? null : round2(weightedExpected / weight),
    light,
    counts,
  };
}

export interface PlanStructure {
  sections: readonly { id: string; tasks: readonly { id: string }[] }[];
}

export interface TaskRollup extends RollupSummary {
  taskId: string;
}

export interface SectionRollup extends RollupSummary {
  sectionId: string;
  tasks: TaskRollup[];
}

export interface PlanRollup {
  plan: RollupSummary;
  sections: SectionRollup[];
}

/**
 * Task, section and plan summaries in the structure's order; a section or task without counted items gets
 * completion null and light null. Throws a RangeError for an item whose task is not in the structure, since
 * leaving it out would silently change every figure above it.
 */
export function rollUpPlan(structure: PlanStructure, leaves: readonly RollupLeaf[]): PlanRollup {
  const byTask = new Map<string, RollupLeaf[]>();
  for (const s of structure.sections) for (const t of s.tasks) byTask.set(t.id, []);
  for (const leaf of leaves) {
    const list = byTask.get(leaf.taskId);
    if (list === undefined) throw new RangeError(`item of unknown task ${leaf.taskId}`);
    list.push(leaf);
  }
  const sections = structure.sections.map((s): SectionRollup => {
    const tasks = s.tasks.map((t): TaskRollup => ({ taskId: t.id, ...summarize(byTask.get(t.id) ?? []) }));
    return { sectionId: s.id, ...summarize(s.tasks.flatMap((t) => byTask.get(t.id) ?? [])), tasks };
  });
  return { plan: summarize(leaves), sections };
}
