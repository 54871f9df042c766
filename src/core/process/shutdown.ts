import { INestApplicationContext, Logger } from '@nestjs/common';

/**
 * Nest runs shutdown hooks on SIGTERM/SIGINT only after enableShutdownHooks() (called here).
 * This adds the bound: if draining takes longer than `timeoutMs`, exit anyway so an orchestrator
 * is never left waiting; BullMQ then re-runs the unfinished job elsewhere (at-least-once).
 */
export function bindShutdown(app: INestApplicationContext, timeoutMs: number, logger: Logger): void {
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`收到 ${signal}：停止接收新工作，等待进行中的工作完成（最多 ${timeoutMs} ms）`);
      setTimeout(() => {
        logger.error(`优雅退出超时（${timeoutMs} ms），强制退出`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
