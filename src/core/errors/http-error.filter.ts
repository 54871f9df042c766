import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';

import { DB_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './db-unavailable';
import { DomainError, ErrorCode, STATUS_BY_CODE } from './domain-error';

const ZH_BY_STATUS: Record<number, [ErrorCode, string]> = {
  400: [ErrorCode.Validation, '请求格式不正确'],
  401: [ErrorCode.Unauthenticated, '未登录或登录已失效'],
  403: [ErrorCode.Forbidden, '没有权限执行此操作'],
  404: [ErrorCode.NotFound, '请求的资源不存在'],
  405: [ErrorCode.NotFound, '不支持该请求方法'],
  409: [ErrorCode.Conflict, '数据已被修改，请刷新后重试'],
  413: [ErrorCode.PayloadTooLarge, '请求内容过大'],
  415: [ErrorCode.UnsupportedMediaType, '不支持的内容类型'],
  429: [ErrorCode.TooManyAttempts, '请求过于频繁，请稍后再试'],
  503: [ErrorCode.ServiceUnavailable, '服务暂不可用'],
};

/**
 * Maps every error to `{ code, message, fields?, requestId }`. A database that is busy or away
 * (pool exhausted, restarting, timeouts) is 503 with Retry-After; unexpected errors a generic 500.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');
  private lastUnavailableLog = 0;

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const requestId = String(request.id);

    if (exception instanceof DomainError) {
      if (exception.headers) void reply.headers(exception.headers);
      void reply.status(STATUS_BY_CODE[exception.code]).send({
        code: exception.code,
        message: exception.message,
        ...(exception.fields ? { fields: exception.fields } : {}),
        requestId,
      });
      return;
    }

    if (isDatabaseUnavailable(exception)) {
      // One line per few seconds: during an outage every request lands here.
      if (Date.now() - this.lastUnavailableLog > 5000) {
        this.lastUnavailableLog = Date.now();
        this.logger.warn(
          `数据库暂不可用，返回 503（请求 ${requestId}）：${exception instanceof Error ? exception.message : String(exception)}`,
        );
      }
      void reply
        .status(503)
        .header('retry-after', String(DB_RETRY_AFTER_SECONDS))
        .send({ code: ErrorCode.ServiceUnavailable, message: '数据库繁忙或暂不可用，请稍后重试', requestId });
      return;
    }

    const status = this.statusOf(exception);
    if (status !== undefined && status < 500) {
      const [code, message] = ZH_BY_STATUS[status] ?? [ErrorCode.Validation, '请求无法处理'];
      void reply.status(status).send({ code, message, requestId });
      return;
    }
    if (status === HttpStatus.SERVICE_UNAVAILABLE && exception instanceof HttpException) {
      // Health checks answer 503 with their own body (which part is down).
      void reply.status(status).send(exception.getResponse());
      return;
    }
    this.logger.error(
      { err: exception, requestId },
      `未处理的异常（请求 ${requestId}）：${exception instanceof Error ? exception.message : String(exception)}`,
    );
    void reply
      .status(500)
      .send({ code: ErrorCode.Internal, message: '服务器内部错误，请稍后再试', requestId });
  }

  private statusOf(exception: unknown): number | undefined {
    if (exception instanceof HttpException) return exception.getStatus();
    // Fastify's own errors (body too large, bad JSON, wrong content type) carry statusCode.
    const sc = (exception as { statusCode?: unknown } | null)?.statusCode;
    return typeof sc === 'number' && sc >= 400 && sc < 600 ? sc : undefined;
  }
}
