import { Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';

import { date, percent } from '../lib/format';
import { REPORT_STATUS, type ItemRow } from '../lib/itemText';

const LIGHT_COLORS = { red: '#ff4d4f', yellow: '#faad14', green: '#52c41a' } as const;

/**
 * 完成率 against 序时进度: a bar filled to the completion in the item's light colour, with a marker at the
 * expected progress, so "behind schedule" is visible without reading the numbers.
 */
export function CompletionBar({ figures }: { figures: ItemRow['figures'] }) {
  const completion = figures?.completion ?? null;
  const expected = figures?.expected ?? null;
  const color = figures?.light ? LIGHT_COLORS[figures.light] : '#bfbfbf';
  const clamp = (v: number) => Math.max(0, Math.min(100, v));
  return (
    <Tooltip title={`完成率 ${percent(completion)}，序时进度 ${percent(expected)}`}>
      <div className="completion" aria-label={`完成率 ${percent(completion)}，序时进度 ${percent(expected)}`}>
        <div className="completion-track">
          {completion !== null && (
            <div className="completion-fill" style={{ width: `${clamp(completion)}%`, background: color }} />
          )}
          {expected !== null && <div className="completion-mark" style={{ left: `${clamp(expected)}%` }} />}
        </div>
        <div className="completion-text">
          <span data-testid="completion">完成 {percent(completion)}</span>
          <span className="completion-expected">序时 {percent(expected)}</span>
        </div>
      </div>
    </Tooltip>
  );
}

/** 完成时限, with 已延期 and 已逾期 marks (closed or cancelled items are never overdue). */
export function DeadlineText({ item }: { item: ItemRow }) {
  const open = item.status !== 'closed' && item.status !== 'cancelled';
  return (
    <span className="nowrap">
      {date(item.deadline)}
      {item.originalDeadline && (
        <Tooltip title={`原完成时限 ${date(item.originalDeadline)}，已批准延期`}>
          <Tag color="blue" style={{ marginInlineStart: 6 }}>
            已延期
          </Tag>
        </Tooltip>
      )}
      {open && item.overdue && (
        <Tag color="error" style={{ marginInlineStart: 6 }}>
          已逾期
        </Tag>
      )}
    </span>
  );
}

/**
 * 下次填报: the period, its due day and where the report stands; a link to the report form when asked.
 * `cycleStart` (first day of the current dispatch cycle) marks a report still not submitted from before it
 * as 逾期未报 (the browser's own clock is not the business clock, so the cycle is the reference).
 */
export function NextReportText({
  item,
  link,
  cycleStart,
}: {
  item: ItemRow;
  link?: boolean;
  cycleStart?: string;
}) {
  const next = item.nextReport;
  if (!next) return <Typography.Text type="secondary">无应报</Typography.Text>;
  const late = !!cycleStart && next.dueOn < cycleStart && next.status !== 'submitted';
  const s = late
    ? { text: next.status === 'returned' ? '被退回，已逾期' : '逾期未报', color: 'error' }
    : next.status
      ? REPORT_STATUS[next.status]
      : { text: '未填报', color: 'warning' };
  const label = (
    <>
      {next.periodName}
      <Typography.Text type="secondary" style={{ marginInlineStart: 4, fontSize: 12 }}>
        {date(next.dueOn)} 前
      </Typography.Text>
    </>
  );
  return (
    <span>
      {link ? <Link to={`/items/${item.id}/report/${next.period}`}>{label}</Link> : label}
      <Tag color={s.color} style={{ marginInlineStart: 6 }}>
        {s.text}
      </Tag>
    </span>
  );
}
