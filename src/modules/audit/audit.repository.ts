import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { AuditLogEntity } from './entities/audit-log.entity';

export interface AuditInput {
  actor: Actor | null;
  organizationId: string;
  entityType: string;
  entityId: string;
  action: string;
  before?: object | null;
  after?: object | null;
}

/** Writes audit rows inside the caller's transaction, so a change and its record commit together. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(em: EntityManager, input: AuditInput): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (organization_id, actor_id, actor_name, entity_type, entity_id, action, before, after, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        input.organizationId,
        input.actor?.userId ?? null,
        input.actor ? `${input.actor.name}（${input.actor.username}）` : '系统',
        input.entityType,
        input.entityId,
        input.action,
        input.before ?? null,
        input.after ?? null,
        input.actor?.requestId ?? null,
      ],
    );
  }

  /** `record` for the common case: the actor's own organization. */
  recordAs(
    em: EntityManager,
    actor: Actor,
    entityType: string,
    entityId: string,
    action: string,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    return this.record(em, {
      actor,
      organizationId: actor.organizationId,
      entityType,
      entityId,
      action,
      before,
      after,
    });
  }

  async listForEntity(em: EntityManager, organizationId: string, entityType: string, entityId: string) {
    return em.find(AuditLogEntity, {
      where: { organizationId, entityType, entityId },
      order: { id: 'ASC' },
    });
  }

  /** Display names of units, users, tasks and items by id, within one organization. */
  async namesFor(organizationId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT id::text, name FROM units WHERE organization_id = $1 AND id = ANY($2::uuid[])
       UNION ALL SELECT id::text, name FROM users WHERE organization_id = $1 AND id = ANY($2::uuid[])
       UNION ALL SELECT id::text, coalesce(numbering, '') || title FROM plan_tasks WHERE organization_id = $1 AND id = ANY($2::uuid[])
       UNION ALL SELECT id::text, title FROM items WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Walks the organization's chain in order and reports the first record whose stored hash does
   * not match its content, whose link does not match the previous record, or whose sequence skips.
   */
  async verifyChain(
    organizationId: string,
  ): Promise<{ checked: number; broken: { id: string; seq: number; reason: string } | null }> {
    const [count] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE organization_id = $1`,
      [organizationId],
    )) as { n: number }[];
    const rows = (await this.dataSource.query(
      `SELECT id::text, seq, reason FROM (
         SELECT a.id, a.chain_seq::int AS seq,
                CASE WHEN a.chain_seq <> row_number() OVER w THEN '记录缺失（序号不连续）'
                     WHEN a.prev_hash <> coalesce(lag(a.hash) OVER w, '') THEN '与上一条记录的链接不符（上一条被改动或删除）'
                     WHEN a.hash <> audit_log_hash(a.prev_hash, a) THEN '记录内容与其哈希不符（内容被改动）'
                END AS reason
           FROM audit_log a WHERE a.organization_id = $1
         WINDOW w AS (ORDER BY a.chain_seq)) x
        WHERE reason IS NOT NULL ORDER BY seq LIMIT 1`,
      [organizationId],
    )) as { id: string; seq: number; reason: string }[];
    return { checked: count.n, broken: rows[0] ?? null };
  }
}
