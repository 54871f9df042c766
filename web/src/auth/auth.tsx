import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Spin } from 'antd';

import { api, call, type Schemas } from '../api/client';
import { session } from './session';

export type Me = Schemas['MeDto'];
export type Role = Me['roles'][number];

const MeContext = createContext<Me | null>(null);

/** The logged-in user; only inside <RequireAuth>. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside RequireAuth');
  return me;
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.roles.some((r) => roles.includes(r));
}

/** Who has a review queue (审核): heads, the dispatch office, admins, and leaders (extensions of their lines). */
export function canReview(me: Me): boolean {
  return hasRole(me, 'head', 'dispatcher', 'admin', 'leader');
}

export function loginPath(next: string, reason?: 'expired'): string {
  const q = new URLSearchParams();
  if (next && next !== '/' && !next.startsWith('/login')) q.set('next', next);
  if (reason) q.set('reason', reason);
  const s = q.toString();
  return s ? `/login?${s}` : '/login';
}

/** Sends the user to the login page when the session ends (refresh failed, or logout in another tab). */
export function SessionWatcher(): null {
  const navigate = useNavigate();
  const client = useQueryClient();
  useEffect(
    () =>
      session.subscribe((reason) => {
        if (reason === 'login') return;
        client.clear();
        const here = window.location.pathname + window.location.search;
        navigate(loginPath(reason === 'expired' ? here : '/', reason === 'expired' ? 'expired' : undefined), {
          replace: true,
        });
      }),
    [navigate, client],
  );
  return null;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const loggedIn = session.isLoggedIn();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => call(api.GET('/api/v1/auth/me')),
    enabled: loggedIn,
    staleTime: 5 * 60_000,
  });
  if (!loggedIn) return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  if (me.isPending) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) return <Navigate to={loginPath(location.pathname + location.search, 'expired')} replace />;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}
