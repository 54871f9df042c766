import { Empty } from 'antd';

// Placeholder: the page is written in issue 15's page work.
export default function HomePage() {
  return (
    <>
      <h1 className="page-title">工作台</h1>
      <Empty description="建设中" />
    </>
  );
}
