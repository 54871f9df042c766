import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Space } from 'antd';
import { useState } from 'react';

import { ApiError } from '../api/client';
import { DECISION_WORDS, useDecision, type Decision } from '../hooks/useDecision';

/**
 * 通过 / 退回 (批准 / 不批准, 准予销号 / 驳回) for one thing waiting for the caller. Approving asks to confirm;
 * returning asks for the reason, which the reporter then reads in 消息 and on the report.
 */
export function DecisionButtons({
  target,
  size = 'middle',
  block = false,
  onDone,
}: {
  target: Omit<Decision, 'approve' | 'comment'>;
  size?: 'small' | 'middle' | 'large';
  block?: boolean;
  onDone?: () => void;
}) {
  const { message } = App.useApp();
  const decision = useDecision();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ comment: string }>();
  const words = DECISION_WORDS[target.kind];

  async function run(approve: boolean, comment?: string): Promise<boolean> {
    try {
      await decision.mutateAsync({ ...target, approve, comment });
      message.success(approve ? `已${words.approve}` : `已${words.refuse}`);
      onDone?.();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.fields.some((f) => f.field === 'comment')) {
        form.setFields([{ name: 'comment', errors: [e.fields.find((f) => f.field === 'comment')!.message] }]);
      } else message.error(e instanceof Error ? e.message : '操作失败');
      return false;
    }
  }

  return (
    <>
      <Space size={8} className={block ? 'decision-buttons block' : 'decision-buttons'}>
        <Popconfirm
          title={`确认${words.approve}该${words.kind}？`}
          okText={words.approve}
          cancelText="取消"
          onConfirm={() => run(true)}
        >
          <Button
            type="primary"
            size={size}
            icon={<CheckOutlined />}
            loading={decision.isPending && decision.variables?.approve}
            data-testid={`approve-${target.id}`}
          >
            {words.approve}
          </Button>
        </Popconfirm>
        <Button
          danger
          size={size}
          icon={<RollbackOutlined />}
          onClick={() => setOpen(true)}
          data-testid={`refuse-${target.id}`}
        >
          {words.refuse}
        </Button>
      </Space>
      <Modal
        open={open}
        title={`${words.refuse}${words.kind}`}
        okText={`确认${words.refuse}`}
        okButtonProps={{ danger: true, loading: decision.isPending }}
        cancelText="取消"
        destroyOnHidden
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            if (await run(false, v.comment)) setOpen(false);
          }}
        >
          <Form.Item
            name="comment"
            label={words.reason}
            rules={[{ required: true, whitespace: true, message: `请填写${words.reason}` }]}
            extra={
              target.kind === 'report'
                ? '填报人会在“消息”和填报页看到这条意见，并据此修改后重新提交。'
                : undefined
            }
          >
            <Input.TextArea
              rows={4}
              maxLength={1000}
              showCount
              placeholder={`请写明${words.reason}`}
              autoFocus
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
