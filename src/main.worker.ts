import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';

import { loadConfigOrExit, migrateIfEnabled } from './core/process/boot';
import { bindShutdown } from './core/process/shutdown';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit('worker');
  await migrateIfEnabled(config, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const logger = new Logger('Worker');
  bindShutdown(app, config.shutdownTimeoutMs, logger);
  await app.init();
  logger.log(`worker 已启动（pid ${process.pid}）`);
}

main().catch((err: unknown) => {
  console.error(`worker 启动失败：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
