import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, call } from '../api/client';
import { invalidateWork } from '../lib/workflow';

export type DecisionKind = 'report' | 'extension' | 'closeout';

export interface Decision {
  kind: DecisionKind;
  /** The report's, extension's or close-out's id. */
  id: string;
  itemId: string;
  approve: boolean;
  comment?: string;
  /** A report's version when the caller has it; otherwise it is read just before deciding. */
  version?: number;
}

/** What the two buttons say for each kind (the bureau's words for each decision). */
export const DECISION_WORDS: Record<
  DecisionKind,
  { kind: string; approve: string; refuse: string; reason: string }
> = {
  report: { kind: '进度填报', approve: '通过', refuse: '退回', reason: '退回意见' },
  extension: { kind: '延期申请', approve: '批准', refuse: '不批准', reason: '不批准的意见' },
  closeout: { kind: '销号申请', approve: '准予销号', refuse: '驳回', reason: '驳回理由' },
};

async function reportVersion(itemId: string, reportId: string): Promise<number> {
  const reports = await call(api.GET('/api/v1/items/{id}/reports', { params: { path: { id: itemId } } }));
  const report = reports.find((r) => r.id === reportId);
  if (!report) throw new Error('该填报已不存在，请刷新');
  return report.version;
}

async function decide(d: Decision): Promise<void> {
  const path = { params: { path: { id: d.id } } };
  const comment = d.comment?.trim() || undefined;
  if (d.kind === 'report') {
    const version = d.version ?? (await reportVersion(d.itemId, d.id));
    if (d.approve) await call(api.POST('/api/v1/reports/{id}/approve', { ...path, body: { version } }));
    else
      await call(
        api.POST('/api/v1/reports/{id}/return', { ...path, body: { version, comment: comment ?? '' } }),
      );
  } else if (d.kind === 'extension') {
    if (d.approve) await call(api.POST('/api/v1/extensions/{id}/approve', { ...path, body: { comment } }));
    else await call(api.POST('/api/v1/extensions/{id}/refuse', { ...path, body: { comment } }));
  } else if (d.approve)
    await call(api.POST('/api/v1/closeouts/{id}/approve', { ...path, body: { comment } }));
  else await call(api.POST('/api/v1/closeouts/{id}/reject', { ...path, body: { comment } }));
}

/** Approves or returns/refuses one report, extension or close-out, then refetches what shows it. */
export function useDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: decide,
    onSettled: (_data, _error, d) => invalidateWork(client, d.itemId),
  });
}
