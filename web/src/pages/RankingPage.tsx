import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Grid, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type HTMLAttributes, useEffect, useMemo, useRef } from 'react';

import { api, call, type Schemas } from '../api/client';
import { QueryState } from '../components/QueryState';
import { periodName } from '../hooks/usePlanCycles';
import { useSearchState } from '../hooks/useSearchState';
import { percent } from '../lib/format';

// Only what the trend chart uses, inside this lazy page chunk: the first screen's JS stays as it was.
echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Standing = Schemas['UnitStandingDto'];
type TrendPoint = Schemas['TrendPointDto'];
type Role = 'lead' | 'co';

/** One row of the table: the scoreboard's standing, or a closed cycle's snapshot (fewer figures). */
interface Row {
  unitId: string;
  unitName: string;
  rank: number | null;
  previousRank: number | null;
  band: string | null;
  quartile: number | null;
  score: number | null;
  completion: number | null;
  red: number;
  yellow: number;
  green: number;
  standing: Standing | null;
}

const KEYS = ['planId', 'cycleId', 'as'] as const;
const BAND_COLOR: Record<string, string> = { green: 'success', yellow: 'warning', red: 'error' };
const BAND_BG: Record<string, string> = { green: '#f6ffed', yellow: '#fffbe6', red: '#fff1f0' };
const QUARTILE_NAMES = ['', '第一四分位', '第二四分位', '第三四分位', '第四四分位'];

/**
 * Quartile of a rank among the ranked units: the same rule as the scoreboard's (quartileOf in
 * src/modules/rollup/domain/scoreboard.ts), needed only for a closed cycle's snapshot, which stores the rank alone.
 */
function quartileOf(rank: number, ranked: number): number {
  return Math.floor((4 * (rank - 1)) / ranked) + 1;
}
const BAND_OF_QUARTILE = ['', 'green', 'yellow', 'yellow', 'red'];

function score(v: number | null): string {
  return v === null ? '—' : v.toFixed(1);
}

/** ▲2 moved up two places since the previous cycle, ▼1 down one, — same place (or no rank to compare). */
function RankChange({ rank, previous }: { rank: number | null; previous: number | null }) {
  if (rank === null || previous === null)
    return (
      <Tooltip title="上期无排名">
        <span data-testid="rank-change" data-change="none" style={{ color: '#999' }}>
          —
        </span>
      </Tooltip>
    );
  const up = previous - rank;
  if (up === 0)
    return (
      <Tooltip title={`与上期持平（第 ${previous} 名）`}>
        <span data-testid="rank-change" data-change="0" style={{ color: '#999' }}>
          —
        </span>
      </Tooltip>
    );
  return (
    <Tooltip title={`上期第 ${previous} 名`}>
      <span
        data-testid="rank-change"
        data-change={up}
        style={{ color: up > 0 ? '#389e0d' : '#cf1322', fontWeight: 600 }}
      >
        {up > 0 ? `▲${up}` : `▼${-up}`}
      </span>
    </Tooltip>
  );
}

function QuartileTag({ row }: { row: Row }) {
  if (row.quartile === null || !row.band) return <Tag>未排名</Tag>;
  return (
    <Tag color={BAND_COLOR[row.band]} data-band={row.band}>
      {QUARTILE_NAMES[row.quartile]}
    </Tag>
  );
}

function LightCounts({ row }: { row: Row }) {
  return (
    <Space size={2}>
      <Tag color="error">红 {row.red}</Tag>
      <Tag color="warning">黄 {row.yellow}</Tag>
      <Tag color="success">绿 {row.green}</Tag>
    </Space>
  );
}

/** Plan completion vs 序时进度 at each closed cycle's cut-off, then the cycle under way as it stands. */
function TrendChart({ points, height }: { points: TrendPoint[]; height: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    // A plan is one year: "1月" … "6月（至今）" keeps the axis short enough for a phone.
    const periods = points.map((p) => `${Number(p.period.slice(5, 7))}月${p.live ? '（至今）' : ''}`);
    chart.setOption({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—'),
      },
      legend: { data: ['完成率', '序时进度'], top: 0, right: 8 },
      grid: { left: 8, right: 24, top: 32, bottom: 4, containLabel: true },
      xAxis: { type: 'category', data: periods, boundaryGap: false },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: '完成率',
          type: 'line',
          data: points.map((p) => p.completion),
          symbolSize: 7,
          itemStyle: { color: '#1677ff' },
        },
        {
          name: '序时进度',
          type: 'line',
          data: points.map((p) => p.expected),
          lineStyle: { type: 'dashed' },
          itemStyle: { color: '#8c8c8c' },
          symbolSize: 5,
        },
      ],
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(ref.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [points]);
  return <div ref={ref} data-testid="trend-chart" style={{ width: '100%', height }} />;
}

