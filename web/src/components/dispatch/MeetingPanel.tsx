import { EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';

import { ApiError, api, call, type Schemas } from '../../api/client';
import { LightTag, date, percent, type Light } from '../../lib/format';
import { QueryState } from '../QueryState';

type Meeting = Schemas['MeetingDto'];
type Kind = Schemas['MeetingOutcomeInputDto']['kind'];
const KIND_NAMES: Record<Kind, string> = {
  decision: '议定事项',
  information: '通报事项',
  action: '交办事项',
};
const KIND_COLORS: Record<Kind, string> = { decision: 'blue', information: 'default', action: 'volcano' };

interface OutcomeValues {
  kind: Kind;
  content: string;
  action?: {
    title?: string;
    leadUnitId: string;
    ownerId: string;
    responsibleLeaderId: string;
    deadline: Dayjs;
  };
}
interface MeetingValues {
  heldOn: Dayjs;
  title?: string;
  attendees?: string[];
  notes?: string;
  outcomes?: OutcomeValues[];
}

function outcomeBody(o: OutcomeValues): Schemas['MeetingOutcomeInputDto'] {
  return {
    kind: o.kind,
    content: o.content,
    action:
      o.kind === 'action' && o.action
        ? {
            title: o.action.title || undefined,
            leadUnitId: o.action.leadUnitId,
            ownerId: o.action.ownerId,
            responsibleLeaderId: o.action.responsibleLeaderId,
            deadline: o.action.deadline.format('YYYY-MM-DD'),
          }
        : undefined,
  };
}

/** Puts the server's per-field messages (e.g. `outcomes[1].action.ownerId`) on the form's fields. */
function showFieldErrors(form: FormInstance, e: unknown, prefix: (string | number)[] = []): boolean {
  if (!(e instanceof ApiError) || e.fields.length === 0) return false;
  form.setFields(
    e.fields.map((f) => ({
      name: [
        ...prefix,
        ...f.field
          .split(/[.[\]]+/)
          .filter(Boolean)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      ],
      errors: [f.message],
    })),
  );
  return true;
}

/** Units, users and leaders for the action pickers (the organization's lists are short). */
function usePeople(enabled: boolean) {
  const units = useQuery({
    queryKey: ['units'],
    queryFn: () => call(api.GET('/api/v1/units')),
    enabled,
    staleTime: 10 * 60_000,
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => call(api.GET('/api/v1/users')),
    enabled,
    staleTime: 10 * 60_000,
  });
  return { units: units.data ?? [], users: users.data ?? [] };
}

/** One outcome's fields; an action adds the 交办 item's lead unit, owner, leader and deadline. */
function OutcomeFields({
  name,
  path,
  form,
  people,
}: {
  name: (string | number)[];
  /** The absolute path in the form (`name` is relative inside a Form.List). */
  path: (string | number)[];
  form: FormInstance;
  people: ReturnType<typeof usePeople>;
}) {
  const kind = Form.useWatch([...path, 'kind'], form) as Kind | undefined;
  const unitId = Form.useWatch([...path, 'action', 'leadUnitId'], form) as string | undefined;
  const unitOptions = people.units.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));
  const owners = people.users
    .filter((u) => u.active && u.unitId === unitId)
    .map((u) => ({ value: u.id, label: `${u.name}（${u.username}）` }));
  const leaders = people.users
    .filter((u) => u.active && u.roles.includes('leader'))
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <>
      <Flex gap={8} wrap>
        <Form.Item
          name={[...name, 'kind']}
          label="类别"
          rules={[{ required: true, message: '请选择类别' }]}
          style={{ width: 140 }}
        >
          <Select
            options={(Object.keys(KIND_NAMES) as Kind[]).map((k) => ({ value: k, label: KIND_NAMES[k] }))}
          />
        </Form.Item>
        <Form.Item
          name={[...name, 'content']}
          label="内容"
          rules={[{ required: true, whitespace: true, message: '请填写内容' }]}
          style={{ flex: 1, minWidth: 220 }}
        >
          <Input maxLength={2000} data-testid="outcome-content" />
        </Form.Item>
      </Flex>
      {kind === 'action' && (
        <Flex gap={8} wrap style={{ paddingLeft: 12, borderLeft: '3px solid #ffbb96' }}>
          <Form.Item
            name={[...name, 'action', 'title']}
            label="事项名称"
            style={{ minWidth: 220, flex: 1 }}
            tooltip="默认取交办内容"
          >
            <Input maxLength={200} data-testid="action-title" />
          </Form.Item>
          <Form.Item
            name={[...name, 'action', 'leadUnitId']}
            label="牵头单位"
            rules={[{ required: true, message: '请选择牵头单位' }]}
            style={{ width: 200 }}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={unitOptions}
              data-testid="action-unit"
              onChange={() => form.setFieldValue([...path, 'action', 'ownerId'], undefined)}
            />
          </Form.Item>
          <Form.Item
            name={[...name, 'action', 'ownerId']}
            label="责任人"
            rules={[{ required: true, message: '请选择责任人' }]}
            style={{ width: 200 }}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={owners}
              disabled={!unitId}
              data-testid="action-owner"
            />
          </Form.Item>
          <Form.Item
            name={[...name, 'action', 'responsibleLeaderId']}
            label="责任领导"
            rules={[{ required: true, message: '请选择责任领导' }]}
            style={{ width: 160 }}
          >
            <Select showSearch optionFilterProp="label" options={leaders} data-testid="action-leader" />
          </Form.Item>
          <Form.Item
            name={[...name, 'action', 'deadline']}
            label="完成时限"
            rules={[{ required: true, message: '请选择完成时限' }]}
          >
            <DatePicker data-testid="action-deadline" />
          </Form.Item>
        </Flex>
      )}
    </>
  );
}

