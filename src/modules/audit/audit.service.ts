import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { CADENCE_ZH, ITEM_STATUS_ZH } from '../plans/domain/types';
import { AuditRepository } from './audit.repository';
import { AuditVerifyDto, HistoryEntryDto } from './dto/history.dto';
import { AuditRow, describe } from './history-format';

const LABELS: Record<string, string> = {
  ...ITEM_STATUS_ZH,
  ...CADENCE_ZH,
  submitted: '已提交',
  approved: '已通过',
  returned: '已退回',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the audit trail: an item's history in Chinese, and the integrity of the hash chain. */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async itemHistory(actor: Actor, itemId: string): Promise<HistoryEntryDto[]> {
    const rows = await this.repo.listForEntity(this.dataSource.manager, actor.organizationId, 'item', itemId);
    const ids = new Set<string>();
    for (const r of rows) {
      for (const v of [...Object.values(r.before ?? {}), ...Object.values(r.after ?? {})].flat()) {
        if (typeof v === 'string' && UUID.test(v)) ids.add(v);
      }
    }
    const names = await this.repo.namesFor(actor.organizationId, [...ids]);
    // 提醒 sent by the worker are not audit records (催办 and 督办 are): they join the history here.
    const reminders = (await this.dataSource.query(
      `SELECT id, created_at AS at, level, title FROM reminders WHERE item_id = $1 AND level = 'remind' ORDER BY id`,
      [itemId],
    )) as { id: string; at: Date; level: string; title: string }[];
    const merged: AuditRow[] = [
      ...(rows as unknown as AuditRow[]),
      ...reminders.map((r) => ({
        id: `r${r.id}`,
        at: r.at,
        actorName: '系统',
        action: r.level,
        before: null,
        after: { reminder: r.title },
      })),
    ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
    return merged.map((r) => describe(r, names, LABELS));
  }

  async verify(actor: Actor): Promise<AuditVerifyDto> {
    const { checked, broken } = await this.repo.verifyChain(actor.organizationId);
    return {
      ok: broken === null,
      checked,
      firstBroken: broken,
      message: broken
        ? `审计链在第 ${broken.seq} 条记录（id ${broken.id}）处断裂：${broken.reason}`
        : `审计链完整，共 ${checked} 条记录`,
    };
  }
}
