import { Empty } from 'antd';

// Placeholder: written in issue 16's settings work.
export function CalendarTab() {
  return <Empty description="建设中" />;
}