function MeetingFields({
  withOutcomes,
  form,
  people,
}: {
  withOutcomes: boolean;
  form: FormInstance;
  people: ReturnType<typeof usePeople>;
}) {
  return (
    <>
      <Flex gap={8} wrap>
        <Form.Item name="heldOn" label="会议日期" rules={[{ required: true, message: '请选择会议日期' }]}>
          <DatePicker data-testid="meeting-heldOn" />
        </Form.Item>
        <Form.Item name="title" label="会议名称" style={{ flex: 1, minWidth: 240 }}>
          <Input maxLength={200} placeholder="默认：××年×月工作调度会" />
        </Form.Item>
      </Flex>
      <Form.Item name="attendees" label="参会人员">
        <Select
          mode="tags"
          tokenSeparators={[',', '，', '、']}
          placeholder="输入姓名后回车"
          data-testid="meeting-attendees"
        />
      </Form.Item>
      <Form.Item name="notes" label="会议纪要">
        <Input.TextArea rows={3} maxLength={20000} />
      </Form.Item>
      {withOutcomes && (
        <Form.List name="outcomes">
          {(fields, { add, remove }) => (
            <>
              <Typography.Text strong>议程结果</Typography.Text>
              {fields.map((f) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ margin: '8px 0' }}
                  extra={
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(f.name)}
                      title="删除"
                    />
                  }
                  data-testid="outcome-card"
                >
                  <OutcomeFields name={[f.name]} path={['outcomes', f.name]} form={form} people={people} />
                </Card>
              ))}
              <Space style={{ marginTop: 8 }}>
                <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'decision' })}>
                  议定事项
                </Button>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ kind: 'action' })}
                  data-testid="add-action"
                >
                  交办事项
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      )}
    </>
  );
}

/**
 * The cycle's meeting record (会议记录): attendees, notes and outcomes, each action with the 交办 item it became.
 * The dispatch office and admins record it, edit it and add outcomes; everyone else reads it.
 */
