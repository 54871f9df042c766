import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { hasRole, useMe } from '../auth/auth';
import { MeetingPanel } from '../components/dispatch/MeetingPanel';
import { PackChart, rankingOption, sectionsOption, trendOption } from '../components/dispatch/PackChart';
import { PackExportButtons } from '../components/dispatch/PackExportButtons';
import { PackList, type ListKind } from '../components/dispatch/PackLists';
import { QueryState } from '../components/QueryState';
import { periodName } from '../hooks/usePlanCycles';
import { useSearchState } from '../hooks/useSearchState';
import { LightTag, date, percent, type Light } from '../lib/format';

type Pack = Schemas['DispatchPackDto'];
const KEYS = ['planId', 'cycleId', 'tab', 'page', 'pageSize'] as const;
const LIST_TABS: Record<string, ListKind> = { overdue: 'overdue', atRisk: 'at-risk', closed: 'closed' };

const BAND: Record<string, { color: string; text: string }> = {
  green: { color: 'success', text: '前四分之一' },
  yellow: { color: 'warning', text: '中间' },
  red: { color: 'error', text: '后四分之一' },
};

function Figure(props: {
  testId: string;
  title: string;
  value: number | null;
  suffix?: string;
  danger?: boolean;
  note?: string;
}) {
  return (
    <Card size="small" data-testid={props.testId} style={{ height: '100%' }}>
      <span data-value={props.value ?? ''} hidden />
      <Statistic
        title={props.title}
        value={props.value ?? '—'}
        suffix={props.value === null ? undefined : props.suffix}
        precision={props.suffix === '%' ? 1 : 0}
        valueStyle={props.danger && (props.value ?? 0) > 0 ? { color: '#cf1322' } : undefined}
      />
      {props.note && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {props.note}
        </Typography.Text>
      )}
    </Card>
  );
}

function Summary({ pack }: { pack: Pack }) {
  const s = pack.summary;
  return (
    <Row gutter={[12, 12]}>
      <Col xs={12} md={6} lg={3}>
        <Figure testId="pack-items" title="事项总数" value={s.items} />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure testId="pack-completion" title="计划完成率" value={s.completion} suffix="%" />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure testId="pack-expected" title="序时进度" value={s.expected} suffix="%" />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure testId="pack-closed" title="已销号" value={s.closed} note={`其中按时 ${s.closedOnTime}`} />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure
          testId="pack-overdue"
          title="逾期未销号"
          value={s.overdue}
          danger
          note={`已督办 ${s.noticed}`}
        />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure testId="pack-atRisk" title="有风险" value={s.atRisk} danger note="未逾期的红黄灯" />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure testId="pack-closedSince" title="会后销号" value={s.closedSince} note="上次调度会以来" />
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Figure
          testId="pack-missing"
          title="本期缺报"
          value={s.reportsMissing}
          danger
          note={`迟报 ${s.reportsLate}`}
        />
      </Col>
    </Row>
  );
}

const REPORT_COLUMNS: TableColumnsType<Schemas['UnitReportsDto']> = [
  { title: '牵头单位', dataIndex: 'leadUnit' },
  { title: '应报', dataIndex: 'due', align: 'right', width: 90 },
  { title: '按时', dataIndex: 'onTime', align: 'right', width: 90 },
  {
    title: '迟报',
    dataIndex: 'late',
    align: 'right',
    width: 90,
    render: (v: number) => (v > 0 ? <Typography.Text type="warning">{v}</Typography.Text> : v),
  },
  {
    title: '缺报',
    dataIndex: 'missing',
    align: 'right',
    width: 90,
    render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
  },
];

const RANK_COLUMNS: TableColumnsType<Schemas['PackStandingDto']> = [
  { title: '名次', dataIndex: 'rank', width: 70, render: (v: number | null) => v ?? '—' },
  { title: '牵头单位', dataIndex: 'unitName' },
  { title: '得分', dataIndex: 'score', align: 'right', width: 90, render: (v: number | null) => v ?? '—' },
  {
    title: '分档',
    dataIndex: 'band',
    width: 120,
    render: (v: string | null) => (v && BAND[v] ? <Tag color={BAND[v].color}>{BAND[v].text}</Tag> : '—'),
  },
  {
    title: '较上期',
    dataIndex: 'change',
    width: 90,
    render: (v: number | null, r) =>
      r.previousRank === null || v === null ? (
        '—'
      ) : v > 0 ? (
        <Typography.Text type="success">↑{v}</Typography.Text>
      ) : v < 0 ? (
        <Typography.Text type="danger">↓{-v}</Typography.Text>
      ) : (
        '持平'
      ),
  },
];

