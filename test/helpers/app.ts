import { randomBytes } from 'node:crypto';

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { ApiModule } from '../../src/api.module';
import { AppConfig } from '../../src/core/config/app-config';
import { configureApp } from '../../src/core/http/configure-app';
import { createFastifyAdapter } from '../../src/core/http/fastify-adapter';
import { createTestDatabase, dropTestDatabase, pinDatabaseClock } from './db';
import { baseEnv, TEST_PASSWORD, withDatabase } from './env';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  database: string;
  http: () => ReturnType<typeof request>;
  login: (username: string, password?: string) => Promise<string>;
  close: () => Promise<void>;
}

/**
 * The real API module on a database of its own (cloned from the seeded template) and a Redis
 * prefix of its own, so test files run in parallel without seeing each other's rows or keys.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = overrides.DATABASE_NAME ?? (await createTestDatabase());
  const env = baseEnv();
  const config = AppConfig.fromEnv({
    ...env,
    DATABASE_URL: withDatabase(env.DATABASE_URL, database),
    MIGRATION_DATABASE_URL: withDatabase(env.MIGRATION_DATABASE_URL, database),
    DATABASE_POOL_SIZE: '5',
    REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), {
    logger: false,
  });
  await configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  // The business clock is the database's: a test that names its day pins it there, as `seed` does.
  if (overrides.DUBAN_NOW) await pinDatabaseClock(dataSource, overrides.DUBAN_NOW);
  const http = () => request(app.getHttpServer());
  return {
    app,
    config,
    database,
    dataSource,
    http,
    login: async (username, password = TEST_PASSWORD) => {
      const res = await http().post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { accessToken: string }).accessToken;
    },
    close: async () => {
      await app.close();
      if (!overrides.DATABASE_NAME) await dropTestDatabase(database);
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The real worker module (processors, relay, crons) in this process, on the test app's database and Redis prefix. */
export interface TestWorker {
  close: () => Promise<void>;
  get: <T>(type: new (...args: never[]) => T) => T;
}

export async function createTestWorker(
  app: TestApp,
  overrides: Record<string, string> = {},
): Promise<TestWorker> {
  const { WorkerModule } = await import('../../src/worker.module');
  const env = baseEnv();
  const config = AppConfig.fromEnv({
    ...env,
    DATABASE_URL: app.config.db.url,
    ...(app.config.db.migrationUrl ? { MIGRATION_DATABASE_URL: app.config.db.migrationUrl } : {}),
    DATABASE_POOL_SIZE: '5',
    REDIS_PREFIX: app.config.redis.prefix,
    ...(app.config.now ? { DUBAN_NOW: app.config.now } : {}),
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] }).compile();
  await moduleRef.init();
  return {
    close: () => moduleRef.close(),
    get: <T>(type: new (...args: never[]) => T) => moduleRef.get<T>(type),
  };
}
