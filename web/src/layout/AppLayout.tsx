import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  EyeOutlined,
  FileTextOutlined,
  SettingOutlined,
  SwapOutlined,
  TrophyOutlined,
  BellOutlined,
  DashboardOutlined,
  LogoutOutlined,
  MenuOutlined,
  ProfileOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Typography } from 'antd';
import type { ItemType } from 'antd/es/menu/interface';
import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';

import { api, call } from '../api/client';
import { canReview, hasRole, useMe, type Me } from '../auth/auth';
import { session } from '../auth/session';
import { ROLE_NAMES } from '../lib/format';
import { PageLoading } from '../components/PageLoading';

/** The unread count in the header: refetched every minute and whenever a message is read. */
export function useUnreadCount() {
  return useQuery({
    queryKey: ['inbox', 'unread-count'],
    queryFn: () => call(api.GET('/api/v1/inbox/unread-count')),
    refetchInterval: 60_000,
  });
}

function menuItems(me: Me): ItemType[] {
  const office = hasRole(me, 'admin', 'dispatcher');
  return [
    { key: '/', icon: <DashboardOutlined />, label: <Link to="/">工作台</Link> },
    { key: '/tasks', icon: <ProfileOutlined />, label: <Link to="/tasks">我的任务</Link> },
    ...(canReview(me)
      ? [{ key: '/reviews', icon: <AuditOutlined />, label: <Link to="/reviews">审核</Link> }]
      : []),
    { key: '/messages', icon: <BellOutlined />, label: <Link to="/messages">消息</Link> },
    { type: 'divider' as const },
    { key: '/plan', icon: <ApartmentOutlined />, label: <Link to="/plan">计划总览</Link> },
    ...(hasRole(me, 'leader')
      ? [{ key: '/leader', icon: <EyeOutlined />, label: <Link to="/leader">领导视图</Link> }]
      : []),
    { key: '/ranking', icon: <TrophyOutlined />, label: <Link to="/ranking">单位排名</Link> },
    { key: '/dispatch', icon: <CalendarOutlined />, label: <Link to="/dispatch">月调度</Link> },
    ...(office
      ? [
          { key: '/drafts', icon: <FileTextOutlined />, label: <Link to="/drafts">导入工作报告</Link> },
          { key: '/import', icon: <SwapOutlined />, label: <Link to="/import">导入导出</Link> },
        ]
      : []),
    ...(hasRole(me, 'admin')
      ? [{ key: '/settings', icon: <SettingOutlined />, label: <Link to="/settings">设置</Link> }]
      : []),
  ];
}

/** The menu entry a path belongs to (an item page belongs to 我的任务). */
function selectedKey(pathname: string): string {
  if (pathname.startsWith('/items')) return '/tasks';
  const first = `/${pathname.split('/')[1] ?? ''}`;
  return first;
}

export function AppLayout() {
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const location = useLocation();
  const [drawer, setDrawer] = useState(false);
  const unread = useUnreadCount();
  const items = menuItems(me);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selectedKey(location.pathname)]}
      items={items}
      onClick={() => setDrawer(false)}
      style={{ borderInlineEnd: 0 }}
    />
  );

  async function logout() {
    const refreshToken = localStorage.getItem('duban.session');
    try {
      await api.POST('/api/v1/auth/logout', {
        body: {
          refreshToken: refreshToken
            ? (JSON.parse(refreshToken) as { refreshToken: string }).refreshToken
            : '',
        },
      });
    } catch {
      // Logging out locally is what matters; the server token expires by itself.
    }
    session.logout();
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={200} className="app-sider">
          <Link to="/" className="app-logo">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>督办</span>
          </Link>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="app-header">
          {phone && (
            <Button type="text" icon={<MenuOutlined />} aria-label="菜单" onClick={() => setDrawer(true)} />
          )}
          <Typography.Text strong className="app-org" ellipsis>
            {me.organization.name}
          </Typography.Text>
          <div style={{ flex: 1 }} />
          <Link to="/messages" aria-label="消息" className="app-bell">
            <Badge count={unread.data?.unread ?? 0} size="small" overflowCount={99}>
              <BellOutlined style={{ fontSize: 18 }} />
            </Badge>
          </Link>
          <Dropdown
            menu={{
              items: [
                {
                  key: 'who',
                  label: `${me.unit.name} · ${me.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}`,
                  disabled: true,
                },
                { type: 'divider' },
                { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void logout() },
              ],
            }}
          >
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
              {phone ? null : me.name}
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <Drawer
        placement="left"
        open={drawer}
        onClose={() => setDrawer(false)}
        size={220}
        title="督办"
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
    </Layout>
  );
}
