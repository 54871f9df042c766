import {
  CallHandler,
  ExecutionContext,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  NestInterceptor,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { mergeMap, Observable } from 'rxjs';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { Actor } from '../auth/actor';
import { AppConfig } from '../config/app-config';
import { Metrics, withTimeout } from '../metrics/metrics';
import { replicaDataSourceOptions } from './data-source';
import {
  HeavyReadReason,
  isReplicaFailure,
  LsnSample,
  parseLsn,
  pruneSamples,
  ReplicaState,
  routeHeavyRead,
  staleness,
} from './domain/replica-routing';

/** Where one heavy read runs: a manager for TypeORM queries and the pool for named statements. */
export interface ReadTarget {
  manager: EntityManager;
  pool: Pool;
  /** For a repository that takes a DataSource: build one on it for this read (e.g. the dispatch pack's). */
  dataSource: DataSource;
  replica: boolean;
}

/** How often each process checks the replica (its lag and whether it answers), and how long a check may take. */
const CHECK_INTERVAL_MS = 1000;
const CHECK_TIMEOUT_MS = 1000;

/** The caller's own last write, as a mark (`SessionUser.readMark`); null or absent = none recorded. */
const markOf = (actor?: Actor): bigint | null => {
  const mark = actor?.session?.readMark;
  return mark ? parseLsn(mark) : null;
};

/**
 * Explicit routing of heavy reads (item search and list, plan tree, scoreboard, trend, dispatch pack)
 * to the streaming replica of DATABASE_REPLICA_URL. Everything else — writes, transactions, locks, the
 * outbox, migrations, the auth guard, evidence — uses the primary DataSource as before; without a
 * replica configured every read does too, with no extra statement. A background check (≈1 s, never
 * awaited by a request) keeps the replica's state: up, replayed LSN, staleness; a read that fails on
 * the replica for the replica's sake is run once more on the primary and the replica counted down
 * until the next good check.
 */
@Injectable()
export class ReadRouter implements OnApplicationShutdown {
  private readonly log = new Logger('ReadRouter');
  private readonly replicaConfig: AppConfig['db']['replica'];
  private replica?: DataSource;
  private samples: LsnSample[] = [];
  private state: ReplicaState;
  private timer?: NodeJS.Timeout;
  private checking = false;
  private pools?: { primary: Pool; replica: Pool };
  private readonly primaryUrl: string;
  private stopped = false;
  private readonly reads: Counter<'target' | 'reason'>;
  private readonly upGauge: Gauge;
  private readonly lagGauge: Gauge;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    @Inject(AppConfig) config: AppConfig,
    metrics: Metrics,
  ) {
    this.replicaConfig = config.db.replica;
    this.primaryUrl = config.db.url;
    this.state = { configured: !!this.replicaConfig, up: false, stalenessMs: Infinity, replayed: null };
    const registers = [metrics.registry];
    this.reads = new Counter({
      name: 'duban_db_heavy_reads_total',
      help: 'Heavy reads (item search, plan tree, scoreboard, trend, dispatch pack) by the database that served them and why',
      labelNames: ['target', 'reason'],
      registers,
    });
    this.upGauge = new Gauge({
      name: 'duban_db_replica_up',
      help: 'Whether the read replica answered the last check and is in recovery (1) or not (0)',
      registers,
    });
    this.lagGauge = new Gauge({
      name: 'duban_db_replica_lag_seconds',
      help: 'Staleness of the read replica: now − time of the newest primary WAL position it has replayed',
      registers,
    });
    this.upGauge.set(0);
    this.lagGauge.set(0);
  }

  get configured(): boolean {
    return this.state.configured;
  }

  /** The primary, for heavy reads of callers that must not read stale rows (e.g. inside a write path). */
  primaryTarget(): ReadTarget {
    return {
      manager: this.primary.manager,
      pool: poolOf(this.primary),
      dataSource: this.primary,
      replica: false,
    };
  }

  /**
   * Runs a heavy read for `actor` on the replica when the routing rules allow it, else on the primary.
   * `read` must be a pure read through the target it is given (it may run twice: replica, then primary).
   */
  async heavy<T>(actor: Actor | undefined, read: (target: ReadTarget) => Promise<T>): Promise<T> {
    if (!this.replicaConfig) {
      this.reads.inc({ target: 'primary', reason: 'not_configured' });
      return read(this.primaryTarget());
    }
    this.start();
    const route = routeHeavyRead(this.state, this.replicaConfig.maxLagMs, markOf(actor));
    const replica = this.replica;
    if (route.target === 'primary' || !replica?.isInitialized) {
      this.reads.inc({ target: 'primary', reason: route.target === 'primary' ? route.reason : 'down' });
      return read(this.primaryTarget());
    }
    try {
      const result = await read({
        manager: replica.manager,
        pool: poolOf(replica),
        dataSource: replica,
        replica: true,
      });
      this.reads.inc({ target: 'replica', reason: 'replica' });
      return result;
    } catch (err) {
      if (!isReplicaFailure(err)) throw err;
      // Down until the next successful check: the following reads go straight to the primary.
      this.markDown();
      this.log.warn(`只读副本查询失败，改由主库执行：${String((err as Error).message ?? err)}`);
      this.reads.inc({ target: 'primary', reason: 'fallback_error' });
      return read(this.primaryTarget());
    }
  }

  /** After a caller's successful write: the primary's WAL position, as their read-your-writes mark. */
  async recordWrite(userId: string): Promise<void> {
    await poolOf(this.primary).query({
      name: 'duban_replica_read_mark',
      text: `INSERT INTO replica_read_marks (user_id, lsn) VALUES ($1, pg_current_wal_lsn())
             ON CONFLICT (user_id) DO UPDATE SET lsn = greatest(replica_read_marks.lsn, excluded.lsn)`,
      values: [userId],
    });
  }

  /** Starts the background check (first heavy read): a process that never serves one never checks. */
  private start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
    this.timer.unref();
    void this.check();
  }

  private markDown(): void {
    this.state = { ...this.state, up: false };
    this.upGauge.set(0);
  }

  /**
   * One check: the primary's WAL position (a sample), then what the replica has replayed. Both over
   * connections of their own (one each), so a pool busy with requests never makes a healthy replica look
   * down. A failed primary sample only means no new sample: the staleness then grows, never shrinks.
   */
  async check(): Promise<void> {
    if (this.checking || this.stopped || !this.replicaConfig) return;
    this.checking = true;
    try {
      const at = Date.now();
      const primary = await this.probe(
        this.checkPools.primary,
        'SELECT pg_current_wal_lsn()::text AS lsn',
      ).catch(() => null);
      if (primary) this.samples.push({ at, lsn: parseLsn(primary.lsn as string) });
      const row = await this.probe(
        this.checkPools.replica,
        'SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS lsn',
      );
      // A promoted (or misconfigured) replica no longer follows the primary: never read there.
      if (!row.recovery || !row.lsn) throw new Error('只读副本不在恢复（复制）状态');
      await this.replicaSource();
      const replayed = parseLsn(row.lsn as string);
      this.samples = pruneSamples(this.samples, replayed);
      const stalenessMs = staleness(this.samples, replayed, Date.now());
      if (!this.state.up) this.log.log('只读副本可用');
      this.state = { configured: true, up: true, stalenessMs, replayed };
      this.upGauge.set(1);
      this.lagGauge.set(stalenessMs / 1000);
    } catch (err) {
      if (this.state.up)
        this.log.warn(`只读副本不可用，重读走主库：${String((err as Error).message ?? err)}`);
      this.markDown();
    } finally {
      this.checking = false;
    }
  }

  /** One row of a check statement, bounded by CHECK_TIMEOUT_MS however the server or network behaves. */
  private async probe(pool: Pool, sql: string): Promise<Record<string, unknown>> {
    const { rows } = await withTimeout(pool.query(sql), CHECK_TIMEOUT_MS, '只读副本检查');
    return rows[0] as Record<string, unknown>;
  }

  /** The check's own single connections to the primary and the replica (made on first use). */
  private get checkPools(): { primary: Pool; replica: Pool } {
    if (!this.pools) {
      const pool = (url: string) => {
        const p = new Pool({
          connectionString: url,
          max: 1,
          connectionTimeoutMillis: CHECK_TIMEOUT_MS,
          application_name: `duban-${process.env.DUBAN_PROCESS ?? 'app'}-replica-check`,
          options: `-c statement_timeout=${CHECK_TIMEOUT_MS}`,
        });
        // A dropped idle connection (a restarted server) is replaced on next use; never crash for it.
        p.on('error', () => undefined);
        return p;
      };
      this.pools = { primary: pool(this.primaryUrl), replica: pool(this.replicaConfig!.url) };
    }
    return this.pools;
  }

  /** The replica's data source, connected on demand: a replica down at start-up is picked up later. */
  private async replicaSource(): Promise<DataSource> {
    if (this.replica?.isInitialized) return this.replica;
    const ds = new DataSource({
      ...(replicaDataSourceOptions(
        this.replicaConfig!,
        `duban-${process.env.DUBAN_PROCESS ?? 'app'}-replica`,
      ) as PostgresDataSourceOptions),
      poolErrorHandler: (err: unknown) => this.log.debug(`只读副本连接池错误：${String(err)}`),
    });
    await ds.initialize();
    if (this.stopped) {
      await ds.destroy();
      throw new Error('已停止');
    }
    this.replica = ds;
    return ds;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([this.pools?.primary.end(), this.pools?.replica.end()]).catch(() => undefined);
    if (this.replica?.isInitialized) await this.replica.destroy().catch(() => undefined);
  }
}

const poolOf = (ds: DataSource) => (ds.driver as PostgresDriver).master as Pool;

export type { HeavyReadReason };

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Read-your-writes: after a caller's successful mutating request (only with a replica configured),
 * their mark is recorded before the response leaves, so their next request already carries it (the
 * auth guard's statement reads it). A failure to record is logged, never turned into an error: the
 * write itself succeeded.
 */
@Injectable()
export class ReadMarkInterceptor implements NestInterceptor {
  private readonly log = new Logger('ReadRouter');

  constructor(private readonly router: ReadRouter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.router.configured || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ method: string; actor?: Actor }>();
    if (READS.has(request.method)) return next.handle();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        const userId = request.actor?.userId;
        if (userId)
          await this.router.recordWrite(userId).catch((err: unknown) => {
            this.log.warn(`记录读写一致标记失败：${String(err)}`);
          });
        return value;
      }),
    );
  }
}

@Global()
@Module({
  providers: [ReadRouter, { provide: APP_INTERCEPTOR, useClass: ReadMarkInterceptor }],
  exports: [ReadRouter],
})
export class ReadRouterModule {}
