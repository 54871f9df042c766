import { PaperClipOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Grid,
  List,
  Progress,
  Row,
  Skeleton,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { CompletionBar, DeadlineText, NextReportText } from '../components/ItemFigures';
import { ItemActions } from '../components/ItemActions';
import { ItemReviewPanel } from '../components/ItemReviewPanel';
import { QueryState } from '../components/QueryState';
import { useCurrentCycle } from '../hooks/useCurrentCycle';
import { date, dateTime, LightTag, percent } from '../lib/format';
import { MESSAGE_LEVELS, REPORT_STATUS, STATUS_COLORS, numbered, type Item } from '../lib/itemText';

type Report = Schemas['ReportDto'];
type Evidence = Report['evidence'][number];

/** "2022-06" → 2022年6月, "2022-W24" → 2022年第24周, "2022-Q2" → 2022年第2季度, "2022" → 2022年. */
export function periodLabel(key: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) return `${m[1]}年第${Number(m[2])}周`;
  m = /^(\d{4})-Q(\d)$/.exec(key);
  if (m) return `${m[1]}年第${m[2]}季度`;
  return /^\d{4}$/.test(key) ? `${key}年` : key;
}

function useItemPart<T>(id: string, part: string, fn: () => Promise<T>, enabled = true) {
  return useQuery({ queryKey: ['item', id, part], queryFn: fn, enabled });
}

