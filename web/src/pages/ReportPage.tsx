import { Empty } from 'antd';

// Placeholder: the page is written in issue 15's page work.
export default function ReportPage() {
  return (
    <>
      <h1 className="page-title">填报</h1>
      <Empty description="建设中" />
    </>
  );
}
