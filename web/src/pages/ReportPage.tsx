import {
  ArrowLeftOutlined,
  CameraOutlined,
  CloudUploadOutlined,
  SaveOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Grid,
  Input,
  InputNumber,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';

import { api, call, type Schemas } from '../api/client';
import { useMe } from '../auth/auth';
import { EvidenceList } from '../components/EvidenceList';
import { QueryState } from '../components/QueryState';
import { ReportView, figure } from '../components/ReportView';
import { LightTag, date, percent as pct } from '../lib/format';
import {
  REPORT_STATUS,
  convert,
  invalidateWork,
  isOpenItem,
  mayReport,
  periodName,
  showFieldErrors,
  unitChoices,
  type Item,
  type Report,
} from '../lib/workflow';
import '../components/workflow.css';

interface FormValues {
  percent: number | null;
  progress: string;
  problems?: string;
  nextSteps?: string;
  decreaseReason?: string;
  actuals: Record<string, { value?: number | null; unit: string }>;
}

/**
 * The goal without the metric the label already shows: "各街道… ≥ x 条" → "目标 ≥ x 条"; a range says how it is
 * counted: "目标 1～2 个，达到下限即完成".
 */
function targetGoal(target: { text: string; comparator: string } | undefined, metric: string): string {
  if (!target) return '';
  const { text } = target;
  const rest = text.startsWith(metric) ? text.slice(metric.length).trim() : text;
  if (!rest) return '';
  return target.comparator === 'range' ? `（目标 ${rest}，达到下限即完成）` : `（目标 ${rest}）`;
}

/** 填报: one period's progress report of one item — fill, attach evidence, save a draft, submit; resubmit when returned. */
export default function ReportPage() {
  const { id = '', period = '' } = useParams();
  const item = useQuery({
    queryKey: ['item', id],
    queryFn: () => call(api.GET('/api/v1/items/{id}', { params: { path: { id } } })),
  });
  const reports = useQuery({
    queryKey: ['item', id, 'reports'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/reports', { params: { path: { id } } })),
  });
  const progress = useQuery({
    queryKey: ['item', id, 'progress'],
    queryFn: () => call(api.GET('/api/v1/items/{id}/progress', { params: { path: { id } } })),
  });
  const error = item.error ?? reports.error ?? progress.error;
  return (
    <div className="report-page">
      <QueryState
        isPending={item.isPending || reports.isPending || progress.isPending}
        error={error}
        refetch={() => Promise.all([item.refetch(), reports.refetch(), progress.refetch()])}
      >
        {item.data && reports.data && progress.data && (
          <ReportBody
            item={item.data}
            period={period}
            report={reports.data.find((r) => r.periodKey === period) ?? null}
            progress={progress.data}
          />
        )}
      </QueryState>
    </div>
  );
}

function ReportBody({
  item,
  period,
  report,
  progress,
}: {
  item: Item;
  period: string;
  report: Report | null;
  progress: Schemas['ItemProgressDto'];
}) {
  const me = useMe();
  const allowed = mayReport(me, item);
  const open = isOpenItem(item);
  const editable = allowed && open && (!report || report.status === 'draft' || report.status === 'returned');
  const due = item.nextReport?.period === period ? item.nextReport.dueOn : null;
  const status = report ? REPORT_STATUS[report.status] : { text: '未填报', color: 'default' };

  return (
    <>
      <Link to={`/items/${item.id}`} className="report-back">
        <ArrowLeftOutlined /> 返回事项详情
      </Link>
      <div className="report-head">
        <h1 className="page-title">
          {periodName(period)}进度填报 <Tag color={status.color}>{status.text}</Tag>
        </h1>
        <Typography.Paragraph className="report-item-title" ellipsis={{ rows: 2 }}>
          <Link to={`/items/${item.id}`}>{item.title}</Link>
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" className="report-position" ellipsis={{ rows: 2 }}>
          {item.position.section.numbering ?? ''}
          {item.position.section.title} › {item.position.task.numbering ?? ''}
          {item.position.task.title}
        </Typography.Paragraph>
      </div>
      <Card size="small" className="report-card">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, md: 3 }}
          items={[
            { key: 'unit', label: '牵头单位', children: item.leadUnit.name },
            { key: 'owner', label: '责任人', children: item.owner?.name ?? '未分派' },
            { key: 'deadline', label: '完成时限', children: date(item.deadline) },
            ...(due
              ? [
                  {
                    key: 'due',
                    label: '填报截止',
                    children: <Typography.Text strong>{date(due)}</Typography.Text>,
                  },
                ]
              : []),
            {
              key: 'expected',
              label: '序时进度',
              children: pct(item.figures?.expected),
            },
            {
              key: 'last',
              label: '上次审核通过',
              children:
                progress.percent === null
                  ? '暂无'
                  : `${pct(progress.percent)}（${periodName(progress.periodKey ?? '')}）`,
            },
            { key: 'light', label: '当前灯色', children: <LightTag light={item.figures?.light} /> },
          ]}
        />
      </Card>

      {report?.status === 'returned' && (
        <Alert
          type="error"
          showIcon
          className="report-alert"
          data-testid="returned-reason"
          title="该填报已被退回，请按意见修改后重新提交"
          description={
            <>
              <Typography.Text strong>退回意见：</Typography.Text>
              {report.reviewComment || '（未填写）'}
            </>
          }
        />
      )}
      {report?.status === 'submitted' && (
        <Alert
          type="info"
          showIcon
          className="report-alert"
          title="已提交，等待审核"
          description="负责人审核前不能修改；审核结果会通过“消息”通知您。"
        />
      )}
      {report?.status === 'approved' && (
        <Alert type="success" showIcon className="report-alert" title="本期填报已审核通过" />
      )}
      {!open && (
        <Alert
          type="warning"
          showIcon
          className="report-alert"
          title={`事项当前为“${item.statusName}”，不能再填报`}
        />
      )}
      {open && !allowed && (
        <Alert
          type="warning"
          showIcon
          className="report-alert"
          title="只有牵头单位的人员可以填报该事项，您可以查看"
        />
      )}

      {editable ? (
        <ReportForm item={item} period={period} report={report} progress={progress} />
      ) : report ? (
        <Card size="small" className="report-card" title="填报内容">
          <ReportView report={report} targets={progress.targets} showStatus={false} />
        </Card>
      ) : (
        <Card size="small" className="report-card">
          <Typography.Text type="secondary">本期尚未填报。</Typography.Text>
        </Card>
      )}
    </>
  );
}

