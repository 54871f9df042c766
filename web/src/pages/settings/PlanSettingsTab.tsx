import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Divider,
  Form,
  InputNumber,
  Radio,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import { api, ApiError, call, type Schemas } from '../../api/client';
import { QueryState } from '../../components/QueryState';
import { PlanPicker } from './PlanPicker';

type Settings = Schemas['PlanSettingsDto'];

/**
 * 计划设置: a plan's dispatch rhythm, light thresholds and score weights (GET/PATCH /plans/:id/settings). The PATCH
 * carries the version read with the settings, so a change someone else saved in between is a 409, said plainly.
 */
export function PlanSettingsTab() {
  const [planId, setPlanId] = useState<string>();
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>计划</span>
        <PlanPicker value={planId} onChange={setPlanId} />
      </Space>
      {planId && <SettingsForm key={planId} planId={planId} />}
    </>
  );
}

function SettingsForm({ planId }: { planId: string }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Settings>();
  const key = ['plan', planId, 'settings'];
  const settings = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET('/api/v1/plans/{id}/settings', { params: { path: { id: planId } } })),
    // A refetch on focus would overwrite what the admin is typing.
    refetchOnWindowFocus: false,
  });
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (body: Settings) =>
      call(api.PATCH('/api/v1/plans/{id}/settings', { params: { path: { id: planId } }, body })),
    onSuccess: async (data) => {
      queryClient.setQueryData(key, data);
      // The version moved and published plans' cycles were recomputed.
      await queryClient.invalidateQueries({ queryKey: ['plans'] });
      await queryClient.invalidateQueries({ queryKey: ['plan', planId, 'cycles'] });
      void message.success('计划设置已保存');
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409;

  return (
    <QueryState isPending={settings.isPending} error={settings.error} refetch={settings.refetch}>
      {conflict && (
        <Alert
          data-testid="plan-settings-conflict"
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="计划设置已被他人修改"
          description={save.error?.message}
          action={
            <Button
              size="small"
              onClick={async () => {
                save.reset();
                await settings.refetch();
              }}
            >
              载入最新设置
            </Button>
          }
        />
      )}
      {save.error && !conflict && (
        <Alert
          type="error"
          showIcon
          title={save.error.message}
          description={
            save.error instanceof ApiError
              ? save.error.fields.map((f) => f.message).join('；') || undefined
              : undefined
          }
          style={{ marginBottom: 12 }}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        onFinish={(v) => save.mutate({ ...v, version: settings.data!.version })}
      >
        <Divider titlePlacement="start">调度节奏</Divider>
        <Space wrap size="large">
          <Form.Item
            label="填报截止"
            name="reportDueWorkdays"
            extra="月末最后一个工作日之前的第几个工作日（0 为最后一个工作日）"
          >
            <InputNumber style={{ width: 180 }} min={0} max={15} precision={0} suffix="个工作日" />
          </Form.Item>
          <Form.Item label="月调度会" name="meetingWorkday" extra="次月第几个工作日">
            <InputNumber
              style={{ width: 180 }}
              min={1}
              max={15}
              precision={0}
              prefix="第"
              suffix="个工作日"
            />
          </Form.Item>
        </Space>
        <Form.Item label="按时完成的判定" name="onTimeBasis">
          <Radio.Group
            options={[
              { value: 'original', label: '按原完成时限' },
              { value: 'extended', label: '按批准延期后的时限' },
            ]}
          />
        </Form.Item>
        <Form.Item label="完成率口径" name="completionBasis">
          <Radio.Group
            options={[
              { value: 'targets', label: '有量化指标时按指标完成度' },
              { value: 'percent', label: '只看填报的完成百分比' },
            ]}
          />
        </Form.Item>

        <Divider titlePlacement="start">亮灯阈值</Divider>
        <Space wrap size="large">
          <Form.Item label="黄灯：滞后序时进度超过" name="lagPoints">
            <InputNumber
              style={{ width: 180 }}
              min={0}
              max={100}
              suffix="个百分点"
              data-testid="plan-settings-lag"
            />
          </Form.Item>
          <Form.Item label="临近完成时限" name="nearDeadlineWorkdays">
            <InputNumber
              style={{ width: 180 }}
              min={0}
              max={250}
              precision={0}
              prefix="≤"
              suffix="个工作日"
            />
          </Form.Item>
          <Form.Item label="临近时限而完成率低于" name="nearDeadlineMinPercent">
            <InputNumber style={{ width: 180 }} min={0} max={100} suffix="%" />
          </Form.Item>
        </Space>

        <Divider titlePlacement="start">考核得分权重</Divider>
        <Space wrap size="large">
          <Form.Item label="完成率" name={['scoreWeights', 'completion']}>
            <InputNumber min={0} max={1} step={0.05} />
          </Form.Item>
          <Form.Item label="按期销号率" name={['scoreWeights', 'onTimeClose']}>
            <InputNumber min={0} max={1} step={0.05} />
          </Form.Item>
          <Form.Item label="按时报送率" name={['scoreWeights', 'reportOnTime']}>
            <InputNumber min={0} max={1} step={0.05} />
          </Form.Item>
          <Form.Item label="红灯占比扣分" name={['scoreWeights', 'redPenalty']}>
            <InputNumber min={0} max={1} step={0.05} />
          </Form.Item>
        </Space>

        <Divider titlePlacement="start">调度会材料</Divider>
        <Form.Item
          label="各单位可查看其他单位事项详情"
          name="openPack"
          valuePropName="checked"
          extra="默认不公开，各单位只看到其他单位的计数"
        >
          <Switch />
        </Form.Item>
        <Typography.Paragraph type="secondary">版本号 {settings.data?.version}</Typography.Paragraph>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="plan-settings-save">
            保存
          </Button>
        </Form.Item>
      </Form>
    </QueryState>
  );
}
