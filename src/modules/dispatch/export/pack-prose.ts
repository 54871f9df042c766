import type { DispatchPackDto } from '../dto/dispatch-pack.dto';
import { fmtNum, zhDate } from './pack-format';

// Below half a hundredth of a point the two figures read the same at two decimals.
const LEVEL_EPSILON = 0.005;

/** 计划完成率 against 序时进度, with nulls (nothing counted yet) said plainly. */
function progressClause(completion: number | null, expected: number | null): string {
  if (completion === null && expected === null) return '计划完成率、序时进度暂无数据';
  if (completion === null) return `计划完成率暂无数据，序时进度${fmtNum(expected)}%`;
  if (expected === null) return `计划完成率${fmtNum(completion)}%，序时进度暂无数据`;
  const head = `计划完成率${fmtNum(completion)}%，序时进度${fmtNum(expected)}%`;
  const diff = completion - expected;
  if (Math.abs(diff) < LEVEL_EPSILON) return `${head}，与序时进度持平`;
  const gap = fmtNum(Math.abs(diff));
  return diff > 0 ? `${head}，快于序时进度${gap}个百分点` : `${head}，慢于序时进度${gap}个百分点`;
}

function reportsSentence(pack: DispatchPackDto): string {
  const due = pack.reports.reduce((s, r) => s + r.due, 0);
  const { reportsMissing: missing, reportsLate: late } = pack.summary;
  if (due === 0 && missing === 0 && late === 0) return '本周期暂无应报事项。';
  if (missing === 0 && late === 0) return `本周期应报${due}项，均已按时报送。`;
  return `本周期应报${due}项，缺报${missing}项、迟报${late}项。`;
}

/**
 * The 总体情况 paragraph of the meeting pack, worded from the pack's figures. Counts are the full
 * counts of the summary, never the length of a cut list.
 */
export function packSummaryProse(pack: DispatchPackDto): string {
  const s = pack.summary;
  const asOf = `截至${zhDate(pack.asOf)}，`;
  const scope = `${pack.plan.year}年重点工作`;
  if (s.items === 0) return `${asOf}${scope}暂无计入统计的事项。`;

  const closed = s.closed === 0 ? '尚无销号事项' : `已销号${s.closed}项（其中按期销号${s.closedOnTime}项）`;
  const overdue = s.overdue === 0 ? '无逾期事项' : `逾期${s.overdue}项`;
  const atRisk = s.atRisk === 0 ? '无风险事项' : `存在风险${s.atRisk}项`;
  const notice =
    pack.summary.noticed === 0
      ? '本期无已发督办单（通报）事项。'
      : `已发督办单（通报）${pack.summary.noticed}项。`;

  return (
    `${asOf}${scope}共计${s.items}项，${closed}，${overdue}，${atRisk}；` +
    `${progressClause(s.completion, s.expected)}。` +
    reportsSentence(pack) +
    notice
  );
}
