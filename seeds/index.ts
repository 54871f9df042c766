import { DataSource } from 'typeorm';

import { seedCalendar } from './calendar.seed';
import { seedCycles } from './cycles.seed';
import { seedOrganizations } from './organizations.seed';
import { seedPlans } from './plans.seed';
import { REPLAY_NAME, replayPending } from './replay/runner';

export { seedCalendar } from './calendar.seed';
export { readOrganizations } from './organizations.seed';
export { readPlans } from './plans.seed';
export { replayDemo } from './replay/runner';

export interface DemoSeedResult {
  organizations: number;
  units: number;
  users: number;
  plans: number;
  items: number;
  inserted: number;
  /** Plans this run created. */
  newPlanIds: string[];
}

/**
 * The base seed, in one transaction (all of it lands or none of it), idempotent: the calendar,
 * organizations, units, users, the plans of seeds/data (each loaded once) and their cycles.
 *
 * `replay`: the plans' history is to be replayed through the services (the demo, seeds/replay): new
 * plans are loaded as published with their items unassigned (the replay assigns the owners the data
 * names on its first day), and the replay's progress row is written with them, so a replay that
 * stops midway is continued by the next `seed`, never started over. Without it (the e2e template)
 * items are loaded with their owners, as before.
 */
export async function seedBase(
  dataSource: DataSource,
  demoPassword: string,
  options: { replay?: boolean } = {},
): Promise<DemoSeedResult> {
  return dataSource.transaction(async (em) => {
    const days = await seedCalendar(em);
    const org = await seedOrganizations(em, demoPassword);
    const existing = (await em.query(`SELECT 1 FROM demo_replay WHERE name = $1`, [
      REPLAY_NAME,
    ])) as unknown[];
    const replay = !!options.replay && (!existing.length || (await replayPending(em)));
    const plans = await seedPlans(em, { assignOwners: !replay });
    if (replay && plans.newPlanIds.length) {
      await em.query(`INSERT INTO demo_replay (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [
        REPLAY_NAME,
      ]);
    }
    const cycles = await seedCycles(em, plans.planIds);
    // New rows were written behind the services' backs: have the worker roll those plans up at once.
    if (plans.newPlanIds.length) {
      await em.query(`INSERT INTO rollup_pending (plan_id) SELECT unnest($1::uuid[])`, [plans.newPlanIds]);
      await em.query(
        `INSERT INTO outbox (kind, payload) SELECT 'plan.changed', jsonb_build_object('planId', id) FROM unnest($1::uuid[]) id`,
        [plans.newPlanIds],
      );
    }
    return {
      ...org,
      plans: plans.plans,
      items: plans.items,
      inserted: days + org.inserted + plans.inserted + cycles,
      newPlanIds: plans.newPlanIds,
    };
  });
}
