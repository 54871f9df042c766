import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ApiModule } from './api.module';
import { configureApp } from './core/http/configure-app';
import { createFastifyAdapter } from './core/http/fastify-adapter';
import { loadConfigOrExit, migrateIfEnabled } from './core/process/boot';
import { bindShutdown } from './core/process/shutdown';

async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  await migrateIfEnabled(config, 'api');
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app, config);
  const logger = new Logger('Api');
  bindShutdown(app, config.shutdownTimeoutMs, logger);
  await app.listen(config.http.port, config.http.host);
  logger.log(`API 已启动：http://${config.http.host}:${config.http.port}（pid ${process.pid}）`);
}

main().catch((err: unknown) => {
  console.error(`API 启动失败：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
