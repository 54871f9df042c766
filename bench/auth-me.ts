/**
 * GET /api/v1/auth/me through the whole stack (fastify, JWT guard, session lookup, handler) against
 * the raw ceiling (a minimal fastify + one primary-key SELECT through pg, pool 10, on the same
 * database): bench/http.ts with its auth/me target only, so the two benches report the same ratio.
 * Goal: ≥ 0.5 of the ceiling.
 *
 *   BENCH_URL=… DATABASE_URL=… BENCH_USERNAME=… BENCH_PASSWORD=… node dist/bench/auth-me.js \
 *     [--connections=50] [--duration=10] [--rounds=3] [--yes]
 */
import { optionsFromArgv, runHttpBench } from './http';

runHttpBench({ ...optionsFromArgv(), only: ['auth'] }).then(
  (ratios) => {
    console.log(`\nratio GET /auth/me ÷ ceiling (median): ${ratios.auth.toFixed(2)}  (goal ≥ 0.5)`);
    process.exit(ratios.auth >= 0.5 ? 0 : 1);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
