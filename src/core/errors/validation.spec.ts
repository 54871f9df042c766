import { ValidationError } from 'class-validator';

import { ErrorCode } from './domain-error';
import { validationExceptionFactory } from './validation';

function err(
  property: string,
  value: unknown,
  constraints: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, value, constraints, children });
}

describe('validationExceptionFactory', () => {
  it('names every bad field with a Chinese label and reason', () => {
    const e = validationExceptionFactory([
      err('username', undefined, { matches: 'username must match' }),
      err('roles', 'admin', { isArray: 'roles must be an array' }),
      err('isAdmin', true, { whitelistValidation: 'property isAdmin should not exist' }),
      err('password', 'short', { minLength: 'password must be longer than or equal to 8 characters' }),
    ]);
    expect(e.code).toBe(ErrorCode.Validation);
    expect(e.fields).toEqual([
      { field: 'username', message: '用户名（username）为必填项' },
      { field: 'roles', message: '角色（roles）必须是数组' },
      { field: 'isAdmin', message: 'isAdmin是不允许的字段' },
      { field: 'password', message: '密码（password）长度不足（8 个字符以上）' },
    ]);
    expect(e.message).toBe(`请求参数有误：${e.fields!.map((f) => f.message).join('；')}`);
  });

  it('reports nested fields by their path', () => {
    const e = validationExceptionFactory([
      err('targets', [], {}, [err('0', {}, {}, [err('value', 'abc', { isNumber: 'x' })])]),
    ]);
    expect(e.fields).toEqual([{ field: 'targets.0.value', message: 'targets.0.value必须是数字' }]);
  });
});
