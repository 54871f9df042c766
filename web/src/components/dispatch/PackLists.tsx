import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';

import { api, call, type Schemas } from '../../api/client';
import { LightTag, date, percent } from '../../lib/format';

export type ListKind = 'overdue' | 'at-risk' | 'closed';
type Overdue = Schemas['OverdueItemDto'];
type AtRisk = Schemas['AtRiskItemDto'];
type Closed = Schemas['ClosedItemDto'];

const ESCALATION: Record<Overdue['escalation'], { text: string; color: string }> = {
  none: { text: '未提醒', color: 'default' },
  remind: { text: '提醒', color: 'blue' },
  urge: { text: '催办', color: 'orange' },
  supervise: { text: '督办', color: 'red' },
};

/** The item's title, linked when the caller may read it; a withheld one says so. */
function Title({
  row,
}: {
  row: { itemId: string; visible: boolean; title: string | null; taskTitle?: string | null };
}) {
  if (!row.visible) return <Typography.Text type="secondary">（无权查看详情）</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <Link to={`/items/${row.itemId}`}>{row.title}</Link>
      {row.taskTitle && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {row.taskTitle}
        </Typography.Text>
      )}
    </Space>
  );
}

const carried = (v: boolean) => (v ? <Tag color="magenta">上次遗留</Tag> : null);

const OVERDUE_COLUMNS: TableColumnsType<Overdue> = [
  { title: '事项', key: 'title', render: (_, r) => <Title row={r} /> },
  { title: '牵头单位', dataIndex: 'leadUnit', width: 150 },
  { title: '责任人', dataIndex: 'owner', width: 90, render: (v: string | null) => v ?? '—' },
  { title: '责任领导', dataIndex: 'responsibleLeader', width: 90, render: (v: string | null) => v ?? '—' },
  { title: '完成时限', dataIndex: 'deadline', width: 110, render: date },
  { title: '逾期工作日', dataIndex: 'overdueWorkdays', width: 100, align: 'right' },
  {
    title: '督办层级',
    key: 'escalation',
    width: 150,
    render: (_, r) => (
      <Space size={4}>
        <Tag color={ESCALATION[r.escalation].color}>{ESCALATION[r.escalation].text}</Tag>
        {carried(r.carriedForward)}
      </Space>
    ),
  },
];

const AT_RISK_COLUMNS: TableColumnsType<AtRisk> = [
  { title: '事项', key: 'title', render: (_, r) => <Title row={r} /> },
  { title: '牵头单位', dataIndex: 'leadUnit', width: 150 },
  { title: '责任人', dataIndex: 'owner', width: 90, render: (v: string | null) => v ?? '—' },
  { title: '完成时限', dataIndex: 'deadline', width: 110, render: date },
  { title: '完成率', dataIndex: 'completion', width: 80, align: 'right', render: percent },
  { title: '序时进度', dataIndex: 'expected', width: 90, align: 'right', render: percent },
  {
    title: '灯色',
    key: 'light',
    width: 150,
    render: (_, r) => (
      <Space size={4}>
        <LightTag light={r.light} />
        {carried(r.carriedForward)}
      </Space>
    ),
  },
];

const CLOSED_COLUMNS: TableColumnsType<Closed> = [
  { title: '事项', key: 'title', render: (_, r) => <Title row={r} /> },
  { title: '牵头单位', dataIndex: 'leadUnit', width: 180 },
  { title: '销号日期', dataIndex: 'closedOn', width: 110, render: date },
  {
    title: '按时',
    dataIndex: 'onTime',
    width: 90,
    render: (v: boolean) => (v ? <Tag color="success">按时</Tag> : <Tag color="warning">超期</Tag>),
  },
];

/**
 * One of the pack's long lists, paged on the server (GET /cycles/:id/dispatch-pack/overdue|at-risk|closed),
 * most severe first, page and page size in the URL.
 */
export function PackList(props: {
  kind: ListKind;
  cycleId: string;
  page: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
}) {
  const { kind, cycleId, page, pageSize } = props;
  const query = useQuery({
    queryKey: ['dispatch-pack', cycleId, kind, { page, pageSize }],
    queryFn: (): Promise<{ total: number; items: (Overdue | AtRisk | Closed)[] }> => {
      const params = { path: { id: cycleId }, query: { page, pageSize } };
      if (kind === 'overdue') return call(api.GET('/api/v1/cycles/{id}/dispatch-pack/overdue', { params }));
      if (kind === 'at-risk') return call(api.GET('/api/v1/cycles/{id}/dispatch-pack/at-risk', { params }));
      return call(api.GET('/api/v1/cycles/{id}/dispatch-pack/closed', { params }));
    },
    placeholderData: keepPreviousData,
  });
  const pagination = {
    current: page,
    pageSize,
    total: query.data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100],
    showTotal: (n: number) => `共 ${n} 项`,
    onChange: props.onPage,
  };
  const common = {
    rowKey: 'itemId' as const,
    size: 'small' as const,
    loading: query.isFetching,
    pagination,
    scroll: { x: 900 },
    onRow: () => ({ 'data-testid': `${kind}-row` }) as React.HTMLAttributes<HTMLElement>,
  };
  if (query.error) return <Typography.Text type="danger">{query.error.message}</Typography.Text>;
  const items = query.data?.items ?? [];
  if (kind === 'overdue')
    return <Table<Overdue> {...common} columns={OVERDUE_COLUMNS} dataSource={items as Overdue[]} />;
  if (kind === 'at-risk')
    return <Table<AtRisk> {...common} columns={AT_RISK_COLUMNS} dataSource={items as AtRisk[]} />;
  return <Table<Closed> {...common} columns={CLOSED_COLUMNS} dataSource={items as Closed[]} />;
}
