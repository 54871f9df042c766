import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';

import { api, call, type Schemas } from '../../api/client';
import { useMe } from '../../auth/auth';
import { QueryState } from '../../components/QueryState';
import { showFieldErrors, unitOptions, useUnits } from '../../components/settings/shared';
import { useSearchState } from '../../hooks/useSearchState';

type Channel = Schemas['ChannelDto'];
type Kind = Channel['channel'];

const KINDS: { kind: Kind; name: string; placeholder: string; secret?: string }[] = [
  {
    kind: 'dingtalk',
    name: '钉钉机器人',
    placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…',
    secret: '加签密钥（SEC 开头，选填）',
  },
  {
    kind: 'wecom',
    name: '企业微信机器人',
    placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  },
  { kind: 'email', name: '电子邮件', placeholder: 'name@example.gov.cn' },
  {
    kind: 'webhook',
    name: 'Webhook',
    placeholder: 'https://hooks.example.gov.cn/duban',
    secret: '签名密钥（必填，至少 8 位）',
  },
];

/**
 * 通知渠道: where a unit's (or a person's) reminders go besides the inbox. Tokens and secrets are write-only:
 * the list shows the address without its token and whether a secret is stored. 发送测试消息 sends one now.
 */
export function ChannelsTab() {
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [s, set] = useSearchState(['owner', 'id'] as const);
  const ownerType: 'unit' | 'user' = s.owner === 'user' ? 'user' : 'unit';
  const ownerId = s.id ?? (ownerType === 'unit' ? me.unit.id : me.id);
  const units = useUnits();
  const users = useQuery({
    queryKey: ['users', {}],
    queryFn: () => call(api.GET('/api/v1/users', { params: { query: {} } })),
    enabled: ownerType === 'user',
  });
  const query = { ownerType, ownerId };
  const channels = useQuery({
    queryKey: ['channels', query],
    queryFn: () => call(api.GET('/api/v1/channels', { params: { query } })),
  });
  const [editing, setEditing] = useState<Kind | null>(null);
  const [result, setResult] = useState<{ kind: Kind; ok: boolean; message: string } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['channels'] });
  const test = useMutation({
    mutationFn: (c: Channel) =>
      call(api.POST('/api/v1/channels/{id}/test', { params: { path: { id: c.id } } })),
    onMutate: () => setResult(null),
    onSuccess: (r, c) => setResult({ kind: c.channel, ...r }),
    onError: (e) => void message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: (c: Channel) => call(api.DELETE('/api/v1/channels/{id}', { params: { path: { id: c.id } } })),
    onSuccess: () => void message.success('已删除该接收渠道'),
    onError: (e) => void message.error(e.message),
    onSettled: refresh,
  });
  const byKind = new Map((channels.data ?? []).map((c) => [c.channel, c]));

  return (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={ownerType}
          options={[
            { value: 'unit', label: '单位的渠道' },
            { value: 'user', label: '个人的渠道' },
          ]}
          onChange={(v) => set({ owner: v === 'user' ? 'user' : undefined, id: undefined })}
        />
        {ownerType === 'unit' ? (
          <TreeSelect
            treeDefaultExpandAll
            style={{ width: 260 }}
            value={ownerId}
            treeData={unitOptions(units.data ?? [])}
            onChange={(v: string) => set({ id: v })}
            aria-label="单位"
          />
        ) : (
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 260 }}
            value={ownerId}
            loading={users.isPending}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.username}）` }))}
            onChange={(v: string) => set({ id: v })}
            aria-label="人员"
          />
        )}
        <Button icon={<ReloadOutlined />} onClick={() => void channels.refetch()}>
          刷新
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary">
        提醒、催办、督办除站内消息外，还会发到这里启用的渠道。机器人和 Webhook 地址须在“Webhook
        白名单”内；令牌和密钥保存后不再显示。
      </Typography.Paragraph>
      {result && (
        <Alert
          showIcon
          closable
          style={{ marginBottom: 12 }}
          type={result.ok ? 'success' : 'error'}
          message={`${KINDS.find((k) => k.kind === result.kind)!.name}：${result.ok ? '测试成功' : '测试失败'}`}
          description={result.message}
          onClose={() => setResult(null)}
        />
      )}
      <QueryState isPending={channels.isPending} error={channels.error} refetch={channels.refetch}>
        <Table
          rowKey="kind"
          size="middle"
          pagination={false}
          scroll={{ x: 760 }}
          dataSource={KINDS}
          columns={[
            { title: '渠道', dataIndex: 'name', width: 140 },
            {
              title: '地址',
              render: (_, k) => {
                const c = byKind.get(k.kind);
                if (!c) return <Typography.Text type="secondary">未设置</Typography.Text>;
                return (
                  <Space wrap>
                    <Typography.Text code>{c.address}</Typography.Text>
                    {c.hasSecret && <Tag color="blue">已保存密钥</Tag>}
                    {c.secretUnreadable && <Tag color="red">密钥无法解密，请重新保存</Tag>}
                  </Space>
                );
              },
            },
            {
              title: '状态',
              width: 90,
              render: (_, k) => {
                const c = byKind.get(k.kind);
                if (!c) return '—';
                return c.enabled ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>;
              },
            },
            {
              title: '操作',
              width: 260,
              render: (_, k) => {
                const c = byKind.get(k.kind);
                return (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => setEditing(k.kind)}>
                      {c ? '修改' : '设置'}
                    </Button>
                    {c && (
                      <Button
                        type="link"
                        size="small"
                        loading={test.isPending && test.variables?.id === c.id}
                        onClick={() => test.mutate(c)}
                      >
                        发送测试消息
                      </Button>
                    )}
                    {c && (
                      <Popconfirm
                        title={`删除${k.name}渠道？`}
                        onConfirm={() => remove.mutateAsync(c).catch(() => {})}
                      >
                        <Button type="link" size="small" danger>
                          删除
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </QueryState>
      {editing && (
        <ChannelDialog
          kind={editing}
          current={byKind.get(editing)}
          ownerType={ownerType}
          ownerId={ownerId}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function ChannelDialog(props: {
  kind: Kind;
  current?: Channel;
  ownerType: 'unit' | 'user';
  ownerId: string;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ address: string; secret?: string; enabled: boolean }>();
  const meta = KINDS.find((k) => k.kind === props.kind)!;
  const save = useMutation({
    mutationFn: (v: { address: string; secret?: string; enabled: boolean }) =>
      call(
        api.PUT('/api/v1/channels', {
          body: {
            ownerType: props.ownerType,
            ownerId: props.ownerId,
            channel: props.kind,
            address: v.address.trim(),
            secret: v.secret?.trim() ? v.secret.trim() : undefined,
            enabled: v.enabled,
          },
        }),
      ),
    onSuccess: () => {
      void message.success(`已保存${meta.name}渠道`);
      void client.invalidateQueries({ queryKey: ['channels'] });
      props.onClose();
    },
    onError: (e) => {
      if (!showFieldErrors(form, e)) void message.error(e.message);
    },
  });
  return (
    <Modal
      open
      title={`${props.current ? '修改' : '设置'}${meta.name}`}
      okText="保存"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ enabled: props.current?.enabled ?? true }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          label={props.kind === 'email' ? '邮箱地址' : '完整地址（含令牌）'}
          name="address"
          extra={
            props.current && props.kind !== 'email'
              ? '为保护令牌，原地址不回显；修改时请重新填写完整地址。'
              : undefined
          }
          rules={[{ required: true, whitespace: true, message: '请填写地址' }]}
        >
          <Input placeholder={meta.placeholder} autoComplete="off" />
        </Form.Item>
        {meta.secret && (
          <Form.Item
            label={meta.secret}
            name="secret"
            extra={props.current?.hasSecret ? '已保存密钥；留空则保持不变。' : undefined}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item label="启用" name="enabled" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
