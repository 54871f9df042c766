import { writeFile, rename } from 'node:fs/promises';
import { hostname } from 'node:os';

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppConfig } from '../../core/config/app-config';
import { REDIS, RedisClient } from '../../core/redis/redis.module';
import { checkDatabase, checkRedis, describeDown } from './health.checks';

const INTERVAL_MS = 5000;

/**
 * The worker has no HTTP: it proves it is alive by a heartbeat. Every 5 s it checks Postgres and
 * Redis, writes WORKER_HEARTBEAT_FILE (read by `duban worker:health` and container healthchecks)
 * and sets a Redis key with a TTL so operators can list live workers. It logs once a minute.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WorkerHeartbeat');
  private timer?: NodeJS.Timeout;
  private beats = 0;
  private readonly id = `${hostname()}-${process.pid}`;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  onApplicationBootstrap(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), INTERVAL_MS);
  }

  /**
   * Nest's first shutdown hook, before the queue workers drain (WorkerDrain, which may take up to
   * the shutdown timeout): from the signal on the heartbeat says this worker is stopping.
   */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.write({ ready: false, stopping: true });
  }

  private async beat(): Promise<void> {
    const [database, redis] = await Promise.all([
      checkDatabase(this.dataSource),
      checkRedis(() => this.redis.ping()),
    ]);
    const ready = database === 'up' && redis === 'up';
    await this.write({ ready, checks: { database, redis } });
    if (redis === 'up') {
      await this.redis
        .set(`${this.config.redis.prefix}:workers:${this.id}`, new Date().toISOString(), 'EX', 30)
        .catch(() => undefined);
    }
    if (this.beats++ % 12 === 0 || !ready) {
      const msg = `worker ${this.id} 心跳：${describeDown({ database, redis })}`;
      if (ready) this.logger.log(msg);
      else this.logger.warn(msg);
    }
  }

  private async write(state: object): Promise<void> {
    const file = this.config.worker.heartbeatFile;
    if (!file) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ pid: process.pid, at: new Date().toISOString(), ...state }));
      await rename(tmp, file);
    } catch (err) {
      this.logger.warn(`无法写入心跳文件 ${file}：${(err as Error).message}`);
    }
  }
}
