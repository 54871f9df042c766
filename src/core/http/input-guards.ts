import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { DomainError, ErrorCode } from '../errors/domain-error';

/**
 * Deeper than any of our DTOs nests (a meeting → outcomes → action → co-units is 4): a body nested
 * thousands of levels deep would otherwise overflow the stack of the recursive validation pipe (a 500).
 */
export const MAX_JSON_DEPTH = 32;

export type InputProblem = { kind: 'depth' } | { kind: 'nul'; path: string };

/**
 * The first thing in a parsed body, query or path that our storage cannot take: nesting deeper than
 * `maxDepth`, or a NUL character (PostgreSQL refuses U+0000 in text and jsonb) in a key or string.
 * Pure and bounded: it never recurses deeper than `maxDepth + 1`.
 */
export function inspectInput(
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
  path = '',
  depth = 0,
): InputProblem | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { kind: 'nul', path } : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= maxDepth) return { kind: 'depth' };
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return { kind: 'nul', path: at.split('\u0000').join('') };
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
  const message = `${field}不能包含空字符（U+0000）`;
  return new DomainError(ErrorCode.Validation, `请求参数有误：${message}`, [{ field, message }]);
}

/** Refuses over-deep bodies and NUL characters in the body, the query string and the path → 400. */
export function registerInputGuards(instance: FastifyInstance): void {
  instance.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [where, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const problem = inspectInput(value);
      if (problem) throw inputError(problem, where);
    }
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
