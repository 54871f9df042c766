/** 工作频次 as written in plan sheets ("每月调度", "常态化", "一年一次") → Cadence. */
import { CADENCE_ZH, CADENCES, type Cadence } from './types';

/**
 * Checked in order. Explicit one-offs come first; then the most frequent period wins, because the cadence
 * sets when reports are due and "常态化开展、每周巡查" must be reported weekly; a bare "一次" comes last so that
 * "一年一次" and "每季度一次" keep their period.
 */
const RULES: [RegExp, Cadence][] = [
  [/一次性|单次/, 'once'],
  [/每周|每一周|每星期|周度|周调度|周报|双周|每两周|^周$/, 'weekly'],
  [/每月|每个月|按月|月度|月调度|月报|^月$/, 'monthly'],
  [/每季|按季|季度|^季$/, 'quarterly'],
  [/每年|按年|年度|一年一次|^年$/, 'annual'],
  [/常态化|长期|持续|长效/, 'ongoing'],
  [/一次/, 'once'],
];

export function parseCadence(text: string): Cadence | null {
  const trimmed = text.trim();
  const code = trimmed.toLowerCase();
  const known = CADENCES.find((c) => c === code);
  if (known) return known;
  const compact = trimmed.replace(/\s+/g, '');
  if (compact === '') return null;
  return RULES.find(([pattern]) => pattern.test(compact))?.[1] ?? null;
}

export function cadenceLabel(c: Cadence): string {
  return CADENCE_ZH[c];
}
