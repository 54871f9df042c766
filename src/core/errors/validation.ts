import { ValidationError } from 'class-validator';

import { constraintValue, labelsOf } from '../validation/decorators';
import { DomainError, ErrorCode, FieldError } from './domain-error';

/**
 * Chinese names of fields that are not DTO properties (multipart form fields, fields named by services)
 * or of DTO properties without a `@Label`. DTO fields are named by their `@Label`, so the same word can
 * mean different things in different DTOs (a user's title is 职务, an item's is 事项名称).
 */
const FALLBACK_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  refreshToken: '刷新令牌',
  file: '文件',
  planId: '计划',
  year: '年度',
  version: '版本号',
  page: '页码',
  pageSize: '每页条数',
  periodKey: '填报周期',
  ownerType: '所属类型',
  ownerId: '所属单位或用户',
};

export function fieldLabel(path: string, label?: string): string {
  const last = path.split('.').pop() ?? path;
  const name = label ?? FALLBACK_LABELS[last];
  return name ? `${name}（${path}）` : path;
}

/**
 * When several rules fail, the message is about the one to fix first: a wrong type before its range
 * ("完成率必须是数字", not "不能大于 100" for "abc"), a missing value before its format.
 */
const PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'nestedValidation',
  'isArray',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isNotBlank',
  'isNotEmpty',
  'isUuid',
  'isUUID',
  'isIn',
  'isEnum',
  'isCalendarDate',
  'isEmail',
  'isDateString',
  'isISO8601',
  'matches',
  'arrayNotEmpty',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayUnique',
  'minLength',
  'maxLength',
  'min',
  'max',
];
const rank = (c: string) => (PRIORITY.includes(c) ? PRIORITY.indexOf(c) : PRIORITY.length);

type Owner = (abstract new (...args: never[]) => unknown) | undefined;

const numberIn = (raw: string) => raw.match(/-?\d+(\.\d+)?/)?.[0] ?? '';

/** Chinese text for each class-validator constraint we use, with its limit when it has one. */
function constraintMessage(constraint: string, raw: string, owner: Owner, property: string): string {
  const limit = (rule: string) => {
    const v = owner ? constraintValue(owner, property, rule) : undefined;
    return v === undefined || v === null ? numberIn(raw) : String(v);
  };
  switch (constraint) {
    case 'whitelistValidation':
      return '是不允许的字段';
    case 'isDefined':
      return '为必填项';
    case 'isNotEmpty':
    case 'isNotBlank':
      return '不能为空';
    case 'isString':
      return '必须是文本';
    case 'isInt':
      return '必须是整数';
    case 'isNumber':
      return '必须是数字';
    case 'isBoolean':
      return '必须是 true 或 false';
    case 'isUuid':
    case 'isUUID':
      return '必须是有效的 ID';
    case 'isIn':
    case 'isEnum': {
      const allowed = owner ? constraintValue(owner, property, constraint) : undefined;
      return Array.isArray(allowed) && allowed.length <= 12
        ? `取值无效（可选：${allowed.join('、')}）`
        : '取值无效';
    }
    case 'isArray':
      return '必须是数组';
    case 'arrayNotEmpty':
      return '至少需要一项';
    case 'arrayMinSize':
      return `至少需要 ${limit('arrayMinSize')} 项`;
    case 'arrayMaxSize':
      return `最多 ${limit('arrayMaxSize')} 项`;
    case 'arrayUnique':
      return '不能有重复项';
    case 'isEmail':
      return '必须是有效的邮箱地址';
    case 'isCalendarDate':
      return '不是有效的日期（应为 YYYY-MM-DD 格式的真实日期，2000～2100 年）';
    case 'isDateString':
    case 'isISO8601':
      return '必须是有效的日期';
    case 'matches':
      return '格式不正确';
    case 'minLength':
      return `长度不足（至少 ${limit('minLength')} 个字符）`;
    case 'maxLength':
      return `长度超出限制（最多 ${limit('maxLength')} 个字符）`;
    case 'min':
      return `不能小于 ${limit('min')}`;
    case 'max':
      return `不能大于 ${limit('max')}`;
    case 'nestedValidation':
      return '必须是对象';
    default:
      return '格式不正确';
  }
}

const CJK = /[\u4e00-\u9fff]/;

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const owner = (e.target as object | undefined)?.constructor as Owner;
    // Array elements ("targets.0") have the array as target: no class, no label of their own.
    const label = owner && owner !== Array && owner !== Object ? labelsOf(owner).get(e.property) : undefined;
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      // One message per field: the constraint to fix first.
      const [constraint, raw] = Object.entries(e.constraints).sort((a, b) => rank(a[0]) - rank(b[0]))[0];
      const display = fieldLabel(path, label);
      let message: string;
      if (constraint === 'whitelistValidation') message = `${path}是不允许的字段`;
      else if (e.value === undefined) message = `${display}为必填项`;
      else if (e.value === null) message = `${display}不能为空`;
      // A DTO's own Chinese message is already a sentence about the field.
      else if (CJK.test(raw)) message = `${raw}（${path}）`;
      else message = `${display}${constraintMessage(constraint, raw, owner, e.property)}`;
      out.push({ field: path, message });
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
