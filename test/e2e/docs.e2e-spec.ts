import { createTestApp, TestApp } from '../helpers/app';

interface Operation {
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

describe('OpenAPI 文档 (docs)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('Swagger UI is served at /api/docs', async () => {
    const res = await t.http().get('/api/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });

  it('the JSON documents every business endpoint under /api/v1 with a summary and its error responses', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(ops.map((o) => `${o.method.toUpperCase()} ${o.path}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/logout',
        'GET /api/v1/auth/me',
        'GET /api/v1/units',
        'POST /api/v1/units',
        'GET /api/v1/units/{id}',
        'PATCH /api/v1/units/{id}',
        'POST /api/v1/units/{id}/active',
        'GET /api/v1/users',
        'POST /api/v1/users',
        'GET /api/v1/users/{id}',
        'PATCH /api/v1/users/{id}',
        'POST /api/v1/users/{id}/active',
        'POST /api/v1/users/{id}/password',
        'GET /api/v1/plans',
        'POST /api/v1/plans',
        'GET /api/v1/plans/{id}',
        'GET /api/v1/plans/{id}/tree',
        'POST /api/v1/plans/{id}/publish',
        'POST /api/v1/plans/{id}/archive',
        'POST /api/v1/plans/{id}/copy',
        'POST /api/v1/plans/{id}/sections',
        'PATCH /api/v1/sections/{id}',
        'DELETE /api/v1/sections/{id}',
        'POST /api/v1/sections/{id}/tasks',
        'PATCH /api/v1/tasks/{id}',
        'DELETE /api/v1/tasks/{id}',
        'POST /api/v1/tasks/{id}/close',
        'GET /api/v1/items',
        'POST /api/v1/items',
        'GET /api/v1/items/{id}',
        'PATCH /api/v1/items/{id}',
        'DELETE /api/v1/items/{id}',
        'PUT /api/v1/items/{id}/owner',
        'POST /api/v1/items/{id}/status',
        'GET /api/v1/items/{id}/history',
        'GET /api/v1/plans/{id}/breakdown.xlsx',
        'POST /api/v1/plans/import',
        'GET /api/v1/audit/verify',
        'GET /health/live',
        'GET /health/ready',
      ]),
    );
    for (const { path, op } of ops) {
      expect(path.startsWith('/api/v1/') || path.startsWith('/health/')).toBe(true);
      expect(op.summary).toBeTruthy();
      if (path.startsWith('/api/v1/')) {
        const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
        expect(errors).toContain('401');
        for (const s of errors)
          expect(op.responses[s].content?.['application/json']?.schema?.$ref).toMatch(/ErrorResponseDto$/);
      }
    }
    for (const name of [
      'ErrorResponseDto',
      'UnitDto',
      'UserDto',
      'CreateUserDto',
      'TokenPairDto',
      'MeDto',
      'ItemDto',
      'CreateItemDto',
      'TargetDto',
      'PlanTreeDto',
      'HistoryEntryDto',
    ]) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
  });
});
