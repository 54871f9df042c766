import {
  AuditOutlined,
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
import { canReview, useMe } from '../auth/auth';
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

function menuItems(review: boolean): ItemType[] {
  return [
    { key: '/', icon: <DashboardOutlined />, label: <Link to="/">工作台</Link> },
    { key: '/tasks', icon: <ProfileOutlined />, label: <Link to="/tasks">我的任务</Link> },
    ...(review ? [{ key: '/reviews', icon: <AuditOutlined />, label: <Link to="/reviews">审核</Link> }] : []),
    { key: '/messages', icon: <BellOutlined />, label: <Link to="/messages">消息</Link> },
  ];
}

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/tasks') || pathname.startsWith('/items')) return '/tasks';
  if (pathname.startsWith('/reviews')) return '/reviews';
  if (pathname.startsWith('/messages')) return '/messages';
  return '/';
}

export function AppLayout() {
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const location = useLocation();
  const [drawer, setDrawer] = useState(false);
  const unread = useUnreadCount();
  const items = menuItems(canReview(me));
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
