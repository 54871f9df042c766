import { createHash, timingSafeEqual } from 'node:crypto';

import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';

/** Label of a request that matched no route: never the raw url (ids, probes of random paths). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The route label: fastify's route template (`/api/v1/items/:id`), or one fixed value when none matched. */
export function routeLabel(routeUrl: string | undefined): string {
  return routeUrl || UNMATCHED_ROUTE;
}

/** Methods outside this list (anything a scanner invents) share one label value. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/** Settles with `p`, or rejects after `ms`: a scrape never waits on a slow dependency. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}：超时 ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an Authorization header carries the metrics token (constant-time; no token configured = open). */
export function metricsAuthorized(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

type PgPool = { totalCount: number; idleCount: number; waitingCount: number };
type HttpChild = { observe: (seconds: number) => void };

/**
 * The process's Prometheus registry (prom-client, one per Nest application so in-process tests never
 * share one) and every metric duban records. Ours are named `duban_*` with their unit; the default
 * process and Node.js metrics keep prom-client's standard names, which stock dashboards expect.
 * Values that live in Postgres or Redis are read on scrape by collectors (WorkerMetrics), each bounded
 * by a timeout.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly rollupDuration: Histogram<'kind'>;
  readonly reminderScanDuration: Histogram;
  readonly deliveries: Counter<'channel' | 'outcome'>;
  readonly queueJobs: Counter<'queue' | 'outcome'>;
  private readonly collectors: (() => Promise<void>)[] = [];
  /** Pre-bound histogram children by `method route status`: one Map lookup and one observe per request. */
  private readonly httpChildren = new Map<string, HttpChild>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(AppConfig) readonly config: AppConfig,
  ) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ process_type: process.env.DUBAN_PROCESS ?? 'app' });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'duban_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rollupDuration = new Histogram({
      name: 'duban_rollup_duration_seconds',
      help: 'Roll-up run duration: kind=full (scheduled recompute of every plan), kind=plan (one plan’s pending marks)',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.reminderScanDuration = new Histogram({
      name: 'duban_reminder_scan_duration_seconds',
      help: 'Duration of one reminder scan (derive due reminders and write their deliveries)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.deliveries = new Counter({
      name: 'duban_deliveries_total',
      help: 'External delivery attempts by channel and outcome (sent; retried: failed, will be tried again; failed: gave up)',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.queueJobs = new Counter({
      name: 'duban_queue_jobs_total',
      help: 'Jobs this process finished, by queue and outcome (completed, failed)',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    const pool = () =>
      (dataSource.driver as unknown as { master?: PgPool }).master ?? {
        totalCount: 0,
        idleCount: 0,
        waitingCount: 0,
      };
    // Read from pg's Pool on scrape: no I/O, so no timeout needed.
    new Gauge({
      name: 'duban_db_pool_connections',
      help: 'PostgreSQL pool connections of this process by state (in_use, idle) and callers waiting for one (waiting)',
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    new Gauge({
      name: 'duban_db_pool_max_connections',
      help: 'Configured size of this process’s PostgreSQL pool (DATABASE_POOL_SIZE)',
      registers,
    }).set(config.db.poolSize);
  }

  /** A scrape-time job (reads Postgres or Redis and sets gauges); it must bound its own waits. */
  addCollector(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  /** Records one finished HTTP request (from the logging module's onResponse hook). */
  observeRequest(method: string, routeUrl: string | undefined, status: number, elapsedMs: number): void {
    const key = `${method} ${routeUrl ?? ''} ${status}`;
    let child = this.httpChildren.get(key);
    if (!child) {
      child = this.httpDuration.labels(methodLabel(method), routeLabel(routeUrl), String(status));
      this.httpChildren.set(key, child);
    }
    child.observe(elapsedMs / 1000);
  }

  /** The Prometheus text exposition, after every collector has run (each bounded, failures tolerated). */
  async render(): Promise<string> {
    await Promise.all(this.collectors.map((c) => c().catch(() => undefined)));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
