import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { exportFailureMessage } from './export/export-failure';
import { OutboxRepository } from '../../core/outbox/outbox.repository';
import { AuditRepository } from '../audit/audit.repository';
import { DispatchRepository } from './dispatch.repository';
import { PackExportDto } from './dto/pack-export.dto';
import { ExportFormat, PackExportRow, PackExportsRepository } from './pack-exports.repository';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * Pack exports, API side: a request is a row and an outbox event in one transaction; the worker
 * generates the file (with progress) and stores it; the requester fetches it when it is done.
 */
@Injectable()
export class PackExportsService {
  constructor(
    private readonly repo: PackExportsRepository,
    private readonly dispatch: DispatchRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditRepository,
  ) {}

  async request(actor: Actor, cycleId: string, format: ExportFormat): Promise<PackExportDto> {
    const cycle = await this.dispatch.cycle(actor.organizationId, cycleId);
    if (!cycle) throw DomainError.notFound('调度周期');
    const id = await this.dispatch.transaction(async (em) => {
      const exportId = await this.repo.insert(em, {
        organizationId: actor.organizationId,
        cycleId,
        requestedBy: actor.userId,
        format,
      });
      await this.outbox.add(em, 'export.requested', { exportId });
      await this.audit.recordAs(em, actor, 'pack-export', exportId, 'request', null, { cycleId, format });
      return exportId;
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<PackExportDto> {
    return toDto(await this.require(actor, id));
  }

  async file(actor: Actor, id: string): Promise<{ name: string; type: string; body: Buffer }> {
    const row = await this.require(actor, id);
    if (row.status === 'failed') {
      throw new DomainError(ErrorCode.Conflict, exportFailureMessage(row.error));
    }
    const body = row.status === 'done' ? await this.repo.file(id) : null;
    if (!body) throw DomainError.conflict(`导出尚未完成（${row.progress}%），请稍后再试`);
    return { name: row.fileName!, type: EXPORT_CONTENT_TYPES[row.format], body };
  }

  private async require(actor: Actor, id: string): Promise<PackExportRow> {
    const row = await this.repo.get(actor.organizationId, actor.userId, id);
    if (!row) throw DomainError.notFound('导出任务');
    return row;
  }
}

function toDto(r: PackExportRow): PackExportDto {
  return {
    id: r.id,
    cycleId: r.cycleId,
    format: r.format,
    status: r.status,
    progress: r.progress,
    error: r.error === null ? null : exportFailureMessage(r.error),
    fileName: r.fileName,
    size: r.size,
    createdAt: new Date(r.createdAt).toISOString(),
    finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
    fileUrl: r.status === 'done' ? `/api/v1/pack-exports/${r.id}/file` : null,
  };
}
