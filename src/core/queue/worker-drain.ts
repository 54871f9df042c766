import { WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * Stops taking jobs and waits for the running ones before anything they use is closed. Nest runs
 * every module's onApplicationShutdown in an order that does not follow use: the Postgres pool
 * (TypeORM) could close while a job still ran ("Driver not Connected"). beforeApplicationShutdown runs
 * before all of them; @nestjs/bullmq's own close afterwards finds the workers closed.
 */
@Injectable()
export class WorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerDrain.name);

  constructor(private readonly discovery: DiscoveryService) {}

  async beforeApplicationShutdown(): Promise<void> {
    const workers = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .flatMap((host) => {
        try {
          return [host.worker];
        } catch {
          return []; // never started (shutdown during boot)
        }
      });
    await Promise.all(workers.map((w) => w.close()));
    this.logger.log(`已停止接收任务，进行中的 ${workers.length} 个队列任务均已结束`);
  }
}
