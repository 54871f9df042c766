import { AlignmentType, Document, Footer, Packer, PageNumber, Paragraph, Table, TextRun } from 'docx';

import type { DispatchPackDto } from '../dto/dispatch-pack.dto';
import type { PackCharts } from './pack-charts';
import {
  FONT,
  PAGE,
  SIZE,
  body,
  cappedTable,
  centred,
  chart,
  heading,
  note,
  table,
  title,
  type Cell,
  type ColumnDef,
} from './pack-docx-parts';
import {
  DASH,
  ESCALATION_ZH,
  HIDDEN,
  actionState,
  bandZh,
  fmtNum,
  itemDetails,
  itemMarks,
  lightZh,
  zhDate,
  zhMonth,
  zhPeriod,
} from './pack-format';
import { packSummaryProse } from './pack-prose';

type Block = Paragraph | Table;

const num = (n: number | null): string => (n === null ? DASH : fmtNum(n));
const signed = (n: number | null): string => (n === null ? DASH : n > 0 ? `+${n}` : String(n));
const orDash = (s: string): string => (s === '' ? DASH : s);

function overview(pack: DispatchPackDto): Block[] {
  const s = pack.summary;
  const due = pack.reports.reduce((n, r) => n + r.due, 0);
  const pairs: [string, string][] = [
    ['计入事项（项）', String(s.items)],
    ['已销号（项）', String(s.closed)],
    ['其中按期销号（项）', String(s.closedOnTime)],
    ['逾期未销号（项）', String(s.overdue)],
    ['有风险（项）', String(s.atRisk)],
    ['已发督办单（通报）（项）', String(pack.summary.noticed)],
    ['计划完成率（%）', num(s.completion)],
    ['序时进度（%）', num(s.expected)],
    ['本周期应报（项）', String(due)],
    ['本周期缺报 / 迟报（项）', `${s.reportsMissing} / ${s.reportsLate}`],
    ['上次调度会以来销号（项）', String(pack.closedSince.total)],
    ['统计截至', zhDate(pack.asOf)],
  ];
  const rows: Cell[][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    rows.push([pairs[i][0], pairs[i][1], pairs[i + 1]?.[0] ?? '', pairs[i + 1]?.[1] ?? '']);
  }
  const columns: ColumnDef[] = [
    { header: '项目', share: 0.32 },
    { header: '数值', share: 0.18, align: 'center' },
    { header: '项目', share: 0.32 },
    { header: '数值', share: 0.18, align: 'center' },
  ];
  return [heading('一、总体情况'), body(packSummaryProse(pack)), table(columns, rows)];
}

function sections(pack: DispatchPackDto, charts: PackCharts): Block[] {
  const columns: ColumnDef[] = [
    { header: '序号', share: 0.08, align: 'center' },
    { header: '部分', share: 0.34 },
    { header: '完成率（%）', share: 0.12, align: 'center' },
    { header: '序时进度（%）', share: 0.13, align: 'center' },
    { header: '灯色', share: 0.09, align: 'center' },
    { header: '红灯', share: 0.08, align: 'center' },
    { header: '黄灯', share: 0.08, align: 'center' },
    { header: '绿灯', share: 0.08, align: 'center' },
  ];
  const blocks: Block[] = [heading('二、各部分进展')];
  if (pack.sections.length === 0) return [...blocks, body('暂无各部分进展数据。')];
  return [
    ...blocks,
    ...cappedTable(columns, pack.sections, (s) => [
      s.numbering ?? DASH,
      s.title,
      num(s.completion),
      num(s.expected),
      { text: orDash(lightZh(s.light)), fill: s.light },
      String(s.red),
      String(s.yellow),
      String(s.green),
    ]),
    chart(charts.sections, '各部分完成率与序时进度'),
  ];
}

function ranking(pack: DispatchPackDto, charts: PackCharts): Block[] {
  const columns: ColumnDef[] = [
    { header: '名次', share: 0.1, align: 'center' },
    { header: '牵头单位', share: 0.36 },
    { header: '得分', share: 0.12, align: 'center' },
    { header: '四分位', share: 0.18, align: 'center' },
    { header: '上期名次', share: 0.12, align: 'center' },
    { header: '名次变化', share: 0.12, align: 'center' },
  ];
  const blocks: Block[] = [heading('三、单位考核排名')];
  if (pack.scoreboard.length === 0) return [...blocks, body('暂无考核排名数据。')];
  return [
    ...blocks,
    ...cappedTable(columns, pack.scoreboard, (u) => [
      u.rank === null ? DASH : String(u.rank),
      u.unitName,
      num(u.score),
      { text: orDash(bandZh(u.band)), fill: u.band },
      u.previousRank === null ? DASH : String(u.previousRank),
      signed(u.change),
    ]),
    note('名次变化为较上一周期，正数为上升；四分位：绿为前25%，黄为中间50%，红为后25%。'),
    chart(charts.ranking, '牵头单位考核排名'),
  ];
}

