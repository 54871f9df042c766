import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { DispatchCycle } from '../../core/calendar/periods';
import type { Cadence, ItemStatus } from '../plans/domain/types';
import type { ReminderSettings } from './domain/rules';

export interface ScanPlan {
  id: string;
  organizationId: string;
  settings: Partial<ReminderSettings>;
  cycles: DispatchCycle[];
}

export interface ScanItem {
  id: string;
  organizationId: string;
  planId: string;
  title: string;
  status: ItemStatus;
  startDate: string;
  deadline: string;
  cadence: Cadence;
  closedOn: string | null;
  leadUnitName: string;
  lastActivityOn: string | null;
  /** period key → first submission day (Asia/Shanghai). */
  submitted: Record<string, string>;
}

export interface NewReminder {
  key: string;
  organization_id: string;
  plan_id: string | null;
  item_id: string | null;
  user_id: string | null;
  kind: string;
  level: string;
  audience: string;
  due_on: string;
  period_key: string | null;
  overdue_workdays: number | null;
  title: string;
  lines: string[];
}

export interface InsertedReminder {
  id: string;
  key: string;
  level: string;
  organizationId: string;
  itemId: string | null;
  title: string;
  lines: string[];
  overdueWorkdays: number | null;
}

/** The reminder scan's queries: what is due, and writing reminders, deliveries and in-app messages once. */
@Injectable()
export class RemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The database's clock (pinned in tests and the demo): due times never follow a worker's clock. */
  async databaseNow(): Promise<Date> {
    const [row] = (await this.dataSource.query(`SELECT duban_now() AS now`)) as { now: Date }[];
    return new Date(row.now);
  }

  async publishedPlans(): Promise<ScanPlan[]> {
    return this.dataSource.query(
      `SELECT p.id, p.organization_id AS "organizationId", p.reminder_settings AS settings,
              coalesce((SELECT json_agg(json_build_object('period', c.period, 'startDate', c.start_date, 'endDate', c.end_date,
                                 'reportDue', c.report_due, 'meetingDate', c.meeting_date) ORDER BY c.period)
                          FROM dispatch_cycles c WHERE c.plan_id = p.id), '[]') AS cycles
         FROM plans p WHERE p.status = 'published' ORDER BY p.id`,
    );
  }

  /** Every organization's id (digests go out in each one's own working hours). */
  async organizationIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT id FROM organizations ORDER BY id`)) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** Items that can owe reminders, a page at a time (keyset on id): few columns, never the whole plan at once. */
  itemsPage(planId: string, afterId: string, limit: number): Promise<ScanItem[]> {
    return this.dataSource.query(
      `SELECT i.id, i.organization_id AS "organizationId", i.plan_id AS "planId", i.title, i.status,
              i.start_date AS "startDate", i.deadline, i.cadence,
              (i.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "closedOn", u.name AS "leadUnitName",
              (SELECT max(greatest(r.submitted_at, CASE WHEN r.status = 'approved' THEN r.reviewed_at END))
                 AT TIME ZONE 'Asia/Shanghai' FROM progress_reports r WHERE r.item_id = i.id)::date::text AS "lastActivityOn",
              coalesce((SELECT json_object_agg(r.period_key, (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date)
                          FROM progress_reports r WHERE r.item_id = i.id AND r.first_submitted_at IS NOT NULL), '{}') AS submitted
         FROM items i JOIN units u ON u.id = i.lead_unit_id
        WHERE i.plan_id = $1 AND i.status IN ('assigned', 'in_progress') AND i.id > $2
        ORDER BY i.id LIMIT $3`,
      [planId, afterId, limit],
    );
  }

  /** Inserts the reminders not yet recorded (by key); returns only those this call created. */
  async insertReminders(em: EntityManager, rows: NewReminder[]): Promise<InsertedReminder[]> {
    if (!rows.length) return [];
    return em.query(
      `INSERT INTO reminders (key, organization_id, plan_id, item_id, user_id, kind, level, audience, due_on, period_key,
                              overdue_workdays, title, lines, created_at)
       SELECT key, organization_id, plan_id, item_id, user_id, kind, level, audience, due_on, period_key, overdue_workdays,
              title, lines, duban_now()
         FROM jsonb_to_recordset($1::jsonb) AS x(key text, organization_id uuid, plan_id uuid, item_id uuid, user_id uuid,
              kind text, level text, audience text, due_on date, period_key text, overdue_workdays int, title text, lines jsonb)
       ON CONFLICT (key) DO NOTHING
       RETURNING id::text, key, level, organization_id AS "organizationId", item_id AS "itemId", title, lines,
                 overdue_workdays AS "overdueWorkdays"`,
      [JSON.stringify(rows)],
    );
  }

  /** The next 催办单 / 督办单 number of the organization for the year. */
  async nextOrderNumber(
    em: EntityManager,
    organizationId: string,
    level: string,
    year: number,
  ): Promise<number> {
    const [row] = (await em.query(
      `INSERT INTO reminder_order_counters (organization_id, level, year, last) VALUES ($1, $2, $3, 1)
       ON CONFLICT (organization_id, level, year) DO UPDATE SET last = reminder_order_counters.last + 1
       RETURNING last`,
      [organizationId, level, year],
    )) as { last: number }[];
    return row.last;
  }

  async setOrder(
    em: EntityManager,
    id: string,
    orderNumber: string,
    title: string,
    lines: string[],
  ): Promise<void> {
    await em.query(`UPDATE reminders SET order_number = $2, title = $3, lines = $4 WHERE id = $1`, [
      id,
      orderNumber,
      title,
      JSON.stringify(lines),
    ]);
  }

  /**
   * One delivery per (reminder, recipient, channel), keyed by a hash of the three (unique): in-app ones
   * are written as sent together with their inbox message, in this transaction, so exactly once;
   * external ones are pending for the senders. Recipients follow the audience: the owner (or the lead
   * unit's heads when there is none), the heads, the responsible leader and the dispatch office, or the
   * user of a digest. Users' own channels, and the robots of the recipients' units (not for digests).
   */
  async writeDeliveries(
    em: EntityManager,
    reminderIds: string[],
  ): Promise<{ inapp: number; external: number; externalIds: string[] }> {
    if (!reminderIds.length) return { inapp: 0, external: 0, externalIds: [] };
    const [row] = (await em.query(
      `WITH nr AS (
         SELECT r.id, r.key, r.organization_id, r.item_id, r.user_id, r.level, r.audience, r.title, r.lines,
                i.owner_id, i.lead_unit_id, i.responsible_leader_id
           FROM reminders r LEFT JOIN items i ON i.id = r.item_id WHERE r.id = ANY($1::bigint[])),
       heads AS (
         SELECT nr.id AS rid, u.id AS uid FROM nr
           JOIN users u ON u.unit_id = nr.lead_unit_id AND 'head' = ANY(u.roles) AND u.active),
       rcpt AS (
         SELECT nr.id AS rid, nr.owner_id AS uid FROM nr WHERE nr.audience = 'owner' AND nr.owner_id IS NOT NULL
         UNION
         SELECT h.rid, h.uid FROM heads h JOIN nr ON nr.id = h.rid
          WHERE nr.audience = 'lead_heads' OR (nr.audience = 'owner' AND nr.owner_id IS NULL)
         UNION
         SELECT nr.id, nr.responsible_leader_id FROM nr WHERE nr.audience = 'leader_and_dispatch'
         UNION
         SELECT nr.id, u.id FROM nr JOIN users u ON u.organization_id = nr.organization_id AND 'dispatcher' = ANY(u.roles)
                 AND u.active
          WHERE nr.audience = 'leader_and_dispatch'
         UNION
         SELECT nr.id, nr.user_id FROM nr WHERE nr.audience = 'self'),
       targets AS (
         SELECT rid, 'user' AS rtype, uid AS rcp, 'inapp' AS channel, NULL::uuid AS channel_id FROM rcpt
         UNION
         SELECT rc.rid, 'user', rc.uid, c.channel, c.id FROM rcpt rc
           JOIN notify_channels c ON c.owner_type = 'user' AND c.owner_id = rc.uid AND c.enabled
         UNION
         SELECT rc.rid, 'unit', u.unit_id, c.channel, c.id FROM rcpt rc JOIN nr ON nr.id = rc.rid AND nr.level NOT IN ('digest', 'notice')
           JOIN users u ON u.id = rc.uid
           JOIN notify_channels c ON c.owner_type = 'unit' AND c.owner_id = u.unit_id AND c.enabled),
       ins AS (
         INSERT INTO deliveries (key, reminder_id, organization_id, recipient_type, recipient_id, channel, channel_id, status, sent_at)
         SELECT 'dk_' || md5(nr.key || '|' || t.rtype || '|' || t.rcp || '|' || t.channel), t.rid, nr.organization_id,
                t.rtype, t.rcp, t.channel, t.channel_id,
                CASE WHEN t.channel = 'inapp' THEN 'sent' ELSE 'pending' END,
                CASE WHEN t.channel = 'inapp' THEN now() END
           FROM targets t JOIN nr ON nr.id = t.rid
         ON CONFLICT (key) DO NOTHING
         RETURNING id, reminder_id, recipient_id, channel),
       inbox AS (
         INSERT INTO notifications (delivery_id, organization_id, user_id, item_id, level, title, body, created_at)
         SELECT ins.id, nr.organization_id, ins.recipient_id, nr.item_id, nr.level, nr.title,
                array_to_string(ARRAY(SELECT jsonb_array_elements_text(nr.lines)), E'\\n'),
                -- The time the user reads next to the message is the business day's (a demo or a pinned
                -- clock shows its own day), not the server's wall clock.
                duban_now()
           FROM ins JOIN nr ON nr.id = ins.reminder_id WHERE ins.channel = 'inapp'
         RETURNING 1)
       SELECT (SELECT count(*) FROM inbox)::int AS inapp, (SELECT count(*) FROM ins WHERE channel <> 'inapp')::int AS external,
              ARRAY(SELECT id::text FROM ins WHERE channel <> 'inapp' ORDER BY id) AS "externalIds"`,
      [reminderIds],
    )) as { inapp: number; external: number; externalIds: string[] }[];
    return row;
  }

  /**
   * Daily digests for `today`: per user with open items of their own that are overdue or due within
   * `aheadWorkdays` working days, one line per item. Only users with content get one.
   */
  digestCandidates(
    today: string,
    aheadWorkdays: number,
  ): Promise<{ userId: string; organizationId: string; lines: string[]; overdue: number; due: number }[]> {
    return this.dataSource.query(
      `WITH oc AS MATERIALIZED (SELECT id, work_calendar(id) AS cal FROM organizations),
       -- Working days counted by each organization's own calendar (its index, or the national one).
       t AS (SELECT oc.id AS organization_id, w.calendar_id, w.idx
               FROM oc JOIN work_day_index w ON w.calendar_id = oc.cal AND w.date = $1::date),
       x AS (
         SELECT i.owner_id, i.organization_id, i.title, i.deadline, w.idx - t.idx AS remaining
           FROM items i JOIN plans p ON p.id = i.plan_id AND p.status = 'published'
           JOIN t ON t.organization_id = i.organization_id
           JOIN work_day_index w ON w.calendar_id = t.calendar_id AND w.date = i.deadline
          WHERE i.owner_id IS NOT NULL AND i.status IN ('assigned', 'in_progress') AND w.idx - t.idx <= $2)
       SELECT owner_id AS "userId", organization_id AS "organizationId",
              -- At most 30 lines: the digest points at the work, the inbox and lists hold the rest.
              (array_agg(CASE WHEN deadline < $1::date THEN '· ' || title || '（完成时限 ' || deadline || '，已逾期 ' || (-remaining) || ' 个工作日）'
                             ELSE '· ' || title || '（完成时限 ' || deadline || '，还有 ' || remaining || ' 个工作日）' END
                        ORDER BY deadline, title))[1:30]
                || CASE WHEN count(*) > 30 THEN ARRAY['…… 另有 ' || (count(*) - 30) || ' 项，请在系统中查看'] ELSE '{}' END AS lines,
              count(*) FILTER (WHERE deadline < $1::date)::int AS overdue,
              count(*) FILTER (WHERE deadline >= $1::date)::int AS due
         FROM x GROUP BY owner_id, organization_id`,
      [today, aheadWorkdays],
    );
  }
}
