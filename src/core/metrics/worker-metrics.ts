import { createServer, Server } from 'node:http';

import { getQueueToken, WorkerHost } from '@nestjs/bullmq';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

import { QueueName } from '../queue/queue-names';
import { Metrics, metricsAuthorized, withTimeout } from './metrics';

/** How long a scrape waits for Redis or Postgres before it answers without their figures. */
export const SCRAPE_TIMEOUT_MS = 1500;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

interface SqlFigures {
  outboxPending: string;
  outboxOldestSeconds: number | null;
  rollupLastSuccess: number | null;
  calendarDaysLeft: number | null;
}

/**
 * The worker's metrics: the cluster's backlog (queue depth and oldest waiting job per queue from
 * BullMQ, outbox lag, the last full roll-up from job_runs, the national calendar's end) read on
 * scrape, so any worker's scrape tells the same truth; this worker's finished jobs counted from its
 * BullMQ workers' events; and the node http server on METRICS_PORT that serves them, started and
 * stopped with the worker. Every read on scrape is bounded (SCRAPE_TIMEOUT_MS, and a statement
 * timeout in Postgres): with Redis or Postgres down the scrape still answers, `duban_metrics_source_up`
 * saying which figures are missing.
 */
@Injectable()
export class WorkerMetrics
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(WorkerMetrics.name);
  private server?: Server;
  private readonly queues: Queue[];
  private readonly sourceUp: Gauge<'source'>;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly queueOldest: Gauge<'queue'>;
  private readonly outboxPending: Gauge;
  private readonly outboxOldest: Gauge;
  private readonly rollupLastSuccess: Gauge;
  private readonly calendarDaysLeft: Gauge;

  constructor(
    private readonly metrics: Metrics,
    private readonly discovery: DiscoveryService,
    moduleRef: ModuleRef,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.queues = Object.values(QueueName).map((name) =>
      moduleRef.get<Queue>(getQueueToken(name), { strict: false }),
    );
    const registers = [metrics.registry];
    this.sourceUp = new Gauge({
      name: 'duban_metrics_source_up',
      help: 'Whether the last scrape could read its figures from redis (queues) and postgres (outbox, roll-up, calendar)',
      labelNames: ['source'],
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'duban_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.queueOldest = new Gauge({
      name: 'duban_queue_oldest_waiting_seconds',
      help: 'Age of the oldest waiting job per queue (0 when none waits)',
      labelNames: ['queue'],
      registers,
    });
    this.outboxPending = new Gauge({
      name: 'duban_outbox_pending',
      help: 'Outbox events not yet relayed to the queues',
      registers,
    });
    this.outboxOldest = new Gauge({
      name: 'duban_outbox_oldest_pending_seconds',
      help: 'Age of the oldest outbox event not yet relayed (0 when none)',
      registers,
    });
    this.rollupLastSuccess = new Gauge({
      name: 'duban_rollup_last_success_timestamp_seconds',
      help: 'When the last scheduled full roll-up finished (job_runs), Unix time',
      registers,
    });
    this.calendarDaysLeft = new Gauge({
      name: 'duban_calendar_days_remaining',
      help: 'Days from today (business clock) to the end of the last year the national working-day calendar covers',
      registers,
    });
    metrics.addCollector(() => this.collectQueues());
    metrics.addCollector(() => this.collectSql());
  }

  onApplicationBootstrap(): void {
    for (const host of this.workerHosts()) {
      const worker = host.worker;
      // Series exist at 0 before the first job: "waiting but no completions" can be alerted on.
      for (const outcome of ['completed', 'failed'])
        this.metrics.queueJobs.inc({ queue: worker.name, outcome }, 0);
      worker.on('completed', () => this.metrics.queueJobs.inc({ queue: worker.name, outcome: 'completed' }));
      worker.on('failed', () => this.metrics.queueJobs.inc({ queue: worker.name, outcome: 'failed' }));
    }
    const port = this.metrics.config.metrics.port;
    if (port === undefined) return;
    const host = this.metrics.config.http.host;
    const token = this.metrics.config.metrics.token;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      if (!metricsAuthorized(token, req.headers.authorization)) {
        res
          .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
          .end('需要指标令牌（METRICS_TOKEN）');
        return;
      }
      this.metrics.render().then(
        (body) => res.writeHead(200, { 'content-type': this.metrics.contentType }).end(body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('error', (err) => this.logger.error(`指标端口 ${host}:${port} 监听失败：${err.message}`));
    this.server.listen(port, host, () => this.logger.log(`指标：http://${host}:${port}/metrics`));
  }

  /** First thing on shutdown: the port is freed while the queues drain, so a restart can bind it. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
  }

  private workerHosts(): WorkerHost[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .filter((host) => {
        try {
          return !!host.worker;
        } catch {
          return false;
        }
      });
  }

  private async collectQueues(): Promise<void> {
    try {
      const now = Date.now();
      const figures = await withTimeout(
        Promise.all(
          this.queues.map(async (q) => {
            const [counts, oldest] = await Promise.all([
              q.getJobCounts(...QUEUE_STATES),
              // Oldest first: the head of the wait list.
              q.getJobs(['wait'], 0, 0, true),
            ]);
            const job = oldest[0];
            const since = job ? job.timestamp + (job.opts.delay ?? 0) : now;
            return { name: q.name, counts, age: Math.max(0, (now - since) / 1000) };
          }),
        ),
        SCRAPE_TIMEOUT_MS,
        'Redis',
      );
      for (const f of figures) {
        for (const state of QUEUE_STATES) this.queueJobs.set({ queue: f.name, state }, f.counts[state] ?? 0);
        this.queueOldest.set({ queue: f.name }, f.age);
      }
      this.sourceUp.set({ source: 'redis' }, 1);
    } catch {
      // No figure rather than a stale one: the series vanish and `source_up` says why.
      this.queueJobs.reset();
      this.queueOldest.reset();
      this.sourceUp.set({ source: 'redis' }, 0);
    }
  }

  private async collectSql(): Promise<void> {
    try {
      const figures = await withTimeout(
        this.dataSource.transaction(async (em) => {
          await em.query(`SET LOCAL statement_timeout = ${SCRAPE_TIMEOUT_MS}`);
          const [row] = (await em.query(
            `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)::text AS "outboxPending",
                    (SELECT extract(epoch FROM now() - min(created_at))::float8
                       FROM outbox WHERE published_at IS NULL) AS "outboxOldestSeconds",
                    (SELECT extract(epoch FROM max(finished_at))::float8
                       FROM job_runs WHERE job = 'rollup.full') AS "rollupLastSuccess",
                    (SELECT (make_date(max(year), 12, 31) - duban_now()::date)::float8
                       FROM calendar_days) AS "calendarDaysLeft"`,
          )) as SqlFigures[];
          return row;
        }),
        SCRAPE_TIMEOUT_MS + 500,
        'PostgreSQL',
      );
      this.outboxPending.set(Number(figures.outboxPending));
      this.outboxOldest.set(Math.max(0, figures.outboxOldestSeconds ?? 0));
      // Never run / no calendar at all: 0, which the alerts treat as the worst case they are.
      this.rollupLastSuccess.set(figures.rollupLastSuccess ?? 0);
      this.calendarDaysLeft.set(figures.calendarDaysLeft ?? 0);
      this.sourceUp.set({ source: 'postgres' }, 1);
    } catch {
      // NaN, not a stale or a made-up 0: no alert fires on it, and `source_up` says why.
      for (const g of [
        this.outboxPending,
        this.outboxOldest,
        this.rollupLastSuccess,
        this.calendarDaysLeft,
      ]) {
        g.set(NaN);
      }
      this.sourceUp.set({ source: 'postgres' }, 0);
    }
  }
}
