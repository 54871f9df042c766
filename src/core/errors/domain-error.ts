/** Error codes shared by all modules; the HTTP status follows from the code alone. */
export enum ErrorCode {
  Validation = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Unprocessable = 'UNPROCESSABLE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.TooManyAttempts]: 429,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Unprocessable]: 422,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

export interface FieldError {
  field: string;
  message: string;
}

/** Thrown by services and domain code; the global filter turns it into `{ code, message, fields? }`. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what}不存在`);
  }
  static forbidden(message = '没有权限执行此操作'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }
  static conflict(message: string, field?: string): DomainError {
    return new DomainError(ErrorCode.Conflict, message, field ? [{ field, message }] : undefined);
  }
  static invalid(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.Validation, message, [{ field, message }]);
  }

  /** The same error with its fields named from an enclosing object ("outcomes[0].action." + field). */
  withFieldPrefix(prefix: string): DomainError {
    return new DomainError(
      this.code,
      this.message,
      this.fields?.map((f) => ({ ...f, field: `${prefix}${f.field}` })),
      this.headers,
    );
  }
}
