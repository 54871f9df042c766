import { Empty } from 'antd';

// Placeholder: the page is written in issue 16's page work.
export default function ImportPage() {
  return (
    <>
      <h1 className="page-title">导入导出</h1>
      <Empty description="建设中" />
    </>
  );
}
