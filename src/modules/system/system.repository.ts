import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class SystemRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Postgres's clock: the probe's round trip to the database. */
  async databaseTime(): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT now() AS now`)) as { now: Date }[];
    return row.now.toISOString();
  }
}
