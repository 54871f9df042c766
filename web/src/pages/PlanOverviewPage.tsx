import { CaretDownOutlined, CaretRightOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Empty,
  Flex,
  Pagination,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { CompletionBar, DeadlineText } from '../components/ItemFigures';
import { QueryState } from '../components/QueryState';
import { useSearchState } from '../hooks/useSearchState';
import './plan-overview.css';
import { LightTag, type Light } from '../lib/format';
import { LIGHTS, LightSelect, STATUSES, StatusSelect } from '../components/ItemFilterSelects';
import {
  listItems,
  STATUS_COLORS,
  numbered,
  totalText,
  type ItemRow,
  type ItemStatus,
  type LightFilter,
} from '../lib/itemText';

type Figures = Schemas['NodeFiguresDto'];
type Tree = Schemas['PlanTreeDto'];

const KEYS = ['planId', 'unitId', 'light', 'status', 'leaderId', 'page', 'pageSize'] as const;
const TASK_PAGE = 20;

/** A node's figures as the item bar reads them (the bar only needs completion, expected and light). */
function bar(f: Figures | null | undefined): ItemRow['figures'] {
  return f
    ? {
        completion: f.completion,
        expected: f.expected,
        light: (f.light ?? null) as NonNullable<ItemRow['figures']>['light'],
        computedAt: '',
      }
    : null;
}

/** 红 n · 黄 n · 绿 n under a node. */
function Counts({ f, testId }: { f: Figures | null | undefined; testId?: string }) {
  if (!f) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} data-testid={testId}>
      <Tag color="error" data-count="red" data-value={f.red}>
        红 {f.red}
      </Tag>
      <Tag color="warning" data-count="yellow" data-value={f.yellow}>
        黄 {f.yellow}
      </Tag>
      <Tag color="success" data-count="green" data-value={f.green}>
        绿 {f.green}
      </Tag>
    </Space>
  );
}

/** One row of the tree: toggle, title, counts, completion bar against 序时进度, light. */
function NodeRow(props: {
  level: 0 | 1;
  title: string;
  sub?: string;
  figures: Figures | null | undefined;
  open: boolean;
  onToggle?: () => void;
  testId: string;
}) {
  return (
    <div
      className={`plan-node plan-node-${props.level}`}
      data-testid={props.testId}
      data-light={props.figures?.light ?? 'none'}
    >
      <Button
        type="text"
        size="small"
        aria-label={props.open ? '收起' : '展开'}
        aria-expanded={props.open}
        icon={props.open ? <CaretDownOutlined /> : <CaretRightOutlined />}
        onClick={props.onToggle}
        disabled={!props.onToggle}
      />
      <div className="plan-node-title">
        <Typography.Text strong={props.level === 0} onClick={props.onToggle} className="plan-node-link">
          {props.title}
        </Typography.Text>
        {props.sub && (
          <Typography.Text type="secondary" className="plan-node-sub">
            {props.sub}
          </Typography.Text>
        )}
      </div>
      <div className="plan-node-counts">
        <Counts f={props.figures} />
      </div>
      <div className="plan-node-bar">
        <CompletionBar figures={bar(props.figures)} />
      </div>
      <div className="plan-node-light">
        <LightTag light={props.figures?.light as Light} />
      </div>
    </div>
  );
}

