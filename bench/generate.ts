/**
 * What the benches that build a large plan share: 200 squads under the demo brigade, items spread
 * over them (deterministic, so runs compare), the twelve 2022 dispatch cycles, peak RSS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

type Query = (sql: string) => Promise<{ id: string }[]>;

/** 200 squads (codes rb-1 … rb-200) under the xxs brigade. */
export async function addSquads(q: Query): Promise<void> {
  await q(`INSERT INTO units (organization_id, parent_id, path, code, name, kind, sort_order)
           SELECT b.organization_id, b.id, '', 'rb-' || g, '压测单位' || g, 'squad', g
             FROM units b JOIN organizations o ON o.id = b.organization_id AND o.code = 'xxs', generate_series(1, 200) g
            WHERE b.code = 'brigade'`);
  await q(
    `UPDATE units u SET path = p.path || u.id || '/' FROM units p WHERE p.id = u.parent_id AND u.code LIKE 'rb-%'`,
  );
}

/**
 * `perTask` items under every key task, led by the squads in turn, deadlines spread from April to
 * December 2022, cadences taken in turn from `cadences`; one in five closed at `closedAt`.
 */
export async function addItems(
  q: Query,
  opts: { title: string; perTask: number; cadences: string[]; closedAt: string },
): Promise<void> {
  const cadences = opts.cadences.map((c) => `'${c}'`).join(',');
  await q(`
    WITH u AS (SELECT array_agg(id ORDER BY code) AS ids FROM units WHERE code LIKE 'rb-%'),
         l AS (SELECT array_agg(id) AS ids FROM users WHERE 'leader' = ANY(roles) AND username LIKE 'xxs.%'),
         t AS (SELECT id, section_id, plan_id, organization_id, row_number() OVER (ORDER BY id) AS n FROM plan_tasks)
    INSERT INTO items (organization_id, plan_id, section_id, task_id, sort_order, title, lead_unit_id, responsible_leader_id,
                       start_date, deadline, cadence, weight, status)
    SELECT t.organization_id, t.plan_id, t.section_id, t.id, g, '${opts.title}' || t.n || '-' || g, u.ids[1 + (t.n * 7 + g) % 200],
           l.ids[1 + (t.n + g) % cardinality(l.ids)], DATE '2022-01-01', DATE '2022-03-31' + ((t.n * 13 + g * 17) % 275)::int,
           (ARRAY[${cadences}])[1 + (t.n + g) % ${opts.cadences.length}], 1 + (g % 3),
           (ARRAY['assigned','in_progress','in_progress','in_progress','closed'])[1 + (t.n * 3 + g) % 5]
      FROM t, u, l, generate_series(1, ${opts.perTask}) g`);
  await q(`UPDATE items SET closed_at = '${opts.closedAt}' WHERE status = 'closed'`);
}

/** The twelve 2022 cycles (reports due 3 working days before month end) for the plans titled LIKE `titleLike`. */
export async function addCycles(ds: DataSource, titleLike: string): Promise<void> {
  const { cyclesForYear } = await import('../src/modules/cycles/domain/cycles');
  const { WorkCalendar, loadCalendarYaml } = await import('../src/core/calendar/working-days');
  const cal = new WorkCalendar(
    loadCalendarYaml(readFileSync(join(__dirname, '..', '..', 'seeds', 'data', 'calendar.yaml'), 'utf8')),
  );
  for (const c of cyclesForYear(cal, 2022, { reportDueWorkdays: 3, meetingWorkday: 2 })) {
    await ds.query(
      `INSERT INTO dispatch_cycles (organization_id, plan_id, period, start_date, end_date, report_due, meeting_date)
       SELECT organization_id, id, $1, $2, $3, $4, $5 FROM plans WHERE title LIKE $6`,
      [c.period, c.startDate, c.endDate, c.reportDue, c.meetingDate, titleLike],
    );
  }
}

/** A process's peak resident memory (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Waits for a started API to answer /health/live, then logs in: the access token of `username`. */
export async function waitAndLogin(base: string, username: string, password: string): Promise<string> {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error('API did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return ((await login.json()) as { accessToken: string }).accessToken;
}