function ReportForm({
  item,
  period,
  report,
  progress,
}: {
  item: Item;
  period: string;
  report: Report | null;
  progress: Schemas['ItemProgressDto'];
}) {
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState<'save' | 'submit' | 'upload' | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const cameraInput = useRef<HTMLInputElement>(null);
  const targets = progress.targets;
  const lastPercent = progress.percent;
  const percent = Form.useWatch('percent', form);
  const actuals = Form.useWatch('actuals', form);
  const decreasing = lastPercent !== null && typeof percent === 'number' && percent < lastPercent;

  const initial: FormValues = {
    percent: report?.percent ?? lastPercent ?? null,
    progress: report?.progress ?? '',
    problems: report?.problems ?? '',
    nextSteps: report?.nextSteps ?? '',
    decreaseReason: report?.decreaseReason ?? '',
    actuals: Object.fromEntries(
      targets.map((t) => {
        const a = report?.actuals.find((x) => x.targetId === t.targetId);
        return [t.targetId, { value: a?.value ?? null, unit: a?.unit ?? t.unit }];
      }),
    ),
  };

  /** Keeps the page's copy of the report current (its version is what the next write must name). */
  function remember(saved: Report) {
    client.setQueryData<Report[]>(['item', item.id, 'reports'], (old) =>
      old ? [...old.filter((r) => r.id !== saved.id), saved] : [saved],
    );
  }

  async function save(): Promise<Report> {
    const v = await form.validateFields();
    const filled = targets.filter((t) => typeof v.actuals?.[t.targetId]?.value === 'number');
    const current = client
      .getQueryData<Report[]>(['item', item.id, 'reports'])
      ?.find((r) => r.periodKey === period);
    try {
      const saved = await call(
        api.PUT('/api/v1/items/{id}/reports/{period}', {
          params: { path: { id: item.id, period } },
          body: {
            version: current?.version,
            percent: v.percent ?? 0,
            progress: v.progress,
            problems: v.problems ?? '',
            nextSteps: v.nextSteps ?? '',
            decreaseReason: decreasing ? v.decreaseReason : undefined,
            actuals: filled.map((t) => ({
              targetId: t.targetId,
              value: v.actuals[t.targetId].value as number,
              unit: v.actuals[t.targetId].unit || t.unit,
            })),
          },
        }),
      );
      remember(saved);
      return saved;
    } catch (e) {
      showFieldErrors(form, e, (field) => {
        const m = /^actuals\.(\d+)\.(\w+)$/.exec(field);
        const t = m ? filled[Number(m[1])] : undefined;
        return t ? ['actuals', t.targetId, m![2] === 'unit' ? 'unit' : 'value'] : field;
      });
      throw e;
    }
  }

  function fail(e: unknown) {
    // Form validation errors are shown on the fields themselves.
    if (e && typeof e === 'object' && 'errorFields' in e) {
      message.warning('请先把标红的内容填写完整');
      return;
    }
    message.error(e instanceof Error ? e.message : '操作失败，请重试');
  }

  async function onSave() {
    setBusy('save');
    try {
      await save();
      message.success('草稿已保存');
      void invalidateWork(client, item.id);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  }

  async function onSubmit() {
    try {
      await form.validateFields();
    } catch (e) {
      fail(e);
      return;
    }
    modal.confirm({
      title: report?.status === 'returned' ? '重新提交本期填报？' : '提交本期填报？',
      content: '提交后等待负责人审核，审核前不能再修改。',
      okText: '提交',
      cancelText: '再看看',
      onOk: async () => {
        setBusy('submit');
        try {
          const saved = await save();
          const submitted = await call(
            api.POST('/api/v1/reports/{id}/submit', {
              params: { path: { id: saved.id } },
              body: { version: saved.version },
            }),
          );
          remember(submitted);
          message.success('已提交，等待审核');
          void invalidateWork(client, item.id);
          window.scrollTo({ top: 0 });
        } catch (e) {
          fail(e);
        } finally {
          setBusy(null);
        }
      },
    });
  }

  async function upload(files: FileList | null) {
    if (!files?.length) return;
    setBusy('upload');
    try {
      // Evidence belongs to a saved report: the first upload saves the draft.
      let target = client
        .getQueryData<Report[]>(['item', item.id, 'reports'])
        ?.find((r) => r.periodKey === period);
      if (!target) {
        try {
          target = await save();
        } catch (e) {
          if (e && typeof e === 'object' && 'errorFields' in e) {
            message.warning('上传佐证材料前，请先填写完成率和进展情况（系统会先保存草稿）');
            return;
          }
          throw e;
        }
      }
      for (const file of Array.from(files)) {
        const body = new FormData();
        body.append('file', file, file.name);
        const updated = await call(
          api.POST('/api/v1/reports/{id}/evidence', {
            params: { path: { id: target.id } },
            body: { file: file.name },
            bodySerializer: () => body,
          }),
        );
        remember(updated);
        message.success(`已上传：${file.name}`);
      }
      void invalidateWork(client, item.id);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
      if (fileInput.current) fileInput.current.value = '';
      if (cameraInput.current) cameraInput.current.value = '';
    }
  }

  const resubmit = report?.status === 'returned';
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      className="report-form"
      requiredMark={(label, { required }) => (
        <>
          {label}
          {required && <span className="report-required">*</span>}
        </>
      )}
    >
      <Card size="small" className="report-card" title="本期进展">
        <Form.Item
          name="percent"
          label="完成率"
          rules={[{ required: true, message: '请填写完成率（0～100）' }]}
          extra={
            <>
              序时进度 {pct(item.figures?.expected)}
              {lastPercent !== null && <>；上次审核通过 {pct(lastPercent)}</>}
            </>
          }
        >
          <InputNumber
            min={0}
            max={100}
            suffix="%"
            inputMode="decimal"
            placeholder="0～100"
            style={{ width: phone ? '100%' : 180 }}
          />
        </Form.Item>
        {decreasing && (
          <Form.Item
            name="decreaseReason"
            label="完成率下降原因"
            rules={[
              {
                required: true,
                whitespace: true,
                message: `完成率低于上次审核通过的 ${lastPercent}%，请说明原因`,
              },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
          </Form.Item>
        )}
        <Form.Item
          name="progress"
          label="进展情况"
          rules={[{ required: true, whitespace: true, message: '请填写进展情况' }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 4, maxRows: 12 }}
            maxLength={5000}
            showCount
            placeholder="本期做了哪些工作、取得什么成效（可写具体数字）"
          />
        </Form.Item>
        <Form.Item name="problems" label="存在问题">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} placeholder="没有可不填" />
        </Form.Item>
        <Form.Item name="nextSteps" label="下步计划" style={{ marginBottom: 0 }}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 8 }}
            maxLength={5000}
            placeholder="下一步的工作安排"
          />
        </Form.Item>
      </Card>

      {targets.length > 0 && (
        <Card size="small" className="report-card" title="量化指标完成值（累计）">
          {targets.map((t, n) => {
            const row = actuals?.[t.targetId];
            const converted =
              row && typeof row.value === 'number' && row.unit && row.unit !== t.unit
                ? convert(row.value, row.unit, t.unit)
                : null;
            return (
              <Form.Item
                key={t.targetId}
                label={
                  <span>
                    {t.metric}
                    <Typography.Text type="secondary" className="report-target">
                      {targetGoal(item.targets[n], t.metric)}
                    </Typography.Text>
                  </span>
                }
                extra={
                  converted !== null
                    ? `合 ${figure(converted)} ${t.unit}`
                    : t.actual
                      ? `上次审核通过累计 ${figure(t.actual)} ${t.unit}`
                      : undefined
                }
                style={{ marginBottom: n === targets.length - 1 ? 0 : undefined }}
              >
                <Space.Compact style={{ width: '100%', maxWidth: 360 }}>
                  <Form.Item name={['actuals', t.targetId, 'value']} noStyle>
                    <InputNumber
                      min={0}
                      inputMode="decimal"
                      placeholder="完成值"
                      style={{ width: '100%' }}
                      aria-label={`${t.metric}完成值`}
                    />
                  </Form.Item>
                  <Form.Item name={['actuals', t.targetId, 'unit']} noStyle>
                    <Select
                      style={{ width: 120, flex: 'none' }}
                      options={unitChoices(t.unit).map((u) => ({ value: u, label: u }))}
                      aria-label={`${t.metric}单位`}
                    />
                  </Form.Item>
                </Space.Compact>
              </Form.Item>
            );
          })}
        </Card>
      )}

      <Card size="small" className="report-card" title="佐证材料">
        <EvidenceList evidence={report?.evidence ?? []} />
        <input
          ref={fileInput}
          type="file"
          multiple
          style={{ display: 'none' }}
          data-testid="evidence-file"
          // image/* lets a phone's picker offer the camera as well as the gallery and files.
          accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,image/*"
          onChange={(e) => void upload(e.target.files)}
        />
        <input
          ref={cameraInput}
          type="file"
          style={{ display: 'none' }}
          accept="image/*"
          capture="environment"
          data-testid="evidence-camera"
          onChange={(e) => void upload(e.target.files)}
        />
        <div className="report-upload">
          {phone && (
            <Button
              icon={<CameraOutlined />}
              loading={busy === 'upload'}
              onClick={() => cameraInput.current?.click()}
            >
              拍照上传
            </Button>
          )}
          <Button
            icon={<CloudUploadOutlined />}
            loading={busy === 'upload'}
            onClick={() => fileInput.current?.click()}
          >
            {phone ? '选择文件' : '上传文件'}
          </Button>
        </div>
        <Typography.Text type="secondary" className="report-hint">
          支持照片（JPG、PNG）、PDF、Word（.docx）、Excel（.xlsx）。{report ? '' : '首次上传会先保存草稿。'}
        </Typography.Text>
      </Card>

      <div className="report-actions">
        <Button
          icon={<SaveOutlined />}
          loading={busy === 'save'}
          disabled={!!busy && busy !== 'save'}
          onClick={() => void onSave()}
        >
          保存草稿
        </Button>
        <Button
          type="primary"
          icon={<SendOutlined />}
          loading={busy === 'submit'}
          disabled={!!busy && busy !== 'submit'}
          onClick={() => void onSubmit()}
        >
          {resubmit ? '重新提交' : '提交审核'}
        </Button>
      </div>
    </Form>
  );
}
