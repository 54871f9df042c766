import { InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { ApiError } from '../../api/client';
import { hasRole, useMe } from '../../auth/auth';
import { QueryState } from '../../components/QueryState';
import { dateTime } from '../../lib/format';
import { ForbiddenPage } from '../ForbiddenPage';
import { defaultPlan, usePlans } from '../settings/PlanPicker';
import { draftsApi, useDrafts, type DraftSummary } from './draftsApi';
import './drafts.css';

/** 导入工作报告: the organization's drafts and the form that reads a new work report into one. */
export default function DraftsPage() {
  const me = useMe();
  if (!hasRole(me, 'admin') && !hasRole(me, 'dispatcher'))
    return <ForbiddenPage message="导入工作报告仅对系统管理员和督查室开放。" />;
  return (
    <>
      <h1 className="page-title">导入工作报告</h1>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <NewDraftCard />
        <DraftList />
      </Space>
    </>
  );
}

interface Values {
  year: number;
  title?: string;
  text?: string;
}

function NewDraftCard() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const plans = usePlans();
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<'text' | 'file'>('text');
  const [file, setFile] = useState<File | null>(null);
  const planYear = plans.data ? defaultPlan(plans.data)?.year : undefined;
  useEffect(() => {
    if (planYear && !form.isFieldTouched('year')) form.setFieldValue('year', planYear);
  }, [planYear, form]);

  const create = useMutation({
    mutationFn: (v: Values) => {
      const title = v.title?.trim() || undefined;
      if (mode === 'file') return draftsApi.createFromFile(file!, v.year, title);
      return draftsApi.createFromText({ text: v.text ?? '', year: v.year, title });
    },
    onSuccess: (draft) => {
      void client.invalidateQueries({ queryKey: ['drafts'] });
      void navigate(`/drafts/${draft.id}`);
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      const names = new Set<string>(['year', 'title', 'text']);
      form.setFields(
        e.fields
          .filter((f) => names.has(f.field))
          .map((f) => ({ name: f.field as keyof Values, errors: [f.message] })),
      );
    },
  });
  const error = create.error instanceof ApiError ? create.error : create.error ? create.error : null;

  return (
    <Card title="读取新报告">
      <Typography.Paragraph type="secondary">
        粘贴工作报告全文，或上传 .txt / .docx 文件。系统按报告的结构拟出计划草稿（部分 → 重点任务 →
        具体事项，含工作频次、完成时限、目标指标和单位），逐项核对后再发布为计划。
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ year: new Date().getFullYear() }}
        onFinish={(v) => create.mutate(v)}
        onValuesChange={() => create.reset()}
      >
        <Flex gap={16} wrap>
          <Form.Item label="年度" name="year" rules={[{ required: true, message: '请填写年度' }]}>
            <InputNumber min={2000} max={2100} precision={0} data-testid="draft-year" />
          </Form.Item>
          <Form.Item label="计划标题" name="title" extra="留空则按报告拟定" style={{ flex: '1 1 280px' }}>
            <Input maxLength={200} data-testid="draft-title" />
          </Form.Item>
        </Flex>
        <Segmented
          value={mode}
          onChange={(v) => {
            setMode(v as 'text' | 'file');
            create.reset();
          }}
          options={[
            { value: 'text', label: '粘贴文本' },
            { value: 'file', label: '上传文件' },
          ]}
          style={{ marginBottom: 12 }}
          data-testid="draft-mode"
        />
        {mode === 'text' ? (
          <Form.Item name="text" rules={[{ required: true, whitespace: true, message: '请粘贴报告内容' }]}>
            <Input.TextArea
              rows={8}
              placeholder="将工作报告全文粘贴到这里"
              data-testid="draft-text"
              className="draft-textarea"
            />
          </Form.Item>
        ) : (
          <Form.Item required>
            <Upload.Dragger
              accept=".txt,.docx,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                create.reset();
                return false; // sent with the form
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'report', name: file.name, status: 'done' }] : []}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖入工作报告文件</p>
              <p className="ant-upload-hint">支持 .txt（UTF-8）和 .docx</p>
            </Upload.Dragger>
          </Form.Item>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={error.message}
            description={error instanceof ApiError ? failureHint(error) : undefined}
            data-testid="draft-error"
          />
        )}
        <Button
          type="primary"
          htmlType="submit"
          loading={create.isPending}
          disabled={mode === 'file' && !file}
          data-testid="draft-submit"
        >
          生成计划草稿
        </Button>
      </Form>
    </Card>
  );
}

function failureHint(e: ApiError): string | undefined {
  if (e.status === 413) return '文件过大，请删去附表、图片等与任务无关的内容后重试。';
  if (e.status === 415) return '只支持 UTF-8 编码的 .txt 文本和 Word 的 .docx 文件。';
  if (e.status === 422)
    return '未生成草稿。请确认报告包含“一、二、……”分部分、“（一）（二）……”列出的重点任务。';
  return undefined;
}

function DraftList() {
  const drafts = useDrafts();
  const client = useQueryClient();
  const { message } = AntApp.useApp();
  const remove = useMutation({
    mutationFn: (d: DraftSummary) => draftsApi.remove(d.id),
    onSuccess: (_, d) => void message.success(`已删除草稿“${d.title}”`),
    onError: (e) => void message.error(e.message),
    onSettled: () => client.invalidateQueries({ queryKey: ['drafts'] }),
  });
  return (
    <Card
      title="计划草稿"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void drafts.refetch()} loading={drafts.isFetching}>
          刷新
        </Button>
      }
    >
      <QueryState isPending={drafts.isPending} error={drafts.error} refetch={drafts.refetch}>
        <Table<DraftSummary>
          rowKey="id"
          size="middle"
          dataSource={drafts.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '还没有草稿' }}
          onRow={() => ({ 'data-testid': 'draft-row' }) as object}
          columns={[
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (s: DraftSummary['status']) =>
                s === 'published' ? <Tag color="success">已发布</Tag> : <Tag color="processing">待核对</Tag>,
            },
            { title: '年度', dataIndex: 'year', width: 80 },
            {
              title: '标题',
              dataIndex: 'title',
              render: (t: string, d) => <Link to={`/drafts/${d.id}`}>{t}</Link>,
            },
            { title: '事项数', dataIndex: 'itemCount', width: 90, align: 'right' },
            { title: '导入人', render: (_, d) => d.createdBy.name, width: 100 },
            { title: '导入时间', dataIndex: 'createdAt', render: dateTime, width: 150 },
            {
              title: '计划',
              width: 100,
              render: (_, d) =>
                d.publishedPlanId ? <Link to={`/plan?planId=${d.publishedPlanId}`}>查看计划</Link> : '—',
            },
            {
              title: '操作',
              width: 80,
              render: (_, d) =>
                d.status === 'open' ? (
                  <Popconfirm
                    title="删除这份草稿？"
                    description="草稿中的核对修改将一并删除，已发布的计划不受影响。"
                    okText="删除"
                    cancelText="取消"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove.mutate(d)}
                  >
                    <Button type="link" danger size="small">
                      删除
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}
