import {
  AuditOutlined,
  BellOutlined,
  ClockCircleOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  ReloadOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Flex, List, Row, Skeleton, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { hasRole, useMe } from '../auth/auth';
import { CompletionBar, NextReportText } from '../components/ItemFigures';
import { QueryState } from '../components/QueryState';
import { date, dateTime, LightTag } from '../lib/format';
import {
  LIGHT_NAMES,
  MESSAGE_LEVELS,
  listItems,
  reportOpen,
  type ItemRow,
  type LightFilter,
} from '../lib/itemText';

type Summary = Schemas['MeSummaryDto'];

function CountCard(props: {
  testId: string;
  title: string;
  value: number;
  to: string;
  icon: ReactNode;
  hint: string;
  tone?: 'warn' | 'danger';
}) {
  const hot = props.tone && props.value > 0 ? ` count-card-${props.tone}` : '';
  return (
    <Link to={props.to} data-testid={`count-${props.testId}`} aria-label={`${props.title} ${props.value}`}>
      <Card hoverable size="small" className={`count-card${hot}`}>
        <Flex align="center" gap={12}>
          <span className="count-icon">{props.icon}</span>
          <div style={{ minWidth: 0 }}>
            <div className="count-title">{props.title}</div>
            <div className="count-value" data-value={props.value}>
              {props.value}
              <span className="count-unit">{props.testId === 'unread' ? '条' : '项'}</span>
            </div>
          </div>
        </Flex>
        <Typography.Text type="secondary" className="count-hint" ellipsis>
          {props.hint}
        </Typography.Text>
      </Card>
    </Link>
  );
}

function LightsCard({ lights }: { lights: Summary['lights'] }) {
  const total = lights.red + lights.yellow + lights.green + lights.none;
  const order: LightFilter[] = ['red', 'yellow', 'green', 'none'];
  const colors: Record<LightFilter, string> = {
    red: '#ff4d4f',
    yellow: '#faad14',
    green: '#52c41a',
    none: '#d9d9d9',
  };
  return (
    <Card
      size="small"
      title="我的事项灯色"
      extra={<Link to="/tasks?scope=mine">全部 {total} 项</Link>}
      className="home-card"
    >
      {total === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无由我负责的事项" />
      ) : (
        <>
          <div className="lights-bar" aria-hidden>
            {order.map((l) =>
              lights[l] ? (
                <div key={l} style={{ flex: lights[l], background: colors[l] }} title={LIGHT_NAMES[l]} />
              ) : null,
            )}
          </div>
          <Row gutter={8} style={{ marginTop: 12 }}>
            {order.map((l) => (
              <Col span={6} key={l}>
                <Link to={`/tasks?scope=mine&light=${l}`} data-testid={`light-${l}`} className="light-link">
                  <span className="light-dot" style={{ background: colors[l] }} />
                  <span className="light-name">{LIGHT_NAMES[l]}</span>
                  <span className="light-count">{lights[l]}</span>
                </Link>
              </Col>
            ))}
          </Row>
        </>
      )}
    </Card>
  );
}

/** A short list of my items from one 工作台 list (returned or due), each with its way to the report form. */
function TodoList(props: {
  todo: 'returned' | 'report_due';
  title: string;
  count: number;
  cycleStart?: string;
}) {
  const { todo, title, count, cycleStart } = props;
  // Leaders see their lines' reports here but do not file them: no 填报 button that would end in 403.
  const canReport = hasRole(useMe(), 'member', 'head', 'dispatcher', 'admin');
  const query = { mine: 'true' as const, todo, page: '1', pageSize: '5' };
  const items = useQuery({
    queryKey: ['items', query],
    queryFn: () => listItems(query),
    enabled: count > 0,
  });
  if (count === 0) return null;
  return (
    <Card
      size="small"
      title={
        <>
          {title}
          <Tag color={todo === 'returned' ? 'error' : 'warning'} style={{ marginInlineStart: 8 }}>
            {count}
          </Tag>
        </>
      }
      extra={<Link to={`/tasks?scope=mine&todo=${todo}`}>查看全部</Link>}
      className="home-card"
    >
      <QueryState isPending={items.isPending} error={items.error} refetch={() => void items.refetch()}>
        <List<ItemRow>
          size="small"
          dataSource={items.data?.items ?? []}
          renderItem={(item) => (
            <List.Item
              actions={
                canReport && item.nextReport && reportOpen(item)
                  ? [
                      <Link key="r" to={`/items/${item.id}/report/${item.nextReport.period}`}>
                        <Button size="small" type={todo === 'returned' ? 'primary' : 'default'}>
                          {todo === 'returned' || item.nextReport.status === 'returned'
                            ? '重新提交'
                            : item.nextReport.status === 'draft'
                              ? '继续填报'
                              : '填报'}
                        </Button>
                      </Link>,
                    ]
                  : undefined
              }
            >
              <div style={{ minWidth: 0, flex: 1 }}>
                <Flex gap={6} align="center" wrap>
                  <LightTag light={item.figures?.light} />
                  <Link to={`/items/${item.id}`} className="item-title">
                    {item.title}
                  </Link>
                </Flex>
                <div className="todo-meta">
                  <NextReportText item={item} cycleStart={cycleStart} />
                </div>
                <div style={{ maxWidth: 320 }}>
                  <CompletionBar figures={item.figures} />
                </div>
              </div>
            </List.Item>
          )}
        />
      </QueryState>
    </Card>
  );
}

