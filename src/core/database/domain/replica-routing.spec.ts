import {
  isReplicaFailure,
  parseLsn,
  pruneSamples,
  ReplicaState,
  routeHeavyRead,
  staleness,
} from './replica-routing';

describe('replica routing (pure)', () => {
  it('parses LSNs into comparable numbers', () => {
    expect(parseLsn('0/16B3740')).toBe(0x16b3740n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(() => parseLsn('nonsense')).toThrow();
  });

  describe('staleness', () => {
    const samples = [
      { at: 1000, lsn: 100n },
      { at: 2000, lsn: 200n },
      { at: 3000, lsn: 300n },
    ];
    it('is now − the time of the newest sample the replica replayed', () => {
      expect(staleness(samples, 300n, 3500)).toBe(500);
      expect(staleness(samples, 250n, 3500)).toBe(1500);
      expect(staleness(samples, 100n, 3500)).toBe(2500);
    });
    it('stays ≈ 0 on an idle primary (same LSN in every sample) once caught up', () => {
      const idle = [1000, 2000, 3000, 60000].map((at) => ({ at, lsn: 500n }));
      expect(staleness(idle, 500n, 60100)).toBe(100);
    });
    it('behind every sample: at least as old as the oldest; no sample: unknown', () => {
      expect(staleness(samples, 50n, 3500)).toBe(2500);
      expect(staleness([], 50n, 3500)).toBe(Infinity);
    });
    it('pruning keeps the newest replayed sample and what follows, bounded', () => {
      expect(pruneSamples(samples, 250n).map((s) => s.at)).toEqual([2000, 3000]);
      expect(pruneSamples(samples, 50n).map((s) => s.at)).toEqual([1000, 2000, 3000]);
      expect(pruneSamples(samples, 50n, 2).map((s) => s.at)).toEqual([2000, 3000]);
      const pruned = pruneSamples(samples, 250n);
      expect(staleness(pruned, 250n, 3500)).toBe(staleness(samples, 250n, 3500));
    });
  });

  describe('routeHeavyRead', () => {
    const healthy: ReplicaState = { configured: true, up: true, stalenessMs: 200, replayed: 1000n };
    it('not configured → primary', () => {
      expect(routeHeavyRead({ ...healthy, configured: false }, 10000, null)).toEqual({
        target: 'primary',
        reason: 'not_configured',
      });
    });
    it('down (or never checked) → primary', () => {
      expect(routeHeavyRead({ ...healthy, up: false }, 10000, null).reason).toBe('down');
      expect(routeHeavyRead({ ...healthy, replayed: null }, 10000, null).reason).toBe('down');
    });
    it('further behind than the limit → primary; at the limit → replica', () => {
      expect(routeHeavyRead({ ...healthy, stalenessMs: 10001 }, 10000, null).reason).toBe('lagging');
      expect(routeHeavyRead({ ...healthy, stalenessMs: Infinity }, 10000, null).reason).toBe('lagging');
      expect(routeHeavyRead({ ...healthy, stalenessMs: 10000 }, 10000, null).target).toBe('replica');
    });
    it('the caller’s own write not replayed yet → primary; replayed → replica', () => {
      expect(routeHeavyRead(healthy, 10000, 1001n)).toEqual({ target: 'primary', reason: 'own_write' });
      expect(routeHeavyRead(healthy, 10000, 1000n)).toEqual({ target: 'replica', reason: 'replica' });
      expect(routeHeavyRead(healthy, 10000, null)).toEqual({ target: 'replica', reason: 'replica' });
    });
  });

  it('tells the replica’s failures from the query’s', () => {
    expect(isReplicaFailure({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toBe(
      true,
    );
    expect(isReplicaFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isReplicaFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isReplicaFailure({
        driverError: {
          code: '40001',
          message: 'canceling statement due to conflict with recovery',
        },
      }),
    ).toBe(true);
    expect(
      isReplicaFailure({ code: '57P01', message: 'terminating connection due to administrator command' }),
    ).toBe(true);
    expect(isReplicaFailure({ code: '42703', message: 'column "x" does not exist' })).toBe(false);
    expect(isReplicaFailure({ code: '22P02', message: 'invalid input syntax for type uuid' })).toBe(false);
  });
});
