import { Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { DomainError } from '../../core/errors/domain-error';
import { validationExceptionFactory } from '../../core/errors/validation';

/** "sections.0.tasks.1.items.2.deadline" → "sections[0].tasks[1].items[2].deadline", as a reviewer reads it. */
export function bracketPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/**
 * Validates a JSON body against a DTO like the global ValidationPipe does, naming nested fields by their
 * JSON path with brackets. Used where the global pipe does not run: a body that may also come as
 * multipart (the report upload) and the review tree (declared `unknown`, so the global pipe skips it).
 */
export async function validateBody<T extends object>(cls: new () => T, value: unknown): Promise<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw DomainError.invalid('body', '请求体必须是 JSON 对象');
  const instance = plainToInstance(cls, value, { enableImplicitConversion: false });
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: true },
  });
  if (errors.length === 0) return instance;
  const dotted = validationExceptionFactory(errors);
  const fields = (dotted.fields ?? []).map((f) => {
    const field = bracketPath(f.field);
    return { field, message: f.message.split(f.field).join(field) };
  });
  return Promise.reject(
    new DomainError(dotted.code, `请求参数有误：${fields.map((f) => f.message).join('；')}`, fields),
  );
}

@Injectable()
export class DraftBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  constructor(private readonly cls: new () => T) {}

  transform(value: unknown): Promise<T> {
    return validateBody(this.cls, value);
  }
}