export function MeetingPanel({ cycle, canRecord }: { cycle: Schemas['CycleDto']; canRecord: boolean }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'create' | 'edit' | 'outcome' | null>(null);
  const [form] = Form.useForm<MeetingValues>();
  const [outcomeForm] = Form.useForm<{ outcome: OutcomeValues }>();
  const people = usePeople(canRecord);
  const meetingId = cycle.meetingId;

  const meeting = useQuery({
    queryKey: ['meeting', meetingId],
    queryFn: () => call(api.GET('/api/v1/meetings/{id}', { params: { path: { id: meetingId! } } })),
    enabled: !!meetingId,
  });

  const done = (m: Meeting, text: string) => {
    qc.setQueryData(['meeting', m.id], m);
    void qc.invalidateQueries({ queryKey: ['plan', m.planId, 'cycles'] });
    void qc.invalidateQueries({ queryKey: ['items'] });
    void qc.invalidateQueries({ queryKey: ['me'] });
    setMode(null);
    message.success(text);
  };

  const save = useMutation({
    mutationFn: async (v: MeetingValues): Promise<Meeting> => {
      const base = {
        heldOn: v.heldOn.format('YYYY-MM-DD'),
        title: v.title?.trim() || undefined,
        attendees: v.attendees ?? [],
        notes: v.notes ?? '',
      };
      if (mode === 'edit' && meeting.data)
        return call(
          api.PATCH('/api/v1/meetings/{id}', {
            params: { path: { id: meeting.data.id } },
            body: { ...base, version: meeting.data.version },
          }),
        );
      return call(
        api.POST('/api/v1/cycles/{id}/meeting', {
          params: { path: { id: cycle.id } },
          body: { ...base, outcomes: (v.outcomes ?? []).map(outcomeBody) },
        }),
      );
    },
    onSuccess: (m) => done(m, mode === 'edit' ? '会议记录已修改' : '会议记录已保存，交办事项已生成'),
    onError: (e) => {
      if (!showFieldErrors(form, e)) message.error(e.message);
    },
  });

  const addOutcome = useMutation({
    mutationFn: async (v: { outcome: OutcomeValues }) => {
      await call(
        api.POST('/api/v1/meetings/{id}/outcomes', {
          params: { path: { id: meetingId! } },
          body: outcomeBody(v.outcome),
        }),
      );
      return call(api.GET('/api/v1/meetings/{id}', { params: { path: { id: meetingId! } } }));
    },
    onSuccess: (m) => done(m, '已添加'),
    onError: (e) => {
      if (!showFieldErrors(outcomeForm, e, ['outcome'])) message.error(e.message);
    },
  });

  const columns = useMemo(
    () => [
      {
        title: '类别',
        dataIndex: 'kind',
        width: 100,
        render: (k: Kind) => <Tag color={KIND_COLORS[k]}>{KIND_NAMES[k]}</Tag>,
      },
      { title: '内容', dataIndex: 'content' },
      {
        title: '交办事项',
        key: 'item',
        render: (_: unknown, o: Schemas['MeetingOutcomeDto']) =>
          o.item ? (
            <Space direction="vertical" size={0}>
              <Link to={`/items/${o.item.id}`}>{o.item.title}</Link>
              <Typography.Text type="secondary">
                {o.item.leadUnit} · {o.item.owner ?? '—'} · 时限 {date(o.item.deadline)}
              </Typography.Text>
            </Space>
          ) : (
            '—'
          ),
      },
      {
        title: '办理情况',
        key: 'state',
        width: 160,
        render: (_: unknown, o: Schemas['MeetingOutcomeDto']) =>
          o.item ? (
            <Space>
              <LightTag light={o.item.light as Light} />
              {percent(o.item.completion)}
            </Space>
          ) : null,
      },
    ],
    [],
  );

  const openCreate = () => {
    form.resetFields();
    form.setFieldsValue({ heldOn: dayjs(cycle.meetingDate), attendees: [], outcomes: [] });
    setMode('create');
  };
  const openEdit = (m: Meeting) => {
    form.resetFields();
    form.setFieldsValue({ heldOn: dayjs(m.heldOn), title: m.title, attendees: m.attendees, notes: m.notes });
    setMode('edit');
  };

  const modal = (
    <>
      <Modal
        open={mode === 'create' || mode === 'edit'}
        title={mode === 'edit' ? '修改会议记录' : '记录调度会'}
        width={880}
        okText="保存"
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setMode(null)}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="meeting-form">
          <MeetingFields withOutcomes={mode === 'create'} form={form} people={people} />
        </Form>
      </Modal>
      <Modal
        open={mode === 'outcome'}
        title="添加议程结果"
        width={880}
        okText="保存"
        confirmLoading={addOutcome.isPending}
        onOk={() => outcomeForm.submit()}
        onCancel={() => setMode(null)}
        destroyOnHidden
        forceRender
      >
        <Form form={outcomeForm} layout="vertical" onFinish={(v) => addOutcome.mutate(v)}>
          <OutcomeFields name={['outcome']} path={['outcome']} form={outcomeForm} people={people} />
        </Form>
      </Modal>
    </>
  );

  if (!meetingId)
    return (
      <>
        <Empty description="本周期尚未记录调度会" data-testid="meeting-empty">
          {canRecord && (
            <Button type="primary" onClick={openCreate} data-testid="meeting-create">
              记录调度会
            </Button>
          )}
        </Empty>
        {modal}
      </>
    );

  return (
    <QueryState isPending={meeting.isPending} error={meeting.error} refetch={() => void meeting.refetch()}>
      {meeting.data && (
        <div data-testid="meeting-record">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            title={meeting.data.title}
            extra={
              canRecord && (
                <Space>
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => {
                      outcomeForm.resetFields();
                      outcomeForm.setFieldsValue({ outcome: { kind: 'decision' } as OutcomeValues });
                      setMode('outcome');
                    }}
                  >
                    添加议程结果
                  </Button>
                  <Button
                    icon={<EditOutlined />}
                    onClick={() => openEdit(meeting.data)}
                    data-testid="meeting-edit"
                  >
                    修改
                  </Button>
                </Space>
              )
            }
            items={[
              { key: 'heldOn', label: '会议日期', children: date(meeting.data.heldOn) },
              { key: 'attendees', label: '参会人员', children: meeting.data.attendees.join('、') || '—' },
              {
                key: 'notes',
                label: '会议纪要',
                span: 2,
                children: <span style={{ whiteSpace: 'pre-wrap' }}>{meeting.data.notes || '—'}</span>,
              },
            ]}
          />
          <Table
            size="small"
            rowKey="id"
            style={{ marginTop: 12 }}
            columns={columns}
            dataSource={meeting.data.outcomes}
            pagination={false}
            scroll={{ x: 720 }}
            locale={{ emptyText: '暂无议程结果' }}
          />
        </div>
      )}
      {modal}
    </QueryState>
  );
}