/**
 * 单位排名: the plan's scoreboard as lead unit and as co-unit (tabs), the quartile colours, each unit's rank
 * change since the previous closed cycle (from the cycles' cut-off snapshots of /trend), and the plan's
 * completion against 序时进度 per cycle. A closed cycle can be picked to see its cut-off ranking.
 */
export default function RankingPage() {
  const phone = !Grid.useBreakpoint().md;
  const [s, set] = useSearchState(KEYS);
  const role: Role = s.as === 'co' ? 'co' : 'lead';

  const plans = useQuery({
    queryKey: ['plans'],
    queryFn: () => call(api.GET('/api/v1/plans')),
    staleTime: 10 * 60_000,
  });
  const visible = useMemo(
    () => (plans.data ?? []).filter((p) => p.status !== 'draft').sort((a, b) => b.year - a.year),
    [plans.data],
  );
  const planId = s.planId ?? visible[0]?.id;
  const path = { params: { path: { id: planId ?? '' } } };

  const cycles = useQuery({
    queryKey: ['plan', planId, 'cycles'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/cycles', path)),
    enabled: !!planId,
    staleTime: 10 * 60_000,
  });
  const scoreboard = useQuery({
    queryKey: ['plan', planId, 'scoreboard'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/scoreboard', path)),
    enabled: !!planId,
  });
  const trend = useQuery({
    queryKey: ['plan', planId, 'trend'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/trend', path)),
    enabled: !!planId,
  });

  // The cycles one can look at: the closed ones (their cut-off snapshots) and the one under way (live).
  const choices = useMemo(() => {
    const all = [...(cycles.data ?? [])].sort((a, b) => a.period.localeCompare(b.period));
    const current = all.find((c) => c.status === 'open');
    return [...all.filter((c) => c.status === 'closed'), ...(current ? [current] : [])].reverse();
  }, [cycles.data]);
  const cycle = choices.find((c) => c.id === s.cycleId) ?? choices[0];
  const live = !cycle || cycle.status === 'open';

  const rows = useMemo((): Row[] => {
    const standings = scoreboard.data?.[role] ?? [];
    const points = (trend.data?.points ?? []).filter((p) => p.kind === `unit-${role}` && !p.live);
    const closedPeriods = [...new Set(points.map((p) => p.period))].sort();
    const selected = cycle?.period;
    const previousPeriod = [...closedPeriods].reverse().find((p) => !selected || p < selected);
    const previous = new Map(
      points.filter((p) => p.period === previousPeriod).map((p) => [p.subjectId, p.rank]),
    );
    if (live) {
      return standings.map((u) => ({
        unitId: u.unitId,
        unitName: u.unitName,
        rank: u.rank,
        previousRank: previous.get(u.unitId) ?? null,
        band: u.band,
        quartile: u.quartile,
        score: u.score,
        completion: u.completionMean,
        red: u.red,
        yellow: u.yellow,
        green: u.green,
        standing: u,
      }));
    }
    const names = new Map(standings.map((u) => [u.unitId, u.unitName]));
    const snapshot = points.filter((p) => p.period === selected);
    const ranked = snapshot.filter((p) => p.rank !== null).length;
    return snapshot
      .map((p): Row => {
        const quartile = p.rank === null ? null : quartileOf(p.rank, ranked);
        return {
          unitId: p.subjectId,
          unitName: names.get(p.subjectId) ?? '（已撤销的单位）',
          rank: p.rank,
          previousRank: previous.get(p.subjectId) ?? null,
          band: quartile === null ? null : BAND_OF_QUARTILE[quartile],
          quartile,
          score: p.score,
          completion: p.completion,
          red: p.red,
          yellow: p.yellow,
          green: p.green,
          standing: null,
        };
      })
      .sort(
        (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unitName.localeCompare(b.unitName, 'zh'),
      );
  }, [scoreboard.data, trend.data, role, cycle, live]);

  const planTrend = useMemo(
    () =>
      (trend.data?.points ?? [])
        .filter((p) => p.kind === 'plan')
        .sort((a, b) => a.period.localeCompare(b.period)),
    [trend.data],
  );

  const columns: ColumnsType<Row> = [
    {
      title: '排名',
      dataIndex: 'rank',
      width: 70,
      render: (v: number | null) => <b data-testid="rank">{v ?? '—'}</b>,
    },
    {
      title: '较上期',
      key: 'change',
      width: 80,
      render: (_, r) => <RankChange rank={r.rank} previous={r.previousRank} />,
    },
    {
      title: '单位',
      dataIndex: 'unitName',
      width: 200,
      render: (v: string) => <span data-testid="unit-name">{v}</span>,
    },
    {
      title: '得分',
      dataIndex: 'score',
      width: 80,
      render: (v: number | null) => <span data-testid="score">{score(v)}</span>,
    },
    { title: '四分位', key: 'quartile', width: 110, render: (_, r) => <QuartileTag row={r} /> },
    { title: '平均完成率', dataIndex: 'completion', width: 100, render: (v: number | null) => percent(v) },
    ...(live
      ? ([
          {
            title: '按期销号率',
            key: 'onTime',
            width: 100,
            render: (_, r) => percent(r.standing?.onTimeClosePercent),
          },
          {
            title: '按时填报率',
            key: 'reportOnTime',
            width: 100,
            render: (_, r) => percent(r.standing?.reportOnTimePercent),
          },
          {
            title: '事项 / 已销号 / 逾期',
            key: 'items',
            width: 150,
            render: (_, r) =>
              r.standing ? `${r.standing.items} / ${r.standing.closed} / ${r.standing.overdue}` : '—',
          },
        ] as ColumnsType<Row>)
      : []),
    {
      title: '灯色',
      key: 'lights',
      width: 160,
      render: (_, r) => <LightCounts row={r} />,
    },
  ];

  const refresh = () => {
    void scoreboard.refetch();
    void trend.refetch();
  };
  const table =
    rows.length === 0 ? (
      <Empty description="暂无排名" />
    ) : phone ? (
      <Space direction="vertical" style={{ width: '100%' }}>
        {rows.map((r) => (
          <Card
            key={r.unitId}
            size="small"
            data-testid="rank-row"
            data-unit={r.unitId}
            style={{ background: r.band ? BAND_BG[r.band] : undefined }}
          >
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Space>
                <b data-testid="rank" style={{ fontSize: 18 }}>
                  {r.rank ?? '—'}
                </b>
                <span data-testid="unit-name">{r.unitName}</span>
              </Space>
              <RankChange rank={r.rank} previous={r.previousRank} />
            </Space>
            <Space wrap size={[8, 4]} style={{ marginTop: 6 }}>
              <span>
                得分 <span data-testid="score">{score(r.score)}</span>
              </span>
              <span>完成率 {percent(r.completion)}</span>
              <QuartileTag row={r} />
              <LightCounts row={r} />
            </Space>
          </Card>
        ))}
      </Space>
    ) : (
      <Table<Row>
        rowKey="unitId"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(r) =>
          ({
            'data-testid': 'rank-row',
            'data-unit': r.unitId,
            style: { background: r.band ? BAND_BG[r.band] : undefined },
          }) as HTMLAttributes<HTMLElement>
        }
      />
    );

  return (
    <>
      <h1 className="page-title">单位排名</h1>
      <QueryState isPending={plans.isPending} error={plans.error} refetch={() => void plans.refetch()}>
        {!planId ? (
          <Empty description="暂无已发布的计划" />
        ) : (
          <>
            <Card size="small" className="filter-card" style={{ marginBottom: 12 }}>
              <Space wrap>
                <Select
                  aria-label="计划"
                  style={{ width: phone ? 200 : 260 }}
                  value={planId}
                  options={visible.map((p) => ({ value: p.id, label: p.title }))}
                  onChange={(v: string) => set({ planId: v, cycleId: null })}
                />
                <Select
                  aria-label="调度周期"
                  data-testid="cycle-select"
                  style={{ width: 200 }}
                  value={cycle?.id}
                  loading={cycles.isPending}
                  options={choices.map((c) => ({
                    value: c.id,
                    label: `${periodName(c.period)}${c.status === 'open' ? '（进行中）' : '（截止）'}`,
                  }))}
                  onChange={(v: string) => set({ cycleId: v === choices[0]?.id ? null : v })}
                />
                <Button icon={<ReloadOutlined />} onClick={refresh}>
                  刷新
                </Button>
              </Space>
              <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
                {live
                  ? `截至 ${scoreboard.data?.asOf ?? '…'} 的实时排名；“较上期”与上一个截止周期的排名相比。`
                  : `${cycle ? periodName(cycle.period) : ''}调度周期截止时的排名快照。`}
                四分位：前四分之一绿色，中间两档黄色，后四分之一红色。
              </Typography.Paragraph>
            </Card>
            <Card size="small" style={{ marginBottom: 12 }} title="完成率与序时进度（按调度周期）">
              <QueryState
                isPending={trend.isPending}
                error={trend.error}
                refetch={() => void trend.refetch()}
              >
                {planTrend.length === 0 ? (
                  <Empty description="暂无数据" />
                ) : (
                  <TrendChart points={planTrend} height={phone ? 220 : 180} />
                )}
              </QueryState>
            </Card>
            <Card size="small" style={{ marginBottom: 12 }}>
              <Tabs
                activeKey={role}
                onChange={(k) => set({ as: k === 'co' ? 'co' : null })}
                items={[
                  { key: 'lead', label: '作为牵头单位' },
                  { key: 'co', label: '作为配合单位' },
                ]}
              />
              <QueryState
                isPending={scoreboard.isPending || trend.isPending}
                error={scoreboard.error ?? trend.error}
                refetch={refresh}
              >
                {table}
              </QueryState>
            </Card>
          </>
        )}
      </QueryState>
    </>
  );
}
