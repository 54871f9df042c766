/** Turns audit rows into sentences a bureau user reads: field names and values in Chinese. */

const ACTION_ZH: Record<string, string> = {
  create: '创建',
  update: '修改',
  move: '移动',
  assign: '分派责任人',
  status: '变更状态',
  delete: '删除',
  copy: '复制',
  publish: '发布',
  archive: '归档',
  close: '关闭',
  cancel: '取消',
  'report-create': '填报进度',
  'report-update': '修改填报',
  submit: '提交填报',
  'report-return': '退回重办',
  'report-approve': '审核通过',
  contribution: '配合单位补充情况',
  evidence: '上传佐证材料',
  'extension-request': '申请延期',
  'extension-approve': '批准延期',
  'extension-refuse': '不批准延期',
  'extension-withdraw': '延期申请自动撤销',
  'closeout-request': '申请销号',
  'closeout-approve': '准予销号',
  'closeout-reject': '驳回销号',
  'closeout-withdraw': '销号申请自动撤销',
  reopen: '重新打开（回头看）',
  remind: '提醒',
  urge: '催办',
  supervise: '督办',
};

/** Technical references that mean nothing to a reader of the history. */
const HIDDEN = new Set(['reportId', 'evidenceId', 'contributionId', 'sha256', 'source']);

const FIELD_ZH: Record<string, string> = {
  title: '标题',
  detail: '具体内容',
  leadUnitId: '牵头单位',
  coUnitIds: '配合单位',
  responsibleLeaderId: '责任领导',
  ownerId: '责任人',
  startDate: '开始日期',
  deadline: '完成时限',
  originalDeadline: '原完成时限',
  cadence: '工作频次',
  weight: '权重',
  tags: '标签',
  milestones: '月度节点',
  orderNumber: '单号',
  overdueWorkdays: '逾期工作日',
  reminder: '内容',
  status: '状态',
  statusReason: '原因',
  reason: '原因',
  taskId: '所属重点任务',
  sortOrder: '顺序',
  targets: '量化指标',
  copiedFrom: '复制自',
  periodKey: '填报周期',
  percent: '完成率',
  progress: '进展情况',
  problems: '存在问题',
  nextSteps: '下步计划',
  comment: '意见',
  filename: '文件',
  actuals: '完成值',
  text: '配合情况',
  requestedDeadline: '申请延至',
  note: '说明',
};

export interface AuditRow {
  id: string;
  at: Date;
  actorName: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export function actionName(action: string): string {
  return ACTION_ZH[action] ?? action;
}

export function fieldName(field: string): string {
  return FIELD_ZH[field] ?? field;
}

/** Renders one value; ids resolve through `names`, codes through `labels`. */
export function displayValue(
  value: unknown,
  names: Map<string, string>,
  labels: Record<string, string>,
): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (Array.isArray(value))
    return value.length ? value.map((v) => displayValue(v, names, labels)).join('、') : '（空）';
  if (typeof value === 'string') return names.get(value) ?? labels[value] ?? value;
  if (typeof value === 'object') {
    // Reported figures: "6000 平方米"; anything else as compact JSON.
    const v = value as { value?: unknown; unit?: unknown; month?: unknown; percent?: unknown };
    if (v.value !== undefined && v.unit !== undefined) return `${String(v.value)} ${String(v.unit)}`;
    // 月度节点: "2022-06 达到 50%".
    if (v.month !== undefined && v.percent !== undefined)
      return `${String(v.month)} 达到 ${String(v.percent)}%`;
    return JSON.stringify(value);
  }
  return String(value);
}

export function formatShanghai(at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .format(at)
    .replace(/\//g, '-');
}

export function describe(row: AuditRow, names: Map<string, string>, labels: Record<string, string>) {
  const keys = [...new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})])].filter(
    (k) => !HIDDEN.has(k),
  );
  const changes = keys
    .map((field) => ({
      field,
      fieldName: fieldName(field),
      before: displayValue(row.before?.[field], names, labels),
      after: displayValue(row.after?.[field], names, labels),
    }))
    // A field that reads the same before and after (e.g. no reason given either time) is noise.
    .filter((c) => c.before !== c.after || row.action === 'create');
  const what =
    row.action === 'create' || row.action === 'delete'
      ? ''
      : changes.map((c) => `${c.fieldName}由“${c.before}”改为“${c.after}”`).join('；');
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: row.actorName,
    action: row.action,
    actionName: actionName(row.action),
    changes,
    summary: `${formatShanghai(row.at)} ${row.actorName}${actionName(row.action)}${what ? `：${what}` : ''}`,
  };
}
