import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface ExtensionRow {
  id: string;
  organizationId: string;
  itemId: string;
  originalDeadline: string;
  requestedDeadline: string;
  reason: string;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  createdAt: Date;
}

export interface CloseoutRow {
  id: string;
  organizationId: string;
  itemId: string;
  note: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  createdAt: Date;
}

const EXT = `id, organization_id AS "organizationId", item_id AS "itemId", original_deadline AS "originalDeadline",
  requested_deadline AS "requestedDeadline", reason, status, requested_by AS "requestedBy", decided_by AS "decidedBy",
  decided_at AS "decidedAt", decision_comment AS "decisionComment", created_at AS "createdAt"`;
const CLO = `id, organization_id AS "organizationId", item_id AS "itemId", note, status, requested_by AS "requestedBy",
  decided_by AS "decidedBy", decided_at AS "decidedAt", decision_reason AS "decisionReason", created_at AS "createdAt"`;

/** The only query code for deadline extensions (延期申请) and close-out requests (销号申请). */
@Injectable()
export class RequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertExtension(
    em: EntityManager,
    e: Pick<
      ExtensionRow,
      'organizationId' | 'itemId' | 'originalDeadline' | 'requestedDeadline' | 'reason' | 'requestedBy'
    >,
  ) {
    const [row] = (await em.query(
      `INSERT INTO deadline_extensions (organization_id, item_id, original_deadline, requested_deadline, reason, requested_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, duban_now()) RETURNING ${EXT}`,
      [e.organizationId, e.itemId, e.originalDeadline, e.requestedDeadline, e.reason, e.requestedBy],
    )) as ExtensionRow[];
    return row;
  }

  async extension(organizationId: string, id: string, em: EntityManager): Promise<ExtensionRow | null> {
    const rows = (await em.query(
      `SELECT ${EXT} FROM deadline_extensions WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
      [organizationId, id],
    )) as ExtensionRow[];
    return rows[0] ?? null;
  }

  extensionsOf(itemId: string, em?: EntityManager): Promise<ExtensionRow[]> {
    return (em ?? this.dataSource.manager).query(
      `SELECT ${EXT} FROM deadline_extensions WHERE item_id = $1 ORDER BY created_at`,
      [itemId],
    );
  }

  async decideExtension(
    em: EntityManager,
    id: string,
    status: 'approved' | 'refused',
    by: string,
    comment: string | null,
  ) {
    const [rows] = (await em.query(
      `UPDATE deadline_extensions SET status = $2, decided_by = $3, decided_at = duban_now(), decision_comment = $4
        WHERE id = $1 AND status = 'pending' RETURNING ${EXT}`,
      [id, status, by, comment],
    )) as [ExtensionRow[], number];
    return rows[0] ?? null;
  }

  async insertCloseout(
    em: EntityManager,
    c: Pick<CloseoutRow, 'organizationId' | 'itemId' | 'note' | 'requestedBy'>,
  ): Promise<CloseoutRow> {
    const [row] = (await em.query(
      `INSERT INTO closeout_requests (organization_id, item_id, note, requested_by, created_at)
       VALUES ($1, $2, $3, $4, duban_now()) RETURNING ${CLO}`,
      [c.organizationId, c.itemId, c.note, c.requestedBy],
    )) as CloseoutRow[];
    return row;
  }

  async closeout(organizationId: string, id: string, em: EntityManager): Promise<CloseoutRow | null> {
    const rows = (await em.query(
      `SELECT ${CLO} FROM closeout_requests WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
      [organizationId, id],
    )) as CloseoutRow[];
    return rows[0] ?? null;
  }

  closeoutsOf(itemId: string): Promise<CloseoutRow[]> {
    return this.dataSource.query(
      `SELECT ${CLO} FROM closeout_requests WHERE item_id = $1 ORDER BY created_at`,
      [itemId],
    );
  }

  async decideCloseout(
    em: EntityManager,
    id: string,
    status: 'approved' | 'rejected',
    by: string,
    reason: string | null,
  ) {
    const [rows] = (await em.query(
      `UPDATE closeout_requests SET status = $2, decided_by = $3, decided_at = duban_now(), decision_reason = $4
        WHERE id = $1 AND status = 'pending' RETURNING ${CLO}`,
      [id, status, by, reason],
    )) as [CloseoutRow[], number];
    return rows[0] ?? null;
  }

  /** Evidence ids that belong to this item (any of its reports). */
  async itemEvidence(em: EntityManager, itemId: string, ids: string[]): Promise<string[]> {
    const rows = (await em.query(
      `SELECT id FROM evidence_files WHERE item_id = $1 AND id = ANY($2::uuid[])`,
      [itemId, ids],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async attachEvidence(em: EntityManager, closeoutId: string, ids: string[]): Promise<void> {
    // Evidence rows stay where they were uploaded; the close-out references copies of their rows.
    await em.query(
      `INSERT INTO evidence_files (organization_id, item_id, closeout_id, filename, mime, size, sha256, storage_key, uploaded_by)
       SELECT organization_id, item_id, $1, filename, mime, size, sha256, storage_key, uploaded_by FROM evidence_files WHERE id = ANY($2::uuid[])`,
      [closeoutId, ids],
    );
  }
}
