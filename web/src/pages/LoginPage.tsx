import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';

import { ApiError, api, call } from '../api/client';
import { session } from '../auth/session';

interface Values {
  username: string;
  password: string;
}

/** Where to go after login: only a path of this app (never another origin). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = params.get('reason') === 'expired';

  async function submit(values: Values) {
    setBusy(true);
    setError(null);
    try {
      const tokens = await call(api.POST('/api/v1/auth/login', { body: values }));
      client.clear();
      session.store(tokens);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('用户名或密码错误，请重新输入');
      else if (err instanceof ApiError && err.status === 429) {
        const minutes = err.retryAfter ? Math.ceil(err.retryAfter / 60) : null;
        setError(
          `登录失败次数过多，账号已暂时锁定${minutes ? `，请 ${minutes} 分钟后再试` : '，请稍后再试'}。如忘记密码，请联系系统管理员重置。`,
        );
      } else if (err instanceof ApiError && err.status === 400) setError(err.message);
      else setError(err instanceof Error ? err.message : '登录失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <Card className="login-card" variant="borderless">
        <div className="login-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              督办
            </Typography.Title>
            <Typography.Text type="secondary">城市管理年度重点工作督办系统</Typography.Text>
          </div>
        </div>
        {expired && !error && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message="登录已过期，请重新登录，登录后将回到原来的页面。"
          />
        )}
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} role="alert" />}
        <Form<Values> layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item
            label="用户名"
            name="username"
            rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              placeholder="如 xxs.zhufeng1"
            />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
