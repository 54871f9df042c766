import { useQuery } from '@tanstack/react-query';

import { api, call, type Schemas } from '../../api/client';

/** The drafts API (导入工作报告) under /api/v1/plans/drafts, in the generated client's types. */

export type Draft = Schemas['DraftDto'];
export type DraftSummary = Schemas['DraftSummaryDto'];
export type DraftSection = Schemas['DraftSectionDto'];
export type DraftTask = Schemas['DraftTaskDto'];
export type DraftItem = Schemas['DraftItemDto'];
export type DraftTarget = Schemas['DraftTargetDto'];
export type PublishResult = Schemas['PublishResultDto'];
export type Cadence = DraftItem['cadence'];
export type Comparator = DraftTarget['comparator'];

const one = (id: string) => ({ params: { path: { id } } });

export const draftsApi = {
  list: () => call(api.GET('/api/v1/plans/drafts')),
  get: (id: string) => call(api.GET('/api/v1/plans/drafts/{id}', one(id))),
  createFromText: (body: { text: string; year: number; title?: string }) =>
    call(api.POST('/api/v1/plans/drafts', { body })),
  createFromFile: (file: File, year: number, title?: string) => {
    const form = new FormData();
    form.append('year', String(year));
    if (title) form.append('title', title);
    form.append('file', file, file.name);
    return call(
      api.POST('/api/v1/plans/drafts', {
        // The typed body only names the parts; the multipart form itself is what goes out.
        body: { file: file.name, year },
        bodySerializer: () => form,
      }),
    );
  },
  save: (id: string, body: { version: number; title: string; sections: DraftSection[] }) =>
    call(api.PUT('/api/v1/plans/drafts/{id}', { ...one(id), body })),
  remove: (id: string) => call(api.DELETE('/api/v1/plans/drafts/{id}', one(id))),
  publish: (id: string, body: { version: number; planId?: string; title?: string }) =>
    call(api.POST('/api/v1/plans/drafts/{id}/publish', { ...one(id), body })),
};

export function useDrafts() {
  return useQuery({ queryKey: ['drafts'], queryFn: draftsApi.list });
}

export function useDraft(id: string) {
  return useQuery({ queryKey: ['draft', id], queryFn: () => draftsApi.get(id), refetchOnWindowFocus: false });
}

// The server's own labels (a pure module), so a cadence reads the same on every page.
export { CADENCE_ZH } from '../../../../src/modules/plans/domain/types';

const COMPARATOR_ZH: Record<Comparator, string> = { '>=': '≥', '<=': '≤', '=': '=', range: '' };

/** "拆除违法建设 ≥ x.x 万平方米", a range "1～2 个". */
export function targetText(t: DraftTarget): string {
  const unit = t.unit ? ` ${t.unit}` : '';
  if (t.comparator === 'range') {
    const v = String(t.value).replace(/^(.+?)[-－~～至](.+)$/, '$1～$2');
    return `${t.metric} ${v}${unit}`;
  }
  return `${t.metric} ${COMPARATOR_ZH[t.comparator]} ${t.value}${unit}`;
}
