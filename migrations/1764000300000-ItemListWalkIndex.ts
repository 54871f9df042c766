import { MigrationInterface, QueryRunner } from 'typeorm';

import { createIndexConcurrently, dropIndexConcurrently } from './concurrently';

/**
 * The item list in plan order (GET /items, issue 19) walks key tasks in order and reads each task's
 * items by (task_id, sort_order), stopping after a page. The columns the usual filters test (tenant,
 * status, lead unit, owner, leader, deadline) ride along, so the walk is an index-only scan and reads
 * no item rows it then throws away.
 */
export class ItemListWalkIndex1764000300000 implements MigrationInterface {
  name = 'ItemListWalkIndex1764000300000';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    await createIndexConcurrently(
      q,
      'ix_items_task_walk',
      `ON items (task_id, sort_order, id)
       INCLUDE (organization_id, status, lead_unit_id, owner_id, responsible_leader_id, deadline)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexConcurrently(q, 'ix_items_task_walk');
  }
}
