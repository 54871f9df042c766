import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type ReportStatus = 'draft' | 'submitted' | 'approved' | 'returned';

export interface ReportRow {
  id: string;
  organizationId: string;
  itemId: string;
  periodKey: string;
  status: ReportStatus;
  percent: number | null;
  progress: string;
  problems: string;
  nextSteps: string;
  decreaseReason: string | null;
  createdBy: string;
  submittedAt: Date | null;
  submittedBy: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewComment: string | null;
  version: number;
}

export interface ActualRow {
  targetId: string;
  contributionId: string | null;
  value: number;
  unit: string;
}

/** A reported figure, plus the same figure in its target's unit (null when not convertible). */
export interface ActualWrite {
  targetId: string;
  value: number;
  unit: string;
  targetValue: number | null;
}

export interface EvidenceRow {
  id: string;
  organizationId: string;
  itemId: string;
  reportId: string | null;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string;
  createdAt: Date;
}

const REPORT_COLUMNS = `r.id, r.organization_id AS "organizationId", r.item_id AS "itemId", r.period_key AS "periodKey",
  r.status, r.percent::float8 AS percent, r.progress, r.problems, r.next_steps AS "nextSteps",
  r.decrease_reason AS "decreaseReason", r.created_by AS "createdBy", r.submitted_at AS "submittedAt", r.submitted_by AS "submittedBy",
  r.reviewed_at AS "reviewedAt", r.reviewed_by AS "reviewedBy", r.review_comment AS "reviewComment", r.version`;

