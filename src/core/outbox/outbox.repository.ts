import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface OutboxEvents {
  /** Something that feeds the plan's figures changed: recompute its roll-up. */
  'plan.changed': { planId: string };
  /** A dispatch-pack export was requested: the worker generates the file. */
  'export.requested': { exportId: string };
}
export type OutboxKind = keyof OutboxEvents;

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  payload: OutboxEvents[OutboxKind];
}

/**
 * Events written in the same transaction as the change they announce (RELIABILITY §4): if the
 * change commits, the event exists; the worker's relay turns it into BullMQ jobs.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add<K extends OutboxKind>(em: EntityManager, kind: K, payload: OutboxEvents[K]): Promise<void> {
    await em.query(`INSERT INTO outbox (kind, payload) VALUES ($1, $2)`, [kind, payload]);
  }

  /**
   * Something plan-wide changed (settings, cycles, a breakdown import): the whole plan is marked
   * for the roll-up, in the caller's transaction, and the worker is told.
   */
  async planChanged(em: EntityManager, planId: string): Promise<void> {
    await em.query(`INSERT INTO rollup_pending (plan_id) VALUES ($1)`, [planId]);
    await this.add(em, 'plan.changed', { planId });
  }

  /**
   * One item changed: just it (and its ancestors) is marked for the roll-up. The mark lives in
   * Postgres with the change, so a lost job or a flushed Redis loses nothing.
   */
  async itemChanged(em: EntityManager, itemId: string): Promise<void> {
    await em.query(
      `WITH i AS (SELECT plan_id FROM items WHERE id = $1),
            p AS (INSERT INTO rollup_pending (plan_id, item_id) SELECT plan_id, $1 FROM i)
       INSERT INTO outbox (kind, payload) SELECT 'plan.changed', jsonb_build_object('planId', plan_id) FROM i`,
      [itemId],
    );
  }

  /** Every item of a key task changed (the task moved to another section): each one is marked. */
  async taskItemsChanged(em: EntityManager, taskId: string): Promise<void> {
    await em.query(
      `WITH i AS (SELECT plan_id, id FROM items WHERE task_id = $1),
            p AS (INSERT INTO rollup_pending (plan_id, item_id) SELECT plan_id, id FROM i)
       INSERT INTO outbox (kind, payload)
       SELECT DISTINCT 'plan.changed', jsonb_build_object('planId', plan_id) FROM i`,
      [taskId],
    );
  }

  /** Claims a batch of unpublished events; other relays skip the locked rows. */
  claim(em: EntityManager, limit: number): Promise<OutboxRow[]> {
    return em.query(
      `SELECT id::text, kind, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markPublished(em: EntityManager, ids: string[]): Promise<void> {
    await em.query(
      `UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }

  /** Published events are kept a day for diagnosis, then dropped. */
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - interval '1 day'`);
  }
}

@Global()
@Module({ providers: [OutboxRepository], exports: [OutboxRepository] })
export class OutboxModule {}
