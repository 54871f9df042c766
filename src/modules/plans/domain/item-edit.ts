/**
 * Who may change which of an item's fields (docs/PERMISSIONS.md). Some fields are the plan's
 * commitment (计划内容): what is to be done by when, how it counts and who answers for it. Once
 * the plan is published they are changed only by admins and the dispatch office (a unit asks for a
 * later deadline through 延期申请); the rest is the lead unit's way of working, which its head keeps.
 */

/** The plan-level fields of an item, with the names users read. */
export const PLAN_FIELDS = {
  title: '标题',
  startDate: '开始日期',
  deadline: '完成时限',
  cadence: '工作频次',
  weight: '权重',
  targets: '量化指标',
  milestones: '月度节点',
  responsibleLeaderId: '责任领导',
  taskId: '所属重点任务',
  sortOrder: '顺序',
} as const;
export type PlanField = keyof typeof PLAN_FIELDS;

export interface ItemEditor {
  /** Admin or dispatch office. */
  office: boolean;
  planStatus: 'draft' | 'published' | 'archived';
}

/** An item's plan-level values, comparable: targets as their formatted text, weight as a number. */
export interface PlanFieldValues {
  title: string;
  startDate: string;
  deadline: string;
  cadence: string;
  weight: number;
  responsibleLeaderId: string;
  taskId: string;
  sortOrder: number;
  milestones: readonly { month: string; percent: number }[];
  targets: readonly string[];
}

const milestonesKey = (list: PlanFieldValues['milestones']) =>
  [...list]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((m) => `${m.month}:${m.percent}`)
    .join(',');

/**
 * The plan-level fields an edit would really change: forms send whole records back, and a value
 * sent unchanged is no change (so it is not refused either).
 */
export function changedPlanFields(before: PlanFieldValues, edit: Partial<PlanFieldValues>): PlanField[] {
  return (Object.keys(PLAN_FIELDS) as PlanField[]).filter((f) => {
    const now = edit[f];
    if (now === undefined) return false;
    if (f === 'milestones')
      return milestonesKey(now as PlanFieldValues['milestones']) !== milestonesKey(before.milestones);
    if (f === 'targets') return JSON.stringify(now) !== JSON.stringify(before.targets);
    if (f === 'title') return (now as string).trim() !== before.title;
    return now !== before[f];
  });
}

/**
 * The changed fields this editor may not change. While the plan is a draft the breakdown is still
 * being drawn up with the units, so their heads may shape it; from publication on it binds them.
 */
export function refusedFields(changed: readonly PlanField[], editor: ItemEditor): PlanField[] {
  if (editor.office || editor.planStatus === 'draft') return [];
  return [...changed];
}

/** The refusal in the words a head reads: the fields, who decides, and 延期申请 for the deadline. */
export function refusalMessage(fields: readonly PlanField[]): string {
  const names = fields.map((f) => PLAN_FIELDS[f]).join('、');
  const base = `${names}属于计划内容，计划发布后只能由督查室或系统管理员修改`;
  return fields.includes('deadline') ? `${base}；需要推迟完成时限请提交延期申请` : base;
}

/**
 * The deadline on record as the first one after a deadline change. On-time scoring and the record
 * of extensions compare with the deadline the plan was published with, so the first change after
 * publication keeps it; in a draft plan nothing has been promised yet.
 */
export function originalDeadlineAfter(
  item: { deadline: string; originalDeadline: string | null },
  deadline: string,
  planStatus: ItemEditor['planStatus'],
): string | null {
  if (planStatus === 'draft' || deadline === item.deadline) return item.originalDeadline;
  return item.originalDeadline ?? item.deadline;
}
