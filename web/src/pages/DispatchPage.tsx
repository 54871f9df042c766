import { Empty } from 'antd';

// Placeholder: the page is written in issue 16's page work.
export default function DispatchPage() {
  return (
    <>
      <h1 className="page-title">月调度</h1>
      <Empty description="建设中" />
    </>
  );
}
