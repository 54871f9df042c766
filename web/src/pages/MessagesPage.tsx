import { CheckOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  List,
  Pagination,
  Segmented,
  Tag,
  Typography,
} from 'antd';
import { useNavigate } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { QueryState } from '../components/QueryState';
import { useSearchState } from '../hooks/useSearchState';
import { dateTime } from '../lib/format';
import { MESSAGE_LEVELS } from '../lib/itemText';

type Message = Schemas['NotificationDto'];

/**
 * 消息: the inbox, newest first, paged on the server. Opening a message marks it read and goes to the item it
 * is about (a returned report's message carries the reason in its text, so it is shown whole).
 */
export default function MessagesPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [s, set] = useSearchState(['unread', 'page'] as const);
  const unreadOnly = s.unread === 'true';
  const page = Math.max(1, Number(s.page) || 1);
  const query = { unread: unreadOnly ? 'true' : undefined, page, pageSize: 20 };
  const inbox = useQuery({
    queryKey: ['inbox', query],
    queryFn: () => call(api.GET('/api/v1/inbox', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const refreshCounts = () => {
    void client.invalidateQueries({ queryKey: ['inbox'] });
    void client.invalidateQueries({ queryKey: ['me', 'summary'] });
  };
  const markRead = useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/inbox/{id}/read', { params: { path: { id } } })),
    onSettled: refreshCounts,
  });
  const readAll = useMutation({
    mutationFn: () => call(api.POST('/api/v1/inbox/read-all')),
    onSuccess: (r) => void message.success(r.marked ? `已将 ${r.marked} 条消息标记为已读` : '没有未读消息'),
    onError: (e) => void message.error(e.message),
    onSettled: refreshCounts,
  });

  function open(m: Message) {
    if (!m.readAt) markRead.mutate(m.id);
    if (m.itemId) navigate(`/items/${m.itemId}`);
  }

  const data = inbox.data;
  return (
    <>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          消息
        </h1>
        <Flex gap={8}>
          <Button
            icon={<CheckOutlined />}
            onClick={() => readAll.mutate()}
            loading={readAll.isPending}
            disabled={!data || data.unread === 0}
          >
            全部已读
          </Button>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void inbox.refetch()}
            loading={inbox.isFetching && !inbox.isPending}
          >
            刷新
          </Button>
        </Flex>
      </Flex>
      <Segmented
        value={unreadOnly ? 'unread' : 'all'}
        onChange={(v) => set({ unread: v === 'unread' ? 'true' : undefined })}
        options={[
          { value: 'all', label: '全部' },
          {
            value: 'unread',
            label: (
              <span>
                未读 <Badge count={data?.unread ?? 0} size="small" showZero={false} />
              </span>
            ),
          },
        ]}
        style={{ marginBottom: 12 }}
      />
      <QueryState isPending={inbox.isPending} error={inbox.error} refetch={() => void inbox.refetch()}>
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <List<Message>
            dataSource={data?.items ?? []}
            loading={inbox.isFetching && !inbox.isPending}
            locale={{
              emptyText: (
                <Empty description={unreadOnly ? '没有未读消息' : '还没有消息'} style={{ padding: 24 }} />
              ),
            }}
            renderItem={(m) => {
              const level = MESSAGE_LEVELS[m.level] ?? { text: m.level, color: 'default' };
              const clickable = !!m.itemId || !m.readAt;
              return (
                <List.Item
                  className={`message${m.readAt ? '' : ' message-unread'}${clickable ? ' message-link' : ''}`}
                  data-testid="message"
                  onClick={clickable ? () => open(m) : undefined}
                  role={m.itemId ? 'link' : undefined}
                >
                  <Flex gap={10} align="start" style={{ width: '100%' }}>
                    <span className="message-dot" aria-label={m.readAt ? '已读' : '未读'} />
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <Flex gap={6} align="center" wrap>
                        <Tag color={level.color} style={{ marginInlineEnd: 0 }}>
                          {level.text}
                        </Tag>
                        <Typography.Text strong={!m.readAt} className="message-title">
                          {m.title}
                        </Typography.Text>
                      </Flex>
                      <div className="message-body">{m.body}</div>
                      <Flex justify="space-between" align="center" gap={8}>
                        <Typography.Text type="secondary" className="message-time">
                          {dateTime(m.createdAt)}
                          {m.readAt ? ' · 已读' : ''}
                        </Typography.Text>
                        {m.itemId && (
                          <Typography.Link className="message-open">
                            查看事项 <RightOutlined />
                          </Typography.Link>
                        )}
                      </Flex>
                    </div>
                  </Flex>
                </List.Item>
              );
            }}
          />
        </Card>
        {data && data.total > 20 && (
          <Pagination
            current={page}
            pageSize={20}
            total={data.total}
            onChange={(p) => set({ page: p === 1 ? undefined : String(p) })}
            showSizeChanger={false}
            showTotal={(t) => `共 ${t} 条`}
            simple={phone}
            style={{ marginTop: 12, textAlign: 'center' }}
          />
        )}
      </QueryState>
    </>
  );
}
