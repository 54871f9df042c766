import { useQuery } from '@tanstack/react-query';

import { api, call } from '../../api/client';

/*
 * The drafts API (导入工作报告) under /api/v1/plans/drafts. HAND-WRITTEN until the drafts module is merged:
 * then these types become the generated Schemas[...] and the calls the typed client.
 */

export type Cadence = 'weekly' | 'monthly' | 'quarterly' | 'annual' | 'once' | 'ongoing';
export type Comparator = '>=' | '<=' | '=' | 'range';

export interface DraftTarget {
  metric: string;
  comparator: Comparator;
  value: number | string;
  unit: string | null;
}

export interface DraftItem {
  title: string;
  text: string;
  cadence: Cadence;
  deadline: string | null;
  targets: DraftTarget[];
  units: string[];
  unitIds: (string | null)[];
  span: [number, number] | null;
  leadUnitId: string | null;
  coUnitIds: string[];
  responsibleLeaderId: string | null;
  ownerId: string | null;
}

export interface DraftTask {
  numbering: string | null;
  title: string;
  kind: 'task' | 'indicators' | 'other';
  span: [number, number] | null;
  items: DraftItem[];
}

export interface DraftSection {
  numbering: string | null;
  title: string;
  span: [number, number] | null;
  tasks: DraftTask[];
}

export interface DraftSummary {
  id: string;
  year: number;
  title: string;
  status: 'open' | 'published';
  itemCount: number;
  createdAt: string;
  createdBy: { id: string; name: string };
  publishedPlanId: string | null;
}

export interface Draft {
  id: string;
  year: number;
  title: string;
  status: 'open' | 'published';
  version: number;
  sourceText: string;
  sections: DraftSection[];
  publishedPlanId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PublishResult {
  plan: { id: string; title: string; year: number };
  sections: number;
  tasks: number;
  items: number;
}

type Result<T> = Promise<{ data?: T; error?: unknown; response: Response }>;
interface Init {
  params?: { path?: Record<string, string> };
  body?: unknown;
  bodySerializer?: (body: unknown) => BodyInit;
}
/** The same client (token, refresh, errors) without the generated path types the drafts routes lack for now. */
const loose = api as unknown as {
  GET<T>(path: string, init?: Init): Result<T>;
  POST<T>(path: string, init?: Init): Result<T>;
  PUT<T>(path: string, init?: Init): Result<T>;
  DELETE<T>(path: string, init?: Init): Result<T>;
};
const one = (id: string) => ({ params: { path: { id } } });

export const draftsApi = {
  list: () => call(loose.GET<DraftSummary[]>('/api/v1/plans/drafts')),
  get: (id: string) => call(loose.GET<Draft>('/api/v1/plans/drafts/{id}', one(id))),
  createFromText: (body: { text: string; year: number; title?: string }) =>
    call(loose.POST<Draft>('/api/v1/plans/drafts', { body })),
  createFromFile: (file: File, year: number, title?: string) => {
    const form = new FormData();
    form.append('year', String(year));
    if (title) form.append('title', title);
    form.append('file', file, file.name);
    return call(loose.POST<Draft>('/api/v1/plans/drafts', { body: {}, bodySerializer: () => form }));
  },
  save: (id: string, body: { version: number; title: string; sections: DraftSection[] }) =>
    call(loose.PUT<Draft>('/api/v1/plans/drafts/{id}', { ...one(id), body })),
  remove: (id: string) => call(loose.DELETE<unknown>('/api/v1/plans/drafts/{id}', one(id))),
  publish: (id: string, body: { version: number; planId?: string; title?: string }) =>
    call(loose.POST<PublishResult>('/api/v1/plans/drafts/{id}/publish', { ...one(id), body })),
};

export function useDrafts() {
  return useQuery({ queryKey: ['drafts'], queryFn: draftsApi.list });
}

export function useDraft(id: string) {
  return useQuery({ queryKey: ['draft', id], queryFn: () => draftsApi.get(id), refetchOnWindowFocus: false });
}

export const CADENCE_ZH: Record<Cadence, string> = {
  once: '一次性',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  annual: '每年',
  ongoing: '常态化',
};

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
