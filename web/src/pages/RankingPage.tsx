import { Empty } from 'antd';

// Placeholder: the page is written in issue 16's page work.
export default function RankingPage() {
  return (
    <>
      <h1 className="page-title">单位排名</h1>
      <Empty description="建设中" />
    </>
  );
}
