import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EntityManager } from 'typeorm';

import { parseCalendarYaml } from '../src/core/calendar/working-days';
import { SEED_DATA_DIR } from './organizations.seed';

/**
 * Loads the official holiday schedule (seeds/data/calendar.yaml) into calendar_days. Years already
 * present are left alone, so an admin's later correction through the API is never overwritten.
 */
export async function seedCalendar(em: EntityManager): Promise<number> {
  let inserted = 0;
  for (const y of parseCalendarYaml(readFileSync(join(SEED_DATA_DIR, 'calendar.yaml'), 'utf8'))) {
    const [{ n }] = (await em.query(`SELECT count(*)::int AS n FROM calendar_days WHERE year = $1`, [
      y.year,
    ])) as { n: number }[];
    if (n > 0) continue;
    for (const g of y.holidays) {
      for (const date of g.dates) {
        await em.query(`INSERT INTO calendar_days (date, year, kind, name) VALUES ($1, $2, 'holiday', $3)`, [
          date,
          y.year,
          g.name,
        ]);
        inserted++;
      }
    }
    for (const w of y.makeUpWorkdays) {
      await em.query(`INSERT INTO calendar_days (date, year, kind, name) VALUES ($1, $2, 'workday', $3)`, [
        w.date,
        y.year,
        w.name,
      ]);
      inserted++;
    }
  }
  // The working-day index (序时进度 in SQL) follows the calendar.
  if (inserted > 0) await em.query(`SELECT rebuild_work_day_index()`);
  return inserted;
}
