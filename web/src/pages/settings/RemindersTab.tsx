import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { api, ApiError, call, type Schemas } from '../../api/client';
import { QueryState } from '../../components/QueryState';
import { PlanPicker } from './PlanPicker';

type Settings = Schemas['ReminderSettingsDto'];

const DAY_OPTIONS = [1, 2, 3, 5, 7, 10, 15, 20].map((n) => ({ value: n, label: `${n} 个工作日` }));

/** 提醒规则: when a plan's items are reminded, urged (催办) and supervised (督办) — GET/PATCH reminder-settings. */
export function RemindersTab() {
  const [planId, setPlanId] = useState<string>();
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>计划</span>
        <PlanPicker value={planId} onChange={setPlanId} />
      </Space>
      {planId && <ReminderForm key={planId} planId={planId} />}
    </>
  );
}

function ReminderForm({ planId }: { planId: string }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Settings>();
  const key = ['plan', planId, 'reminder-settings'];
  const settings = useQuery({
    queryKey: key,
    queryFn: () =>
      call(api.GET('/api/v1/plans/{id}/reminder-settings', { params: { path: { id: planId } } })),
  });
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (body: Settings) =>
      call(api.PATCH('/api/v1/plans/{id}/reminder-settings', { params: { path: { id: planId } }, body })),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      void message.success('提醒规则已保存');
    },
    onError: (e) => {
      if (e instanceof ApiError)
        form.setFields(e.fields.map((f) => ({ name: f.field as keyof Settings, errors: [f.message] })));
    },
  });
  const n = (suffix: string) => ({ min: 0, max: 250, precision: 0, suffix, style: { width: 170 } });

  return (
    <QueryState isPending={settings.isPending} error={settings.error} refetch={settings.refetch}>
      <Typography.Paragraph type="secondary">
        提醒按工作日计算：完成时限前、填报截止前提醒责任人；逾期后定期再提醒，逾期若干工作日向牵头单位负责人催办，催办后仍未办结向分管领导和督查室督办。
      </Typography.Paragraph>
      {save.error && <Alert type="error" showIcon title={save.error.message} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" style={{ maxWidth: 560 }} onFinish={(v) => save.mutate(v)}>
        <Form.Item label="完成时限前提醒" name="deadlineDays" extra="完成时限前第几个工作日提醒，可选多个">
          <Select mode="multiple" options={DAY_OPTIONS} data-testid="reminders-deadline-days" />
        </Form.Item>
        <Form.Item label="填报截止前提醒" name="reportDays" extra="填报截止前第几个工作日提醒，可选多个">
          <Select mode="multiple" options={DAY_OPTIONS} />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item label="逾期再提醒间隔" name="overdueEvery">
            <InputNumber {...n('个工作日')} min={1} />
          </Form.Item>
          <Form.Item label="逾期后催办" name="urgeAfter">
            <InputNumber {...n('个工作日')} data-testid="reminders-urge-after" />
          </Form.Item>
          <Form.Item label="催办后督办" name="superviseAfter">
            <InputNumber {...n('个工作日')} />
          </Form.Item>
        </Space>
        <Space wrap size="large">
          <Form.Item
            label="上班时间"
            name="workStart"
            rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: '格式为 时:分，如 09:00' }]}
          >
            <Input style={{ width: 120 }} placeholder="09:00" />
          </Form.Item>
          <Form.Item
            label="下班时间"
            name="workEnd"
            rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: '格式为 时:分，如 18:00' }]}
          >
            <Input style={{ width: 120 }} placeholder="18:00" />
          </Form.Item>
          <Form.Item label="近期已填报免提醒" name="quietWorkdays">
            <InputNumber {...n('个工作日')} />
          </Form.Item>
          <Form.Item label="外部发送最多尝试" name="attempts">
            <InputNumber min={1} max={20} precision={0} suffix="次" />
          </Form.Item>
        </Space>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="reminders-save">
            保存
          </Button>
        </Form.Item>
      </Form>
    </QueryState>
  );
}
