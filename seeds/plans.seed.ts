import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { load } from 'js-yaml';
import { EntityManager } from 'typeorm';

import type { Cadence, Comparator, Direction } from '../src/modules/plans/domain/types';
import { pinInTransaction } from './clock';
import { SEED_DATA_DIR } from './organizations.seed';

export interface SeedTarget {
  metric: string;
  comparator: Comparator;
  value: number | string;
  /** Upper bound of a 'range' target ("1至2个": value 1, upper 2; "x-x": 'x' and 'x'); only for range. */
  upper?: number | string;
  unit: string;
  direction?: Direction;
  baseline?: number;
}
export interface SeedItem {
  title: string;
  detail: string;
  leadUnit: string;
  coUnits: string[];
  responsibleLeader: string;
  owner: string | null;
  startDate: string | Date;
  deadline: string | Date;
  cadence: Cadence;
  weight?: number;
  tags?: string[];
  targets?: SeedTarget[];
}
export interface SeedPlan {
  organization: string;
  year: number;
  title: string;
  source: string;
  sections: {
    title: string;
    numbering: string | null;
    tasks: { title: string; numbering: string | null; items: SeedItem[] }[];
  }[];
}

export function readPlans(): SeedPlan[] {
  const dir = join(SEED_DATA_DIR, 'plans');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => load(readFileSync(join(dir, f), 'utf8')) as SeedPlan);
}

// js-yaml reads unquoted dates as Date objects at UTC midnight.
const day = (d: string | Date) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

/** Redacted figures ("x.x") are kept as text with no numeric value; they are never summed. */
export function seedTargetValue(v: number | string): { value: number | null; valueText: string } {
  return typeof v === 'number' ? { value: v, valueText: String(v) } : { value: null, valueText: v };
}

/**
 * Loads each plan file as one published plan. A plan already present (same organization, year and
 * title) is left as it is, so running the seed again writes nothing. With `assignOwners: false`
 * the items are loaded unassigned (draft, no owner): the demo replay assigns the owners the data
 * names through the items service on its first day.
 */
export async function seedPlans(
  em: EntityManager,
  { assignOwners = true }: { assignOwners?: boolean } = {},
): Promise<{ plans: number; items: number; inserted: number; newPlanIds: string[]; planIds: string[] }> {
  const newPlanIds: string[] = [];
  const planIds: string[] = [];
  let plans = 0;
  let items = 0;
  let inserted = 0;
  for (const plan of readPlans()) {
    const [org] = (await em.query(`SELECT id FROM organizations WHERE code = $1`, [plan.organization])) as {
      id: string;
    }[];
    if (!org) throw new Error(`seed: unknown organization ${plan.organization}`);
    const units = new Map(
      (
        (await em.query(`SELECT id, code FROM units WHERE organization_id = $1`, [org.id])) as {
          id: string;
          code: string;
        }[]
      ).map((u) => [u.code, u.id]),
    );
    const users = new Map(
      (
        (await em.query(`SELECT id, username FROM users WHERE organization_id = $1`, [org.id])) as {
          id: string;
          username: string;
        }[]
      ).map((u) => [u.username, u.id]),
    );
    const need = (map: Map<string, string>, key: string, what: string) => {
      const id = map.get(key);
      if (!id) throw new Error(`seed: ${plan.organization} ${plan.year}: unknown ${what} "${key}"`);
      return id;
    };
    plans++;
    const exists = (await em.query(
      `SELECT id FROM plans WHERE organization_id = $1 AND year = $2 AND title = $3`,
      [org.id, plan.year, plan.title],
    )) as { id: string }[];
    if (exists.length) {
      planIds.push(exists[0].id);
      items += plan.sections.flatMap((s) => s.tasks.flatMap((t) => t.items)).length;
      continue;
    }
    // 09:00 on 4 January (Beijing time): the first working day of 2022, where the demo replay starts.
    const publishedAt = `${plan.year}-01-04T01:00:00Z`;
    // Its items exist from its publication on: their history rows (written by the database) say so.
    const restoreClock = await pinInTransaction(em, publishedAt);
    const [{ id: planId }] = (await em.query(
      `INSERT INTO plans (organization_id, year, title, status, source, published_at)
       VALUES ($1, $2, $3, 'published', $4, $5) RETURNING id`,
      [org.id, plan.year, plan.title, plan.source, publishedAt],
    )) as { id: string }[];
    inserted++;
    newPlanIds.push(planId);
    planIds.push(planId);
    for (const [si, s] of plan.sections.entries()) {
      const [{ id: sectionId }] = (await em.query(
        `INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [org.id, planId, s.numbering, s.title, (si + 1) * 10],
      )) as { id: string }[];
      inserted++;
      for (const [ti, t] of s.tasks.entries()) {
        const [{ id: taskId }] = (await em.query(
          `INSERT INTO plan_tasks (organization_id, plan_id, section_id, numbering, title, sort_order)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [org.id, planId, sectionId, t.numbering, t.title, (ti + 1) * 10],
        )) as { id: string }[];
        inserted++;
        for (const [ii, it] of t.items.entries()) {
          const ownerId = it.owner && assignOwners ? need(users, it.owner, 'user') : null;
          if (it.owner) need(users, it.owner, 'user');
          const [{ id: itemId }] = (await em.query(
            `INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, detail, lead_unit_id,
                                responsible_leader_id, owner_id, start_date, deadline, cadence, weight, tags, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
            [
              org.id,
              planId,
              sectionId,
              taskId,
              (ii + 1) * 10,
              it.title,
              it.detail,
              need(units, it.leadUnit, 'unit'),
              need(users, it.responsibleLeader, 'user'),
              ownerId,
              day(it.startDate),
              day(it.deadline),
              it.cadence,
              it.weight ?? 1,
              it.tags ?? [],
              ownerId ? 'assigned' : 'draft',
            ],
          )) as { id: string }[];
          items++;
          inserted++;
          for (const code of it.coUnits) {
            await em.query(`INSERT INTO item_co_units (item_id, unit_id) VALUES ($1, $2)`, [
              itemId,
              need(units, code, 'unit'),
            ]);
          }
          for (const [n, tg] of (it.targets ?? []).entries()) {
            const { value, valueText } = seedTargetValue(tg.value);
            const upper = tg.upper === undefined ? null : seedTargetValue(tg.upper);
            await em.query(
              `INSERT INTO item_targets (item_id, sort_order, metric, comparator, value, value_text, unit, baseline, direction,
                                         value_upper, value_upper_text)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
              [
                itemId,
                n + 1,
                tg.metric,
                tg.comparator,
                value,
                valueText,
                tg.unit,
                tg.baseline ?? null,
                tg.direction ?? 'increase',
                upper?.value ?? null,
                upper?.valueText ?? null,
              ],
            );
          }
        }
      }
    }
    await restoreClock();
  }
  return { plans, items, inserted, newPlanIds, planIds };
}
