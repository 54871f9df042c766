import { Empty } from 'antd';

// Placeholder: the page is written in issue 16's page work.
export default function LeaderPage() {
  return (
    <>
      <h1 className="page-title">领导视图</h1>
      <Empty description="建设中" />
    </>
  );
}
