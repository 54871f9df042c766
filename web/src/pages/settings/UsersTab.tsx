import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';

import { api, call, type Schemas } from '../../api/client';
import { useMe } from '../../auth/auth';
import { QueryState } from '../../components/QueryState';
import { showFieldErrors, unitOptions, useUnits } from '../../components/settings/shared';
import { useSearchState } from '../../hooks/useSearchState';
import { dateTime, ROLE_NAMES } from '../../lib/format';

type User = Schemas['UserDto'];
type Role = Schemas['CreateUserDto']['roles'][number];

const ROLES: Role[] = ['admin', 'dispatcher', 'leader', 'head', 'member', 'viewer'];
const SYSADMIN_NOTE = '平台管理员账号只能通过命令行管理，不能在此修改。';

interface Values {
  username?: string;
  name: string;
  unitId: string;
  roles: Role[];
  password?: string;
  title?: string;
  phone?: string;
  email?: string;
}

/** 用户: the organization's people by unit; admins add them, set roles and unit, deactivate, reset passwords. */
export function UsersTab() {
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [s, set] = useSearchState(['unit', 'inactive', 'page'] as const);
  const includeInactive = s.inactive === 'true';
  const units = useUnits(true);
  const unitName = new Map((units.data ?? []).map((u) => [u.id, u.name]));
  const query = { unitId: s.unit, includeInactive: includeInactive || undefined };
  const users = useQuery({
    queryKey: ['users', query],
    queryFn: () => call(api.GET('/api/v1/users', { params: { query } })),
  });
  const [editing, setEditing] = useState<{ user?: User } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const setActive = useMutation({
    mutationFn: (v: { id: string; active: boolean }) =>
      call(
        api.POST('/api/v1/users/{id}/active', {
          params: { path: { id: v.id } },
          body: { active: v.active },
        }),
      ),
    onSuccess: (u) =>
      void message.success(u.active ? `已启用“${u.name}”` : `已停用“${u.name}”，其登录已失效`),
    onError: (e) => void message.error(e.message),
    onSettled: () => client.invalidateQueries({ queryKey: ['users'] }),
  });

  return (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
          新建用户
        </Button>
        <TreeSelect
          allowClear
          treeDefaultExpandAll
          placeholder="全部单位"
          style={{ width: 240 }}
          value={s.unit}
          treeData={unitOptions(units.data ?? [])}
          onChange={(v?: string) => set({ unit: v })}
        />
        <Checkbox
          checked={includeInactive}
          onChange={(e) => set({ inactive: e.target.checked ? 'true' : undefined })}
        >
          显示已停用用户
        </Checkbox>
        <Button icon={<ReloadOutlined />} onClick={() => void users.refetch()}>
          刷新
        </Button>
      </Flex>
      <QueryState isPending={users.isPending} error={users.error} refetch={users.refetch}>
        <Table<User>
          rowKey="id"
          size="middle"
          dataSource={users.data}
          scroll={{ x: 900 }}
          pagination={{
            current: Math.max(1, Number(s.page) || 1),
            pageSize: 20,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 人`,
            onChange: (page) => set({ page: String(page) }),
          }}
          columns={[
            {
              title: '姓名',
              dataIndex: 'name',
              render: (name: string, u) => (
                <Space>
                  <span>{name}</span>
                  {!u.active && <Tag>已停用</Tag>}
                </Space>
              ),
            },
            { title: '登录名', dataIndex: 'username' },
            { title: '所属单位', dataIndex: 'unitId', render: (id: string) => unitName.get(id) ?? '—' },
            {
              title: '角色',
              dataIndex: 'roles',
              render: (roles: string[]) => roles.map((r) => <Tag key={r}>{ROLE_NAMES[r] ?? r}</Tag>),
            },
            { title: '职务', dataIndex: 'title', render: (t: string | null) => t ?? '—' },
            {
              title: '最近登录',
              dataIndex: 'lastLoginAt',
              render: (t: string | null) => (t ? dateTime(t) : '从未登录'),
            },
            {
              title: '操作',
              fixed: 'right',
              width: 220,
              render: (_, u) =>
                u.roles.includes('sysadmin' as Role) ? (
                  <Tooltip title={SYSADMIN_NOTE}>
                    <Typography.Text type="secondary">不可编辑</Typography.Text>
                  </Tooltip>
                ) : (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => setEditing({ user: u })}>
                      编辑
                    </Button>
                    <Button type="link" size="small" onClick={() => setResetting(u)}>
                      重置密码
                    </Button>
                    {u.id !== me.id && (
                      <Popconfirm
                        title={u.active ? `停用“${u.name}”？` : `重新启用“${u.name}”？`}
                        description={u.active ? '停用后不能登录，已有登录立即失效。' : undefined}
                        onConfirm={() =>
                          setActive.mutateAsync({ id: u.id, active: !u.active }).catch(() => {})
                        }
                      >
                        <Button type="link" size="small" danger={u.active}>
                          {u.active ? '停用' : '启用'}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </QueryState>
      {editing && <UserDialog user={editing.user} unitId={s.unit} onClose={() => setEditing(null)} />}
      {resetting && <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}

const blank = (v?: string) => (v && v.trim() ? v.trim() : undefined);

function UserDialog(props: { user?: User; unitId?: string; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const units = useUnits();
  const [form] = Form.useForm<Values>();
  const user = props.user;
  const save = useMutation({
    mutationFn: (v: Values) => {
      const common = {
        name: v.name,
        unitId: v.unitId,
        roles: v.roles,
        title: blank(v.title),
        phone: blank(v.phone),
        email: blank(v.email),
      };
      return user
        ? call(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: common }))
        : call(
            api.POST('/api/v1/users', {
              body: { ...common, username: v.username!.trim(), password: v.password! },
            }),
          );
    },
    onSuccess: (u) => {
      void message.success(user ? `已保存“${u.name}”` : `已新建用户“${u.name}”（登录名 ${u.username}）`);
      void client.invalidateQueries({ queryKey: ['users'] });
      props.onClose();
    },
    onError: (e) => {
      if (!showFieldErrors(form, e)) void message.error(e.message);
    },
  });
  return (
    <Modal
      open
      title={user ? `编辑用户：${user.name}` : '新建用户'}
      okText="保存"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          user
            ? {
                name: user.name,
                unitId: user.unitId,
                roles: user.roles,
                title: user.title ?? undefined,
                phone: user.phone ?? undefined,
                email: user.email ?? undefined,
              }
            : { roles: ['member'], unitId: props.unitId }
        }
        onFinish={(v) => save.mutate(v)}
      >
        {!user && (
          <Form.Item
            label="登录名"
            name="username"
            extra="字母、数字、点、下划线、连字符，3 至 40 位，全系统唯一"
            rules={[{ required: true, message: '请填写登录名' }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          label="姓名"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label="所属单位" name="unitId" rules={[{ required: true, message: '请选择所属单位' }]}>
          <TreeSelect treeDefaultExpandAll treeData={unitOptions(units.data ?? [])} placeholder="选择单位" />
        </Form.Item>
        <Form.Item label="角色" name="roles" rules={[{ required: true, message: '至少选择一个角色' }]}>
          <Checkbox.Group options={ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))} />
        </Form.Item>
        {!user && (
          <Form.Item
            label="初始密码"
            name="password"
            rules={[{ required: true, min: 8, message: '初始密码至少 8 位' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item label="职务" name="title">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="手机号" name="phone">
          <Input />
        </Form.Item>
        <Form.Item label="邮箱" name="email">
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordDialog(props: { user: User; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: (password: string) =>
      call(
        api.POST('/api/v1/users/{id}/password', {
          params: { path: { id: props.user.id } },
          body: { password },
        }),
      ),
    onSuccess: () => {
      void message.success(`已重置“${props.user.name}”的密码，其登录已全部失效`);
      props.onClose();
    },
    onError: (e) => {
      if (!showFieldErrors(form, e)) void message.error(e.message);
    },
  });
  return (
    <Modal
      open
      title={`重置密码：${props.user.name}`}
      okText="重置"
      confirmLoading={reset.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
    >
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v.password)}>
        <Form.Item
          label="新密码"
          name="password"
          extra="重置后该用户的登录全部失效，请将新密码告知本人。"
          rules={[{ required: true, min: 8, message: '新密码至少 8 位' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
