import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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

  async listForEntity(em: EntityManager, organizationId: string, entityType: string, entityId: string) {
    return em.find(AuditLogEntity, {
      where: { organizationId, entityType, entityId },
      order: { id: 'ASC' },
    });
  }
}
