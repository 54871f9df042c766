import type { CellValue } from 'exceljs';

import type {
  AtRiskItemDto,
  ClosedItemDto,
  DispatchPackDto,
  OverdueItemDto,
  PackStandingDto,
  PreviousActionDto,
  SectionFiguresDto,
  TrendPointDto,
  UnitReportsDto,
} from '../dto/dispatch-pack.dto';
import {
  ESCALATION_ZH,
  FILL_ARGB,
  HIDDEN,
  actionState,
  bandZh,
  itemDetails,
  lightZh,
  zhPeriod,
} from './pack-format';
import { packSummaryProse } from './pack-prose';

export interface ColumnSpec<T> {
  header: string;
  /** Excel character widths; Chinese characters take about two. */
  width: number;
  value: (row: T, index: number) => CellValue;
  numFmt?: string | ((row: T) => string | undefined);
  /** ARGB of a solid fill, or null for none. */
  fill?: (row: T) => string | null;
  wrap?: boolean;
}

export interface SheetSpec<T> {
  name: string;
  columns: ColumnSpec<T>[];
  rows: readonly T[];
  /** Data rows plus the header, for progress. */
  rowCount: number;
  freezeHeader: boolean;
}

const PERCENT = '0.00';
const SIGNED = '+0;-0;0';
const yes = (b: boolean) => (b ? '是' : '');
const fillOf = (colour: string | null) => (colour ? (FILL_ARGB[colour] ?? null) : null);

function sheet<T>(name: string, columns: ColumnSpec<T>[], rows: readonly T[]): SheetSpec<T> {
  return { name, columns, rows, rowCount: rows.length + 1, freezeHeader: true };
}

const seq = <T>(): ColumnSpec<T> => ({ header: '序号', width: 7, value: (_r, i) => i + 1 });

interface SummaryRow {
  label: string;
  value: CellValue;
  percent?: boolean;
  wrap?: boolean;
}

function summaryRows(pack: DispatchPackDto): SummaryRow[] {
  const s = pack.summary;
  const prev = pack.previousMeeting;
  return [
    { label: '单位', value: pack.plan.organization },
    { label: '计划', value: pack.plan.title },
    { label: '调度周期', value: zhPeriod(pack.cycle.period) },
    { label: '统计截至', value: pack.asOf },
    { label: '周期状态', value: pack.closed ? '已截止（截止时数据）' : '进行中（实时数据）' },
    { label: '计入事项（项）', value: s.items },
    { label: '已销号（项）', value: s.closed },
    { label: '其中按期销号（项）', value: s.closedOnTime },
    { label: '逾期未销号（项）', value: s.overdue },
    { label: '有风险（项）', value: s.atRisk },
    { label: '计划完成率（%）', value: s.completion, percent: true },
    { label: '序时进度（%）', value: s.expected, percent: true },
    { label: '本周期应报（项）', value: pack.reports.reduce((n, r) => n + r.due, 0) },
    { label: '本周期缺报（项）', value: s.reportsMissing },
    { label: '本周期迟报（项）', value: s.reportsLate },
    { label: '已发督办单（通报）（项）', value: pack.summary.noticed },
    { label: '上次调度会以来销号（项）', value: pack.closedSince.total },
    { label: '上次调度会', value: prev ? `${prev.title}（${prev.heldOn}）` : '无' },
    { label: '情况说明', value: packSummaryProse(pack), wrap: true },
  ];
}

const overdueColumns = (notice: ReadonlySet<string>): ColumnSpec<OverdueItemDto>[] => [
  seq(),
  { header: '事项名称', width: 40, value: (r) => itemDetails(r).title, wrap: true },
  { header: '所属重点任务', width: 28, value: (r) => itemDetails(r).taskTitle, wrap: true },
  { header: '牵头单位', width: 22, value: (r) => r.leadUnit },
  { header: '责任人', width: 12, value: (r) => itemDetails(r).owner },
  { header: '分管领导', width: 12, value: (r) => itemDetails(r).responsibleLeader },
  { header: '完成时限', width: 12, value: (r) => r.deadline },
  { header: '逾期工作日', width: 11, value: (r) => r.overdueWorkdays },
  { header: '督办层级', width: 10, value: (r) => ESCALATION_ZH[r.escalation] },
  {
    header: '通报',
    width: 7,
    value: (r) => yes(notice.has(r.itemId)),
    fill: (r) => (notice.has(r.itemId) ? FILL_ARGB.red : null),
  },
  {
    header: '上次遗留',
    width: 9,
    value: (r) => yes(r.carriedForward),
    fill: (r) => (r.carriedForward ? FILL_ARGB.yellow : null),
  },
];

const atRiskColumns: ColumnSpec<AtRiskItemDto>[] = [
  seq(),
  { header: '事项名称', width: 40, value: (r) => itemDetails(r).title, wrap: true },
  { header: '所属重点任务', width: 28, value: (r) => itemDetails(r).taskTitle, wrap: true },
  { header: '牵头单位', width: 22, value: (r) => r.leadUnit },
  { header: '责任人', width: 12, value: (r) => itemDetails(r).owner },
  { header: '分管领导', width: 12, value: (r) => itemDetails(r).responsibleLeader },
  { header: '完成时限', width: 12, value: (r) => r.deadline },
  { header: '完成率（%）', width: 12, value: (r) => r.completion, numFmt: PERCENT },
  { header: '序时进度（%）', width: 13, value: (r) => r.expected, numFmt: PERCENT },
  { header: '灯色', width: 8, value: (r) => lightZh(r.light), fill: (r) => fillOf(r.light) },
  {
    header: '上次遗留',
    width: 9,
    value: (r) => yes(r.carriedForward),
    fill: (r) => (r.carriedForward ? FILL_ARGB.yellow : null),
  },
];

