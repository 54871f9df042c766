import { Empty } from 'antd';

// Placeholder: written in issue 16's settings work.
export function PlanSettingsTab() {
  return <Empty description="建设中" />;
}
