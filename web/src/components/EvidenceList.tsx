import { FileImageOutlined, FileOutlined, PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography } from 'antd';
import { useState } from 'react';

import { api, call, type Schemas } from '../api/client';
import { fileSize } from '../lib/workflow';

type Evidence = Schemas['ReportDto']['evidence'][number];

/**
 * A report's evidence files. The download needs the bearer token, so a plain link would be refused: the file is
 * fetched with it and handed to the browser as a blob.
 */
export function EvidenceList({ evidence }: { evidence: Evidence[] }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  if (!evidence.length) return <Typography.Text type="secondary">暂无佐证材料</Typography.Text>;

  async function download(e: Evidence) {
    setBusy(e.id);
    try {
      const blob = await call(
        api.GET('/api/v1/evidence/{id}/download', { params: { path: { id: e.id } }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = e.filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      message.error(err instanceof Error ? err.message : '下载失败');
    } finally {
      setBusy(null);
    }
  }

  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }} className="evidence-list">
      {evidence.map((e) => (
        <div key={e.id} className="evidence-row">
          {e.mime.startsWith('image/') ? <FileImageOutlined /> : <FileOutlined />}
          <Button
            type="link"
            size="small"
            loading={busy === e.id}
            onClick={() => void download(e)}
            className="evidence-name"
            title={`下载 ${e.filename}`}
          >
            {e.filename}
          </Button>
          <Typography.Text type="secondary" className="evidence-size">
            <PaperClipOutlined /> {fileSize(e.size)}
          </Typography.Text>
        </div>
      ))}
    </Space>
  );
}
