import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Flex,
  Row,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { useMe } from '../auth/auth';
import { CompletionBar, DeadlineText } from '../components/ItemFigures';
import { QueryState } from '../components/QueryState';
import { useCurrentCycle } from '../hooks/useCurrentCycle';
import { periodName } from '../hooks/usePlanCycles';
import { useSearchState } from '../hooks/useSearchState';
import { LightTag } from '../lib/format';
import { STATUS_COLORS, listItems, numbered, totalText, type ItemRow } from '../lib/itemText';
import './plan-overview.css';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Trend = Schemas['TrendDto'];
type TreeSection = Schemas['TreeSectionDto'];
type UnitCounts = Schemas['UnitItemCountsDto'];

const KEYS = ['line', 'unit', 'page', 'pageSize'] as const;

/** Completion against 序时进度 per dispatch cycle for one line (the plan or a section). */
function TrendChart({ trend, subjectId, name }: { trend: Trend; subjectId: string; name: string }) {
  const el = useRef<HTMLDivElement>(null);
  const points = trend.points
    .filter((p) => p.subjectId === subjectId)
    .sort((a, b) => a.period.localeCompare(b.period));
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption({
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null ? '—' : `${String(v)}%`) },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: {
        type: 'category',
        data: points.map((p) => periodName(p.period) + (p.live ? '（进行中）' : '')),
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: `${name} 完成率`, type: 'line', data: points.map((p) => p.completion), smooth: true },
        {
          name: '序时进度',
          type: 'line',
          data: points.map((p) => p.expected),
          lineStyle: { type: 'dashed' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [points, name]);
  if (!points.length) return <Typography.Text type="secondary">该条线还没有调度周期的数字</Typography.Text>;
  return <div ref={el} className="leader-chart" data-testid="leader-trend" data-points={points.length} />;
}

/**
 * 领导视图: the items a leader answers for (responsible leader), red and overdue first, paged on the server;
 * counts of red and overdue ones; and the trend of completion against 序时进度 per cycle for the plan and
 * each of its sections (条线), from the plan's trend snapshots.
 */
export default function LeaderPage() {
  const me = useMe();
  const { cycle } = useCurrentCycle();
  const [s, set] = useSearchState(KEYS);
  const page = Math.max(1, Number(s.page) || 1);
  const pageSize = [10, 20, 50].includes(Number(s.pageSize)) ? Number(s.pageSize) : 10;

  const plans = useQuery({
    queryKey: ['plans'],
    queryFn: () => call(api.GET('/api/v1/plans')),
    staleTime: 10 * 60_000,
  });
  const plan = (plans.data ?? []).filter((p) => p.status === 'published').sort((a, b) => b.year - a.year)[0];
  const base = { planId: plan?.id, leaderId: me.id };
  const query = {
    ...base,
    leadUnitId: s.unit,
    includeSubunits: s.unit ? ('false' as const) : undefined,
    sort: 'attention' as const,
    page: String(page),
    pageSize: String(pageSize),
  };
  const units = useQuery({
    queryKey: ['items', 'by-unit', base],
    queryFn: () =>
      call(api.GET('/api/v1/items/by-unit', { params: { query: { planId: plan!.id, leaderId: me.id } } })),
    enabled: !!plan,
  });
  const unit = units.data?.find((u) => u.unit.id === s.unit);
  const items = useQuery({
    queryKey: ['items', query],
    queryFn: () => listItems(query),
    enabled: !!plan,
    placeholderData: keepPreviousData,
  });
  const countOf = (extra: Record<string, string>) => {
    // The figures are counts, not a pager's total: counted exactly however many.
    const q = { ...base, ...extra, pageSize: '1', exactTotal: 'true' as const };
    return {
      queryKey: ['items', q],
      queryFn: () => listItems(q).then((r) => r.total),
      enabled: !!plan,
    };
  };
  const total = useQuery(countOf({}));
  const red = useQuery(countOf({ light: 'red' }));
  const overdue = useQuery(countOf({ todo: 'overdue' }));
  const yellow = useQuery(countOf({ light: 'yellow' }));
  const tree = useQuery({
    queryKey: ['plan', plan?.id, 'tree'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/tree', { params: { path: { id: plan!.id } } })),
    enabled: !!plan,
  });
  const trend = useQuery({
    queryKey: ['plan', plan?.id, 'trend'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/trend', { params: { path: { id: plan!.id } } })),
    enabled: !!plan,
  });

  const sections: TreeSection[] = tree.data?.sections ?? [];
  const line = sections.find((x) => x.id === s.line);
  const lineName = line ? numbered(line) : '全计划';

  const columns: TableColumnsType<ItemRow> = [
    {
      title: '事项',
      key: 'title',
      render: (_, item) => (
        <div className="item-cell" data-testid="leader-item" data-light={item.figures?.light ?? 'none'}>
          <Link to={`/items/${item.id}`} className="item-title">
            {item.title}
          </Link>
          <Typography.Text type="secondary" className="item-sub" ellipsis>
            {numbered(item.position.section)} › {numbered(item.position.task)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '牵头单位 / 责任人',
      key: 'unit',
      width: 170,
      render: (_, item) => (
        <>
          <div>{item.leadUnit.name}</div>
          <Typography.Text type="secondary">{item.owner?.name ?? '未分派'}</Typography.Text>
        </>
      ),
    },
    { title: '灯色', key: 'light', width: 84, render: (_, item) => <LightTag light={item.figures?.light} /> },
    {
      title: '完成率 / 序时进度',
      key: 'completion',
      width: 170,
      render: (_, item) => <CompletionBar figures={item.figures} />,
    },
    { title: '完成时限', key: 'deadline', width: 170, render: (_, item) => <DeadlineText item={item} /> },
    {
      title: '状态',
      key: 'status',
      width: 90,
      render: (_, item) => <Tag color={STATUS_COLORS[item.status]}>{item.statusName}</Tag>,
    },
  ];

  const stat = (title: string, q: { data?: number }, testId: string, color?: string) => (
    <Col xs={12} md={6}>
      <Card size="small" data-testid={testId}>
        <Statistic title={title} value={q.data ?? '—'} valueStyle={color ? { color } : undefined} />
        <span hidden data-value={q.data ?? ''} />
      </Card>
    </Col>
  );

  return (
    <>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          领导视图
          <Typography.Text type="secondary" style={{ fontSize: 14, marginInlineStart: 12 }}>
            {me.name} 分管的事项{cycle ? ` · 当前调度周期 ${periodName(cycle.period)}` : ''}
          </Typography.Text>
        </h1>
        <Button
          icon={<ReloadOutlined />}
          onClick={() =>
            void Promise.all([
              items.refetch(),
              units.refetch(),
              total.refetch(),
              red.refetch(),
              overdue.refetch(),
              trend.refetch(),
            ])
          }
          loading={items.isFetching && !items.isPending}
        >
          刷新
        </Button>
      </Flex>
      <QueryState
        isPending={plans.isPending || (!!plan && items.isPending)}
        error={plans.error ?? items.error}
      >
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          {stat('我分管的事项', total, 'leader-total')}
          {stat('红灯', red, 'leader-red', '#cf1322')}
          {stat('已逾期', overdue, 'leader-overdue', '#cf1322')}
          {stat('黄灯', yellow, 'leader-yellow', '#d48806')}
        </Row>
        <Card
          size="small"
          title="我分管的单位（红灯、逾期多的在前；点击单位只看其事项）"
          style={{ marginBottom: 12 }}
        >
          <Table<UnitCounts>
            rowKey={(r) => r.unit.id}
            size="small"
            loading={units.isFetching}
            dataSource={units.data ?? []}
            pagination={false}
            scroll={{ x: 600, y: 200 }}
            onRow={(r) => ({
              onClick: () => set({ unit: r.unit.id === s.unit ? undefined : r.unit.id }),
              className: r.unit.id === s.unit ? 'leader-unit-selected' : 'leader-unit',
              'data-testid': 'leader-unit',
            })}
            columns={[
              { title: '牵头单位', key: 'unit', render: (_, r) => r.unit.name },
              { title: '事项', dataIndex: 'items', width: 80 },
              { title: '未办结', dataIndex: 'open', width: 80 },
              {
                title: '红灯',
                dataIndex: 'red',
                width: 80,
                render: (v: number) => (v ? <Tag color="error">{v}</Tag> : 0),
              },
              {
                title: '已逾期',
                dataIndex: 'overdue',
                width: 80,
                render: (v: number) => (v ? <Tag color="error">{v}</Tag> : 0),
              },
              {
                title: '黄灯',
                dataIndex: 'yellow',
                width: 80,
                render: (v: number) => (v ? <Tag color="warning">{v}</Tag> : 0),
              },
              { title: '绿灯', dataIndex: 'green', width: 80 },
            ]}
          />
        </Card>
        <Card
          size="small"
          title={`我分管的事项${unit ? `：${unit.unit.name}` : ''}（红灯、逾期在前）`}
          extra={
            unit && (
              <Button type="link" size="small" onClick={() => set({ unit: undefined })}>
                看全部单位
              </Button>
            )
          }
          style={{ marginBottom: 12 }}
        >
          <Table<ItemRow>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items.data?.items ?? []}
            loading={items.isFetching}
            scroll={{ x: 860 }}
            locale={{ emptyText: '没有由我担任责任领导的事项' }}
            pagination={{
              current: page,
              pageSize,
              total: items.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50],
              showTotal: (n) => `共 ${totalText(n, items.data)} 项`,
              onChange: (p, size) =>
                set({
                  page: p === 1 ? undefined : String(p),
                  pageSize: size === 10 ? undefined : String(size),
                }),
            }}
          />
        </Card>
        <Card
          size="small"
          title="条线趋势：完成率与序时进度"
          extra={
            <Select<string>
              aria-label="条线"
              value={line?.id ?? ''}
              onChange={(v) => set({ line: v || undefined, page: s.page })}
              options={[
                { value: '', label: '全计划' },
                ...sections.map((x) => ({ value: x.id, label: numbered(x) })),
              ]}
              style={{ minWidth: 220 }}
            />
          }
        >
          <QueryState isPending={trend.isPending} error={trend.error}>
            {trend.data && plan && (
              <TrendChart trend={trend.data} subjectId={line?.id ?? plan.id} name={lineName} />
            )}
          </QueryState>
        </Card>
      </QueryState>
    </>
  );
}