const reportColumns: ColumnSpec<UnitReportsDto>[] = [
  { header: '牵头单位', width: 26, value: (r) => r.leadUnit },
  { header: '应报', width: 8, value: (r) => r.due },
  { header: '按时报送', width: 10, value: (r) => r.onTime },
  { header: '迟报', width: 8, value: (r) => r.late, fill: (r) => (r.late > 0 ? FILL_ARGB.yellow : null) },
  { header: '缺报', width: 8, value: (r) => r.missing, fill: (r) => (r.missing > 0 ? FILL_ARGB.red : null) },
];

const scoreboardColumns: ColumnSpec<PackStandingDto>[] = [
  { header: '名次', width: 7, value: (r) => r.rank },
  { header: '牵头单位', width: 26, value: (r) => r.unitName },
  { header: '得分', width: 9, value: (r) => r.score, numFmt: PERCENT },
  { header: '四分位', width: 14, value: (r) => bandZh(r.band), fill: (r) => fillOf(r.band) },
  { header: '上期名次', width: 10, value: (r) => r.previousRank },
  { header: '名次变化', width: 10, value: (r) => r.change, numFmt: SIGNED },
];

const sectionColumns: ColumnSpec<SectionFiguresDto>[] = [
  { header: '序号', width: 7, value: (r) => r.numbering ?? '' },
  { header: '部分', width: 34, value: (r) => r.title, wrap: true },
  { header: '完成率（%）', width: 12, value: (r) => r.completion, numFmt: PERCENT },
  { header: '序时进度（%）', width: 13, value: (r) => r.expected, numFmt: PERCENT },
  { header: '灯色', width: 8, value: (r) => lightZh(r.light), fill: (r) => fillOf(r.light) },
  { header: '红灯事项', width: 10, value: (r) => r.red },
  { header: '黄灯事项', width: 10, value: (r) => r.yellow },
  { header: '绿灯事项', width: 10, value: (r) => r.green },
];

const closedColumns: ColumnSpec<ClosedItemDto>[] = [
  seq(),
  { header: '事项名称', width: 44, value: (r) => itemDetails(r).title, wrap: true },
  { header: '牵头单位', width: 22, value: (r) => r.leadUnit },
  { header: '销号日期', width: 12, value: (r) => r.closedOn },
  { header: '按期销号', width: 10, value: (r) => (r.onTime ? '是' : '否') },
];

const actionColumns: ColumnSpec<PreviousActionDto>[] = [
  seq(),
  { header: '交办内容', width: 40, value: (r) => r.content, wrap: true },
  {
    header: '关联事项',
    width: 34,
    value: (r) => (r.itemId === null ? '' : r.visible ? (r.title ?? '') : HIDDEN),
    wrap: true,
  },
  { header: '牵头单位', width: 22, value: (r) => r.leadUnit ?? '' },
  { header: '责任人', width: 12, value: (r) => (r.visible ? (r.owner ?? '') : '') },
  { header: '完成时限', width: 12, value: (r) => r.deadline ?? '' },
  { header: '完成率（%）', width: 12, value: (r) => r.completion, numFmt: PERCENT },
  { header: '灯色', width: 8, value: (r) => lightZh(r.light), fill: (r) => fillOf(r.light) },
  {
    header: '落实情况',
    width: 12,
    value: (r) => actionState(r),
    fill: (r) => (r.done ? FILL_ARGB.green : r.overdue ? FILL_ARGB.red : null),
  },
];

const trendColumns: ColumnSpec<TrendPointDto>[] = [
  { header: '周期', width: 10, value: (r) => r.period },
  { header: '计划完成率（%）', width: 16, value: (r) => r.completion, numFmt: PERCENT },
  { header: '序时进度（%）', width: 14, value: (r) => r.expected, numFmt: PERCENT },
  { header: '数据口径', width: 16, value: (r) => (r.live ? '实时' : '截止时快照') },
];

/** Every sheet of the ledger, in order. */
export function packSheets(pack: DispatchPackDto): SheetSpec<unknown>[] {
  const notice = new Set(pack.notice);
  const reportTotal: UnitReportsDto = pack.reports.reduce(
    (t, r) => ({
      ...t,
      due: t.due + r.due,
      onTime: t.onTime + r.onTime,
      late: t.late + r.late,
      missing: t.missing + r.missing,
    }),
    { leadUnit: '合计', due: 0, onTime: 0, late: 0, missing: 0 },
  );
  const previous = pack.previousMeeting;
  const sheets = [
    sheet<SummaryRow>(
      '汇总',
      [
        { header: '项目', width: 26, value: (r) => r.label },
        {
          header: '数值',
          width: 90,
          value: (r) => r.value,
          numFmt: (r) => (r.percent ? PERCENT : undefined),
          wrap: true,
        },
      ],
      summaryRows(pack),
    ),
    sheet('逾期事项', overdueColumns(notice), pack.overdue),
    sheet('风险事项', atRiskColumns, pack.atRisk),
    sheet('报送情况', reportColumns, pack.reports.length ? [...pack.reports, reportTotal] : []),
    sheet('单位排名', scoreboardColumns, pack.scoreboard),
    sheet('各部分进展', sectionColumns, pack.sections),
    sheet('近期销号', closedColumns, pack.closedSince.items),
    previous
      ? sheet('上次会议交办', actionColumns, previous.actions)
      : {
          ...sheet<never>(
            '上次会议交办',
            [{ header: '无上次调度会，无交办事项。', width: 40, value: () => null }],
            [],
          ),
          freezeHeader: false,
        },
    sheet('趋势', trendColumns, pack.trend),
  ];
  return sheets as SheetSpec<unknown>[];
}
