import { Button, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';

import { ApiError } from '../api/client';
import { ForbiddenPage } from '../pages/ForbiddenPage';

/** Loading skeleton, a Chinese error with a retry, or the 无权限 page for a 403; else the children. */
export function QueryState(props: {
  isPending: boolean;
  error: unknown;
  refetch?: () => unknown;
  children: ReactNode;
}) {
  if (props.error) {
    if (props.error instanceof ApiError && props.error.status === 403) {
      return <ForbiddenPage message={props.error.message} />;
    }
    if (props.error instanceof ApiError && props.error.status === 404) {
      return <Result status="404" title="内容不存在" subTitle={props.error.message} />;
    }
    const message = props.error instanceof Error ? props.error.message : '加载失败';
    return (
      <Result
        status="error"
        title="加载失败"
        subTitle={message}
        extra={props.refetch ? <Button onClick={() => props.refetch?.()}>重试</Button> : undefined}
      />
    );
  }
  if (props.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  return <>{props.children}</>;
}
