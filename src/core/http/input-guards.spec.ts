import { ErrorCode } from '../errors/domain-error';
import { inputError, inspectInput, MAX_JSON_DEPTH } from './input-guards';

const nest = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('inspectInput', () => {
  it('lets ordinary bodies, queries and paths through', () => {
    expect(
      inspectInput({ title: '计划', targets: [{ value: 1.5, unit: '万平方米' }], tags: ['a'] }),
    ).toBeNull();
    expect(inspectInput({ page: '2', q: '违停' })).toBeNull();
    expect(inspectInput(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(inspectInput(null)).toBeNull();
    expect(inspectInput(42)).toBeNull();
  });

  it('finds a nesting deeper than the limit without recursing past it', () => {
    expect(inspectInput(nest(MAX_JSON_DEPTH + 1))).toEqual({ kind: 'depth' });
    expect(inspectInput(nest(100_000))).toEqual({ kind: 'depth' });
  });

  it('finds a NUL in a value or a key and names its path', () => {
    expect(inspectInput({ title: 'a\u0000b' })).toEqual({ kind: 'nul', path: 'title' });
    expect(inspectInput({ targets: [{ unit: 'x' }, { unit: '\u0000' }] })).toEqual({
      kind: 'nul',
      path: 'targets.1.unit',
    });
    expect(inspectInput({ 'a\u0000': 1 })).toEqual({ kind: 'nul', path: 'a' });
    expect(inspectInput('\u0000')).toEqual({ kind: 'nul', path: '' });
  });

  it('finds a lone UTF-16 surrogate (valid JSON, not UTF-8) and accepts proper pairs', () => {
    expect(inspectInput({ notes: '\ud800' })).toEqual({ kind: 'unicode', path: 'notes' });
    expect(inspectInput({ notes: 'a\udc00b' })).toEqual({ kind: 'unicode', path: 'notes' });
    expect(inspectInput({ '\ud800k': 1 })).toEqual({ kind: 'unicode', path: '\ufffdk' });
    expect(inspectInput({ notes: '整治 😀 完成' })).toBeNull();
    expect(inputError({ kind: 'unicode', path: 'notes' }, 'body').fields).toEqual([
      { field: 'notes', message: 'notes含有无效的字符（不成对的 UTF-16 代理项）' },
    ]);
  });

  it('turns a problem into a 400 in Chinese naming the field', () => {
    const e = inputError({ kind: 'nul', path: 'title' }, 'body');
    expect(e.code).toBe(ErrorCode.Validation);
    expect(e.fields).toEqual([{ field: 'title', message: 'title不能包含空字符（U+0000）' }]);
    expect(inputError({ kind: 'nul', path: '' }, 'query').fields?.[0].field).toBe('query');
    expect(inputError({ kind: 'depth' }, 'body').message).toBe(
      `请求内容嵌套层数过多（最多 ${MAX_JSON_DEPTH} 层）`,
    );
  });
});
