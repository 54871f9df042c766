/** The one source of "now" for business logic, so the demo and tests can pin it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still at a given instant until moved; used by DUBAN_NOW and tests. */
export class FixedClock extends Clock {
  private current: Date;
  constructor(instant: Date | string) {
    super();
    this.current = new Date(instant);
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function clockFor(pinned?: string): Clock {
  return pinned ? new FixedClock(pinned) : new SystemClock();
}
