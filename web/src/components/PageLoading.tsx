import { Skeleton } from 'antd';

export function PageLoading() {
  return <Skeleton active paragraph={{ rows: 8 }} style={{ padding: 24 }} />;
}
