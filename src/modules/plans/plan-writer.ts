import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { AuditRepository } from '../audit/audit.repository';
import { Cadence, ItemStatus, TargetSpec } from './domain/types';
import { PlanEntity } from './entities/plan.entity';
import { ItemsRepository } from './items.repository';
import { PlansRepository } from './plans.repository';

/** An item checked and ready to write (every reference already resolved within the organization). */
export interface WriteItem {
  title: string;
  detail: string;
  leadUnitId: string;
  coUnitIds: string[];
  responsibleLeaderId: string;
  ownerId: string | null;
  deadline: string;
  cadence: Cadence;
  targets: TargetSpec[];
  status: ItemStatus;
  /** Where the item came from, for its audit row ("任务分解表第 3 行", "工作报告草稿 …"). */
  source: string;
}
export interface WriteTask {
  numbering: string | null;
  title: string;
  items: WriteItem[];
}
export interface WriteSection {
  numbering: string | null;
  title: string;
  tasks: WriteTask[];
}
export interface WriteCounts {
  sections: number;
  tasks: number;
  items: number;
}

/**
 * Writes a checked tree of sections, key tasks and items into a plan inside the caller's transaction:
 * the breakdown sheet import and the draft publish share it. A section or task whose title the plan
 * already has is reused (items are appended to it); every new row is audited.
 */
@Injectable()
export class PlanWriter {
  constructor(
    private readonly plans: PlansRepository,
    private readonly items: ItemsRepository,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async write(
    em: EntityManager,
    actor: Actor,
    plan: PlanEntity,
    sections: WriteSection[],
    /** The reason recorded on items written as suspended or cancelled ("由任务分解表导入"). */
    statusReason: string,
  ): Promise<WriteCounts> {
    const counts = { sections: 0, tasks: 0, items: 0 };
    const now = await this.clock.now(em);
    const existingSections = await this.plans.sections(actor.organizationId, plan.id, em);
    const existingTasks = await this.plans.tasksWithCounts(actor.organizationId, plan.id, em);
    for (const s of sections) {
      let sectionId = existingSections.find((e) => e.title === s.title)?.id;
      if (!sectionId) {
        const created = await this.plans.insertSection(em, {
          organizationId: actor.organizationId,
          planId: plan.id,
          numbering: s.numbering,
          title: s.title,
          sortOrder: await this.plans.nextSortOrder(em, 'plan_sections', 'plan_id', plan.id),
        });
        sectionId = created.id;
        counts.sections++;
        await this.audit.recordAs(em, actor, 'section', sectionId, 'create', null, {
          title: s.title,
          numbering: s.numbering,
        });
      }
      for (const t of s.tasks) {
        let taskId = existingTasks.find((e) => e.sectionId === sectionId && e.title === t.title)?.id;
        if (!taskId) {
          const created = await this.plans.insertTask(em, {
            organizationId: actor.organizationId,
            planId: plan.id,
            sectionId,
            numbering: t.numbering,
            title: t.title,
            sortOrder: await this.plans.nextSortOrder(em, 'plan_tasks', 'section_id', sectionId),
          });
          taskId = created.id;
          counts.tasks++;
          await this.audit.recordAs(em, actor, 'task', taskId, 'create', null, {
            title: t.title,
            numbering: t.numbering,
          });
        }
        for (const i of t.items) {
          const start = `${plan.year}-01-01`;
          const itemId = await this.items.insert(em, actor.organizationId, plan.id, {
            title: i.title,
            detail: i.detail,
            leadUnitId: i.leadUnitId,
            responsibleLeaderId: i.responsibleLeaderId,
            ownerId: i.ownerId,
            startDate: i.deadline < start ? i.deadline : start,
            deadline: i.deadline,
            cadence: i.cadence,
            tags: [],
            milestones: [],
            weight: 1,
            status: i.status,
            statusReason: i.status === 'suspended' || i.status === 'cancelled' ? statusReason : null,
            resumeStatus: i.status === 'suspended' ? 'in_progress' : null,
            sortOrder: await this.plans.nextSortOrder(em, 'items', 'task_id', taskId),
            taskId,
            sectionId,
            closedAt: i.status === 'closed' ? now : null,
          });
          await this.items.replaceCoUnits(em, itemId, i.coUnitIds);
          await this.items.replaceTargets(em, itemId, i.targets);
          await this.audit.recordAs(em, actor, 'item', itemId, 'create', null, {
            title: i.title,
            source: i.source,
          });
          counts.items++;
        }
      }
    }
    return counts;
  }
}
