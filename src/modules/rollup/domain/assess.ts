/** One item through all three rules (完成率, 序时进度, 红黄绿灯) with its plan's settings: what a leaf of every roll-up needs. */
import type { WorkCalendar } from '../../../core/calendar/working-days';
import type { ItemStatus } from '../../plans/domain/types';
import type { ItemCompletion, TargetActual } from './completion';
import { itemCompletion } from './completion';
import type { ExpectedProgress, Milestone } from './expected';
import { expectedProgress } from './expected';
import type { ItemLight } from './light';
import { isExcluded, itemLight } from './light';
import type { ReportStatus, RollupSettingsInput } from './types';
import { resolveRollupSettings } from './types';

export interface ItemFacts {
  status: ItemStatus;
  startDate: string;
  /** 完成时限 in force (after any approved extension). */
  deadline: string;
  approvedPercent: number | null;
  targets: readonly TargetActual[];
  milestones?: readonly Milestone[];
  reports: readonly ReportStatus[];
}

export interface AssessContext {
  /** Asia/Shanghai calendar day 'YYYY-MM-DD'. */
  today: string;
  calendar: WorkCalendar;
  /** The plan's roll-up settings; defaults for anything missing. */
  settings?: RollupSettingsInput;
}

export interface ItemAssessment extends ItemLight {
  completion: ItemCompletion;
  expected: ExpectedProgress;
  /** False for cancelled and suspended items, which every roll-up leaves out. */
  counted: boolean;
}

export function assessItem(item: ItemFacts, ctx: AssessContext): ItemAssessment {
  const settings = resolveRollupSettings(ctx.settings);
  const completion = itemCompletion(item, settings.completionBasis);
  const expected = expectedProgress({
    startDate: item.startDate,
    deadline: item.deadline,
    milestones: item.milestones,
    today: ctx.today,
    calendar: ctx.calendar,
  });
  const light = itemLight({
    status: item.status,
    deadline: item.deadline,
    completion: completion.percent,
    expected,
    reports: item.reports,
    today: ctx.today,
    calendar: ctx.calendar,
    thresholds: settings.thresholds,
  });
  return { ...light, completion, expected, counted: !isExcluded(item.status) };
}