/** The only query code for progress reports, their figures, contributions and evidence. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async get(organizationId: string, id: string, em?: EntityManager, lock = false): Promise<ReportRow | null> {
    const rows = (await this.em(em).query(
      `SELECT ${REPORT_COLUMNS} FROM progress_reports r WHERE r.organization_id = $1 AND r.id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [organizationId, id],
    )) as ReportRow[];
    return rows[0] ?? null;
  }

  async byPeriod(em: EntityManager, itemId: string, periodKey: string): Promise<ReportRow | null> {
    const rows = (await em.query(
      `SELECT ${REPORT_COLUMNS} FROM progress_reports r WHERE r.item_id = $1 AND r.period_key = $2 FOR UPDATE`,
      [itemId, periodKey],
    )) as ReportRow[];
    return rows[0] ?? null;
  }

  listForItem(organizationId: string, itemId: string): Promise<ReportRow[]> {
    return this.em().query(
      `SELECT ${REPORT_COLUMNS} FROM progress_reports r WHERE r.organization_id = $1 AND r.item_id = $2 ORDER BY r.period_key DESC`,
      [organizationId, itemId],
    );
  }

  async latestApproved(itemId: string, em?: EntityManager): Promise<ReportRow | null> {
    const rows = (await this.em(em).query(
      `SELECT ${REPORT_COLUMNS} FROM progress_reports r WHERE r.item_id = $1 AND r.status = 'approved'
        ORDER BY r.reviewed_at DESC LIMIT 1`,
      [itemId],
    )) as ReportRow[];
    return rows[0] ?? null;
  }

  async insert(
    em: EntityManager,
    r: Pick<ReportRow, 'organizationId' | 'itemId' | 'periodKey' | 'createdBy'>,
  ): Promise<string> {
    const [row] = (await em.query(
      `INSERT INTO progress_reports (organization_id, item_id, period_key, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [r.organizationId, r.itemId, r.periodKey, r.createdBy],
    )) as { id: string }[];
    return row.id;
  }

  /** Explicit optimistic lock: the write lands only on the version the caller read. */
  async update(
    em: EntityManager,
    id: string,
    version: number,
    patch: Partial<{
      status: ReportStatus;
      percent: number | null;
      progress: string;
      problems: string;
      nextSteps: string;
      decreaseReason: string | null;
      submittedAt: Date | null;
      submittedBy: string | null;
      reviewedAt: Date | null;
      reviewedBy: string | null;
      reviewComment: string | null;
    }>,
  ): Promise<boolean> {
    const columns: Record<string, string> = {
      status: 'status',
      percent: 'percent',
      progress: 'progress',
      problems: 'problems',
      nextSteps: 'next_steps',
      decreaseReason: 'decrease_reason',
      submittedAt: 'submitted_at',
      submittedBy: 'submitted_by',
      reviewedAt: 'reviewed_at',
      reviewedBy: 'reviewed_by',
      reviewComment: 'review_comment',
    };
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    // Being on time is judged by the first submission; a resubmission after 退回 does not move it.
    const first = patch.submittedAt
      ? [`first_submitted_at = coalesce(first_submitted_at, $${keys.indexOf('submittedAt') + 3})`]
      : [];
    const result = (await em.query(
      `UPDATE progress_reports SET ${[...keys.map((k, n) => `${columns[k]} = $${n + 3}`), ...first, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = $1 AND version = $2`,
      [id, version, ...keys.map((k) => patch[k])],
    )) as [unknown[], number];
    return result[1] === 1;
  }

  async replaceLeadActuals(em: EntityManager, reportId: string, actuals: ActualWrite[]) {
    await em.query(`DELETE FROM report_actuals WHERE report_id = $1 AND contribution_id IS NULL`, [reportId]);
    for (const a of actuals) {
      await em.query(
        `INSERT INTO report_actuals (report_id, target_id, value, unit, target_value) VALUES ($1, $2, $3, $4, $5)`,
        [reportId, a.targetId, a.value, a.unit, a.targetValue],
      );
    }
  }

  async insertContribution(
    em: EntityManager,
    c: {
      reportId: string;
      unitId: string;
      createdBy: string;
      text: string;
      actuals: ActualWrite[];
    },
  ): Promise<string> {
    const [row] = (await em.query(
      `INSERT INTO report_contributions (report_id, unit_id, created_by, text) VALUES ($1, $2, $3, $4) RETURNING id`,
      [c.reportId, c.unitId, c.createdBy, c.text],
    )) as { id: string }[];
    for (const a of c.actuals) {
      await em.query(
        `INSERT INTO report_actuals (report_id, contribution_id, target_id, value, unit, target_value) VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.reportId, row.id, a.targetId, a.value, a.unit, a.targetValue],
      );
    }
    return row.id;
  }

  actuals(reportIds: string[], em?: EntityManager): Promise<(ActualRow & { reportId: string })[]> {
    if (!reportIds.length) return Promise.resolve([]);
    return this.em(em).query(
      `SELECT report_id AS "reportId", target_id AS "targetId", contribution_id AS "contributionId", value::float8 AS value, unit
         FROM report_actuals WHERE report_id = ANY($1::uuid[]) ORDER BY id`,
      [reportIds],
    );
  }

  contributions(reportIds: string[]): Promise<
    {
      id: string;
      reportId: string;
      unitId: string;
      unitName: string;
      createdBy: string;
      text: string;
      createdAt: Date;
    }[]
  > {
    if (!reportIds.length) return Promise.resolve([]);
    return this.em().query(
      `SELECT c.id, c.report_id AS "reportId", c.unit_id AS "unitId", u.name AS "unitName", c.created_by AS "createdBy", c.text, c.created_at AS "createdAt"
         FROM report_contributions c JOIN units u ON u.id = c.unit_id WHERE c.report_id = ANY($1::uuid[]) ORDER BY c.created_at`,
      [reportIds],
    );
  }

  async insertEvidence(em: EntityManager, e: Omit<EvidenceRow, 'id' | 'createdAt'>): Promise<string> {
    const [row] = (await em.query(
      `INSERT INTO evidence_files (organization_id, item_id, report_id, filename, mime, size, sha256, storage_key, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        e.organizationId,
        e.itemId,
        e.reportId,
        e.filename,
        e.mime,
        e.size,
        e.sha256,
        e.storageKey,
        e.uploadedBy,
      ],
    )) as { id: string }[];
    return row.id;
  }

  async evidence(organizationId: string, id: string): Promise<EvidenceRow | null> {
    const rows = (await this.em().query(
      `SELECT id, organization_id AS "organizationId", item_id AS "itemId", report_id AS "reportId", filename, mime, size::int AS size,
              sha256, storage_key AS "storageKey", uploaded_by AS "uploadedBy", created_at AS "createdAt"
         FROM evidence_files WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    )) as EvidenceRow[];
    return rows[0] ?? null;
  }

  evidenceOf(reportIds: string[]): Promise<(EvidenceRow & { reportId: string })[]> {
    if (!reportIds.length) return Promise.resolve([]);
    return this.em().query(
      `SELECT id, report_id AS "reportId", filename, mime, size::int AS size, sha256, created_at AS "createdAt"
         FROM evidence_files WHERE report_id = ANY($1::uuid[]) ORDER BY created_at`,
      [reportIds],
    );
  }
}
