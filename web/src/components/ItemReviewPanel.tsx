import { AuditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Skeleton, Tag, Typography } from 'antd';

import { api, call, type Schemas } from '../api/client';
import { canReview, useMe } from '../auth/auth';
import { DECISION_WORDS } from '../hooks/useDecision';
import { dateTime } from '../lib/format';
import { periodName } from '../lib/workflow';
import { DecisionButtons } from './DecisionButtons';
import { ReportView } from './ReportView';
import './workflow.css';

type Review = Schemas['ReviewDto'];

/**
 * What on this item waits for the caller's decision — a submitted report, a pending extension or close-out — with
 * the decision buttons. The server's review queue filtered to the item says exactly what is the caller's to decide;
 * renders nothing when nothing waits or the caller decides nothing (the queue is not even asked then).
 */
export function ItemReviewPanel({ item }: { item: Schemas['ItemDto'] }) {
  const me = useMe();
  const reviewer = canReview(me);
  const queue = useQuery({
    queryKey: ['reviews', { itemId: item.id }],
    queryFn: () =>
      call(api.GET('/api/v1/reviews', { params: { query: { itemId: item.id, pageSize: '100' } } })),
    enabled: reviewer,
  });
  if (!reviewer || !queue.data?.items.length) return null;
  return (
    <Card
      size="small"
      className="item-review-panel"
      data-testid="item-review-panel"
      title={
        <span>
          <AuditOutlined /> 待我审核（{queue.data.total}）
        </span>
      }
    >
      {queue.data.items.map((r) => (
        <ReviewEntry key={`${r.kind}-${r.id}`} review={r} />
      ))}
    </Card>
  );
}

function ReviewEntry({ review }: { review: Review }) {
  return (
    <div className="item-review-entry">
      <div style={{ marginBottom: 8 }}>
        <Tag color={review.kind === 'report' ? 'blue' : review.kind === 'extension' ? 'orange' : 'purple'}>
          {DECISION_WORDS[review.kind].kind}
        </Tag>{' '}
        <Typography.Text type="secondary">
          {review.requestedBy.name} 于 {dateTime(review.requestedAt)} 提交
        </Typography.Text>
      </div>
      <ReviewDetail review={review} />
      <div style={{ marginTop: 12 }}>
        <DecisionButtons target={{ kind: review.kind, id: review.id, itemId: review.item.id }} />
      </div>
    </div>
  );
}

/** The full content of one waiting request, read from the item's own lists (shared with the item page's cache). */
export function ReviewDetail({ review }: { review: Review }) {
  const itemId = review.item.id;
  const reports = useQuery({
    queryKey: ['item', itemId, 'reports'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/reports', { params: { path: { id: itemId } } })),
    enabled: review.kind === 'report',
  });
  const progress = useQuery({
    queryKey: ['item', itemId, 'progress'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/progress', { params: { path: { id: itemId } } })),
    enabled: review.kind === 'report',
  });
  const extensions = useQuery({
    queryKey: ['item', itemId, 'extensions'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/extensions', { params: { path: { id: itemId } } })),
    enabled: review.kind === 'extension',
  });
  const closeouts = useQuery({
    queryKey: ['item', itemId, 'closeouts'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/closeouts', { params: { path: { id: itemId } } })),
    enabled: review.kind === 'closeout',
  });

  if (review.kind === 'report') {
    const report = reports.data?.find((r) => r.id === review.id);
    if (!report || !progress.data) return <Skeleton active paragraph={{ rows: 3 }} />;
    return (
      <>
        <Typography.Text strong>{periodName(report.periodKey)}进度填报</Typography.Text>
        <div style={{ marginTop: 8 }}>
          <ReportView report={report} targets={progress.data.targets} showStatus={false} />
        </div>
      </>
    );
  }
  if (review.kind === 'extension') {
    const ext = extensions.data?.find((e) => e.id === review.id);
    if (!ext) return <Skeleton active paragraph={{ rows: 2 }} />;
    return (
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'from', label: '原完成时限', children: ext.originalDeadline },
          {
            key: 'to',
            label: '申请延至',
            children: <Typography.Text strong>{ext.requestedDeadline}</Typography.Text>,
          },
          { key: 'reason', label: '延期理由', children: <div className="report-text">{ext.reason}</div> },
        ]}
      />
    );
  }
  const c = closeouts.data?.find((x) => x.id === review.id);
  if (!c) return <Skeleton active paragraph={{ rows: 2 }} />;
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      items={[{ key: 'note', label: '销号说明', children: <div className="report-text">{c.note}</div> }]}
    />
  );
}