function overdue(pack: DispatchPackDto): Block[] {
  const notice = new Set(pack.notice);
  const carried = pack.overdue.filter((o) => o.carriedForward).length;
  const blocks: Block[] = [heading('四、逾期事项及通报')];
  if (pack.summary.overdue === 0 && pack.overdue.length === 0) return [...blocks, body('无逾期未销号事项。')];
  blocks.push(
    body(
      `截至${zhDate(pack.asOf)}，逾期未销号事项${pack.summary.overdue}项，其中已发督办单（通报）` +
        `${pack.summary.noticed}项，上次调度会遗留${carried}项。`,
    ),
  );
  const columns: ColumnDef[] = [
    { header: '序号', share: 0.065, align: 'center' },
    { header: '事项名称', share: 0.245 },
    { header: '牵头单位', share: 0.16 },
    { header: '责任人（分管领导）', share: 0.14 },
    { header: '完成时限', share: 0.12, align: 'center' },
    { header: '逾期工作日', share: 0.08, align: 'center' },
    { header: '督办层级', share: 0.07, align: 'center' },
    { header: '标记', share: 0.12, align: 'center' },
  ];
  return [
    ...blocks,
    ...cappedTable(columns, pack.overdue, (o, i) => {
      const d = itemDetails(o);
      const marks = itemMarks(o, notice);
      const person = d.owner && d.responsibleLeader ? `${d.owner}（${d.responsibleLeader}）` : d.owner;
      return [
        String(i + 1),
        d.title,
        o.leadUnit,
        orDash(person),
        o.deadline,
        String(o.overdueWorkdays),
        ESCALATION_ZH[o.escalation],
        { text: orDash(marks), fill: notice.has(o.itemId) ? 'red' : o.carriedForward ? 'yellow' : null },
      ];
    }),
  ];
}

function atRisk(pack: DispatchPackDto): Block[] {
  const blocks: Block[] = [heading('五、风险事项')];
  if (pack.summary.atRisk === 0 && pack.atRisk.length === 0) return [...blocks, body('无有风险事项。')];
  const red = pack.atRisk.filter((r) => r.light === 'red').length;
  blocks.push(
    body(
      `有风险（未逾期，亮红灯或黄灯）事项${pack.summary.atRisk}项，其中红灯${red}项、黄灯` +
        `${pack.atRisk.length - red}项。`,
    ),
  );
  const columns: ColumnDef[] = [
    { header: '序号', share: 0.065, align: 'center' },
    { header: '事项名称', share: 0.265 },
    { header: '牵头单位', share: 0.16 },
    { header: '责任人', share: 0.1 },
    { header: '完成时限', share: 0.12, align: 'center' },
    { header: '完成率（%）', share: 0.09, align: 'center' },
    { header: '序时进度（%）', share: 0.09, align: 'center' },
    { header: '灯色', share: 0.11, align: 'center' },
  ];
  return [
    ...blocks,
    ...cappedTable(columns, pack.atRisk, (r, i) => {
      const d = itemDetails(r);
      const light = lightZh(r.light) + (r.carriedForward ? '（上次遗留）' : '');
      return [
        String(i + 1),
        d.title,
        r.leadUnit,
        orDash(d.owner),
        r.deadline,
        num(r.completion),
        num(r.expected),
        { text: light, fill: r.light },
      ];
    }),
  ];
}

function reports(pack: DispatchPackDto): Block[] {
  const blocks: Block[] = [heading('六、报送情况')];
  const t = pack.reports.reduce(
    (a, r) => ({
      due: a.due + r.due,
      onTime: a.onTime + r.onTime,
      late: a.late + r.late,
      missing: a.missing + r.missing,
    }),
    { due: 0, onTime: 0, late: 0, missing: 0 },
  );
  if (pack.reports.length === 0) return [...blocks, body('本周期暂无应报事项。')];
  blocks.push(
    body(
      `本周期应报${t.due}项，按时报送${t.onTime}项，迟报${pack.summary.reportsLate}项，缺报` +
        `${pack.summary.reportsMissing}项。`,
    ),
  );
  const columns: ColumnDef[] = [
    { header: '牵头单位', share: 0.4 },
    { header: '应报', share: 0.15, align: 'center' },
    { header: '按时报送', share: 0.15, align: 'center' },
    { header: '迟报', share: 0.15, align: 'center' },
    { header: '缺报', share: 0.15, align: 'center' },
  ];
  const toRow = (r: {
    leadUnit: string;
    due: number;
    onTime: number;
    late: number;
    missing: number;
  }): Cell[] => [
    r.leadUnit,
    String(r.due),
    String(r.onTime),
    { text: String(r.late), fill: r.late > 0 ? 'yellow' : null },
    { text: String(r.missing), fill: r.missing > 0 ? 'red' : null },
  ];
  return [...blocks, ...cappedTable(columns, pack.reports, toRow, [toRow({ leadUnit: '合计', ...t })])];
}

