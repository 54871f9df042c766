/** One constant per queue. Later features add theirs here (rollup, reminders, cycles, exports). */
export const QueueName = {
  System: 'system',
  Rollup: 'rollup',
  Notify: 'notify',
  Exports: 'exports',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Payload of every job, by job name: the compiler checks producers and processors agree. */
export interface JobPayloads {
  /** Hourly housekeeping: drop long-expired refresh tokens. `tick` is the hour it was scheduled for. */
  'system.cleanup': { tick: string };
  /** Operational probe: proves a worker takes, holds and finishes a job (and drains on shutdown). */
  'system.probe': { holdMs: number; note?: string };
  /** Recompute one plan's figures (items, key tasks, sections, plan). Coalesced per plan. */
  'rollup.plan': { planId: string };
  /** Scheduled repair: recompute every published plan and close cycles past their cut-off. */
  'rollup.full': { tick: string };
  /** Derive every reminder due now from the data (on the database clock) and write its deliveries. */
  'reminders.scan': { tick: string };
  /** Enqueue sends for pending external deliveries (after a lost job, a flushed Redis, a backoff). */
  'notify.dispatch': { tick: string };
  /** Send a block of external deliveries (ids of the ledger); idempotent through leases and statuses. */
  'notify.send': { ids: string[] };
  /** Generate one dispatch-pack file (pack_exports row) as its requester sees the pack. */
  'dispatch.export': { exportId: string };
}
export type JobName = keyof JobPayloads;

/** Retries with exponential backoff; bounded history so Redis memory stays flat. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10000 },
  removeOnFail: { count: 1000 },
} as const;

/** BullMQ rejects custom ids containing ':'; keep ids to [A-Za-z0-9_-]. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-');
}
