import { Empty } from 'antd';

// Placeholder: the page is written in issue 15's page work.
export default function ReviewsPage() {
  return (
    <>
      <h1 className="page-title">审核</h1>
      <Empty description="建设中" />
    </>
  );
}
