import { EntityManager } from 'typeorm';

import { PIN_CLOCK_SQL } from '../src/core/clock/clock';

/**
 * Pins the business clock (duban_now()) at `at` inside the seed's transaction and returns what puts
 * the pin back as it was (or removes it): rows the database stamps, such as the item history its
 * triggers write, then carry the demo story's instants, not the seeding day. Other sessions never
 * see the moved pin (the seed is one transaction); on an error the whole transaction rolls back,
 * pin included.
 */
export async function pinInTransaction(em: EntityManager, at: string): Promise<() => Promise<void>> {
  const [saved] = (await em.query(`SELECT pinned_at, set_at, frozen FROM clock_pin`)) as {
    pinned_at: Date;
    set_at: Date;
    frozen: boolean;
  }[];
  await em.query(PIN_CLOCK_SQL, [at, true]);
  return async () => {
    if (saved) {
      await em.query(`UPDATE clock_pin SET pinned_at = $1, set_at = $2, frozen = $3`, [
        saved.pinned_at,
        saved.set_at,
        saved.frozen,
      ]);
    } else {
      await em.query(`DELETE FROM clock_pin`);
    }
  };
}

/** Runs `work` with the business clock pinned at `at` (see pinInTransaction). */
export async function atInstant<T>(em: EntityManager, at: string, work: () => Promise<T>): Promise<T> {
  const restore = await pinInTransaction(em, at);
  const result = await work();
  await restore();
  return result;
}