const SECTION_COLUMNS: TableColumnsType<Schemas['SectionFiguresDto']> = [
  { title: '部分', key: 'title', render: (_, s) => `${s.numbering ? `${s.numbering} ` : ''}${s.title}` },
  { title: '完成率', dataIndex: 'completion', align: 'right', width: 90, render: percent },
  { title: '序时进度', dataIndex: 'expected', align: 'right', width: 90, render: percent },
  {
    title: '灯色',
    dataIndex: 'light',
    width: 90,
    render: (v: string | null) => <LightTag light={v as Light} />,
  },
  {
    title: '红/黄/绿',
    key: 'counts',
    width: 120,
    render: (_, s) => `${s.red} / ${s.yellow} / ${s.green}`,
  },
];

const ACTION_COLUMNS: TableColumnsType<Schemas['PreviousActionDto']> = [
  { title: '交办内容', dataIndex: 'content' },
  {
    title: '事项',
    key: 'item',
    render: (_, a) =>
      !a.itemId ? '—' : a.visible ? <Link to={`/items/${a.itemId}`}>{a.title}</Link> : '（无权查看详情）',
  },
  { title: '牵头单位', dataIndex: 'leadUnit', width: 150, render: (v: string | null) => v ?? '—' },
  { title: '完成时限', dataIndex: 'deadline', width: 110, render: date },
  {
    title: '办理情况',
    key: 'state',
    width: 170,
    render: (_, a) => (
      <Space size={4}>
        {a.done ? (
          <Tag color="success">已销号</Tag>
        ) : a.overdue ? (
          <Tag color="error">逾期</Tag>
        ) : (
          <Tag>办理中</Tag>
        )}
        {a.light && <LightTag light={a.light as Light} />}
        {percent(a.completion)}
      </Space>
    ),
  },
];

/**
 * 月调度: the monthly dispatch pack of a plan's cycle (default: the latest closed one) on screen — summary,
 * overdue / at-risk / closed lists paged on the server, reports by unit, ranking, sections, trend and the
 * previous meeting's actions, with charts — its .xlsx/.docx export, and the cycle's meeting record.
 */
