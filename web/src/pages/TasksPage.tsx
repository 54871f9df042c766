import { FilterOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Input,
  List,
  Pagination,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { hasRole, useMe } from '../auth/auth';
import { CompletionBar, DeadlineText, NextReportText } from '../components/ItemFigures';
import { QueryState } from '../components/QueryState';
import { useCurrentCycle } from '../hooks/useCurrentCycle';
import { periodName, usePlanCycles } from '../hooks/usePlanCycles';
import { useSearchState } from '../hooks/useSearchState';
import { LightTag } from '../lib/format';
import { LIGHTS, LightSelect, STATUSES, StatusSelect } from '../components/ItemFilterSelects';
import {
  listItems,
  STATUS_COLORS,
  TODO_NAMES,
  numbered,
  reportOpen,
  totalText,
  type ItemRow,
  type TodoKind,
} from '../lib/itemText';

const KEYS = ['scope', 'todo', 'light', 'status', 'cycleId', 'q', 'sort', 'page', 'pageSize'] as const;
const TODOS = Object.keys(TODO_NAMES) as TodoKind[];
const SORTS = [
  { value: 'plan', label: '按计划顺序' },
  { value: 'deadline', label: '完成时限从近到远' },
  { value: '-updatedAt', label: '最近更新' },
] as const;
type Sort = (typeof SORTS)[number]['value'];

function list<T extends string>(v: string | undefined, allowed: readonly T[]): T[] {
  return (v ?? '').split(',').filter((x): x is T => (allowed as readonly string[]).includes(x));
}

/**
 * 我的任务: my items and my unit's items (GET /items?mine=true), or everything the caller may read; filtered
 * and paged on the server, every filter kept in the URL (the 工作台 links here with ?todo=… or ?light=…).
 */
export default function TasksPage() {
  const me = useMe();
  const phone = !Grid.useBreakpoint().md;
  const navigate = useNavigate();
  const [s, set] = useSearchState(KEYS);
  const [showFilters, setShowFilters] = useState(false);
  const { cycles } = usePlanCycles();
  const { cycleStart } = useCurrentCycle();

  // Members and heads work on their own items; the dispatch office, leaders and viewers look across.
  const defaultScope = hasRole(me, 'member', 'head') ? 'mine' : 'all';
  const scope = s.scope === 'mine' || s.scope === 'all' ? s.scope : defaultScope;
  const todo = TODOS.find((t) => t === s.todo);
  const lights = list(s.light, LIGHTS);
  const statuses = list(s.status, STATUSES);
  const sort = SORTS.find((x) => x.value === s.sort)?.value ?? 'plan';
  const page = Math.max(1, Number(s.page) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(s.pageSize)) ? Number(s.pageSize) : 20;
  const query = {
    mine: scope === 'mine' ? ('true' as const) : undefined,
    todo,
    light: lights.length ? lights.join(',') : undefined,
    status: statuses.length ? statuses.join(',') : undefined,
    cycleId: s.cycleId,
    q: s.q?.trim() || undefined,
    sort: sort as Sort,
    page: String(page),
    pageSize: String(pageSize),
  };
  const items = useQuery({
    queryKey: ['items', query],
    queryFn: () => listItems(query),
    placeholderData: keepPreviousData,
  });
  const canReport = scope === 'mine' && hasRole(me, 'member', 'head', 'dispatcher', 'admin');
  const filterCount = [todo, lights.length, statuses.length, s.cycleId].filter(Boolean).length;

  const filters = (
    <>
      <Select<TodoKind>
        allowClear
        placeholder="待办"
        aria-label="待办"
        value={todo}
        onChange={(v) => set({ todo: v })}
        options={TODOS.map((t) => ({ value: t, label: TODO_NAMES[t] }))}
        className="filter"
      />
      <LightSelect value={lights} onChange={(v) => set({ light: v.join(',') })} />
      <StatusSelect value={statuses} onChange={(v) => set({ status: v.join(',') })} />
      <Select<string>
        allowClear
        placeholder="调度周期（应报）"
        aria-label="调度周期"
        value={s.cycleId}
        onChange={(v) => set({ cycleId: v })}
        options={cycles.map((c) => ({
          value: c.id,
          label: `${periodName(c.period)}${c.status === 'closed' ? '（已结束）' : ''}`,
        }))}
        className="filter"
      />
      <Select<Sort>
        value={sort}
        aria-label="排序"
        onChange={(v) => set({ sort: v === 'plan' ? undefined : v })}
        options={SORTS.map((x) => ({ value: x.value, label: x.label }))}
        className="filter"
      />
    </>
  );

  const columns: TableColumnsType<ItemRow> = [
    {
      title: '事项',
      key: 'title',
      render: (_, item) => (
        <div className="item-cell" data-testid="item-row">
          <Link to={`/items/${item.id}`} className="item-title">
            {item.title}
          </Link>
          <Typography.Text type="secondary" className="item-sub" ellipsis>
            {numbered(item.position.task)}
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
    {
      title: '灯色',
      key: 'light',
      width: 84,
      render: (_, item) => <LightTag light={item.figures?.light} />,
    },
    {
      title: '完成率 / 序时进度',
      key: 'completion',
      width: 170,
      render: (_, item) => <CompletionBar figures={item.figures} />,
    },
    {
      title: '完成时限',
      key: 'deadline',
      width: 170,
      render: (_, item) => <DeadlineText item={item} />,
    },
    {
      title: s.cycleId ? '本周期填报' : '下次填报',
      key: 'next',
      width: 200,
      render: (_, item) => (
        <NextReportText item={item} link={canReport && reportOpen(item)} cycleStart={cycleStart} />
      ),
    },
    {
      title: '状态',
      key: 'status',
      width: 90,
      render: (_, item) => <Tag color={STATUS_COLORS[item.status]}>{item.statusName}</Tag>,
    },
  ];

  const total = items.data?.total ?? 0;
  const onPage = (p: number, size: number) =>
    set({ page: p === 1 ? undefined : String(p), pageSize: size === 20 ? undefined : String(size) });

  return (
    <>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          我的任务
        </h1>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void items.refetch()}
          loading={items.isFetching && !items.isPending}
        >
          刷新
        </Button>
      </Flex>

      <Card size="small" className="filter-card">
        <Flex wrap gap={8} align="center">
          <Segmented
            value={scope}
            onChange={(v) => set({ scope: v === defaultScope ? undefined : String(v) })}
            options={[
              { value: 'mine', label: '我的事项' },
              { value: 'all', label: '全部可查看' },
            ]}
          />
          <Input.Search
            placeholder="搜索事项"
            allowClear
            defaultValue={s.q}
            key={s.q ?? ''}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            className="filter-search"
          />
          {phone ? (
            <Button icon={<FilterOutlined />} onClick={() => setShowFilters((v) => !v)}>
              筛选
              {filterCount ? (
                <Badge count={filterCount} size="small" style={{ marginInlineStart: 4 }} />
              ) : null}
            </Button>
          ) : (
            filters
          )}
        </Flex>
        {phone && showFilters && (
          <Flex vertical gap={8} style={{ marginTop: 8 }} className="filters-phone">
            {filters}
          </Flex>
        )}
        {(todo || lights.length > 0 || statuses.length > 0 || s.cycleId || s.q) && (
          <Flex wrap gap={4} align="center" style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">共 {totalText(total, items.data)} 项</Typography.Text>
            <Button
              type="link"
              size="small"
              onClick={() => set({ todo: null, light: null, status: null, cycleId: null, q: null })}
            >
              清除筛选
            </Button>
          </Flex>
        )}
      </Card>

      <QueryState isPending={items.isPending} error={items.error} refetch={() => void items.refetch()}>
        {phone ? (
          <>
            <List<ItemRow>
              dataSource={items.data?.items ?? []}
              loading={items.isFetching && !items.isPending}
              locale={{ emptyText: <Empty description="没有符合条件的事项" /> }}
              renderItem={(item) => (
                <Card
                  size="small"
                  className="item-card"
                  data-testid="item-row"
                  onClick={() => navigate(`/items/${item.id}`)}
                >
                  <Flex justify="space-between" align="start" gap={8}>
                    <Link
                      to={`/items/${item.id}`}
                      className="item-title"
                      onClick={(e) => e.stopPropagation()}
                    >
                      {item.title}
                    </Link>
                    <LightTag light={item.figures?.light} />
                  </Flex>
                  <Typography.Text type="secondary" className="item-sub">
                    {item.leadUnit.name} · {item.owner?.name ?? '未分派'} ·{' '}
                    <Tag color={STATUS_COLORS[item.status]} style={{ marginInlineEnd: 0 }}>
                      {item.statusName}
                    </Tag>
                  </Typography.Text>
                  <div style={{ margin: '8px 0' }}>
                    <CompletionBar figures={item.figures} />
                  </div>
                  <div className="card-line">
                    <span className="card-label">完成时限</span>
                    <DeadlineText item={item} />
                  </div>
                  <div className="card-line" onClick={(e) => e.stopPropagation()}>
                    <span className="card-label">{s.cycleId ? '本周期' : '下次填报'}</span>
                    <NextReportText
                      item={item}
                      link={canReport && reportOpen(item)}
                      cycleStart={cycleStart}
                    />
                  </div>
                </Card>
              )}
            />
            {total > 0 && (
              <Pagination
                simple
                current={page}
                pageSize={pageSize}
                total={total}
                onChange={onPage}
                style={{ marginTop: 12, textAlign: 'center' }}
              />
            )}
          </>
        ) : (
          <Table<ItemRow>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items.data?.items ?? []}
            loading={items.isFetching && !items.isPending}
            locale={{ emptyText: <Empty description="没有符合条件的事项" /> }}
            pagination={{
              current: page,
              pageSize,
              total,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal: (t) => `共 ${totalText(t, items.data)} 项`,
              onChange: onPage,
            }}
            scroll={{ x: 1000 }}
          />
        )}
      </QueryState>
    </>
  );
}
