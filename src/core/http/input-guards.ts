import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { DomainError, ErrorCode } from '../errors/domain-error';

/**
 * Deeper than any of our DTOs nests (a meeting → outcomes → action → co-units is 4): a body nested
 * thousands of levels deep would otherwise overflow the stack of the recursive validation pipe (a 500).
 */
export const MAX_JSON_DEPTH = 32;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

export type InputProblem =
  { kind: 'depth' } | { kind: 'nul'; path: string } | { kind: 'unicode'; path: string };

/**
 * The first thing in a parsed body, query or path that our storage cannot take: nesting deeper than
 * `maxDepth`, a NUL character (PostgreSQL refuses U+0000 in text and jsonb) or a lone UTF-16 surrogate
 * (`"\ud800"` is valid JSON but no UTF-8 text: PostgreSQL refuses it too) in a key or string.
 * Pure and bounded: it never recurses deeper than `maxDepth + 1`.
 */
export function inspectInput(
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
  path = '',
  depth = 0,
): InputProblem | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { kind: 'nul', path };
    return LONE_SURROGATE.test(value) ? { kind: 'unicode', path } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= maxDepth) return { kind: 'depth' };
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return { kind: 'nul', path: at.split('\u0000').join('') };
    if (LONE_SURROGATE.test(key)) return { kind: 'unicode', path: at.replace(LONE_SURROGATE_ALL, '\ufffd') };
    const problem = inspectInput(v, maxDepth, at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

export function inputError(problem: InputProblem, where: string): DomainError {
  if (problem.kind === 'depth') {
    return new DomainError(ErrorCode.Validation, `请求内容嵌套层数过多（最多 ${MAX_JSON_DEPTH} 层）`);
  }
  const field = problem.path || where;
  const message =
    problem.kind === 'nul'
      ? `${field}不能包含空字符（U+0000）`
      : `${field}含有无效的字符（不成对的 UTF-16 代理项）`;
  return new DomainError(ErrorCode.Validation, `请求参数有误：${message}`, [{ field, message }]);
}

/**
 * Refuses over-deep bodies, NUL characters and lone surrogates in the body, the query string and the path
 * → 400 in our error shape. Answered here rather than thrown: routes outside Nest (the web app's catch-all)
 * have no Nest filter, and fastify's default handler would turn the error into a 500.
 */
export function registerInputGuards(instance: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, and a promise per hook is measurable
  // there (bench/README.md, issue 19). Answering means not calling done().
  instance.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done) => {
    for (const [where, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const problem = inspectInput(value);
      if (!problem) continue;
      const error = inputError(problem, where);
      void reply.status(400).send({
        code: error.code,
        message: error.message,
        ...(error.fields?.length ? { fields: error.fields } : {}),
        requestId: String(request.id),
      });
      return;
    }
    done();
  });
}

/** Fastify's own errors before routing (a malformed %-escape, an over-long path segment) in our shape, in Chinese. */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const status = (error as { statusCode?: number }).statusCode === 414 ? 414 : 400;
  void reply.status(status).send({
    code: ErrorCode.Validation,
    message: status === 414 ? '请求地址过长' : '请求地址格式不正确',
    requestId: String(request.id),
  });
}
