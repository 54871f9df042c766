import { Descriptions, Progress, Tag, Typography } from 'antd';

import type { Schemas } from '../api/client';
import { REPORT_STATUS, convert, periodName, type Report } from '../lib/workflow';
import { EvidenceList } from './EvidenceList';

type TargetProgress = Schemas['ItemProgressDto']['targets'][number];

function Paragraph({ text }: { text: string }) {
  if (!text.trim()) return <Typography.Text type="secondary">（未填写）</Typography.Text>;
  return <div className="report-text">{text}</div>;
}

/** Figure as the bureau writes it: up to 4 decimals, no trailing zeros. */
export function figure(v: number): string {
  return String(Math.round(v * 10000) / 10000);
}

/** One report read-only: what a reviewer reads before deciding, and what the reporter sees once it is submitted. */
export function ReportView({
  report,
  targets,
  showStatus = true,
}: {
  report: Report;
  targets: TargetProgress[];
  showStatus?: boolean;
}) {
  const status = REPORT_STATUS[report.status];
  const name = (id: string) => targets.find((t) => t.targetId === id);
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      className="report-view"
      styles={{ label: { width: 112, whiteSpace: 'nowrap' } }}
      items={[
        ...(showStatus
          ? [
              {
                key: 'period',
                label: '填报周期',
                children: (
                  <>
                    {periodName(report.periodKey)}{' '}
                    <Tag color={status?.color} style={{ marginInlineStart: 8 }}>
                      {status?.text ?? report.statusName}
                    </Tag>
                  </>
                ),
              },
            ]
          : []),
        {
          key: 'percent',
          label: '完成率',
          children:
            report.percent === null ? (
              '—'
            ) : (
              <Progress percent={report.percent} size="small" style={{ maxWidth: 280, margin: 0 }} />
            ),
        },
        ...(report.decreaseReason
          ? [{ key: 'decrease', label: '下降原因', children: <Paragraph text={report.decreaseReason} /> }]
          : []),
        { key: 'progress', label: '进展情况', children: <Paragraph text={report.progress} /> },
        { key: 'problems', label: '存在问题', children: <Paragraph text={report.problems} /> },
        { key: 'next', label: '下步计划', children: <Paragraph text={report.nextSteps} /> },
        ...(targets.length
          ? [
              {
                key: 'actuals',
                label: '量化指标',
                children: (
                  <div className="report-actuals">
                    {targets.map((t) => {
                      const a = report.actuals.find((x) => x.targetId === t.targetId);
                      const converted = a && a.unit !== t.unit ? convert(a.value, a.unit, t.unit) : null;
                      return (
                        <div key={t.targetId}>
                          <Typography.Text type="secondary">{name(t.targetId)?.metric}：</Typography.Text>
                          {a ? (
                            <>
                              {figure(a.value)} {a.unit}
                              {converted !== null && (
                                <Typography.Text type="secondary">
                                  {' '}
                                  （合 {figure(converted)} {t.unit}）
                                </Typography.Text>
                              )}
                            </>
                          ) : (
                            <Typography.Text type="secondary">未填</Typography.Text>
                          )}
                          {t.target !== null && (
                            <Typography.Text type="secondary">
                              {' '}
                              / 目标 {figure(t.target)}
                              {t.upper !== null ? `～${figure(t.upper)}` : ''} {t.unit}
                            </Typography.Text>
                          )}
                        </div>
                      );
                    })}
                  </div>
                ),
              },
            ]
          : []),
        { key: 'evidence', label: '佐证材料', children: <EvidenceList evidence={report.evidence} /> },
        ...(report.contributions.length
          ? [
              {
                key: 'contrib',
                label: '配合单位',
                children: report.contributions.map((c) => (
                  <div key={c.id}>
                    <Typography.Text strong>{c.unitName}：</Typography.Text>
                    {c.text}
                  </div>
                )),
              },
            ]
          : []),
      ]}
    />
  );
}