/** A key task's items, loaded from the server when the task is opened, a page at a time. */
function TaskItems({ taskId }: { taskId: string }) {
  const [page, setPage] = useState(1);
  const query = { taskId, page: String(page), pageSize: String(TASK_PAGE) };
  const items = useQuery({
    queryKey: ['items', query],
    queryFn: () => listItems(query),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="plan-items">
      <QueryState isPending={items.isPending} error={items.error} refetch={() => void items.refetch()}>
        {items.data?.items.length ? (
          <>
            {items.data.items.map((item) => (
              <div
                key={item.id}
                className="plan-node plan-node-2"
                data-testid="plan-item"
                data-light={item.figures?.light ?? 'none'}
              >
                <span />
                <div className="plan-node-title">
                  <Link to={`/items/${item.id}`}>{item.title}</Link>
                  <Typography.Text type="secondary" className="plan-node-sub">
                    {item.leadUnit.name} · {item.responsibleLeader.name} · <DeadlineText item={item} />
                  </Typography.Text>
                </div>
                <div className="plan-node-counts">
                  <Tag color={STATUS_COLORS[item.status]}>{item.statusName}</Tag>
                </div>
                <div className="plan-node-bar">
                  <CompletionBar figures={item.figures} />
                </div>
                <div className="plan-node-light">
                  <LightTag light={item.figures?.light} />
                </div>
              </div>
            ))}
            {items.data.total > TASK_PAGE && (
              <Pagination
                size="small"
                className="plan-items-pager"
                current={page}
                pageSize={TASK_PAGE}
                total={items.data.total}
                onChange={setPage}
                showSizeChanger={false}
              />
            )}
          </>
        ) : (
          <Typography.Text type="secondary" className="plan-items-empty">
            没有可查看的事项
          </Typography.Text>
        )}
      </QueryState>
    </div>
  );
}

/** Sections → key tasks from the tree; a task's items only when it is opened. */
function PlanTree({ tree }: { tree: Tree }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  if (!tree.sections.length) return <Empty description="该计划还没有内容" />;
  return (
    <div className="plan-tree" data-testid="plan-tree">
      {tree.sections.map((section) => (
        <div key={section.id}>
          <NodeRow
            level={0}
            testId="plan-section"
            title={numbered(section)}
            sub={`${section.itemsCount} 项事项`}
            figures={section.figures}
            open={open.has(section.id)}
            onToggle={() => toggle(section.id)}
          />
          {open.has(section.id) &&
            section.tasks.map((task) => (
              <div key={task.id}>
                <NodeRow
                  level={1}
                  testId="plan-task"
                  title={numbered(task)}
                  sub={`${task.itemsCount} 项事项，未办结 ${task.openItemsCount} 项${
                    task.status === 'open' ? '' : task.status === 'closed' ? '（已关闭）' : '（已取消）'
                  }`}
                  figures={task.figures}
                  open={open.has(task.id)}
                  onToggle={task.itemsCount ? () => toggle(task.id) : undefined}
                />
                {open.has(task.id) && <TaskItems taskId={task.id} />}
              </div>
            ))}
        </div>
      ))}
    </div>
  );
}

/**
 * 计划总览: the plan's sections and key tasks with completion against 序时进度, the light and the count of each
 * colour on every node; a key task's items load from the server when it is opened. With a filter (unit,
 * light, status, responsible leader) the page lists the matching items instead, paged on the server.
 */
export default function PlanOverviewPage() {
  const [s, set] = useSearchState(KEYS);
  const plans = useQuery({
    queryKey: ['plans'],
    queryFn: () => call(api.GET('/api/v1/plans')),
    staleTime: 10 * 60_000,
  });
  const list = plans.data ?? [];
  const fallback = list.filter((p) => p.status === 'published').sort((a, b) => b.year - a.year)[0] ?? list[0];
  // A plan named in the URL loads at once (no wait for the plans list; an unknown id shows 内容不存在).
  const planId = s.planId ?? fallback?.id;
  const tree = useQuery({
    queryKey: ['plan', planId, 'tree'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/tree', { params: { path: { id: planId! } } })),
    enabled: !!planId,
  });
  // The unit and leader lists only serve the filters: fetched when a filter is opened or set, so the
  // first screen waits for the tree alone.
  const [wantUnits, setWantUnits] = useState(false);
  const [wantLeaders, setWantLeaders] = useState(false);
  const units = useQuery({
    queryKey: ['units'],
    queryFn: () => call(api.GET('/api/v1/units')),
    staleTime: 10 * 60_000,
    enabled: wantUnits || !!s.unitId,
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => call(api.GET('/api/v1/users')),
    staleTime: 10 * 60_000,
    enabled: wantLeaders || !!s.leaderId,
  });
  const leaders = (users.data ?? []).filter((u) => u.roles.includes('leader'));

  const lights = (s.light ?? '')
    .split(',')
    .filter((x): x is LightFilter => LIGHTS.includes(x as LightFilter));
  const statuses = (s.status ?? '')
    .split(',')
    .filter((x): x is ItemStatus => STATUSES.includes(x as ItemStatus));
  const filtered = !!(s.unitId || lights.length || statuses.length || s.leaderId);
  const page = Math.max(1, Number(s.page) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(s.pageSize)) ? Number(s.pageSize) : 20;
  const query = {
    planId,
    unitId: s.unitId,
    light: lights.length ? lights.join(',') : undefined,
    status: statuses.length ? statuses.join(',') : undefined,
    leaderId: s.leaderId,
    page: String(page),
    pageSize: String(pageSize),
  };
  const items = useQuery({
    queryKey: ['items', query],
    queryFn: () => listItems(query),
    enabled: filtered && !!planId,
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<ItemRow> = [
    {
      title: '事项',
      key: 'title',
      render: (_, item) => (
        <div className="item-cell" data-testid="plan-item" data-light={item.figures?.light ?? 'none'}>
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
      title: '牵头单位 / 责任领导',
      key: 'unit',
      width: 200,
      render: (_, item) => (
        <>
          <div>{item.leadUnit.name}</div>
          <Typography.Text type="secondary">{item.responsibleLeader.name}</Typography.Text>
        </>
      ),
    },
    { title: '灯色', key: 'light', width: 84, render: (_, item) => <LightTag light={item.figures?.light} /> },
    {
      title: '完成率 / 序时进度',
      key: 'completion',
      width: 180,
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

  const t = tree.data;
  return (
    <>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          计划总览
        </h1>
        <Flex gap={8} wrap>
          <Select<string>
            aria-label="计划"
            value={list.length ? planId : undefined}
            loading={plans.isPending}
            onChange={(v) => set({ planId: v === fallback?.id ? undefined : v, page: undefined })}
            options={list.map((p) => ({ value: p.id, label: `${p.title}（${p.statusName}）` }))}
            style={{ minWidth: 260 }}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void (filtered ? items.refetch() : tree.refetch())}
            loading={tree.isFetching && !tree.isPending}
          >
            刷新
          </Button>
        </Flex>
      </Flex>

      <QueryState
        isPending={planId ? tree.isPending : plans.isPending}
        error={plans.error ?? tree.error}
        refetch={() => void tree.refetch()}
      >
        {!t ? (
          <Empty description="还没有年度计划" />
        ) : (
          <>
            <Card size="small" className="filter-card" data-testid="plan-summary">
              <Flex wrap gap={24} align="center">
                <div>
                  <Typography.Text type="secondary">事项</Typography.Text>
                  <div className="plan-total" data-testid="plan-items-count">
                    {t.itemsCount}
                  </div>
                </div>
                <div style={{ minWidth: 240, flex: '1 1 240px' }} data-testid="plan-completion">
                  <Typography.Text type="secondary">全计划完成率 / 序时进度</Typography.Text>
                  <CompletionBar figures={bar(t.figures)} />
                </div>
                <div data-testid="plan-light">
                  <Typography.Text type="secondary">全计划灯色 </Typography.Text>
                  <LightTag light={t.figures?.light as Light} />
                </div>
                <Counts f={t.figures} testId="plan-counts" />
              </Flex>
            </Card>

            <Card size="small" className="filter-card">
              <Flex wrap gap={8} align="center">
                <Select<string>
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  placeholder="单位（含配合）"
                  aria-label="单位"
                  value={s.unitId}
                  loading={units.isFetching}
                  onOpenChange={(o) => o && setWantUnits(true)}
                  onChange={(v) => set({ unitId: v })}
                  options={(units.data ?? []).map((u) => ({
                    value: u.id,
                    label: `${'　'.repeat(u.depth)}${u.name}`,
                  }))}
                  className="filter"
                />
                <LightSelect value={lights} onChange={(v) => set({ light: v.join(',') })} />
                <StatusSelect value={statuses} onChange={(v) => set({ status: v.join(',') })} />
                <Select<string>
                  allowClear
                  placeholder="责任领导"
                  aria-label="责任领导"
                  value={s.leaderId}
                  loading={users.isFetching}
                  onOpenChange={(o) => o && setWantLeaders(true)}
                  onChange={(v) => set({ leaderId: v })}
                  options={leaders.map((u) => ({ value: u.id, label: u.name }))}
                  className="filter"
                />
                {filtered && (
                  <Button
                    type="link"
                    onClick={() => set({ unitId: null, light: null, status: null, leaderId: null })}
                  >
                    清除筛选，看计划结构
                  </Button>
                )}
              </Flex>
            </Card>

            {filtered ? (
              <Card size="small">
                <Table<ItemRow>
                  rowKey="id"
                  size="middle"
                  columns={columns}
                  dataSource={items.data?.items ?? []}
                  loading={items.isFetching}
                  scroll={{ x: 860 }}
                  locale={{ emptyText: items.error ? (items.error as Error).message : '没有符合条件的事项' }}
                  pagination={{
                    current: page,
                    pageSize,
                    total: items.data?.total ?? 0,
                    showSizeChanger: true,
                    pageSizeOptions: [10, 20, 50, 100],
                    showTotal: (n) => (
                      <span data-testid="filtered-total">共 {totalText(n, items.data)} 项</span>
                    ),
                    onChange: (p, size) =>
                      set({
                        page: p === 1 ? undefined : String(p),
                        pageSize: size === 20 ? undefined : String(size),
                      }),
                  }}
                />
              </Card>
            ) : (
              <Card size="small" title="计划结构（点击展开）">
                {tree.isFetching && !t ? <Spin /> : <PlanTree tree={t} key={t.plan.id} />}
              </Card>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
