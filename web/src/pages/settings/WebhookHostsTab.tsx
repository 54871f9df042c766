import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Form, Input, List, Popconfirm, Tag, Typography } from 'antd';

import { api, call } from '../../api/client';
import { QueryState } from '../../components/QueryState';
import { showFieldErrors } from '../../components/settings/shared';

/**
 * Webhook 白名单: the hosts robot and webhook channels may post to (besides the built-in DingTalk and WeCom
 * robot hosts). Every send checks it, and refuses addresses in private networks whatever the list says.
 */
export function WebhookHostsTab() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ host: string }>();
  const hosts = useQuery({
    queryKey: ['webhook-hosts'],
    queryFn: () => call(api.GET('/api/v1/admin/webhook-hosts')),
  });
  const add = useMutation({
    mutationFn: (host: string) => call(api.POST('/api/v1/admin/webhook-hosts', { body: { host } })),
    onSuccess: (data, host) => {
      client.setQueryData(['webhook-hosts'], data);
      form.resetFields();
      void message.success(`已添加 ${host.toLowerCase()}`);
    },
    onError: (e) => {
      if (!showFieldErrors(form, e)) void message.error(e.message);
    },
  });
  const remove = useMutation({
    mutationFn: (host: string) =>
      call(api.DELETE('/api/v1/admin/webhook-hosts/{host}', { params: { path: { host } } })),
    onSuccess: (_, host) => void message.success(`已移除 ${host}`),
    onError: (e) => void message.error(e.message),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhook-hosts'] }),
  });

  return (
    <QueryState isPending={hosts.isPending} error={hosts.error} refetch={hosts.refetch}>
      <Typography.Paragraph type="secondary">
        钉钉、企业微信机器人和 Webhook 只能推送到下列主机；解析到内网或保留地址的一律拒绝。写 *.example.com
        表示其所有子域名。
      </Typography.Paragraph>
      <Flex gap={16} wrap align="start">
        <Card
          title="本单位添加的主机"
          size="small"
          style={{ flex: '1 1 360px' }}
          extra={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void hosts.refetch()}>
              刷新
            </Button>
          }
        >
          <Form
            form={form}
            layout="inline"
            onFinish={(v) => add.mutate(v.host.trim())}
            style={{ marginBottom: 12 }}
          >
            <Form.Item
              name="host"
              rules={[{ required: true, whitespace: true, message: '请填写主机名' }]}
              style={{ flex: 1 }}
            >
              <Input placeholder="hooks.example.gov.cn" aria-label="主机名" autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              添加
            </Button>
          </Form>
          {hosts.data?.added.length ? (
            <List
              size="small"
              dataSource={hosts.data.added}
              renderItem={(host) => (
                <List.Item
                  actions={[
                    <Popconfirm
                      key="remove"
                      title={`移除 ${host}？`}
                      description="使用该主机的渠道之后的发送都会失败。"
                      onConfirm={() => remove.mutateAsync(host).catch(() => {})}
                    >
                      <Button type="link" size="small" danger>
                        移除
                      </Button>
                    </Popconfirm>,
                  ]}
                >
                  <Typography.Text code>{host}</Typography.Text>
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未添加主机" />
          )}
        </Card>
        <Card title="内置主机（所有单位可用）" size="small" style={{ flex: '1 1 280px' }}>
          <Flex gap={8} wrap>
            {hosts.data?.builtIn.map((h) => (
              <Tag key={h}>{h}</Tag>
            ))}
          </Flex>
        </Card>
      </Flex>
    </QueryState>
  );
}
