import {
  CalendarOutlined,
  CheckCircleOutlined,
  EditOutlined,
  EyeOutlined,
  RedoOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, Modal, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { useMe } from '../auth/auth';
import { invalidateWork, isOpenItem, mayReport, periodName, showFieldErrors } from '../lib/workflow';
import './workflow.css';

/**
 * The item page's actions for whoever works on the item: 填报 (or 继续填报 / 重新提交 when a draft or a returned
 * report is waiting), 申请延期 and 申请销号 — each only when the caller may and the item's status allows.
 */
export function ItemActions({ item }: { item: Schemas['ItemDto'] }) {
  const me = useMe();
  const navigate = useNavigate();
  const open = isOpenItem(item);
  const allowed = mayReport(me, item) && open;
  const extensions = useQuery({
    queryKey: ['item', item.id, 'extensions'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/extensions', { params: { path: { id: item.id } } })),
    enabled: allowed,
  });
  const [dialog, setDialog] = useState<'extension' | 'closeout' | null>(null);
  if (!allowed) return null;

  const next = item.nextReport;
  const pendingExtension = extensions.data?.find((e) => e.status === 'pending');
  const awaitingCloseout = item.status === 'awaiting_closeout';
  const reportButton = next && (
    <Button
      type="primary"
      danger={next.status === 'returned'}
      icon={
        next.status === 'returned' ? (
          <RedoOutlined />
        ) : next.status === 'submitted' ? (
          <EyeOutlined />
        ) : (
          <EditOutlined />
        )
      }
      onClick={() => navigate(`/items/${item.id}/report/${next.period}`)}
      data-testid="item-report"
    >
      {next.status === 'returned'
        ? `重新提交${periodName(next.period)}填报`
        : next.status === 'draft'
          ? `继续填报${periodName(next.period)}`
          : next.status === 'submitted'
            ? `查看${periodName(next.period)}填报（待审核）`
            : `填报${periodName(next.period)}进度`}
    </Button>
  );

  return (
    <div className="item-actions">
      {reportButton}
      {!awaitingCloseout && (
        <Tooltip
          title={
            pendingExtension ? `已申请延期至 ${pendingExtension.requestedDeadline}，等待审批` : undefined
          }
        >
          <Button
            icon={<CalendarOutlined />}
            disabled={!!pendingExtension || extensions.isPending}
            onClick={() => setDialog('extension')}
          >
            {pendingExtension ? '延期审批中' : '申请延期'}
          </Button>
        </Tooltip>
      )}
      {awaitingCloseout ? (
        <Button icon={<CheckCircleOutlined />} disabled>
          销号审核中
        </Button>
      ) : (
        <Button icon={<CheckCircleOutlined />} onClick={() => setDialog('closeout')}>
          申请销号
        </Button>
      )}
      {dialog === 'extension' && <ExtensionDialog item={item} onClose={() => setDialog(null)} />}
      {dialog === 'closeout' && <CloseoutDialog item={item} onClose={() => setDialog(null)} />}
    </div>
  );
}

function ExtensionDialog({ item, onClose }: { item: Schemas['ItemDto']; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ requestedDeadline: Dayjs; reason: string }>();
  const request = useMutation({
    mutationFn: (v: { requestedDeadline: Dayjs; reason: string }) =>
      call(
        api.POST('/api/v1/items/{id}/extensions', {
          params: { path: { id: item.id } },
          body: { requestedDeadline: v.requestedDeadline.format('YYYY-MM-DD'), reason: v.reason },
        }),
      ),
    onSuccess: () => invalidateWork(client, item.id),
  });
  return (
    <Modal
      open
      title="申请延期"
      okText="提交申请"
      cancelText="取消"
      okButtonProps={{ loading: request.isPending }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        现完成时限 <Typography.Text strong>{item.deadline}</Typography.Text>
        。申请由责任领导（{item.responsibleLeader.name}）或督查室审批，原时限会保留在记录中。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          try {
            await request.mutateAsync(v);
            message.success('延期申请已提交，等待审批');
            onClose();
          } catch (e) {
            if (!showFieldErrors(form, e)) message.error(e instanceof Error ? e.message : '提交失败');
          }
        }}
      >
        <Form.Item
          name="requestedDeadline"
          label="申请延至"
          rules={[{ required: true, message: '请选择新的完成时限' }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            inputReadOnly
            disabledDate={(d) => !d.isAfter(dayjs(item.deadline), 'day')}
            defaultPickerValue={dayjs(item.deadline)}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="延期理由"
          rules={[{ required: true, whitespace: true, message: '请填写延期理由' }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={1000}
            showCount
            placeholder="说明不能按期完成的原因和新的安排"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseoutDialog({ item, onClose }: { item: Schemas['ItemDto']; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ note: string; evidenceIds: string[] }>();
  const reports = useQuery({
    queryKey: ['item', item.id, 'reports'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/reports', { params: { path: { id: item.id } } })),
  });
  const evidence = (reports.data ?? [])
    .slice()
    .sort((a, b) => b.periodKey.localeCompare(a.periodKey))
    .flatMap((r) => r.evidence.map((e) => ({ ...e, period: r.periodKey })));
  const request = useMutation({
    mutationFn: (v: { note: string; evidenceIds: string[] }) =>
      call(api.POST('/api/v1/items/{id}/closeouts', { params: { path: { id: item.id } }, body: v })),
    onSuccess: () => invalidateWork(client, item.id),
  });
  return (
    <Modal
      open
      title="申请销号"
      okText="提交申请"
      cancelText="取消"
      okButtonProps={{ loading: request.isPending, disabled: !evidence.length }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        事项完成后申请销号，由督查室审核；审核期间事项为“待销号”。请说明目标完成情况，并选择佐证材料。
      </Typography.Paragraph>
      {reports.isSuccess && !evidence.length && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="还没有佐证材料"
          description="请先在填报中上传佐证材料（照片、文件），再申请销号。"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ evidenceIds: [] }}
        onFinish={async (v) => {
          try {
            await request.mutateAsync(v);
            message.success('销号申请已提交，等待督查室审核');
            onClose();
          } catch (e) {
            if (!showFieldErrors(form, e)) message.error(e instanceof Error ? e.message : '提交失败');
          }
        }}
      >
        <Form.Item
          name="note"
          label="销号说明"
          rules={[{ required: true, whitespace: true, message: '请填写销号说明' }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder="目标完成情况、量化指标完成值" />
        </Form.Item>
        <Form.Item
          name="evidenceIds"
          label="佐证材料"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一份佐证材料' }]}
        >
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
            {evidence.map((e) => (
              <Checkbox key={e.id} value={e.id}>
                {e.filename}
                <Typography.Text type="secondary">（{periodName(e.period)}）</Typography.Text>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}
