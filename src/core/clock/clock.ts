import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { shanghaiDate } from '../calendar/shanghai';

/**
 * The business clock: the database's `duban_now()` (PostgreSQL's clock, or the pin in `clock_pin`
 * for the demo and tests). Every business "now" and "today" comes from here or from `duban_now()`
 * in the SQL that writes it, so an API or worker whose own clock is off cannot stamp a report late
 * or judge lights for the wrong day, and moving the pin moves every process at once.
 */
@Injectable()
export class Clock {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The business instant. Inside a transaction pass its manager: the value is then that
   * transaction's (fixed for its length) and no second pooled connection is taken.
   */
  async now(em?: EntityManager): Promise<Date> {
    const [row] = (await (em ?? this.dataSource).query(`SELECT duban_now() AS now`)) as { now: Date }[];
    return new Date(row.now);
  }

  /** The bureau's calendar day (Asia/Shanghai) of the business instant, as 'YYYY-MM-DD'. */
  async today(em?: EntityManager): Promise<string> {
    return shanghaiDate(await this.now(em));
  }

  /**
   * The business day of a request's reads outside a transaction: from the instant the auth guard read
   * with the session row (`duban_now()` in that statement, so no round trip of its own), else `today()`.
   */
  async todayOf(actor: { session?: { now: Date } }): Promise<string> {
    return actor.session ? shanghaiDate(actor.session.now) : this.today();
  }
}

/** Pins `duban_now()` at an instant, standing still (frozen) or running on from it in real time. */
export const PIN_CLOCK_SQL = `INSERT INTO clock_pin (pinned_at, frozen) VALUES ($1, $2)
  ON CONFLICT (id) DO UPDATE SET pinned_at = EXCLUDED.pinned_at, set_at = now(), frozen = EXCLUDED.frozen`;
