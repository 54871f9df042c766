import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { DraftBody } from './domain/types';
import { DraftStatus } from './entities/plan-draft.entity';

export interface DraftRow {
  id: string;
  organizationId: string;
  year: number;
  title: string;
  status: DraftStatus;
  version: number;
  sourceText: string;
  sourceName: string | null;
  body: DraftBody;
  createdBy: { id: string; name: string };
  createdAt: Date;
  updatedAt: Date;
  publishedPlanId: string | null;
  publishedAt: Date | null;
}

export type DraftSummaryRow = Omit<DraftRow, 'sourceText' | 'body' | 'organizationId'> & {
  itemCount: number;
};

const COLUMNS = `d.id, d.organization_id AS "organizationId", d.year, d.title, d.status, d.version,
  d.source_name AS "sourceName", json_build_object('id', u.id, 'name', u.name) AS "createdBy",
  d.created_at AS "createdAt", d.updated_at AS "updatedAt", d.published_plan_id AS "publishedPlanId",
  d.published_at AS "publishedAt"`;

/** plan_drafts; times come from the business clock (duban_now()). */
@Injectable()
export class DraftsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async insert(
    em: EntityManager,
    d: {
      organizationId: string;
      year: number;
      title: string;
      sourceText: string;
      sourceName: string | null;
      body: DraftBody;
      createdBy: string;
    },
  ): Promise<string> {
    const [row] = (await em.query(
      `INSERT INTO plan_drafts (organization_id, year, title, source_text, source_name, body, created_by,
                                created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, duban_now(), duban_now()) RETURNING id`,
      [d.organizationId, d.year, d.title, d.sourceText, d.sourceName, JSON.stringify(d.body), d.createdBy],
    )) as { id: string }[];
    return row.id;
  }

  /** Newest first; the item count is read from the tree without sending it. */
  list(organizationId: string): Promise<DraftSummaryRow[]> {
    return this.em().query(
      `SELECT ${COLUMNS},
              (SELECT count(*)::int FROM jsonb_array_elements(d.body->'sections') s,
                      jsonb_array_elements(s->'tasks') t, jsonb_array_elements(t->'items') i) AS "itemCount"
         FROM plan_drafts d JOIN users u ON u.id = d.created_by
        WHERE d.organization_id = $1
        ORDER BY d.created_at DESC, d.id`,
      [organizationId],
    );
  }

  /** Another organization's draft reads as missing. `lock` holds the row until the transaction ends. */
  async get(organizationId: string, id: string, em?: EntityManager, lock = false): Promise<DraftRow | null> {
    const rows = (await this.em(em).query(
      `SELECT ${COLUMNS}, d.source_text AS "sourceText", d.body
         FROM plan_drafts d JOIN users u ON u.id = d.created_by
        WHERE d.organization_id = $1 AND d.id = $2 ${lock ? 'FOR UPDATE OF d' : ''}`,
      [organizationId, id],
    )) as DraftRow[];
    return rows[0] ?? null;
  }

  /** Applies only to the version the caller read (optimistic lock); false when it moved on. */
  async update(
    em: EntityManager,
    id: string,
    version: number,
    patch: { title: string; body: DraftBody },
  ): Promise<boolean> {
    const result = (await em.query(
      `UPDATE plan_drafts SET title = $3, body = $4::jsonb, version = version + 1, updated_at = duban_now()
        WHERE id = $1 AND version = $2 AND status = 'open'`,
      [id, version, patch.title, JSON.stringify(patch.body)],
    )) as [unknown[], number];
    return result[1] === 1;
  }

  async markPublished(em: EntityManager, id: string, planId: string): Promise<void> {
    await em.query(
      `UPDATE plan_drafts SET status = 'published', published_plan_id = $2, published_at = duban_now(),
              version = version + 1, updated_at = duban_now()
        WHERE id = $1`,
      [id, planId],
    );
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM plan_drafts WHERE id = $1`, [id]);
  }
}
