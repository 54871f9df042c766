import { join } from 'node:path';

import { loadCalendarFile, overlayCalendar, type WorkCalendar } from '../../src/core/calendar/working-days';
import { cyclesForYear, type CycleDates } from '../../src/modules/cycles/domain/cycles';
import { readOrganizations, SEED_DATA_DIR, type SeedUnit } from '../organizations.seed';
import { readPlans, seedTargetValue, type SeedPlan } from '../plans.seed';
import { refKey, type ScriptInput, type ScriptPlan, type ScriptUnit } from './script';
import { SQUAD_ITEMS, squadTitles } from './squads';

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The demo's people and places as the database names them: what the replay needs to act. */
export interface ReplayWorld {
  input: ScriptInput;
  planIds: Map<string, string>;
  /** `<org>#<n>` → item id (the n-th item of the plan in section, key task, item order). */
  itemIds: Map<string, string>;
  /** `<org>#<period>` → dispatch cycle id. */
  cycleIds: Map<string, string>;
  /** `<org>#<unit code>` → unit id. */
  unitIds: Map<string, string>;
  users: Map<string, { id: string; name: string; organizationId: string; unitId: string; roles: string[] }>;
  organizationIds: Map<string, string>;
}

const day = (d: string | Date) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

function flatten(units: SeedUnit[], parent: string | null, out: ScriptUnit[] = []): ScriptUnit[] {
  for (const u of units) {
    out.push({ code: u.code, parent });
    if (u.children) flatten(u.children, u.code, out);
  }
  return out;
}

/**
 * The script's inputs: the seed data files (plans, people) for what each item is, the database for
 * ids, the cycles and each organization's calendar. Read the same way by the replay and its tests.
 */
export async function readReplayWorld(db: Queryable, end: string): Promise<ReplayWorld> {
  const orgs = new Map(readOrganizations().map((o) => [o.code, o]));
  const world: ReplayWorld = {
    input: { plans: [], end },
    planIds: new Map(),
    itemIds: new Map(),
    cycleIds: new Map(),
    unitIds: new Map(),
    users: new Map(),
    organizationIds: new Map(),
  };
  const national = (await db.query(`SELECT date, year, kind FROM calendar_days`)) as {
    date: string;
    year: number;
    kind: string;
  }[];
  for (const plan of readPlans()) {
    const org = orgs.get(plan.organization)!;
    const [row] = (await db.query(
      `SELECT p.id, p.organization_id AS "organizationId" FROM plans p JOIN organizations o ON o.id = p.organization_id
        WHERE o.code = $1 AND p.year = $2 AND p.title = $3`,
      [plan.organization, plan.year, plan.title],
    )) as { id: string; organizationId: string }[];
    if (!row) continue;
    world.planIds.set(org.code, row.id);
    world.organizationIds.set(org.code, row.organizationId);
    const items = (await db.query(
      `SELECT i.id, row_number() OVER (ORDER BY s.sort_order, t.sort_order, i.sort_order)::int AS n
         FROM items i JOIN plan_tasks t ON t.id = i.task_id JOIN plan_sections s ON s.id = i.section_id
        WHERE i.plan_id = $1 AND i.meeting_outcome_id IS NULL AND NOT (i.title = ANY($2::text[])) ORDER BY n`,
      [row.id, squadTitles(org.code)],
    )) as { id: string; n: number }[];
    for (const i of items) world.itemIds.set(`${org.code}#${i.n}`, i.id);
    // The squad items the replay created (none before it ran): `<org>#squad:<key>`.
    const squads = (await db.query(
      `SELECT id, title FROM items WHERE plan_id = $1 AND meeting_outcome_id IS NULL AND title = ANY($2::text[])`,
      [row.id, squadTitles(org.code)],
    )) as { id: string; title: string }[];
    for (const sq of squads) {
      const spec = SQUAD_ITEMS[org.code].find((x) => x.title === sq.title)!;
      world.itemIds.set(refKey({ org: org.code, squad: spec.key }), sq.id);
    }
    const cycles = (await db.query(
      `SELECT id, period, start_date AS "startDate", end_date AS "endDate", report_due AS "reportDue",
              meeting_date AS "meetingDate"
         FROM dispatch_cycles WHERE plan_id = $1 ORDER BY period`,
      [row.id],
    )) as (CycleDates & { id: string })[];
    for (const c of cycles) world.cycleIds.set(`${org.code}#${c.period}`, c.id);
    const units = (await db.query(`SELECT id, code FROM units WHERE organization_id = $1`, [
      row.organizationId,
    ])) as { id: string; code: string }[];
    for (const u of units) world.unitIds.set(`${org.code}#${u.code}`, u.id);
    const users = (await db.query(
      `SELECT id, username, name, unit_id AS "unitId", roles FROM users WHERE organization_id = $1`,
      [row.organizationId],
    )) as { id: string; username: string; name: string; unitId: string; roles: string[] }[];
    for (const u of users) world.users.set(u.username, { ...u, organizationId: row.organizationId });
    const local = (await db.query(
      `SELECT date, kind FROM organization_calendar_days WHERE organization_id = $1`,
      [row.organizationId],
    )) as { date: string; kind: string }[];
    world.input.plans.push(
      scriptPlan(
        plan,
        cycles.map(({ period, startDate, endDate, reportDue, meetingDate }) => ({
          period,
          startDate,
          endDate,
          reportDue,
          meetingDate,
        })),
        overlayCalendar(national, local),
      ),
    );
  }
  return world;
}

/** The same inputs from the data files alone (the calendar file, default cycle settings): for unit tests. */
export function scriptInputFromFiles(end: string): ScriptInput {
  const calendar = loadCalendarFile(join(SEED_DATA_DIR, 'calendar.yaml'));
  return {
    end,
    plans: readPlans().map((plan) =>
      scriptPlan(
        plan,
        cyclesForYear(calendar, plan.year, { reportDueWorkdays: 3, meetingWorkday: 2 }),
        calendar,
      ),
    ),
  };
}

function scriptPlan(plan: SeedPlan, cycles: CycleDates[], calendar: WorkCalendar): ScriptPlan {
  const org = readOrganizations().find((o) => o.code === plan.organization)!;
  let n = 0;
  return {
    org: org.code,
    year: plan.year,
    items: plan.sections.flatMap((s) =>
      s.tasks.flatMap((t) =>
        t.items.map((it) => ({
          n: ++n,
          title: it.title,
          tags: it.tags ?? [],
          cadence: it.cadence,
          startDate: day(it.startDate),
          deadline: day(it.deadline),
          leadUnit: it.leadUnit,
          owner: it.owner,
          leader: it.responsibleLeader,
          targets: (it.targets ?? []).map((tg, k) => ({
            sort: k + 1,
            metric: tg.metric,
            comparator: tg.comparator,
            value: seedTargetValue(tg.value).value,
            ...(tg.upper === undefined ? {} : { upper: seedTargetValue(tg.upper).value }),
            unit: tg.unit,
            baseline: tg.baseline ?? null,
            direction: tg.direction ?? 'increase',
          })),
        })),
      ),
    ),
    cycles,
    units: flatten(org.units, null),
    users: org.users.map((u) => ({ username: u.username, name: u.name, unit: u.unit, roles: u.roles })),
    calendar,
  };
}
