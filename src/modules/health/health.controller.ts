import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Public } from '../../core/auth/decorators';
import { ErrorCode } from '../../core/errors/domain-error';
import { REDIS, RedisClient } from '../../core/redis/redis.module';
import { checkDatabase, checkRedis, describeDown } from './health.checks';

class HealthChecksDto {
  @ApiProperty({ enum: ['up', 'down'] }) database!: string;
  @ApiProperty({ enum: ['up', 'down'] }) redis!: string;
}

class ReadyDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiProperty({ example: '服务就绪' }) message!: string;
  @ApiProperty({ type: HealthChecksDto }) checks!: HealthChecksDto;
}

class NotReadyDto extends ReadyDto {
  @ApiProperty({ example: ErrorCode.ServiceUnavailable }) code!: string;
}

class LiveDto {
  @ApiProperty({ example: 'ok' }) status!: string;
}

@ApiTags('健康检查')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  @Get('live')
  @ApiOperation({ summary: '存活检查：进程在运行即返回 200' })
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: '就绪检查：PostgreSQL 与 Redis 都可用时返回 200，否则 503 并指出不可用的部分' })
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ type: NotReadyDto })
  async ready(): Promise<ReadyDto> {
    const [database, redis] = await Promise.all([
      checkDatabase(this.dataSource),
      checkRedis(() => this.redis.ping()),
    ]);
    const checks = { database, redis };
    const message = describeDown(checks);
    if (database === 'down' || redis === 'down') {
      throw new HttpException({ status: 'error', code: ErrorCode.ServiceUnavailable, message, checks }, 503);
    }
    return { status: 'ok', message, checks };
  }
}
