import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Drawer, Empty, Grid, Pagination, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { canReview, useMe } from '../auth/auth';
import { DecisionButtons } from '../components/DecisionButtons';
import { ReviewDetail } from '../components/ItemReviewPanel';
import { QueryState } from '../components/QueryState';
import { DECISION_WORDS, type DecisionKind } from '../hooks/useDecision';
import { dateTime } from '../lib/format';
import { ForbiddenPage } from './ForbiddenPage';
import '../components/workflow.css';

type Review = Schemas['ReviewDto'];

const KIND_COLORS: Record<DecisionKind, string> = { report: 'blue', extension: 'orange', closeout: 'purple' };
const KINDS = ['report', 'extension', 'closeout'] as const;

function KindTag({ kind }: { kind: DecisionKind }) {
  return <Tag color={KIND_COLORS[kind]}>{DECISION_WORDS[kind].kind}</Tag>;
}

/** 审核: one queue of what waits for the caller — reports, extensions, close-outs — oldest first. */
export default function ReviewsPage() {
  const me = useMe();
  // Members, viewers and platform admins decide nothing: the page says so without asking the server for a 403.
  if (!canReview(me)) {
    return (
      <ForbiddenPage message="审核由牵头单位负责人、责任领导和督查室进行，您的账号没有审核权限。如需提交进度，请在“我的任务”中填报。" />
    );
  }
  return <ReviewQueue />;
}

function ReviewQueue() {
  const phone = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind');
  const kind = (KINDS as readonly string[]).includes(kindParam ?? '')
    ? (kindParam as DecisionKind)
    : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20));
  const query = { kind, page: String(page), pageSize: String(pageSize) };
  const queue = useQuery({
    queryKey: ['reviews', query],
    queryFn: () => call(api.GET('/api/v1/reviews', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const [open, setOpen] = useState<Review | null>(null);

  function update(next: Record<string, string | undefined>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '') p.delete(k);
      else p.set(k, v);
    }
    setParams(p, { replace: true });
  }

  const data = queue.data;
  const columns = [
    {
      title: '类型',
      dataIndex: 'kind',
      width: 104,
      render: (k: DecisionKind) => <KindTag kind={k} />,
    },
    {
      title: '事项',
      key: 'item',
      render: (_: unknown, r: Review) => (
        <>
          <Link to={`/items/${r.item.id}`}>{r.item.title}</Link>
          <div className="review-summary">
            <Typography.Text type="secondary">{r.summary}</Typography.Text>
          </div>
        </>
      ),
    },
    { title: '牵头单位', key: 'unit', width: 150, render: (_: unknown, r: Review) => r.unit.name },
    {
      title: '提交人 / 时间',
      key: 'by',
      width: 150,
      render: (_: unknown, r: Review) => (
        <>
          {r.requestedBy.name}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {dateTime(r.requestedAt)}
            </Typography.Text>
          </div>
        </>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 240,
      render: (_: unknown, r: Review) => (
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Button size="small" onClick={() => setOpen(r)}>
            查看
          </Button>
          <DecisionButtons size="small" target={{ kind: r.kind, id: r.id, itemId: r.item.id }} />
        </div>
      ),
    },
  ];

  return (
    <>
      <h1 className="page-title">审核</h1>
      <div className="review-toolbar">
        <Segmented
          value={kind ?? 'all'}
          onChange={(v) => update({ kind: v === 'all' ? undefined : String(v), page: undefined })}
          options={[
            { value: 'all', label: '全部' },
            { value: 'report', label: phone ? '填报' : '进度填报' },
            { value: 'extension', label: phone ? '延期' : '延期申请' },
            { value: 'closeout', label: phone ? '销号' : '销号申请' },
          ]}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void queue.refetch()} loading={queue.isFetching}>
          刷新
        </Button>
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
        按提交时间从早到晚排列，先交的先审。
        {data && data.total > 0 && <>共 {data.total} 件待审核。</>}
      </Typography.Paragraph>
      <QueryState isPending={queue.isPending} error={queue.error} refetch={() => void queue.refetch()}>
        {data && data.total === 0 ? (
          <Card>
            <Empty
              description={kind ? `没有待审核的${DECISION_WORDS[kind].kind}` : '没有待审核的事项，都处理完了'}
            />
          </Card>
        ) : phone ? (
          <>
            {data?.items.map((r) => (
              <Card key={`${r.kind}-${r.id}`} size="small" className="review-card" data-testid="review-row">
                <KindTag kind={r.kind} />
                <Link to={`/items/${r.item.id}`}>
                  <Typography.Text strong>{r.item.title}</Typography.Text>
                </Link>
                <div className="review-card-meta">
                  {r.unit.name} · {r.requestedBy.name} · {dateTime(r.requestedAt)}
                </div>
                <div className="review-summary" style={{ marginBottom: 10 }}>
                  {r.summary}
                </div>
                <div style={{ display: 'flex', gap: 8 }}>
                  <Button onClick={() => setOpen(r)}>查看</Button>
                  <div style={{ flex: 1 }}>
                    <DecisionButtons block target={{ kind: r.kind, id: r.id, itemId: r.item.id }} />
                  </div>
                </div>
              </Card>
            ))}
            {data && data.total > pageSize && (
              <Pagination
                simple
                align="center"
                current={page}
                pageSize={pageSize}
                total={data.total}
                onChange={(p) => update({ page: String(p) })}
              />
            )}
          </>
        ) : (
          <Table<Review>
            rowKey={(r) => `${r.kind}-${r.id}`}
            columns={columns}
            dataSource={data?.items}
            loading={queue.isFetching && !queue.isPending}
            onRow={() => ({ 'data-testid': 'review-row' }) as React.HTMLAttributes<HTMLElement>}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal: (t) => `共 ${t} 件`,
              onChange: (p, s) => update({ page: String(p), pageSize: s === 20 ? undefined : String(s) }),
            }}
          />
        )}
      </QueryState>
      <Drawer
        open={!!open}
        onClose={() => setOpen(null)}
        size={phone ? 'default' : 'large'}
        width={phone ? '100%' : 640}
        title={
          open && (
            <>
              {DECISION_WORDS[open.kind].kind}：{open.item.title}
            </>
          )
        }
        destroyOnHidden
        footer={
          open && (
            <DecisionButtons
              block={phone}
              target={{ kind: open.kind, id: open.id, itemId: open.item.id }}
              onDone={() => setOpen(null)}
            />
          )
        }
      >
        {open && (
          <>
            <Typography.Paragraph type="secondary">
              {open.unit.name} · {open.requestedBy.name} 于 {dateTime(open.requestedAt)} 提交 ·{' '}
              <Link to={`/items/${open.item.id}`}>打开事项</Link>
            </Typography.Paragraph>
            <ReviewDetail review={open} />
          </>
        )}
      </Drawer>
    </>
  );
}
