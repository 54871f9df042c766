import 'reflect-metadata';

import { writeFileSync } from 'node:fs';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

import { ApiModule } from './api.module';
import { AppConfig } from './core/config/app-config';
import { createOpenApiDocument } from './core/http/openapi';

/**
 * Writes the API's OpenAPI document without a database or Redis: Nest's preview mode scans modules and
 * controllers but instantiates no provider. The web build generates its typed client from this file, so a
 * renamed field breaks the web build rather than a user's page. Usage: node dist/src/main.openapi.js <out.json>
 */
async function main(out: string): Promise<void> {
  // Placeholder values: only to satisfy config validation; nothing connects in preview mode.
  const config = AppConfig.fromEnv({
    NODE_ENV: 'development',
    DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
    REDIS_URL: 'redis://127.0.0.1:1/0',
    JWT_SECRET: 'openapi-preview-only-0123456789abcdef',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  const document = createOpenApiDocument(app);
  writeFileSync(out, JSON.stringify(document, null, 1));
  await app.close();
}

const out = process.argv[2];
if (!out) {
  console.error('用法：node dist/src/main.openapi.js <输出文件.json>');
  process.exit(2);
}
main(out).catch((err: unknown) => {
  console.error(`生成 OpenAPI 文档失败：${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