/** Evidence is behind the bearer token: fetched as a blob, then handed to the browser as a download. */
function EvidenceLink({ ev }: { ev: Evidence }) {
  const { message } = App.useApp();
  async function download() {
    try {
      const blob = await call(
        api.GET('/api/v1/evidence/{id}/download', { params: { path: { id: ev.id } }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = ev.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      void message.error((e as Error).message);
    }
  }
  return (
    <Button type="link" size="small" icon={<PaperClipOutlined />} onClick={() => void download()}>
      {ev.filename}
      <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
        {(ev.size / 1024).toFixed(0)} KB
      </Typography.Text>
    </Button>
  );
}

function ReportsTab({ item }: { item: Item }) {
  const reports = useItemPart(item.id, 'reports', () =>
    call(api.GET('/api/v1/items/{id}/reports', { params: { path: { id: item.id } } })),
  );
  const progress = useItemPart(item.id, 'progress', () =>
    call(api.GET('/api/v1/items/{id}/progress', { params: { path: { id: item.id } } })),
  );
  const metric = new Map((progress.data?.targets ?? []).map((t) => [t.targetId, t.metric]));
  const sorted = [...(reports.data ?? [])].sort((a, b) => b.periodKey.localeCompare(a.periodKey));
  return (
    <QueryState isPending={reports.isPending} error={reports.error} refetch={() => void reports.refetch()}>
      {sorted.length === 0 ? (
        <Empty description="还没有填报" />
      ) : (
        <List<Report>
          dataSource={sorted}
          renderItem={(r) => {
            const st = REPORT_STATUS[r.status] ?? { text: r.statusName, color: 'default' };
            const editable = r.status === 'draft' || r.status === 'returned';
            return (
              <List.Item data-testid="report" className="report-entry">
                <div style={{ width: '100%' }}>
                  <Flex justify="space-between" align="center" wrap gap={8}>
                    <Flex gap={8} align="center" wrap>
                      <Typography.Text strong>{periodLabel(r.periodKey)}</Typography.Text>
                      <Tag color={st.color}>{st.text}</Tag>
                      <Typography.Text>完成率 {percent(r.percent)}</Typography.Text>
                    </Flex>
                    <Link to={`/items/${item.id}/report/${r.periodKey}`}>{editable ? '去填报' : '查看'}</Link>
                  </Flex>
                  {r.status === 'returned' && r.reviewComment && (
                    <Alert
                      type="error"
                      showIcon
                      message="退回意见"
                      description={r.reviewComment}
                      style={{ margin: '8px 0' }}
                    />
                  )}
                  <Descriptions size="small" column={1} className="report-text">
                    <Descriptions.Item label="进展情况">{r.progress || '—'}</Descriptions.Item>
                    {r.problems && <Descriptions.Item label="存在问题">{r.problems}</Descriptions.Item>}
                    {r.nextSteps && <Descriptions.Item label="下步计划">{r.nextSteps}</Descriptions.Item>}
                    {r.decreaseReason && (
                      <Descriptions.Item label="完成率下降原因">{r.decreaseReason}</Descriptions.Item>
                    )}
                    {r.actuals.length > 0 && (
                      <Descriptions.Item label="指标完成值">
                        {r.actuals
                          .map((a) => `${metric.get(a.targetId) ?? '指标'}：${a.value} ${a.unit}`)
                          .join('；')}
                      </Descriptions.Item>
                    )}
                    {r.status === 'approved' && r.reviewComment && (
                      <Descriptions.Item label="审核意见">{r.reviewComment}</Descriptions.Item>
                    )}
                    {r.contributions.map((c) => (
                      <Descriptions.Item key={c.id} label={`配合：${c.unitName}`}>
                        {c.text}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                  {r.evidence.length > 0 && (
                    <Flex wrap gap={4}>
                      {r.evidence.map((ev) => (
                        <EvidenceLink key={ev.id} ev={ev} />
                      ))}
                    </Flex>
                  )}
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </QueryState>
  );
}

function RemindersTab({ item }: { item: Item }) {
  const reminders = useItemPart(item.id, 'reminders', () =>
    call(api.GET('/api/v1/items/{id}/reminders', { params: { path: { id: item.id } } })),
  );
  return (
    <QueryState
      isPending={reminders.isPending}
      error={reminders.error}
      refetch={() => void reminders.refetch()}
    >
      {(reminders.data ?? []).length === 0 ? (
        <Empty description="没有收到提醒、催办或督办" />
      ) : (
        <List
          size="small"
          dataSource={reminders.data}
          renderItem={(r) => {
            const level = MESSAGE_LEVELS[r.level] ?? { text: r.level, color: 'default' };
            return (
              <List.Item>
                <div style={{ minWidth: 0 }}>
                  <Flex gap={6} align="center" wrap>
                    <Tag color={level.color}>{level.text}</Tag>
                    <Typography.Text>{r.title}</Typography.Text>
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.orderNumber ? `单号 ${r.orderNumber} · ` : ''}针对 {date(r.dueOn)} 的时限 · 发出于{' '}
                    {dateTime(r.createdAt)}
                  </Typography.Text>
                </div>
              </List.Item>
            );
          }}
        />
      )}
    </QueryState>
  );
}

function RequestsTab({ item }: { item: Item }) {
  const extensions = useItemPart(item.id, 'extensions', () =>
    call(api.GET('/api/v1/items/{id}/extensions', { params: { path: { id: item.id } } })),
  );
  const closeouts = useItemPart(item.id, 'closeouts', () =>
    call(api.GET('/api/v1/items/{id}/closeouts', { params: { path: { id: item.id } } })),
  );
  const color = (s: string) =>
    s === 'pending' ? 'processing' : s === 'approved' ? 'success' : s === 'withdrawn' ? 'default' : 'error';
  return (
    <QueryState
      isPending={extensions.isPending || closeouts.isPending}
      error={extensions.error ?? closeouts.error}
    >
      <Typography.Title level={5}>延期申请</Typography.Title>
      {(extensions.data ?? []).length === 0 ? (
        <Typography.Paragraph type="secondary">没有延期申请</Typography.Paragraph>
      ) : (
        <List
          size="small"
          dataSource={extensions.data}
          renderItem={(x) => (
            <List.Item>
              <div>
                <Flex gap={6} align="center" wrap>
                  <Tag color={color(x.status)}>{x.statusName}</Tag>
                  <span>
                    完成时限 {date(x.originalDeadline)} → 申请延至 <b>{date(x.requestedDeadline)}</b>
                  </span>
                </Flex>
                <div className="todo-meta">理由：{x.reason}</div>
                {x.decisionComment && <div className="todo-meta">审批意见：{x.decisionComment}</div>}
              </div>
            </List.Item>
          )}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        销号申请
      </Typography.Title>
      {(closeouts.data ?? []).length === 0 ? (
        <Typography.Paragraph type="secondary">没有销号申请</Typography.Paragraph>
      ) : (
        <List
          size="small"
          dataSource={closeouts.data}
          renderItem={(x) => (
            <List.Item>
              <div>
                <Tag color={color(x.status)}>{x.statusName}</Tag>
                <span>{x.note}</span>
                {x.decisionReason && <div className="todo-meta">驳回理由：{x.decisionReason}</div>}
              </div>
            </List.Item>
          )}
        />
      )}
    </QueryState>
  );
}

function HistoryTab({ item }: { item: Item }) {
  const history = useItemPart(item.id, 'history', () =>
    call(api.GET('/api/v1/items/{id}/history', { params: { path: { id: item.id } } })),
  );
  const entries = [...(history.data ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <QueryState isPending={history.isPending} error={history.error} refetch={() => void history.refetch()}>
      {entries.length === 0 ? (
        <Empty description="没有记录" />
      ) : (
        <Timeline
          style={{ marginTop: 8 }}
          items={entries.map((h) => ({
            key: h.id,
            children: (
              <div data-testid="history-entry">
                <div>
                  <Typography.Text strong>{h.actionName}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    {dateTime(h.at)} · {h.actor}
                  </Typography.Text>
                </div>
                {h.changes.map((c) => (
                  <div key={c.field} className="history-change">
                    {c.fieldName}：<span className="history-before">{c.before}</span> →{' '}
                    <span className="history-after">{c.after}</span>
                  </div>
                ))}
              </div>
            ),
          }))}
        />
      )}
    </QueryState>
  );
}

function FiguresCard({ item }: { item: Item }) {
  const status = useItemPart(item.id, 'status', () =>
    call(api.GET('/api/v1/items/{id}/status', { params: { path: { id: item.id } } })),
  );
  const f = item.figures;
  return (
    <Card size="small" title="进度与灯色" className="home-card">
      <Flex align="center" gap={16} wrap>
        <Progress
          type="dashboard"
          size={96}
          percent={Math.round(f?.completion ?? 0)}
          format={() => (
            <span style={{ fontSize: 16 }}>
              {percent(f?.completion)}
              <div style={{ fontSize: 11, color: 'rgba(0,0,0,.45)' }}>完成率</div>
            </span>
          )}
          strokeColor={
            f?.light === 'red'
              ? '#ff4d4f'
              : f?.light === 'yellow'
                ? '#faad14'
                : f?.light
                  ? '#52c41a'
                  : '#bfbfbf'
          }
        />
        <div style={{ flex: 1, minWidth: 160 }}>
          <div style={{ marginBottom: 8 }}>
            <LightTag light={f?.light} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              竖线为序时进度
            </Typography.Text>
          </div>
          <CompletionBar figures={f} />
        </div>
      </Flex>
      {status.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} title={false} style={{ marginTop: 12 }} />
      ) : status.data ? (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">亮灯依据</Typography.Text>
          <ul className="reasons">
            {status.data.reasons.map((r) => (
              <li key={r.code + r.text}>{r.text}</li>
            ))}
            {status.data.workdaysLeft !== null && status.data.workdaysLeft >= 0 && (
              <li>距完成时限还有 {status.data.workdaysLeft} 个工作日</li>
            )}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}

function TargetsCard({ item, phone }: { item: Item; phone: boolean }) {
  const progress = useItemPart(item.id, 'progress', () =>
    call(api.GET('/api/v1/items/{id}/progress', { params: { path: { id: item.id } } })),
  );
  if (item.targets.length === 0) return null;
  const rows = progress.data?.targets ?? [];
  // A target without a number (e.g. "≥ x 条" in the plan's text) is shown as the plan wrote it; a range
  // (区间指标) as "2～4 个", measured against its lower bound.
  const goal = (t: (typeof rows)[number]) => {
    if (t.target !== null && t.upper !== null) return `${t.target}～${t.upper} ${t.unit}`;
    if (t.target !== null && !isRange(t)) return `${t.target} ${t.unit}`;
    const text = item.targets.find((x) => x.metric === t.metric)?.text;
    return text?.replace(t.metric, '').trim() || '—';
  };
  const isRange = (t: (typeof rows)[number]) =>
    item.targets.find((x) => x.metric === t.metric)?.comparator === 'range';
  const rangeNote = rows.some(isRange) ? '区间指标（如 1～2 个）达到下限即算完成，超过上限也算完成。' : null;
  return (
    <Card
      size="small"
      title="量化指标"
      className="home-card"
      extra={
        progress.data?.periodKey ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            截至 {periodLabel(progress.data.periodKey)}审核通过的填报
          </Typography.Text>
        ) : null
      }
    >
      <QueryState isPending={progress.isPending} error={progress.error}>
        {rangeNote ? (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            {rangeNote}
          </Typography.Paragraph>
        ) : null}
        {phone ? (
          <List
            size="small"
            dataSource={rows}
            renderItem={(t) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <div>{t.metric}</div>
                  <Flex justify="space-between" className="todo-meta">
                    <span>目标 {goal(t)}</span>
                    <span>
                      完成 <b>{t.actual}</b> {t.unit}
                    </span>
                  </Flex>
                </div>
              </List.Item>
            )}
          />
        ) : (
          <Table
            size="small"
            rowKey="targetId"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: '指标', dataIndex: 'metric' },
              {
                title: '目标',
                key: 'target',
                width: 110,
                render: (_, t) => goal(t),
              },
              {
                title: '完成',
                key: 'actual',
                width: 130,
                render: (_, t) => (
                  <>
                    <b>{t.actual}</b> {t.unit}
                    {t.target ? (
                      <Progress
                        percent={Math.min(100, Math.round((t.actual / t.target) * 100))}
                        size="small"
                        showInfo={false}
                      />
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </Card>
  );
}

/** 事项详情: where the item sits in the plan, its figures and targets, reports, reminders and history. */
export default function ItemPage() {
  const { id = '' } = useParams();
  const phone = !Grid.useBreakpoint().md;
  const item = useQuery({
    queryKey: ['item', id],
    queryFn: () => call(api.GET('/api/v1/items/{id}', { params: { path: { id } } })),
  });
  const it = item.data;
  const { cycleStart } = useCurrentCycle();
  return (
    <QueryState isPending={item.isPending} error={item.error} refetch={() => void item.refetch()}>
      {it && (
        <>
          <Breadcrumb
            className="item-breadcrumb"
            items={[
              { title: <Link to="/tasks">我的任务</Link> },
              { title: it.position.plan.title },
              { title: numbered(it.position.section) },
              { title: numbered(it.position.task) },
            ]}
          />
          <Flex justify="space-between" align="start" wrap gap={12} style={{ marginBottom: 12 }}>
            <div style={{ minWidth: 0, flex: '1 1 360px' }}>
              <h1 className="page-title" style={{ marginBottom: 6 }}>
                {it.title}
              </h1>
              <Flex gap={4} wrap align="center">
                <LightTag light={it.figures?.light} />
                <Tag color={STATUS_COLORS[it.status]}>{it.statusName}</Tag>
                {it.overdue && <Tag color="error">已逾期</Tag>}
                {it.meeting && <Tag color="purple">月调度会交办</Tag>}
                {it.tags.map((t) => (
                  <Tag key={t} bordered={false}>
                    {t}
                  </Tag>
                ))}
              </Flex>
              {it.statusReason && (
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                  {it.statusName}原因：{it.statusReason}
                </Typography.Text>
              )}
            </div>
            <Flex gap={8} wrap>
              <ItemActions item={it} />
              <Button
                icon={<ReloadOutlined />}
                onClick={() => void item.refetch()}
                loading={item.isFetching}
                aria-label="刷新"
              >
                {phone ? null : '刷新'}
              </Button>
            </Flex>
          </Flex>
          <ItemReviewPanel item={it} />
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={{ span: 24, order: 2 }} lg={{ span: 15, order: 1 }}>
              <Flex vertical gap={12}>
                <Card size="small" title="基本情况" className="home-card">
                  <Descriptions size="small" column={phone ? 1 : 2} className="item-desc">
                    <Descriptions.Item label="牵头单位">{it.leadUnit.name}</Descriptions.Item>
                    <Descriptions.Item label="责任人">{it.owner?.name ?? '未分派'}</Descriptions.Item>
                    <Descriptions.Item label="责任领导">{it.responsibleLeader.name}</Descriptions.Item>
                    <Descriptions.Item label="配合单位">
                      {it.coUnits.length ? it.coUnits.map((u) => u.name).join('、') : '无'}
                    </Descriptions.Item>
                    <Descriptions.Item label="开始日期">{date(it.startDate)}</Descriptions.Item>
                    <Descriptions.Item label="完成时限">
                      <DeadlineText item={it} />
                      {it.originalDeadline && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          （原 {date(it.originalDeadline)}）
                        </Typography.Text>
                      )}
                    </Descriptions.Item>
                    <Descriptions.Item label="填报频次">{it.cadenceName}</Descriptions.Item>
                    <Descriptions.Item label="下次填报">
                      <NextReportText item={it} cycleStart={cycleStart} />
                    </Descriptions.Item>
                  </Descriptions>
                  {it.detail && (
                    <>
                      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
                        具体内容
                      </Typography.Text>
                      <Typography.Paragraph className="item-detail">{it.detail}</Typography.Paragraph>
                    </>
                  )}
                  {it.milestones.length > 0 && (
                    <>
                      <Typography.Text type="secondary">月度节点</Typography.Text>
                      <Flex wrap gap={4} style={{ margin: '4px 0 8px' }}>
                        {it.milestones.map((m) => (
                          <Tag key={m.month}>
                            {periodLabel(m.month)}末 {percent(m.percent)}
                          </Tag>
                        ))}
                      </Flex>
                    </>
                  )}
                </Card>
                <TargetsCard item={it} phone={phone} />
              </Flex>
            </Col>
            <Col xs={{ span: 24, order: 1 }} lg={{ span: 9, order: 2 }}>
              <FiguresCard item={it} />
            </Col>
          </Row>
          <Card size="small" className="home-card">
            <Tabs
              items={[
                { key: 'reports', label: '填报记录', children: <ReportsTab item={it} /> },
                { key: 'reminders', label: '提醒催办', children: <RemindersTab item={it} /> },
                { key: 'requests', label: '延期与销号', children: <RequestsTab item={it} /> },
                { key: 'history', label: '操作记录', children: <HistoryTab item={it} /> },
              ]}
            />
          </Card>
        </>
      )}
    </QueryState>
  );
}
