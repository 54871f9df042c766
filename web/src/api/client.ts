import createClient from 'openapi-fetch';

import type { components, paths } from './schema';
import { session } from '../auth/session';

export type Schemas = components['schemas'];

/** An API error in the server's shape ({ code, message, fields?, requestId }), with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/**
 * fetch with the access token, refreshed once on a 401 (single flight across concurrent requests); when the
 * refresh fails the session ends and the app goes to /login?next=<the page the user wanted>.
 */
async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const res = await fetch(withToken(request));
  if (res.status !== 401 || request.url.includes('/api/v1/auth/')) return res;
  const refreshed = await session.refresh();
  if (!refreshed) {
    session.expire();
    return res;
  }
  return fetch(withToken(retry));
}

function withToken(request: Request): Request {
  const token = session.accessToken();
  if (token) request.headers.set('Authorization', `Bearer ${token}`);
  return request;
}

export const api = createClient<paths>({ baseUrl: '', fetch: authFetch });

/** Unwraps an openapi-fetch result: the data, or an ApiError in Chinese. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch {
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? {}) as {
    code?: string;
    message?: string;
    fields?: { field: string; message: string }[];
  };
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  throw new ApiError(
    response.status,
    body.code ?? `HTTP_${response.status}`,
    body.message ?? defaultMessage(response.status),
    body.fields ?? [],
    retryAfter,
  );
}

function defaultMessage(status: number): string {
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '无权限执行此操作';
  if (status === 404) return '要找的内容不存在或已被删除';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return '服务器暂时不可用，请稍后重试';
  return `请求失败（${status}）`;
}
