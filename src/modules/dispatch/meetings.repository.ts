import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { OutcomeKind } from './dto/meeting.dto';

/** The key task (and its section) that holds the items meetings hand out. */
export const MEETING_TASK_TITLE = '会议交办事项';

export interface MeetingRow {
  id: string;
  organizationId: string;
  planId: string;
  cycleId: string;
  period: string;
  heldOn: string;
  title: string;
  attendees: string[];
  notes: string;
  version: number;
}

export interface OutcomeRow {
  id: string;
  kind: OutcomeKind;
  content: string;
  sortOrder: number;
  item: {
    id: string;
    title: string;
    leadUnit: string;
    owner: string | null;
    deadline: string;
    status: string;
    completion: number | null;
    light: string | null;
  } | null;
}

const MEETING_SELECT = `
  SELECT m.id, m.organization_id AS "organizationId", m.plan_id AS "planId", m.cycle_id AS "cycleId", c.period,
         m.held_on::text AS "heldOn", m.title, m.attendees, m.notes, m.version
    FROM meetings m JOIN dispatch_cycles c ON c.id = m.cycle_id`;

/** Meeting records (会议记录) and their outcomes; every query carries the organization. */
@Injectable()
export class MeetingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async get(
    organizationId: string,
    id: string,
    em?: EntityManager,
    lock = false,
  ): Promise<MeetingRow | null> {
    const [row] = (await this.em(em).query(
      `${MEETING_SELECT} WHERE m.organization_id = $1 AND m.id = $2 ${lock ? 'FOR UPDATE OF m' : ''}`,
      [organizationId, id],
    )) as MeetingRow[];
    return row ?? null;
  }

  async ofCycle(organizationId: string, cycleId: string): Promise<MeetingRow | null> {
    const [row] = (await this.dataSource.query(
      `${MEETING_SELECT} WHERE m.organization_id = $1 AND m.cycle_id = $2`,
      [organizationId, cycleId],
    )) as MeetingRow[];
    return row ?? null;
  }

  /** Inserts the record; null if the cycle already has one (unique per cycle). */
  async insert(
    em: EntityManager,
    m: Omit<MeetingRow, 'id' | 'version' | 'period'> & { createdBy: string },
  ): Promise<string | null> {
    const [row] = (await em.query(
      `INSERT INTO meetings (organization_id, plan_id, cycle_id, held_on, title, attendees, notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (cycle_id) DO NOTHING RETURNING id`,
      [
        m.organizationId,
        m.planId,
        m.cycleId,
        m.heldOn,
        m.title,
        JSON.stringify(m.attendees),
        m.notes,
        m.createdBy,
      ],
    )) as { id: string }[];
    return row?.id ?? null;
  }

  async update(
    em: EntityManager,
    id: string,
    version: number,
    patch: Partial<Pick<MeetingRow, 'heldOn' | 'title' | 'attendees' | 'notes'>>,
  ): Promise<boolean> {
    const [, n] = (await em.query(
      `UPDATE meetings SET held_on = coalesce($3, held_on), title = coalesce($4, title),
              attendees = coalesce($5, attendees), notes = coalesce($6, notes),
              version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2`,
      [
        id,
        version,
        patch.heldOn ?? null,
        patch.title ?? null,
        patch.attendees ? JSON.stringify(patch.attendees) : null,
        patch.notes ?? null,
      ],
    )) as [unknown, number];
    return n === 1;
  }

  async insertOutcome(
    em: EntityManager,
    o: { organizationId: string; meetingId: string; kind: OutcomeKind; content: string; createdBy: string },
  ): Promise<{ id: string; sortOrder: number }> {
    const [row] = (await em.query(
      `INSERT INTO meeting_outcomes (organization_id, meeting_id, kind, content, sort_order, created_by)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(sort_order), 0) + 1 FROM meeting_outcomes WHERE meeting_id = $2), $5)
       RETURNING id, sort_order AS "sortOrder"`,
      [o.organizationId, o.meetingId, o.kind, o.content, o.createdBy],
    )) as { id: string; sortOrder: number }[];
    return row;
  }

  outcomes(meetingId: string, em?: EntityManager): Promise<OutcomeRow[]> {
    return this.em(em).query(
      `SELECT o.id, o.kind, o.content, o.sort_order AS "sortOrder",
              CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object(
                'id', i.id, 'title', i.title, 'leadUnit', lu.name, 'owner', ow.name, 'deadline', i.deadline,
                'status', i.status, 'completion', s.completion, 'light', s.light) END AS item
         FROM meeting_outcomes o
         LEFT JOIN items i ON i.meeting_outcome_id = o.id
         LEFT JOIN units lu ON lu.id = i.lead_unit_id
         LEFT JOIN users ow ON ow.id = i.owner_id
         LEFT JOIN item_status s ON s.item_id = i.id
        WHERE o.meeting_id = $1 ORDER BY o.sort_order`,
      [meetingId],
    ) as Promise<OutcomeRow[]>;
  }

  /**
   * The plan's "会议交办事项" key task, created (with a section of the same name, last in the plan)
   * the first time a meeting hands something out. The caller holds the plan's row lock, so two
   * meetings recorded at once create it once. Returns its id and whether it was created now.
   */
  async meetingTask(
    em: EntityManager,
    organizationId: string,
    planId: string,
  ): Promise<{ taskId: string; sectionId: string; created: boolean }> {
    const [found] = (await em.query(
      `SELECT t.id AS "taskId", t.section_id AS "sectionId" FROM plan_tasks t
        WHERE t.plan_id = $1 AND t.title = $2 AND t.status = 'open' ORDER BY t.sort_order LIMIT 1`,
      [planId, MEETING_TASK_TITLE],
    )) as { taskId: string; sectionId: string }[];
    if (found) return { ...found, created: false };
    const [section] = (await em.query(
      `INSERT INTO plan_sections (organization_id, plan_id, numbering, title, sort_order)
       VALUES ($1, $2, NULL, $3, (SELECT coalesce(max(sort_order), 0) + 1 FROM plan_sections WHERE plan_id = $2))
       RETURNING id`,
      [organizationId, planId, MEETING_TASK_TITLE],
    )) as { id: string }[];
    const [task] = (await em.query(
      `INSERT INTO plan_tasks (organization_id, plan_id, section_id, numbering, title, sort_order)
       VALUES ($1, $2, $3, NULL, $4, 1) RETURNING id`,
      [organizationId, planId, section.id, MEETING_TASK_TITLE],
    )) as { id: string }[];
    return { taskId: task.id, sectionId: section.id, created: true };
  }
}
