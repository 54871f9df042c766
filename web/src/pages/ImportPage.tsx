import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Result,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';

import { api, ApiError, call, type Schemas } from '../api/client';
import { hasRole, useMe } from '../auth/auth';
import { ForbiddenPage } from './ForbiddenPage';
import { PlanPicker } from './settings/PlanPicker';

type ImportResult = Schemas['ImportResultDto'];

/** One problem of a rejected sheet, as the server names it: field "第4行·牵头单位" (or "第0行" for the file). */
export interface SheetProblem {
  key: number;
  row: number | null;
  column: string | null;
  message: string;
}

export function sheetProblems(error: ApiError): SheetProblem[] {
  return error.fields.map((f, key) => {
    const m = /^第(\d+)行(?:·(.+))?$/.exec(f.field);
    const row = m ? Number(m[1]) : null;
    return { key, row: row || null, column: m?.[2] ?? (m ? null : f.field), message: f.message };
  });
}

/** 导入导出: upload a 任务分解表 as a new draft plan (all or nothing), download a plan's current sheet. */
export default function ImportPage() {
  const me = useMe();
  if (!hasRole(me, 'admin') && !hasRole(me, 'dispatcher'))
    return <ForbiddenPage message="导入导出仅对系统管理员和督查室开放。" />;
  return (
    <>
      <h1 className="page-title">导入导出</h1>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <ImportCard />
        <ExportCard />
      </Space>
    </>
  );
}

function ImportCard() {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ year: number; title?: string }>();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async (values: { year: number; title?: string }) => {
      const body = new FormData();
      body.append('year', String(values.year));
      if (values.title?.trim()) body.append('title', values.title.trim());
      body.append('file', file!, file!.name);
      return call(
        api.POST('/api/v1/plans/import', {
          // The typed body only names the parts; the multipart form itself is what goes out.
          body: { file: file!.name, year: values.year },
          bodySerializer: () => body,
        }),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['plans'] }),
  });
  const error = upload.error instanceof ApiError ? upload.error : null;
  const problems = error?.status === 422 ? sheetProblems(error) : [];

  return (
    <Card title="导入任务分解表">
      <Typography.Paragraph type="secondary">
        上传
        Excel（.xlsx）格式的任务分解表，导入为一个新的草稿计划。表格全部校验通过才会写入；有任何问题时列出每一处，不写入任何内容。
        可以先在下方导出现有计划的任务分解表作为模板。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        initialValues={{ year: new Date().getFullYear() + 1 }}
        onFinish={(values) => upload.mutate(values)}
        style={{ rowGap: 12 }}
      >
        <Form.Item label="年度" name="year" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={2000} max={2100} precision={0} data-testid="import-year" />
        </Form.Item>
        <Form.Item label="计划标题" name="title" extra="留空则取表格第一行的标题">
          <Input maxLength={200} style={{ width: 320 }} data-testid="import-title" />
        </Form.Item>
        <Form.Item label="文件" required>
          <Upload
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              upload.reset();
              return false; // sent with the form, not on its own
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: 'sheet', name: file.name, status: 'done' }] : []}
          >
            <Button icon={<UploadOutlined />}>选择 .xlsx 文件</Button>
          </Upload>
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            disabled={!file}
            loading={upload.isPending}
            data-testid="import-submit"
          >
            导入
          </Button>
        </Form.Item>
      </Form>

      {upload.isSuccess && <Imported result={upload.data} />}
      {error && (
        <div data-testid="import-errors" style={{ marginTop: 16 }}>
          <Alert type="error" showIcon title={error.message} description={nothingWritten(error)} />
          {problems.length > 0 && (
            <Table<SheetProblem>
              style={{ marginTop: 12 }}
              size="small"
              rowKey="key"
              dataSource={problems}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: '行', dataIndex: 'row', width: 80, render: (r: number | null) => r ?? '—' },
                { title: '列', dataIndex: 'column', width: 140, render: (c: string | null) => c ?? '—' },
                { title: '问题', dataIndex: 'message' },
              ]}
              onRow={(p) => ({ 'data-testid': 'import-problem', 'data-row': p.row ?? 0 }) as object}
            />
          )}
        </div>
      )}
    </Card>
  );
}

function nothingWritten(error: ApiError): string {
  if (error.status === 422) return '表格中的内容均未写入。请按下表逐行修改后重新上传。';
  return '表格中的内容均未写入。';
}

function Imported({ result }: { result: ImportResult }) {
  return (
    <Result
      data-testid="import-success"
      status="success"
      title={`已导入“${result.plan.title}”（${result.plan.year} 年，${result.plan.statusName}）`}
      subTitle={`新增 ${result.sections} 个部分、${result.tasks} 项重点任务、${result.items} 项具体事项。`}
      extra={<Link to={`/plan?planId=${result.plan.id}`}>查看计划</Link>}
    />
  );
}

function ExportCard() {
  const { message } = AntApp.useApp();
  const [planId, setPlanId] = useState<string>();
  const download = useMutation({
    mutationFn: async (id: string) => {
      const { data, error, response } = await api.GET('/api/v1/plans/{id}/breakdown.xlsx', {
        params: { path: { id } },
        parseAs: 'blob',
      });
      if (!response.ok || !data) {
        // The error body is JSON even when a blob was asked for: let call() read it.
        await call(Promise.resolve({ error: await readJson(error), response }));
      }
      const name = filenameOf(response.headers.get('content-disposition')) ?? 'breakdown.xlsx';
      const url = URL.createObjectURL(data as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return name;
    },
    onSuccess: (name) => void message.success(`已下载 ${name}`),
    onError: (e) => void message.error(e instanceof Error ? e.message : '下载失败'),
  });
  return (
    <Card title="导出任务分解表">
      <Space wrap>
        <PlanPicker value={planId} onChange={setPlanId} />
        <Button
          icon={<DownloadOutlined />}
          disabled={!planId}
          loading={download.isPending}
          onClick={() => planId && download.mutate(planId)}
          data-testid="export-download"
        >
          下载当前任务分解表
        </Button>
      </Space>
    </Card>
  );
}

async function readJson(error: unknown): Promise<unknown> {
  if (error instanceof Blob) {
    try {
      return JSON.parse(await error.text()) as unknown;
    } catch {
      return undefined;
    }
  }
  return error;
}

/** The UTF-8 file name of a Content-Disposition header (filename*=UTF-8''…), else its plain filename. */
function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : null;
}
