import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: '请求参数有误（fields 列出每个有问题的字段）',
  401: '未登录、令牌无效或已过期',
  403: '没有权限',
  404: '不存在（或不属于本组织）',
  409: '与当前状态冲突',
  413: '内容过大',
  415: '不支持的内容类型',
  422: '内容无法处理',
  429: '尝试过于频繁',
};

/** Documents the error responses of an endpoint; all share ErrorResponseDto. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
}
