import { Empty } from 'antd';

// Placeholder: the page is written in issue 16's page work.
export default function PlanOverviewPage() {
  return (
    <>
      <h1 className="page-title">计划总览</h1>
      <Empty description="建设中" />
    </>
  );
}
