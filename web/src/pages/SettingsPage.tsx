import { Button, Tabs } from 'antd';
import { useSearchParams } from 'react-router';

import { hasRole, useMe } from '../auth/auth';
import { session } from '../auth/session';
import { ForbiddenPage } from './ForbiddenPage';
import { CalendarTab } from './settings/CalendarTab';
import { ChannelsTab } from './settings/ChannelsTab';
import { PlanSettingsTab } from './settings/PlanSettingsTab';
import { RemindersTab } from './settings/RemindersTab';
import { UnitsTab } from './settings/UnitsTab';
import { UsersTab } from './settings/UsersTab';
import { WebhookHostsTab } from './settings/WebhookHostsTab';

const TABS = [
  { key: 'units', label: '单位', children: <UnitsTab /> },
  { key: 'users', label: '用户', children: <UsersTab /> },
  { key: 'channels', label: '通知渠道', children: <ChannelsTab /> },
  { key: 'webhook-hosts', label: 'Webhook 白名单', children: <WebhookHostsTab /> },
  { key: 'reminders', label: '提醒规则', children: <RemindersTab /> },
  { key: 'calendar', label: '工作日历', children: <CalendarTab /> },
  { key: 'plan', label: '计划设置', children: <PlanSettingsTab /> },
];

/** 设置: the organization's upkeep, for its admins only (a head or member gets 无权限 without a request). */
export default function SettingsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  if (!hasRole(me, 'admin')) return <ForbiddenPage message="设置仅对本单位系统管理员开放。" />;
  const tab = TABS.some((t) => t.key === params.get('tab')) ? params.get('tab')! : 'units';
  return (
    <>
      <h1 className="page-title">设置</h1>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={TABS}
        destroyOnHidden
        tabBarExtraContent={
          // Bull Board shows every organization's jobs, so it is for platform administrators (issue 13);
          // an organization admin who also holds that role gets the link (it takes the token as ?token=).
          hasRole(me, 'sysadmin') ? (
            <Button
              href={`/admin/queues?token=${encodeURIComponent(session.accessToken() ?? '')}`}
              target="_blank"
            >
              任务队列（Bull Board）
            </Button>
          ) : undefined
        }
      />
    </>
  );
}
