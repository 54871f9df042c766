import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';
import { installTransactionGuard } from './transaction-guard';

type Options = DataSourceOptions & { transactionGuard?: boolean };

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config, `duban-${process.env.DUBAN_PROCESS ?? 'app'}`),
        // Keep retrying the first connection instead of crashing when Postgres starts late.
        retryAttempts: 30,
        retryDelay: 2000,
        // Pool errors (a restarted Postgres) must be logged, never crash the process.
        poolErrorHandler: (err: unknown) => new Logger('Database').warn(`连接池错误：${String(err)}`),
        transactionGuard: config.env === 'test',
      }),
      // Tests run with the transaction guard: a query that leaves its transaction's connection throws.
      dataSourceFactory: (options?: Options) => {
        const { transactionGuard, ...rest } = options!;
        const dataSource = new DataSource(rest);
        if (transactionGuard) installTransactionGuard(dataSource);
        return Promise.resolve(dataSource);
      },
    }),
  ],
})
export class DatabaseModule {}
