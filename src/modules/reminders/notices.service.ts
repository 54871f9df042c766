import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { Clock } from '../../core/clock/clock';
import { DecisionNotice, noticeText } from './domain/notices';
import { RemindersRepository } from './reminders.repository';

/**
 * Writes a decision's message in the decision's transaction: a reminder of level `notice` for the
 * one who asked (audience `self`), then its deliveries through the reminder scan's own ledger code
 * (the in-app message with it, sent; the person's own channels pending for the senders).
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly reminders: RemindersRepository,
    private readonly clock: Clock,
  ) {}

  async decided(
    em: EntityManager,
    actor: Actor,
    item: { id: string; planId: string; title: string },
    recipientId: string | null,
    notice: DecisionNotice,
  ): Promise<void> {
    // Nobody to tell, or the decider deciding their own request.
    if (!recipientId || recipientId === actor.userId) return;
    const text = noticeText(notice, item.title, actor.name);
    const inserted = await this.reminders.insertReminders(em, [
      {
        key: text.key,
        organization_id: actor.organizationId,
        plan_id: item.planId,
        item_id: item.id,
        user_id: recipientId,
        kind: notice.kind,
        level: 'notice',
        audience: 'self',
        due_on: await this.clock.today(em),
        period_key: 'period' in notice ? notice.period : null,
        overdue_workdays: null,
        title: text.title,
        lines: text.lines,
      },
    ]);
    await this.reminders.writeDeliveries(
      em,
      inserted.map((r) => r.id),
    );
  }
}
