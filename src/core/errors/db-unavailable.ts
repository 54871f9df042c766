/**
 * Recognises "the database cannot serve this request right now" among errors from pg, pg-pool and
 * TypeORM (which wraps the driver's error in QueryFailedError.driverError). Such failures answer
 * 503 with Retry-After instead of 500: the request is fine, the caller should try again shortly.
 * Real bugs (syntax errors, constraint violations we did not expect, deadlocks) stay 500.
 */

/** Seconds a client is told to wait before retrying. */
export const DB_RETRY_AFTER_SECONDS = 5;

// SQLSTATE classes and codes that mean "not now", not "wrong".
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: the server is restarting or the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '57014', // query_canceled: statement_timeout fired (a busy server; the statement is bounded on purpose)
  '55P03', // lock_not_available: lock_timeout fired while another transaction held the row
]);
const UNAVAILABLE_CLASSES = ['08', '53']; // connection exceptions; insufficient resources (too many connections, disk, memory)

const NODE_NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const MESSAGES = [
  'timeout exceeded when trying to connect', // pg-pool: no free connection within connectionTimeoutMillis
  'connection terminated', // pg: server went away mid-query, or the connect timed out
  'connection timeout',
  'driver not connected', // TypeORM: the pool is closed (shutting down)
  'cannot use a pool after calling end',
  'client has encountered a connection error and is not queryable',
  'client was closed and is not queryable',
];

function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    out.push(cur);
    const e = cur as { driverError?: unknown; cause?: unknown };
    cur = e.driverError ?? e.cause;
  }
  return out;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return causes(err).some((e) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_CODES.has(code) || NODE_NET_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
    }
    if (typeof message === 'string') {
      const m = message.toLowerCase();
      if (MESSAGES.some((s) => m.includes(s))) return true;
    }
    return false;
  });
}
