/**
 * Where a heavy read goes (issue 18, What 2): pure rules, no I/O. The read router feeds them what its
 * background health check last saw; nothing here waits on the replica.
 */

/** A PostgreSQL LSN (`16/B374D848`) as one comparable number. */
export function parseLsn(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
  if (!m) throw new Error(`不是有效的 LSN：${lsn}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** One reading of the primary's WAL position, at a time of this process's clock (ms). */
export interface LsnSample {
  at: number;
  lsn: bigint;
}

/**
 * How far behind the replica is, in ms: now − the time of the newest primary sample the replica has
 * replayed. An idle primary (its LSN unchanged) keeps producing samples at its current position, so
 * a replica that caught up stays at ≈ 0 however long nothing was written. With no sample replayed at
 * all, the replica is at least as stale as the oldest sample kept; with no samples, unknown (Infinity).
 */
export function staleness(samples: readonly LsnSample[], replayed: bigint, now: number): number {
  let newest: LsnSample | undefined;
  for (const s of samples) if (s.lsn <= replayed && (!newest || s.at > newest.at)) newest = s;
  if (newest) return Math.max(0, now - newest.at);
  if (samples.length === 0) return Infinity;
  return Math.max(0, now - Math.min(...samples.map((s) => s.at)));
}

/**
 * The samples worth keeping after a check: the newest one the replica has replayed (the reference of
 * `staleness`) and every later one, at most `max` (the oldest dropped first).
 */
export function pruneSamples(samples: readonly LsnSample[], replayed: bigint, max = 600): LsnSample[] {
  let keepFrom = 0;
  samples.forEach((s, i) => {
    if (s.lsn <= replayed) keepFrom = i;
  });
  const kept = samples.slice(keepFrom);
  return kept.length > max ? kept.slice(kept.length - max) : kept;
}

export type HeavyReadReason =
  'replica' | 'not_configured' | 'down' | 'lagging' | 'own_write' | 'fallback_error';

/** What the health check last saw of the replica. */
export interface ReplicaState {
  configured: boolean;
  /** The last check succeeded (reachable, in recovery) and no query failed on it since. */
  up: boolean;
  stalenessMs: number;
  /** The replica's replayed LSN at the last check (replay only moves forward: a safe lower bound). */
  replayed: bigint | null;
}

/**
 * Replica or primary for one heavy read. The replica only when it is configured, up, no further
 * behind than `maxLagMs`, and has replayed the caller's own last write (`callerMark`, the primary's
 * LSN after it): a heavy read may be up to maxLagMs behind others' writes, never behind one's own.
 */
export function routeHeavyRead(
  state: ReplicaState,
  maxLagMs: number,
  callerMark: bigint | null,
): { target: 'replica' | 'primary'; reason: HeavyReadReason } {
  if (!state.configured) return { target: 'primary', reason: 'not_configured' };
  if (!state.up || state.replayed === null) return { target: 'primary', reason: 'down' };
  if (!(state.stalenessMs <= maxLagMs)) return { target: 'primary', reason: 'lagging' };
  if (callerMark !== null && state.replayed < callerMark) return { target: 'primary', reason: 'own_write' };
  return { target: 'replica', reason: 'replica' };
}

const RETRYABLE_CODES = new Set([
  '40001', // serialization_failure: "canceling statement due to conflict with recovery"
  '40P01',
  '57014', // query_canceled (statement_timeout on the replica)
  '57P01', // admin_shutdown
  '57P02',
  '57P03', // cannot_connect_now (replica starting up)
  '53300', // too_many_connections
]);
const RETRYABLE_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Whether a failure on the replica is the replica's (unreachable, restarting, timed out, a recovery
 * conflict): then the read is run again on the primary. A failure of the query itself (a bug, bad
 * input) is not: the primary would fail the same way.
 */
export function isReplicaFailure(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown };
  const inner = (e?.driverError ?? e) as { code?: unknown; message?: unknown };
  const code = typeof inner?.code === 'string' ? inner.code : '';
  const message = typeof inner?.message === 'string' ? inner.message : String(err);
  if (RETRYABLE_CODES.has(code) || code.startsWith('08') || RETRYABLE_NODE.has(code)) return true;
  return /conflict with recovery|Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)/i.test(
    message,
  );
}
