import { DataSource } from 'typeorm';

import { seedCalendar } from './calendar.seed';
import { seedCycles } from './cycles.seed';
import { seedHistory } from './history.seed';
import { seedOrganizations } from './organizations.seed';
import { seedPlans } from './plans.seed';

export { seedCalendar } from './calendar.seed';
export { readOrganizations } from './organizations.seed';
export { readPlans } from './plans.seed';

export interface DemoSeedResult {
  organizations: number;
  units: number;
  users: number;
  plans: number;
  items: number;
  inserted: number;
}

/** The whole demo seed, in one transaction: all of it lands or none of it. Idempotent. */
export async function seedDemo(dataSource: DataSource, demoPassword: string): Promise<DemoSeedResult> {
  return dataSource.transaction(async (em) => {
    const days = await seedCalendar(em);
    const org = await seedOrganizations(em, demoPassword);
    const plans = await seedPlans(em);
    await seedHistory(em, plans.newPlanIds);
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
    };
  });
}
