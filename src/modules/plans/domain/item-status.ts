/**
 * Lifecycle of an item (具体事项):
 *   draft → assigned → in_progress → awaiting_closeout → closed
 *   awaiting_closeout → in_progress   销号被退回
 *   closed → in_progress              回头看 reopens it
 *   any open status → suspended | cancelled, with a reason
 *   suspended → assigned | in_progress (the status it was suspended from) | cancelled, with a reason
 *   cancelled is final.
 */
import { ITEM_STATUS_ZH, type ItemStatus } from './types';

export const OPEN_STATUSES = ['draft', 'assigned', 'in_progress', 'awaiting_closeout'] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** Statuses a suspended item may resume to; the caller passes the one it was suspended from. */
export const RESUME_STATUSES = ['assigned', 'in_progress'] as const;

export function isOpen(status: ItemStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly ItemStatus[]).includes(status);
}

const FORWARD: Partial<Record<ItemStatus, readonly ItemStatus[]>> = {
  draft: ['assigned'],
  assigned: ['in_progress'],
  in_progress: ['awaiting_closeout'],
  awaiting_closeout: ['closed', 'in_progress'],
  closed: ['in_progress'],
  suspended: RESUME_STATUSES,
};

function needsReason(to: ItemStatus): boolean {
  return to === 'suspended' || to === 'cancelled';
}

export function canTransition(from: ItemStatus, to: ItemStatus): boolean {
  if (from === to || from === 'cancelled') return false;
  if (needsReason(to)) {
    // A suspended item may still be dropped for good without first being resumed.
    return isOpen(from) || (from === 'suspended' && to === 'cancelled');
  }
  return FORWARD[from]?.includes(to) ?? false;
}

export type TransitionResult = { ok: true } | { ok: false; message: string };

/** Checks a status change; `reason` is required for 暂停 and 取消 because it is what the dispatch office reads. */
export function transition(from: ItemStatus, to: ItemStatus, reason?: string): TransitionResult {
  if (from === 'cancelled') return { ok: false, message: '已取消的事项不能再变更状态' };
  if (from === to) return { ok: false, message: `事项已是“${ITEM_STATUS_ZH[to]}”状态` };
  if (!canTransition(from, to)) {
    if (from === 'suspended') {
      return { ok: false, message: '已暂停的事项只能恢复为“已分派”或“推进中”，或者取消' };
    }
    return {
      ok: false,
      message: `事项不能从“${ITEM_STATUS_ZH[from]}”变更为“${ITEM_STATUS_ZH[to]}”`,
    };
  }
  if (needsReason(to) && (reason === undefined || reason.trim() === '')) {
    return { ok: false, message: '暂停或取消必须填写原因' };
  }
  return { ok: true };
}
