import { clockFor, FixedClock, SystemClock } from './clock';

describe('Clock', () => {
  it('a pinned clock reports the pinned instant, in UTC', () => {
    const clock = clockFor('2022-06-15T10:00:00+08:00');
    expect(clock.now().toISOString()).toBe('2022-06-15T02:00:00.000Z');
  });

  it('a fixed clock moves only when told', () => {
    const clock = new FixedClock('2022-09-30T09:00:00Z');
    clock.advance(24 * 3600 * 1000);
    expect(clock.now().toISOString()).toBe('2022-10-01T09:00:00.000Z');
    clock.set('2022-10-08T01:00:00Z');
    expect(clock.now().toISOString()).toBe('2022-10-08T01:00:00.000Z');
  });

  it('without a pin it is the system clock', () => {
    expect(clockFor(undefined)).toBeInstanceOf(SystemClock);
  });
});
