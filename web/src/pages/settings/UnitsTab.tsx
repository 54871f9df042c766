import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
} from 'antd';
import { useState } from 'react';

import { api, call } from '../../api/client';
import { QueryState } from '../../components/QueryState';
import {
  showFieldErrors,
  UNIT_KIND_NAMES,
  type Unit,
  type UnitKind,
  type UnitNode,
  unitOptions,
  unitTree,
  useUnits,
} from '../../components/settings/shared';

interface Values {
  name: string;
  kind: UnitKind;
  parentId?: string | null;
}

/** 单位: the organization's unit tree; admins add, rename, move, deactivate and reactivate units. */
export function UnitsTab() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [showInactive, setShowInactive] = useState(false);
  const units = useUnits(showInactive);
  // Creating (parent preset) or editing a unit; null when the dialog is closed.
  const [editing, setEditing] = useState<{ unit?: Unit; parentId?: string } | null>(null);
  const setActive = useMutation({
    mutationFn: (v: { id: string; active: boolean }) =>
      call(
        api.POST('/api/v1/units/{id}/active', {
          params: { path: { id: v.id } },
          body: { active: v.active },
        }),
      ),
    onSuccess: (u) => void message.success(u.active ? `已启用“${u.name}”` : `已停用“${u.name}”`),
    onError: (e) => void message.error(e.message),
    onSettled: () => client.invalidateQueries({ queryKey: ['units'] }),
  });

  return (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
          新建单位
        </Button>
        <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
          显示已停用单位
        </Checkbox>
        <Button icon={<ReloadOutlined />} onClick={() => void units.refetch()}>
          刷新
        </Button>
      </Flex>
      <QueryState isPending={units.isPending} error={units.error} refetch={units.refetch}>
        <Table<UnitNode>
          rowKey="id"
          size="middle"
          dataSource={unitTree(units.data ?? [])}
          pagination={false}
          expandable={{ defaultExpandAllRows: true }}
          // A new key after a refetch expands newly created units too.
          key={(units.data ?? []).length}
          columns={[
            {
              title: '单位名称',
              dataIndex: 'name',
              render: (name: string, u) => (
                <Space>
                  <span>{name}</span>
                  {!u.active && <Tag>已停用</Tag>}
                </Space>
              ),
            },
            { title: '类型', dataIndex: 'kindName', width: 110 },
            { title: '编码', dataIndex: 'code', width: 180, responsive: ['md'] },
            {
              title: '操作',
              width: 260,
              render: (_, u) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => setEditing({ unit: u })}>
                    改名/移动
                  </Button>
                  {u.active && (
                    <Button type="link" size="small" onClick={() => setEditing({ parentId: u.id })}>
                      新建下级
                    </Button>
                  )}
                  <Popconfirm
                    title={u.active ? `停用“${u.name}”？` : `重新启用“${u.name}”？`}
                    description={u.active ? '停用后不再出现在选择列表中，历史数据保留。' : undefined}
                    onConfirm={() => setActive.mutateAsync({ id: u.id, active: !u.active }).catch(() => {})}
                  >
                    <Button type="link" size="small" danger={u.active}>
                      {u.active ? '停用' : '启用'}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
      {editing && (
        <UnitDialog
          unit={editing.unit}
          parentId={editing.parentId}
          units={units.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function UnitDialog(props: { unit?: Unit; parentId?: string; units: Unit[]; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const editing = props.unit;
  const save = useMutation({
    mutationFn: (v: Values) =>
      editing
        ? call(
            api.PATCH('/api/v1/units/{id}', {
              params: { path: { id: editing.id } },
              body: { name: v.name, kind: v.kind, parentId: v.parentId ?? null },
            }),
          )
        : call(
            api.POST('/api/v1/units', {
              body: {
                name: v.name,
                kind: v.kind,
                parentId: v.parentId ?? undefined,
                // A new unit goes after its siblings (the API's default, 0, would put it first).
                sortOrder: nextSortOrder(props.units, v.parentId ?? null),
              },
            }),
          ),
    onSuccess: (u) => {
      void message.success(editing ? `已保存“${u.name}”` : `已新建“${u.name}”`);
      void client.invalidateQueries({ queryKey: ['units'] });
      props.onClose();
    },
    onError: (e) => {
      if (!showFieldErrors(form, e)) void message.error(e.message);
    },
  });
  return (
    <Modal
      open
      title={editing ? `改名或移动：${editing.name}` : '新建单位'}
      okText="保存"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          editing
            ? { name: editing.name, kind: editing.kind, parentId: editing.parentId }
            : { kind: 'squad', parentId: props.parentId }
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          label="单位名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="单位类型" name="kind" rules={[{ required: true }]}>
          <Select options={Object.entries(UNIT_KIND_NAMES).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="上级单位" name="parentId" extra="不选为顶级单位">
          <TreeSelect
            allowClear
            treeDefaultExpandAll
            placeholder="顶级单位"
            treeData={unitOptions(props.units, editing?.id)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function nextSortOrder(units: Unit[], parentId: string | null): number {
  const siblings = units.filter((u) => u.parentId === parentId).map((u) => u.sortOrder);
  return Math.min(100000, (siblings.length ? Math.max(...siblings) : 0) + 10);
}
