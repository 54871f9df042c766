import { DownloadOutlined, FileExcelOutlined, FileWordOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Button, Flex, Progress, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { api, call, type Schemas } from '../../api/client';

type Format = 'xlsx' | 'docx';
const FORMAT_NAMES: Record<Format, string> = { xlsx: 'Excel 台账', docx: 'Word 会议材料' };

/** Saves a blob under its name (the file link needs the Authorization header, so no plain <a href>). */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * 导出 .xlsx / .docx: the worker generates the file (POST …/exports → 202), the button shows its progress
 * (polling GET /pack-exports/:id) and saves the file once done.
 */
export function PackExportButtons({ cycleId }: { cycleId: string }) {
  const { message } = App.useApp();
  const [job, setJob] = useState<{ id: string; format: Format } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const request = useMutation({
    mutationFn: (format: Format) =>
      call(
        api.POST('/api/v1/cycles/{id}/dispatch-pack/exports', {
          params: { path: { id: cycleId } },
          body: { format },
        }),
      ),
    onSuccess: (data, format) => {
      setSaved(null);
      setJob({ id: (data as Schemas['PackExportDto']).id, format });
    },
    onError: (e) => message.error(e.message),
  });

  const status = useQuery({
    queryKey: ['pack-export', job?.id],
    queryFn: () => call(api.GET('/api/v1/pack-exports/{id}', { params: { path: { id: job!.id } } })),
    enabled: !!job,
    refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 1000),
  });
  const exp = status.data;

  useEffect(() => {
    if (!job || !exp || exp.id !== job.id || exp.status !== 'done' || saved === exp.id) return;
    setSaved(exp.id);
    void (async () => {
      const { data, response } = await api.GET('/api/v1/pack-exports/{id}/file', {
        params: { path: { id: exp.id } },
        parseAs: 'blob',
      });
      if (!response.ok || !data) {
        message.error('文件下载失败，请重试');
        return;
      }
      save(data as Blob, exp.fileName ?? `月调度.${job.format}`);
      message.success(`${FORMAT_NAMES[job.format]}已下载`);
    })();
  }, [job, exp, saved, message]);

  const running = !!job && (!exp || exp.id !== job.id || exp.status === 'queued' || exp.status === 'running');
  return (
    <Flex gap={8} align="center" wrap data-testid="pack-export">
      <Button
        icon={<FileExcelOutlined />}
        loading={(request.isPending && request.variables === 'xlsx') || (running && job?.format === 'xlsx')}
        disabled={running}
        onClick={() => request.mutate('xlsx')}
        data-testid="export-xlsx"
      >
        导出 Excel
      </Button>
      <Button
        icon={<FileWordOutlined />}
        loading={(request.isPending && request.variables === 'docx') || (running && job?.format === 'docx')}
        disabled={running}
        onClick={() => request.mutate('docx')}
        data-testid="export-docx"
      >
        导出 Word
      </Button>
      {job && exp && exp.id === job.id && (
        <Flex gap={8} align="center" style={{ minWidth: 200 }}>
          {exp.status === 'failed' ? (
            <Typography.Text type="danger">生成失败：{exp.error ?? '请重试'}</Typography.Text>
          ) : (
            <Progress
              percent={exp.progress}
              size="small"
              style={{ width: 160, margin: 0 }}
              status={exp.status === 'done' ? 'success' : 'active'}
              data-testid="export-progress"
            />
          )}
          {exp.status === 'done' && (
            <Button
              type="link"
              size="small"
              icon={<DownloadOutlined />}
              onClick={() => setSaved(null)}
              title="再次下载"
            >
              再次下载
            </Button>
          )}
        </Flex>
      )}
    </Flex>
  );
}