function UnreadCard({ unread }: { unread: number }) {
  const query = { unread: 'true', page: 1, pageSize: 5 };
  const inbox = useQuery({
    queryKey: ['inbox', query],
    queryFn: () => call(api.GET('/api/v1/inbox', { params: { query } })),
    enabled: unread > 0,
  });
  return (
    <Card size="small" title="未读消息" extra={<Link to="/messages">全部消息</Link>} className="home-card">
      {unread === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有未读消息" />
      ) : (
        <QueryState isPending={inbox.isPending} error={inbox.error}>
          <List
            size="small"
            dataSource={inbox.data?.items ?? []}
            renderItem={(m) => (
              <List.Item>
                <div style={{ minWidth: 0 }}>
                  <Tag color={MESSAGE_LEVELS[m.level]?.color}>{MESSAGE_LEVELS[m.level]?.text ?? m.level}</Tag>
                  <Link to={m.itemId ? `/items/${m.itemId}` : '/messages'}>{m.title}</Link>
                  <div className="todo-meta">{dateTime(m.createdAt)}</div>
                </div>
              </List.Item>
            )}
          />
        </QueryState>
      )}
    </Card>
  );
}

/** 工作台: my counts (one round trip, GET /me/summary), each opening its list, and my items' lights. */
export default function HomePage() {
  const me = useMe();
  const summary = useQuery({
    queryKey: ['me', 'summary'],
    queryFn: () => call(api.GET('/api/v1/me/summary')),
  });
  const s = summary.data;
  const cycleStart = s?.cycle ? `${s.cycle.period}-01` : undefined;

  return (
    <>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <div>
          <h1 className="page-title" style={{ margin: 0 }}>
            工作台
          </h1>
          <Typography.Text type="secondary">
            {me.name}，{me.unit.name}
          </Typography.Text>
        </div>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void summary.refetch()}
          loading={summary.isFetching && !summary.isPending}
        >
          刷新
        </Button>
      </Flex>
      <QueryState isPending={summary.isPending} error={summary.error} refetch={() => void summary.refetch()}>
        {s ? (
          <>
            {s.cycle ? (
              <Alert
                type="info"
                showIcon
                icon={<ClockCircleOutlined />}
                className="cycle-banner"
                message={
                  <span>
                    当前调度周期 <b>{s.cycle.periodName}</b>，本期进度请于 <b>{date(s.cycle.reportDueOn)}</b>{' '}
                    前填报
                  </span>
                }
              />
            ) : (
              <Alert type="info" showIcon className="cycle-banner" message="当前没有进行中的调度周期" />
            )}
            <div className="count-grid">
              <CountCard
                testId="reportDue"
                title="待填报"
                value={s.reportDue}
                to="/tasks?scope=mine&todo=report_due"
                icon={<EditOutlined />}
                hint="本周期应报未提交"
                tone="warn"
              />
              <CountCard
                testId="returned"
                title="已退回"
                value={s.returned}
                to="/tasks?scope=mine&todo=returned"
                icon={<RollbackOutlined />}
                hint="审核退回，待重新提交"
                tone="danger"
              />
              <CountCard
                testId="dueSoon"
                title="即将到期"
                value={s.dueSoon}
                to="/tasks?scope=mine&todo=due_soon"
                icon={<ClockCircleOutlined />}
                hint="10 个工作日内到完成时限"
                tone="warn"
              />
              <CountCard
                testId="overdue"
                title="已逾期"
                value={s.overdue}
                to="/tasks?scope=mine&todo=overdue"
                icon={<ExclamationCircleOutlined />}
                hint="已过完成时限未办结"
                tone="danger"
              />
              {s.toReview !== null && (
                <CountCard
                  testId="toReview"
                  title="待审核"
                  value={s.toReview}
                  to="/reviews"
                  icon={<AuditOutlined />}
                  hint="填报、延期、销号待我审核"
                  tone="warn"
                />
              )}
              <CountCard
                testId="unread"
                title="未读消息"
                value={s.unread}
                to="/messages?unread=true"
                icon={<BellOutlined />}
                hint="提醒、催办、督办与通知"
              />
            </div>
            <Row gutter={[12, 12]}>
              <Col xs={24} lg={15}>
                <Flex vertical gap={12}>
                  {s.toReview !== null && s.toReview > 0 && (
                    <Alert
                      type="warning"
                      showIcon
                      icon={<AuditOutlined />}
                      message={`有 ${s.toReview} 项填报、延期或销号申请等待您审核`}
                      action={
                        <Link to="/reviews">
                          <Button size="small" type="primary">
                            去审核
                          </Button>
                        </Link>
                      }
                    />
                  )}
                  <TodoList todo="returned" title="被退回的填报" count={s.returned} cycleStart={cycleStart} />
                  <TodoList
                    todo="report_due"
                    title="本期待填报"
                    count={s.reportDue}
                    cycleStart={cycleStart}
                  />
                  {s.returned === 0 && s.reportDue === 0 && (
                    <Card size="small" className="home-card">
                      <Empty
                        image={Empty.PRESENTED_IMAGE_SIMPLE}
                        description={
                          s.cycle ? `${s.cycle.periodName}没有待我填报的进度` : '暂无待我填报的进度'
                        }
                      />
                    </Card>
                  )}
                </Flex>
              </Col>
              <Col xs={24} lg={9}>
                <Flex vertical gap={12}>
                  <LightsCard lights={s.lights} />
                  <UnreadCard unread={s.unread} />
                </Flex>
              </Col>
            </Row>
          </>
        ) : (
          <Skeleton active />
        )}
      </QueryState>
    </>
  );
}
