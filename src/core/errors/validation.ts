import { ValidationError } from 'class-validator';

import { DomainError, ErrorCode, FieldError } from './domain-error';

/** Chinese labels for API fields; unknown fields fall back to their own name. */
const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  refreshToken: '刷新令牌',
  name: '名称',
  code: '编码',
  kind: '类型',
  parentId: '上级单位',
  unitId: '所属单位',
  roles: '角色',
  title: '职务',
  phone: '手机号',
  email: '邮箱',
  active: '启用状态',
};

export function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path;
  const label = FIELD_LABELS[last];
  return label ? `${label}（${path}）` : path;
}

/** Chinese text for each class-validator constraint we use. */
function constraintMessage(constraint: string, raw: string): string {
  switch (constraint) {
    case 'whitelistValidation':
      return '是不允许的字段';
    case 'isDefined':
    case 'isNotEmpty':
      return '不能为空';
    case 'isString':
      return '必须是字符串';
    case 'isInt':
      return '必须是整数';
    case 'isNumber':
      return '必须是数字';
    case 'isBoolean':
      return '必须是布尔值';
    case 'isUuid':
    case 'isUUID':
      return '必须是有效的 ID';
    case 'isIn':
    case 'isEnum':
      return '取值无效';
    case 'isArray':
      return '必须是数组';
    case 'arrayNotEmpty':
    case 'arrayMinSize':
      return '至少需要一项';
    case 'arrayMaxSize':
      return '项数过多';
    case 'arrayUnique':
      return '不能有重复项';
    case 'isEmail':
      return '必须是有效的邮箱地址';
    case 'isDateString':
    case 'isISO8601':
      return '必须是有效的日期';
    case 'matches':
      return '格式不正确';
    case 'minLength':
      return `长度不足（${raw.match(/\d+/)?.[0] ?? ''} 个字符以上）`;
    case 'maxLength':
      return `长度超出限制（最多 ${raw.match(/\d+/)?.[0] ?? ''} 个字符）`;
    case 'min':
      return '数值过小';
    case 'max':
      return '数值过大';
    case 'nestedValidation':
      return '格式不正确';
    default:
      return '格式不正确';
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      // One message per field: the first constraint that failed is the one to fix first.
      const [constraint, raw] = Object.entries(e.constraints)[0];
      const missing = (e.value === undefined || e.value === null) && constraint !== 'whitelistValidation';
      out.push({
        field: path,
        message: `${fieldLabel(path)}${missing ? '为必填项' : constraintMessage(constraint, raw)}`,
      });
    }
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}

export function validationExceptionFactory(errors: ValidationError[]): DomainError {
  const fields = flatten(errors);
  return new DomainError(
    ErrorCode.Validation,
    `请求参数有误：${fields.map((f) => f.message).join('；')}`,
    fields,
  );
}
