import { Empty } from 'antd';

// Placeholder: the page is written in issue 15's page work.
export default function ItemPage() {
  return (
    <>
      <h1 className="page-title">事项详情</h1>
      <Empty description="建设中" />
    </>
  );
}