function previousActions(pack: DispatchPackDto): Block[] {
  const blocks: Block[] = [heading('七、上次会议交办事项落实情况')];
  const prev = pack.previousMeeting;
  if (!prev) return [...blocks, body('本周期前无调度会，无交办事项。')];
  if (prev.actions.length === 0)
    return [...blocks, body(`${prev.title}（${zhDate(prev.heldOn)}）无交办事项。`)];
  const done = prev.actions.filter((a) => a.done).length;
  const late = prev.actions.filter((a) => !a.done && a.overdue).length;
  blocks.push(
    body(
      `${prev.title}（${zhDate(prev.heldOn)}）交办事项${prev.actions.length}项，已销号${done}项，` +
        `逾期未销号${late}项，办理中${prev.actions.length - done - late}项。`,
    ),
  );
  const columns: ColumnDef[] = [
    { header: '序号', share: 0.065, align: 'center' },
    { header: '交办内容', share: 0.255 },
    { header: '关联事项', share: 0.2 },
    { header: '牵头单位', share: 0.15 },
    { header: '完成时限', share: 0.12, align: 'center' },
    { header: '完成率（%）', share: 0.09, align: 'center' },
    { header: '落实情况', share: 0.12, align: 'center' },
  ];
  return [
    ...blocks,
    ...cappedTable(columns, prev.actions, (a, i) => [
      String(i + 1),
      a.content,
      a.itemId === null ? DASH : a.visible ? orDash(a.title ?? '') : HIDDEN,
      orDash(a.leadUnit ?? ''),
      a.deadline ?? DASH,
      num(a.completion),
      { text: actionState(a), fill: a.done ? 'green' : a.overdue ? 'red' : null },
    ]),
  ];
}

function trend(pack: DispatchPackDto, charts: PackCharts): Block[] {
  const blocks: Block[] = [heading('八、完成率趋势'), chart(charts.trend, '完成率趋势')];
  if (pack.trend.length === 0) return blocks;
  const columns: ColumnDef[] = [
    { header: '周期', share: 0.25, align: 'center' },
    { header: '计划完成率（%）', share: 0.25, align: 'center' },
    { header: '序时进度（%）', share: 0.25, align: 'center' },
    { header: '数据口径', share: 0.25, align: 'center' },
  ];
  return [
    ...blocks,
    ...cappedTable(columns, pack.trend, (t) => [
      zhMonth(t.period),
      num(t.completion),
      num(t.expected),
      t.live ? '实时' : '截止时快照',
    ]),
  ];
}

/**
 * The meeting pack as the Word document offices circulate: the 总体情况 paragraph and tables for each
 * part, with the three charts. Item lists stop at 200 rows (the rest are in the Excel ledger); every
 * count stated is the pack's full count.
 */
export async function renderPackDocx(
  pack: DispatchPackDto,
  charts: PackCharts,
  onProgress?: (percent: number) => void,
): Promise<Buffer> {
  onProgress?.(0);
  const parts: ((p: DispatchPackDto) => Block[])[] = [
    overview,
    (p) => sections(p, charts),
    (p) => ranking(p, charts),
    overdue,
    atRisk,
    reports,
    previousActions,
    (p) => trend(p, charts),
  ];
  const children: Block[] = [
    title(pack.plan.organization, `${pack.plan.year}年重点工作月调度会材料`),
    centred(`（${zhPeriod(pack.cycle.period)}）`),
    centred(`统计截至：${zhDate(pack.asOf)}`, 240),
  ];
  parts.forEach((part, i) => {
    children.push(...part(pack));
    // Building the parts is most of the work; packing the zip is the last tenth.
    onProgress?.(Math.round(((i + 1) / parts.length) * 90));
  });

  const doc = new Document({
    creator: pack.plan.organization,
    title: `${pack.plan.year}年重点工作月调度会材料（${zhPeriod(pack.cycle.period)}）`,
    styles: {
      default: { document: { run: { font: FONT.body, size: SIZE.body } } },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.marginY, bottom: PAGE.marginY, left: PAGE.marginX, right: PAGE.marginX },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.caption })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  const buffer = await Packer.toBuffer(doc);
  onProgress?.(100);
  return buffer;
}