export default function DispatchPage() {
  const me = useMe();
  const office = hasRole(me, 'admin', 'dispatcher');
  const [state, setState] = useSearchState(KEYS);

  const plans = useQuery({
    queryKey: ['plans'],
    queryFn: () => call(api.GET('/api/v1/plans')),
    staleTime: 10 * 60_000,
  });
  const published = useMemo(
    () => (plans.data ?? []).filter((p) => p.status === 'published').sort((a, b) => b.year - a.year),
    [plans.data],
  );
  const plan = published.find((p) => p.id === state.planId) ?? published[0];
  const cycles = useQuery({
    queryKey: ['plan', plan?.id, 'cycles'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/cycles', { params: { path: { id: plan!.id } } })),
    enabled: !!plan,
  });
  const cycleList = cycles.data ?? [];
  const latestClosed = [...cycleList].reverse().find((c) => c.status === 'closed');
  const cycle = cycleList.find((c) => c.id === state.cycleId) ?? latestClosed ?? cycleList[0];

  const pack = useQuery({
    queryKey: ['dispatch-pack', cycle?.id],
    queryFn: () =>
      call(api.GET('/api/v1/cycles/{id}/dispatch-pack', { params: { path: { id: cycle!.id } } })),
    enabled: !!cycle,
  });
  const p = pack.data;

  const tab = state.tab ?? 'overdue';
  const page = Number(state.page) || 1;
  const pageSize = Number(state.pageSize) || 20;
  const charts = useMemo(
    () =>
      p && {
        trend: trendOption(p.trend),
        sections: sectionsOption(p.sections),
        ranking: rankingOption(p.scoreboard),
      },
    [p],
  );

  const list = (key: string) => (
    <PackList
      kind={LIST_TABS[key]}
      cycleId={cycle!.id}
      page={page}
      pageSize={pageSize}
      onPage={(pg, size) => setState({ page: String(pg), pageSize: String(size) })}
    />
  );

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          月调度
        </h1>
        <Space wrap>
          <Select
            style={{ width: 240 }}
            value={plan?.id}
            placeholder="选择计划"
            loading={plans.isPending}
            options={published.map((x) => ({ value: x.id, label: x.title }))}
            onChange={(v) => setState({ planId: v, cycleId: null, tab: null, pageSize: null })}
            data-testid="plan-select"
          />
          <Select
            style={{ width: 160 }}
            value={cycle?.id}
            placeholder="调度周期"
            loading={cycles.isPending && !!plan}
            options={cycleList.map((c) => ({
              value: c.id,
              label: `${periodName(c.period)}${c.status === 'open' ? '（进行中）' : ''}`,
            }))}
            onChange={(v) => setState({ cycleId: v, tab: null, pageSize: null })}
            data-testid="cycle-select"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void pack.refetch()} title="刷新" />
          {cycle && <PackExportButtons cycleId={cycle.id} />}
        </Space>
      </Flex>
      {plans.data && published.length === 0 && <Empty description="暂无已发布的计划" />}
      <QueryState
        isPending={!!plan && (cycles.isPending || (!!cycle && pack.isPending))}
        error={plans.error ?? cycles.error ?? pack.error}
        refetch={() => void pack.refetch()}
      >
        {p && cycle && charts && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Typography.Text type="secondary" data-testid="pack-asof">
              {p.plan.title} · {periodName(p.cycle.period)} ·{' '}
              {p.closed ? `截至填报截止日 ${date(p.asOf)}` : `进行中，截至今天 ${date(p.asOf)}`} · 调度会{' '}
              {date(p.cycle.meetingDate)}
            </Typography.Text>
            {!p.plan.openPack && !office && !hasRole(me, 'leader', 'viewer') && (
              <Alert type="info" showIcon message="其他单位事项只显示数量和牵头单位，不显示详情。" />
            )}
            <Summary pack={p} />
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title="完成率与序时进度趋势">
                  <PackChart option={charts.trend} height={260} testId="chart-trend" />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title="各部分完成率">
                  <PackChart option={charts.sections} height={260} testId="chart-sections" />
                </Card>
              </Col>
            </Row>
            <Card size="small">
              <Tabs
                activeKey={tab}
                onChange={(k) => setState({ tab: k, pageSize: null })}
                destroyOnHidden
                items={[
                  { key: 'overdue', label: `逾期事项 (${p.summary.overdue})`, children: list('overdue') },
                  { key: 'atRisk', label: `风险事项 (${p.summary.atRisk})`, children: list('atRisk') },
                  { key: 'closed', label: `近期销号 (${p.summary.closedSince})`, children: list('closed') },
                  {
                    key: 'reports',
                    label: '报送情况',
                    children: (
                      <Table
                        size="small"
                        rowKey="leadUnit"
                        columns={REPORT_COLUMNS}
                        dataSource={p.reports}
                        pagination={false}
                      />
                    ),
                  },
                  {
                    key: 'ranking',
                    label: '单位排名',
                    children: (
                      <Row gutter={16}>
                        <Col xs={24} lg={12}>
                          <Table
                            size="small"
                            rowKey="unitId"
                            columns={RANK_COLUMNS}
                            dataSource={p.scoreboard}
                            pagination={false}
                          />
                        </Col>
                        <Col xs={24} lg={12}>
                          <PackChart option={charts.ranking} height={320} testId="chart-ranking" />
                        </Col>
                      </Row>
                    ),
                  },
                  {
                    key: 'sections',
                    label: '各部分进展',
                    children: (
                      <Table
                        size="small"
                        rowKey="sectionId"
                        columns={SECTION_COLUMNS}
                        dataSource={p.sections}
                        pagination={false}
                      />
                    ),
                  },
                  {
                    key: 'previous',
                    label: '上次会议交办',
                    children: p.previousMeeting ? (
                      <>
                        <Typography.Paragraph type="secondary">
                          {p.previousMeeting.title}（{date(p.previousMeeting.heldOn)}）
                        </Typography.Paragraph>
                        <Table
                          size="small"
                          rowKey="outcomeId"
                          columns={ACTION_COLUMNS}
                          dataSource={p.previousMeeting.actions}
                          pagination={false}
                          scroll={{ x: 800 }}
                          locale={{ emptyText: '上次会议没有交办事项' }}
                        />
                      </>
                    ) : (
                      <Empty description="上一周期没有会议记录" />
                    ),
                  },
                  {
                    key: 'meeting',
                    label: cycle.meetingId ? '会议记录' : '会议记录（未记录）',
                    children: <MeetingPanel cycle={cycle} canRecord={office} />,
                  },
                ]}
              />
            </Card>
          </Space>
        )}
      </QueryState>
    </>
  );
}
