/**
 * Phrase rules for one item's text: cadence, deadline, targets and the units it names.
 * STUB: the real rules replace this file (issue 17); the signatures stay.
 */
import type { Cadence } from '../../plans/domain/types';
import type { DraftContext, DraftTarget } from './types';

export interface ItemPhrases {
  cadence: Cadence;
  deadline: string | null;
  targets: DraftTarget[];
  units: string[];
  unitIds: (string | null)[];
}

export function readCadence(text: string): Cadence {
  if (/每周/.test(text)) return 'weekly';
  if (/每月|月调度/.test(text)) return 'monthly';
  if (/每季度|季考核/.test(text)) return 'quarterly';
  if (/持续|常态化|坚持|加强|深化|落实/.test(text)) return 'ongoing';
  return 'once';
}

export function readDeadline(text: string, year: number): string | null {
  return /年内|年底前|全年/.test(text) ? `${year}-12-31` : null;
}

export function readTargets(_text: string): DraftTarget[] {
  return [];
}

export function readUnits(_text: string, _ctx: DraftContext): { units: string[]; unitIds: (string | null)[] } {
  return { units: [], unitIds: [] };
}

export function analyseItem(text: string, ctx: DraftContext): ItemPhrases {
  return {
    cadence: readCadence(text),
    deadline: readDeadline(text, ctx.year),
    targets: readTargets(text),
    ...readUnits(text, ctx),
  };
}
